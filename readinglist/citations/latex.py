"""BibTeX/BibLaTeX entries and cite keys: pure functions."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from readinglist.citations.csl_json import is_organisation
from readinglist.citations.phrasing import (
    ascii_word,
    first_word,
    needs_protection,
    title_or_description,
)
from readinglist.citations.protection import keeps_case, span_ranges
from readinglist.model import Paper, valid_key
from readinglist.names import split_display

# Each form decodes back to the one character with pylatexenc's stock context
# (as bibtexparser's LatexDecodingMiddleware uses it) and is valid LaTeX.
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\string^",
}
# A brace without a partner would unbalance the entry for BibTeX, which counts
# "\{" too; `\textbraceleft` would be valid LaTeX but decodes to nothing.
_LONE_BRACE = {"{": r"\ensuremath{\lbrace}", "}": r"\ensuremath{\rbrace}"}
# The first character of a ligature (-- `` '' ?` !`) gets "{}" after it.
_SPECIAL_RE = re.compile(r"[\\%&$#_~^{}]|-(?=-)|'(?=')|`(?=`)|[?!](?=`)")
_VERBATIM_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
_WORD = re.compile(r"\S+")
_PUNCT_EDGES = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.DOTALL)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint"})


def escape(text: str) -> str:
    """`text` as LaTeX that decodes back to exactly `text`; braces always balance.

    Specials become macros, paired braces `\\{ \\}`, and ligatures are
    broken with `{}` (`-{}-`), so nothing turns into a dash or curly quote.
    """
    if not _SPECIAL_RE.search(text):
        return text
    return _escape_span(text, 0, len(text), _paired_braces(text))


def _escape_span(text: str, start: int, end: int, paired: set[int]) -> str:
    """`text[start:end]` escaped; `paired` holds the positions of matched braces."""
    out, last = [], start
    for match in _SPECIAL_RE.finditer(text, start, end):
        char = match.group()
        if char in "{}":
            out += [
                text[last : match.start()],
                "\\" + char if match.start() in paired else _LONE_BRACE[char],
            ]
        else:
            out += [text[last : match.start()], _SPECIAL.get(char, char + "{}")]
        last = match.end()
    out.append(text[last:end])
    return "".join(out)


def _paired_braces(text: str) -> set[int]:
    """The positions of the braces in `text` that open or close a matched pair."""
    paired: set[int] = set()
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            paired.update((opened.pop(), index))
    return paired


def protect(title: str) -> str:
    """The escaped title with acronyms and mixed-case words braced."""
    paired = _paired_braces(title)
    return " ".join(_protect_word(title, word, paired) for word in re.finditer(r"\S+", title))


def protect_title(title: str, spans: Iterable[str] = ()) -> str:
    """The escaped title with each of `spans` (what the source braced, found in order)
    braced, and each other word that keeps its case in sentence case braced
    (`protection.keeps_case`: acronyms, mixed case, proper names; not `Large-Scale`)."""
    paired = _paired_braces(title)
    out, last = [], 0
    for start, end in (where for where in span_ranges(title, list(spans)) if where):
        out.append(_protect_words(title, last, start, paired))
        text = _escape_span(title, start, end, paired)
        # `{\...}` is a special character to BibTeX, not a protection: `{{}\...}` is one
        out.append("{" + ("{}" if text.startswith("\\") else "") + text + "}")
        last = end
    out.append(_protect_words(title, last, len(title), paired))
    return "".join(out)


def _protect_words(title: str, start: int, end: int, paired: set[int]) -> str:
    out, last = [], start
    for word in _WORD.finditer(title, start, end):
        out.append(_escape_span(title, last, word.start(), paired))
        out.append(_protect_word(title, word, paired, keeps_case))
        last = word.end()
    out.append(_escape_span(title, last, end, paired))
    return "".join(out)


def _protect_word(
    title: str, word: re.Match, paired: set[int], rule: Callable[[str], bool] = needs_protection
) -> str:
    edges = _PUNCT_EDGES.match(word.group())
    assert edges is not None  # the pattern matches every string
    lead, core, _ = edges.groups()
    start, end = word.span()
    if not core or not rule(core):
        return _escape_span(title, start, end, paired)
    core_start = start + len(lead)
    core_end = core_start + len(core)
    return (
        _escape_span(title, start, core_start, paired)
        + f"{{{_escape_span(title, core_start, core_end, paired)}}}"
        + _escape_span(title, core_end, end, paired)
    )


def verbatim(text: str) -> str:
    """A URL-like value safe inside braces: braces, backslash and spaces %-encoded."""
    return "".join(_VERBATIM_UNSAFE.get(ch, ch) for ch in text)


def author_field(authors: list[str]) -> str:
    """Names joined with ' and '; a name with a comma or ' and ' is braced whole.

    Other names are left to BibTeX's "First von Last" reading, which keeps
    their words in order.
    """
    names = [escape(name) for name in authors]
    return " and ".join(
        f"{{{n}}}" if "," in n or " and " in f" {n.lower()} " or is_organisation(n) else n
        for n in names
    )


# Venue fields the record may hold, in the order an entry lists them.
VENUE_FIELDS = (
    "booktitle", "volume", "number", "pages", "publisher", "address", "school", "institution",
)  # fmt: skip


def entry_type(paper: Paper, biblatex: bool = False) -> str:
    """The record's own entry type; else 'article' when a journal (and what BibTeX
    requires) is known, else misc/online."""
    own = (getattr(paper, "entry_type", None) or "").lower()
    if own:
        return own
    if paper.journal and (biblatex or (paper.authors and paper.year)):
        return "article"
    if biblatex and (paper.arxiv or paper.link()):
        return "online"
    return "misc"


def month(paper: Paper) -> int | None:
    """The month number from `published`, if the date gives one."""
    match = re.match(r"\d{4}-(\d{2})", paper.published or "")
    return int(match.group(1)) if match and 1 <= int(match.group(1)) <= 12 else None


def edtf_date(paper: Paper) -> str | None:
    """The BibLaTeX date ('2021-05-09', or '2024?' style when the year is inferred)."""
    if paper.year is None:
        return None
    exact = paper.published if (paper.published or "")[:4] == str(paper.year) else None
    date = exact[:10] if exact else str(paper.year)
    return f"{date}?" if paper.year_inferred else date


def standard_fields(paper: Paper, biblatex: bool = False, cite: bool = True) -> list[tuple]:
    """(name, raw value) pairs of the standard fields; months stay bare macros.

    With `cite`, a derived title becomes a bracketed description; an export
    keeps the stored title so it re-imports unchanged.
    """
    title = title_or_description(paper) if cite else paper.title
    fields: list[tuple] = []
    if paper.authors:
        others = " and others" if getattr(paper, "others", False) else ""
        fields.append(("author", author_field(paper.authors) + others))
    fields.append(("title", protect(title)))
    editors = getattr(paper, "editors", None)
    if editors:
        fields.append(("editor", author_field([_display(name) for name in editors])))
    if paper.journal:
        fields.append(("journaltitle" if biblatex else "journal", escape(paper.journal)))
    for name in VENUE_FIELDS:
        value = getattr(paper, name, None)
        if value:
            value = escape(str(value).replace("--", "-"))
            fields.append((name, value.replace("-", "--") if name == "pages" else value))
    if biblatex:
        if date := edtf_date(paper):
            fields.append(("date", date))
    elif paper.year is not None:
        fields.append(("year", str(paper.year)))
        if number := month(paper):
            fields.append(("month", MONTHS[number - 1], "bare"))
    if paper.arxiv:
        fields.append(("eprint", verbatim(paper.arxiv)))
        fields.append(("eprinttype", "arxiv") if biblatex else ("archiveprefix", "arXiv"))
    if paper.doi:
        fields.append(("doi", verbatim(paper.doi)))
    if paper.url:
        fields.append(("url", verbatim(paper.url)))
    notes = note_parts(paper, biblatex)
    if notes:
        fields.append(("note", escape("; ".join(notes))))
    return fields


def _display(name) -> str:
    """A name as BibTeX writes it: 'Family, Given' for a structured name."""
    if isinstance(name, str):
        return name
    if isinstance(name, dict):  # a stored name in parts
        from readinglist.names import Name

        return Name.from_json(name).bibtex()
    if getattr(name, "literal", None):
        return name.literal
    family = " ".join(p for p in (getattr(name, "particle", ""), name.family) if p)
    parts = [family, getattr(name, "suffix", "") or "", getattr(name, "given", "") or ""]
    return ", ".join(p for p in parts if p) if parts[1] else ", ".join(p for p in parts[::2] if p)


def note_parts(paper: Paper, biblatex: bool = False) -> list[str]:
    """What the fields cannot say: an author count without names, an inferred year."""
    parts = []
    if not paper.authors and paper.author_count:
        parts.append(f"{paper.author_count} author{'s' if paper.author_count != 1 else ''}")
    if paper.year_inferred and paper.year is not None and not biblatex:
        parts.append(f"year {paper.year} inferred")
    return parts


def render_entry(kind: str, key: str, fields: list[tuple]) -> str:
    """One entry, a field per line, values in braces (bare when marked)."""
    width = max(len(f[0]) for f in fields)
    lines = [f"@{kind}{{{key},"]
    for name, value, *bare in fields:
        shown = value if bare else f"{{{value}}}"
        lines.append(f"  {name.ljust(width)} = {shown},")
    lines.append("}")
    return "\n".join(lines)


def base_key(paper: Paper) -> str:
    """'lastnameYEARfirstword', or 'firstwordYEAR' without authors.

    The last name is the first author's family name with its particle and without a
    suffix, as names.py splits the display string: "Guy Van den Broeck" gives
    `vandenbroeck`, "Ira E. Hyman Jr" `hyman`.
    """
    family = ascii_word(split_display(paper.authors[0]).family_full()) if paper.authors else ""
    year = str(paper.year) if paper.year is not None else "nd"
    word = first_word(paper.title) or "paper"
    return f"{family}{year}{word}" if family else f"{word}{year}"


def suffix(n: int) -> str:
    """0 -> '', 1 -> 'a', 26 -> 'z', 27 -> 'aa'."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def cite_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """A unique cite key per paper id: its stored key, else one made by `base_key`.

    Stored keys come first, so they never depend on the other papers (but for two
    alike, which no write stores); made keys that clash get a/b suffixes by
    (added, id). Keys differ in more than case: BibTeX takes `Ab` and `ab` for one.
    """
    ordered = sorted(papers, key=lambda p: (p.added, p.id))
    keys: dict[str, str] = {}
    stored: set[str] = set()
    for paper in ordered:
        if paper.key and paper.key.casefold() not in stored and valid_key(paper.key):
            keys[paper.id] = paper.key
            stored.add(paper.key.casefold())
    free = _FreeKeys(stored)
    for paper in ordered:
        if paper.id not in keys:
            keys[paper.id] = free.take(base_key(paper))
    return keys


def settle_keys(current: Iterable[Paper], new: Iterable[Paper]) -> dict[str, str]:
    """The cite keys to store, by id, so that no key ever changes again.

    Papers of `current` keep the key they are cited by now; each of `new`, in order,
    gets the key it brings (a BibTeX entry's own) if free and valid, else a free one.
    Papers whose stored key is already right are left out.
    """
    current = list(current)
    stored = {p.key.casefold() for p in current if p.key}
    merged_keys = [key for p in current for key in p.key_aliases]  # still cite their paper
    if len(stored) == len(current):  # every key stored, and unique: nothing to settle
        settled, free = {}, _FreeKeys([*stored, *merged_keys])
    else:
        keys = cite_keys(current)
        settled = {p.id: keys[p.id] for p in current if p.key != keys[p.id]}
        free = _FreeKeys([*keys.values(), *merged_keys])
    for paper in new:  # in the order given: a file's first entry keeps a key two want
        key = free.take(paper.key if valid_key(paper.key) else base_key(paper))
        if key != paper.key:
            settled[paper.id] = key
    return settled


class _FreeKeys:
    """Hands out keys not yet used (case ignored): `base`, else `basea`, `baseb`, ..."""

    def __init__(self, used: Iterable[str]) -> None:
        self.used = {key.casefold() for key in used}
        self._next: dict[str, int] = {}  # per base: where the search resumes

    def take(self, base: str) -> str:
        n = self._next.get(base, 0)
        while (base + suffix(n)).casefold() in self.used:
            n += 1
        self._next[base] = n + 1
        key = base + suffix(n)
        self.used.add(key.casefold())
        return key
