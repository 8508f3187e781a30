"""BibTeX via bibtexparser 2, LaTeX-decoded, including our own export fields.

Authors and editors are read in parts by BibTeX's rules (names.py); `authors`
holds their display strings ("Jörg Müller" from "M{\\"u}ller, J{\\"o}rg"), a
braced name ("{World Health Organization}") is kept whole, and "and others"
is a flag. The entry type, venue fields, identifiers and every other field
(verbatim, in `extra`) are kept too (bibrecord.py).
url, doi and eprint are read verbatim (not LaTeX-decoded). A publication
day is set only when year, month and day are all known. Fields named
`readinglist-*` carry the user's state and are read strictly; the note keeps
its whitespace, and the lists split at commas outside braces.

Only the fields read here are decoded, with pylatexenc set up to lose no
visible text (logos, `\\mbox`, unknown macros keep their words, math becomes
unicode where it maps), and a value that holds nothing LaTeX would change is
not decoded at all: decoding is most of the cost of a parse.

A bad block costs only itself: `parse` reports it in `warnings` and goes on
(or, with `strict`, raises the first problem).
"""

from __future__ import annotations

import functools
import logging
import re

from bibtexparser.library import Library
from bibtexparser.middlewares import NormalizeFieldKeys
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.model import DuplicateBlockKeyBlock, Entry
from pylatexenc import latex2text, latexwalker, macrospec

from readinglist.citations.latex import suffix
from readinglist.errors import ParseError
from readinglist.model import Paper, normalise_tag, paper_id, settle_record
from readinglist.names import Name, parse_bibtex_names
from readinglist.parsing import bibrecord, bibslices
from readinglist.parsing.bibfields import EntryFields
from readinglist.parsing.bibprotect import protected_spans
from readinglist.parsing.bibvalues import MONTH_MACROS, InheritCrossref, ResolveValues
from readinglist.parsing.common import clean, collapse
from readinglist.parsing.titles import derive_title

logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

PEOPLE_FIELDS = ("author", "editor")
MONTH_NAMES = tuple(MONTH_MACROS.values())
LENT_NOTE = "crossref parents without a title lent their fields and are not stored"
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file"})
LIST_FIELDS = frozenset({"readinglist-sources", "readinglist-aliases", "ids"})
DECODED_FIELDS = frozenset(
    {"title", "abstract", "note", "keywords", "archiveprefix", "primaryclass", "eprintclass"}
    | {"eprinttype", "year", "day", "date", "isbn", "issn", *bibrecord.VENUE_FIELDS}
)
# Written by some exporters (older versions of ours too) but decoded to "" or
# "ˆ" by pylatexenc.
_TEXT_MACROS = {
    r"\textbraceleft{}": r"\{",
    r"\textbraceright{}": r"\}",
    r"\textasciicircum{}": "^",
}
# What pylatexenc changes: specials, braces, ties, comments, math, and the ligatures
# -- '' `` ?` !`. Each pattern opens with the set of first characters and checks a pair's
# first character behind its second, so that the engine jumps from one such character to
# the next (an alternation of the pairs tried every position: 4 times slower on abstracts).
_NEEDS_DECODING = re.compile(
    r"[-\\{}~%&$'`?!](?:(?<=[\\{}~%&$])|(?<=-)-|(?<=')'|(?<=`)`|(?<=[?!])`)"
)
# What only pylatexenc decodes (the rest of _NEEDS_DECODING: dashes, see `_dashes`).
_NEEDS_PYLATEXENC = re.compile(r"[\\{}~%&$'`?!](?:(?<=[\\{}~%&$])|(?<=')'|(?<=`)`|(?<=[?!])`)")
_DASH_RUN = re.compile("-{2,}")
_DASH_FORMS = ("", "-", "–")  # what is left of a run after its em dashes
# The forms our exporter writes (latex.escape), decoded without pylatexenc;
# a value with anything else goes to pylatexenc.
_PLAIN_TOKEN = re.compile(
    r"\\(?:[%&$#_{}]|textbackslash\{\}|textasciitilde\{\}|string\^|ensuremath\{\\[lr]brace\})|[{}]"
)
_PLAIN = {
    r"\textbackslash{}": "\\",
    r"\textasciitilde{}": "~",
    r"\string^": "^",
    r"\ensuremath{\lbrace}": "{",
    r"\ensuremath{\rbrace}": "}",
    "{": "",
    "}": "",
}
_AUTHOR_NOTE = re.compile(r"(\d{1,6}) +authors?")
_ARXIV_ID = re.compile(
    r"(?:arxiv:)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)", re.IGNORECASE
)
_DOI_PREFIX = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


# Logos and other text macros that pylatexenc's stock context turns into nothing or
# does not know.
_LOGOS = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "AmS": "AMS",
    "AMS": "AMS", "AmSTeX": "AMS-TeX", "METAFONT": "METAFONT", "MF": "METAFONT",
    "MP": "MetaPost", "ConTeXt": "ConTeXt", "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX", "eTeX": "e-TeX", "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX", "SliTeX": "SliTeX", "PiCTeX": "PiCTeX", "TUB": "TUGboat",
    "TUG": "TUG", "MakeIndex": "MakeIndex", "BibLaTeX": "BibLaTeX",
    "Dash": "—", "bs": "\\", "thinspace": " ",  # (TUGboat's dash and backslash)
    "tubissue": "TUGboat ", "relax": "",  # (TUGboat's "{\tubissue 14(3)}"; a no-op)
}  # fmt: skip
# Macros whose one argument is their text (`\rlap{15 October}`, TUGboat's `\acro{EPS}`).
_ARGUMENT_AS_TEXT = (
    "url", "mbox", "textsc", "textup", "textnormal", "path", "hbox", "llap", "rlap", "smash",
    "acro",
)  # fmt: skip
# TeX primitives that move or space what follows by a dimension (`DVIto\kern-.15em VDU`,
# `\raise 0.5ex`): nothing to read, the dimension and one space after it included.
_SPACING = re.compile(
    r"\\(?:kern|mkern|raise|lower|hskip|vskip|moveleft|moveright)\s*[-+]?\s*"
    r"(?:\d+(?:[.,]\d*)?|[.,]\d+)\s*(?:em|ex|pt|pc|in|cm|mm|bp|dd|cc|sp|mu) ?"
)
# `\char` of a character given by itself (`\char`\\let` typesets "\let").
_CHAR = re.compile(r"\\char\s*`\\?(\\|[A-Za-z0-9])")
# Declarations that change only how the text after them looks (`{\it The Companion}`, the
# italic correction `\/`): nothing to read, where an unknown macro keeps its name.
_STYLE_ONLY = (
    "it", "bf", "sl", "sf", "tt", "rm", "sc", "em", "normalfont", "itshape", "bfseries",
    "slshape", "sffamily", "ttfamily", "rmfamily", "scshape", "upshape", "mdseries",
    "tiny", "scriptsize", "footnotesize", "small", "normalsize", "large", "Large", "LARGE",
    "huge", "Huge", "smc", "ssf", "/",
)  # fmt: skip


@functools.cache
def _decoders() -> tuple:
    """A LaTeX-to-text decoder that loses no visible text, and its parsing context.

    Logos become their names, `\\mbox{X}` and `\\url{X}` become X, font and size
    switches (`{\\it X}`) nothing, math becomes unicode where pylatexenc maps it
    (`$\\Omega$` is Ω) and stays as written otherwise, and a macro nobody defined keeps
    its name as a word.
    """
    text_db = latex2text.get_default_latex_context_db()
    text_db.add_context_category(
        "readinglist",
        prepend=True,
        macros=[latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in _LOGOS.items()]
        + [latex2text.MacroTextSpec(name, simplify_repl="%s") for name in _ARGUMENT_AS_TEXT]
        + [latex2text.MacroTextSpec(name, simplify_repl="") for name in _STYLE_ONLY]
        + [latex2text.MacroTextSpec("nth", simplify_repl=_ordinal)],
    )
    text_db.set_unknown_macro_spec(latex2text.MacroTextSpec("", simplify_repl=_macro_name))
    decoder = latex2text.LatexNodes2Text(
        latex_context=text_db, math_mode="text", strict_latex_spaces=False
    )
    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category(  # (the walker must know they take an argument)
        "readinglist",
        prepend=True,
        macros=[macrospec.MacroSpec(name, "{") for name in (*_ARGUMENT_AS_TEXT, "nth")],
    )
    return decoder, walker_db


def _ordinal(node, l2tobj) -> str:
    """`\\nth{21}` as TUGboat typesets it: 21st."""
    number = l2tobj.nodelist_to_text(node.nodeargd.argnlist).strip() if node.nodeargd else ""
    if not number.isdigit():
        return number
    tens, last = int(number) % 100, int(number) % 10
    suffix = "th" if 10 <= tens <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(last, "th")
    return number + suffix


def _char_text(match: re.Match) -> str:
    """The character a `\\char` names, written so the decoder gives it back."""
    return r"\textbackslash{}" if match[1] == "\\" else match[1]


def _macro_name(node, *_args) -> str:
    return node.macroname + (node.macro_post_space or "")


def decode(value: str) -> str:
    """`value` LaTeX-decoded to text (see `_decoders`); plain text is returned as it is."""
    if "\\text" in value:
        for macro, plain in _TEXT_MACROS.items():
            value = value.replace(macro, plain)
    if not _NEEDS_DECODING.search(value):
        return value
    decoded = _decode_plain(value)
    if decoded is not None:
        return decoded
    decoder, context = _decoders()
    if "\\char" in value or _SPACING.search(value):
        value = _CHAR.sub(_char_text, _SPACING.sub("", value))
    try:
        return decoder.latex_to_text(value, latex_context=context)
    except Exception:  # pylatexenc's own failures: keep the text as written
        return value


def _decode_plain(value: str) -> str | None:
    """`value` decoded as pylatexenc would, if it holds only what `latex.escape`
    and title protection write (balanced braces, text between), and dashes (page
    ranges); else None."""
    parts, last, depth = [], 0, 0
    for match in _PLAIN_TOKEN.finditer(value):
        token = match.group()
        depth += (token == "{") - (token == "}")
        if depth < 0 or _NEEDS_PYLATEXENC.search(value, last, match.start()):
            return None
        parts += [_dashes(value[last : match.start()]), _PLAIN.get(token, token[1:])]
        last = match.end()
    if depth or _NEEDS_PYLATEXENC.search(value, last):
        return None
    return "".join(parts) + _dashes(value[last:])


def _dashes(text: str) -> str:
    """Runs of hyphens as pylatexenc reads them: "---" an em dash, "--" an en dash,
    longest first ("----" is an em dash and a hyphen)."""
    if "--" not in text:
        return text
    return _DASH_RUN.sub(
        lambda run: "—" * (len(run.group()) // 3) + _DASH_FORMS[len(run.group()) % 3], text
    )


def split_list(value: str) -> list[str]:
    """The items of a comma-separated value, split outside braces, each decoded."""
    items, depth, start = [], 0, 0
    for index, char in enumerate(value + ","):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "," and depth <= 0:
            items.append(decode(value[start:index]).strip())
            start = index + 1
    return [item for item in items if item]


class _Decode(BlockMiddleware):
    """Decodes the fields we read (each keeps its `raw` value); URL-like ones stay raw,
    lists become lists, author and editor lists become (names, and-others) pairs."""

    def transform_entry(self, entry: Entry, library: Library) -> Entry:
        for field in entry.fields:
            key = field.key
            if not isinstance(field.value, str) or key in VERBATIM_FIELDS:
                continue
            if key in PEOPLE_FIELDS:
                field.value = parse_bibtex_names(field.value, decode)
            elif key in LIST_FIELDS:
                field.value = split_list(field.value)
            elif key in DECODED_FIELDS or key.startswith("readinglist-"):
                # bibtexparser's Field has no slot for the undecoded text: bibrecord reads it here
                field.raw = field.value  # type: ignore[attr-defined]
                field.value = decode(field.value)
        return entry


def _stack() -> list[BlockMiddleware]:
    return [NormalizeFieldKeys(), _Decode()]


def _parse_stack(values: ResolveValues, crossref: InheritCrossref) -> list:
    """Keys normalised, values resolved (@string, months, #), crossref inherited, decoded."""
    return [NormalizeFieldKeys(), values, crossref, _Decode()]


def parse(
    text: str,
    *,
    source: str,
    warnings: list[ParseError] | None = None,
    strict: bool = False,
    macros: dict[str, str] | None = None,
    **_options,
) -> list[Paper]:
    """The entries of a BibTeX file.

    A bad block (unbalanced braces, no title, a bad `readinglist-*` field) is
    skipped and reported in `warnings` with its line; an entry whose key an
    earlier entry has gets a free suffix, with a warning naming both lines.
    With `strict` the first problem is raised as a ParseError instead. `macros`
    are the @strings of the other files of the same command; an undefined
    macro is kept as its name and reported once (strict or not).

    A big file is split a slice at a time (bibslices.py): the same blocks, never
    all in memory at once.
    """
    text = clean(text)
    cuts = bibslices.cuts(text)
    try:
        reading = _read(text, cuts, source, macros)
    except (bibslices.SliceCut, ParseError):
        if not cuts:
            raise
        reading = _read(text, [], source, macros)  # whole, as the slices could not be
    papers = reading.papers()
    problems = sorted(reading.problems(), key=lambda problem: problem[0].line or 0)
    if strict and problems:
        raise problems[0][0]
    if warnings is not None:
        warnings += [ParseError(source, f"{_message(e)} — {done}", e.line) for e, done in problems]
        warnings += [
            ParseError(source, f"undefined macro {name!r}, kept as its name", line)
            for name, line in sorted(reading.values.undefined.items(), key=lambda item: item[1])
        ]
        if reading.lent:
            warnings.append(ParseError(source, f"{reading.lent} {LENT_NOTE}"))
    return papers


def _message(error: ParseError) -> str:
    return str(error).split(": ", 1)[1] if error.line else str(error)


def _read(text: str, cuts: list[int], source: str, macros: dict[str, str] | None) -> _Reading:
    """The entries of `text` read slice by slice (cut at `cuts`), each made a paper."""
    reading = _Reading(source, ResolveValues(macros), InheritCrossref())
    stack = _parse_stack(reading.values, reading.crossref)
    slices = bibslices.split(text, cuts)
    while True:
        try:
            library = next(slices, None)
            if library is None:
                return reading
            reading.take_duplicates(library)
            for middleware in stack:
                library = middleware.transform(library=library)
        except bibslices.SliceCut:
            raise
        except Exception as exc:  # the library's own failures, whatever their type
            raise ParseError(source, f"not valid BibTeX ({type(exc).__name__})") from None
        reading.add(library)


class _Reading:
    """What `parse` has read so far: papers by line, problems, keys, entries to re-key.

    Duplicate keys are found as bibtexparser finds them (the same key, exactly), across
    slices too, and re-keyed once every key of the file is known.
    """

    def __init__(self, source: str, values: ResolveValues, crossref: InheritCrossref) -> None:
        self.source, self.values, self.crossref = source, values, crossref
        self.lent = 0
        self._papers: list[tuple[int, Paper]] = []
        self._block_problems: list[tuple[ParseError, str]] = []
        self._paper_problems: list[tuple[ParseError, str]] = []
        self._keys: set[str] = set()  # the good entries' keys, casefolded
        self._first: dict[str, int] = {}  # each key's first entry's line
        self._duplicates: list[tuple[Entry, int]] = []  # (duplicate, line of the first)

    def take_duplicates(self, library: Library) -> None:
        """Set aside (before the middleware) each entry whose key an earlier one has."""
        for entry in library.entries:
            if entry.key in self._first:
                library.remove(entry)
                self._duplicates.append((entry, self._first[entry.key]))
            else:
                self._first[entry.key] = (entry.start_line or 0) + 1
        for block in list(library.failed_blocks):
            if not isinstance(block, DuplicateBlockKeyBlock):
                continue
            duplicate = block.ignore_error_block
            if isinstance(duplicate, Entry):  # a duplicate @string is reported as skipped
                library.remove(block)
                self._duplicates.append((duplicate, self._first[block.key]))

    def add(self, library: Library) -> None:
        for block in library.failed_blocks:
            line = (block.start_line or 0) + 1
            self._block_problems.append((ParseError(self.source, _failure(block), line), "skipped"))
        for entry in library.entries:
            self._keys.add(entry.key.casefold())
            self._add_entry(entry)

    def _add_entry(self, entry: Entry) -> None:
        if entry.key in self.crossref.lent and "title" not in entry.fields_dict:
            self.lent += 1  # a parent that only lends its fields to its children
            return
        try:
            self._papers.append((entry.start_line or 0, _paper(EntryFields(entry, self.source))))
        except ParseError as error:
            self._paper_problems.append((error, "skipped"))

    def papers(self) -> list[Paper]:
        """The papers in file order, each duplicate re-keyed among them."""
        if self._duplicates:
            for duplicate, first in sorted(self._duplicates, key=_line):
                line, key = (duplicate.start_line or 0) + 1, duplicate.key
                entry = _rekeyed(self.values.resolve_entry(duplicate), self._keys)
                error = ParseError(
                    self.source, f"duplicate key {key!r} (first at line {first})", line
                )
                self._block_problems.append((error, f"this entry stored as {entry.key!r}"))
                self._add_entry(entry)
            self._duplicates = []
            self._papers.sort(key=lambda item: item[0])
        return [paper for _, paper in self._papers]

    def problems(self) -> list[tuple[ParseError, str]]:
        """What went wrong, block by block (the duplicates' once `papers` re-keyed them)."""
        return self._block_problems + self._paper_problems


def _line(pair: tuple[Entry, int]) -> int:
    return pair[0].start_line or 0


def _rekeyed(entry: Entry, keys: set[str]) -> Entry:
    """`entry` under the first free key "keya", "keyb", ..., run through our middleware."""
    n = 0
    while (entry.key + suffix(n + 1)).casefold() in keys:
        n += 1
    entry.key = entry.key + suffix(n + 1)
    keys.add(entry.key.casefold())
    for middleware in _stack():
        block = middleware.transform_block(entry, Library())
        assert isinstance(block, Entry)  # each of our middlewares maps an entry to an entry
        entry = block
    return entry


_BLOCK_START = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]*)")


def _failure(block) -> str:
    """What is wrong with a failed block, naming its entry."""
    match = _BLOCK_START.match((block.raw or "").lstrip())
    what = f"entry {match[2]!r}" if match and match[2] else "a block"
    detail = (getattr(block.error, "abort_reason", "") or str(block.error)).strip()
    if "Unexpected block start" in detail or "Was still looking" in detail:
        return f"unbalanced braces in {what}"
    first = detail.split("\n")[0][:120]
    return f"malformed BibTeX in {what}" + (f": {first}" if first else "")


def _paper(fields: EntryFields) -> Paper:
    title, abstract = fields.text("title"), fields.text("abstract")
    if not title and not abstract:
        raise fields.error("has neither a title nor an abstract")
    derived = fields.flag("readinglist-title-derived", default=not title)
    title = title or derive_title(abstract)
    names, others = _people(fields, "author")
    authors = [collapse(name.display()) for name in names]
    tags, tags_cover = _tags(fields.text("keywords"))
    arxiv = _arxiv(fields)
    paper = Paper(
        id=fields.text("readinglist-id") or paper_id(title, abstract),
        title=title,
        abstract=abstract,
        title_derived=derived,
        authors=authors,
        author_count=_author_count(fields, authors),
        upvotes=fields.number("readinglist-upvotes"),
        doi=_doi(fields.text("doi")),
        arxiv=arxiv,
        url=fields.text("url") or None,
        journal=fields.text("journal")
        or fields.text("journaltitle")
        or fields.text("booktitle")
        or None,
        sources=fields.listing("readinglist-sources") or [fields.source],
        added=fields.text("readinglist-added"),
        aliases=fields.listing("readinglist-aliases"),
        key=fields.entry.key,
        entry_type=fields.entry.entry_type.lower(),
        protected=protected_spans(getattr(fields.fields.get("title"), "raw", ""), title, decode),
        names=[name.stored() for name in names],
        editors=[name.stored() for name in _people(fields, "editor")[0]],
        others=others,
        venue=bibrecord.venue(fields),
        arxiv_class=bibrecord.arxiv_class(fields),
        isbn=fields.text("isbn") or None,
        issn=fields.text("issn") or None,
        file=fields.text("file") or None,
        key_aliases=fields.listing("ids"),
        read=fields.flag("readinglist-read", default=False),
        read_at=fields.text("readinglist-read-at") or None,
        tags=tags,
        note=fields.raw("readinglist-note"),
    )
    paper.published, paper.year, paper.year_inferred = fields.when()
    if paper.published and "month" in paper.venue:
        del paper.venue["month"]  # the day of publication holds it
    elif not paper.published and "month" not in paper.venue:
        month = fields.date_month()  # date = {2020-05}: the month is known, not the day
        if month:
            paper.venue["month"] = MONTH_NAMES[month - 1]
    paper.extra = bibrecord.extra(
        fields, arxiv=arxiv is not None, year=paper.year, tags_cover=tags_cover
    )
    return settle_record(paper)


def _people(fields: EntryFields, key: str) -> tuple[list[Name], bool]:
    field = fields.fields.get(key)
    value = field.value if field is not None else None
    return value if isinstance(value, tuple) else ([], False)


def _author_count(fields: EntryFields, authors: list[str]) -> int | None:
    count = fields.number("readinglist-author-count")
    if count is not None or authors:
        return count
    match = _AUTHOR_NOTE.fullmatch(fields.text("note"))
    return int(match[1]) if match else None


def _doi(text: str) -> str | None:
    match = _DOI_PREFIX.match(text)
    return (text[match.end() :] if match else text).strip() or None


def _arxiv(fields: EntryFields) -> str | None:
    eprint = fields.text("eprint")
    prefix = (fields.text("archiveprefix") or fields.text("eprinttype")).lower()
    match = _ARXIV_ID.fullmatch(eprint)
    if prefix == "arxiv" and eprint:
        return match[1] if match else eprint
    return match[1] if match else None


def _tags(keywords: str) -> tuple[list[str], bool]:
    """The keywords that can be tags, and whether every keyword could."""
    tags: list[str] = []
    every = True
    for raw in re.split(r"[,;]", keywords):
        try:
            tag = normalise_tag(raw)
        except ValueError:
            every = every and not raw.strip()
            continue
        if tag not in tags:
            tags.append(tag)
    return tags, every
