"""A paper as a CSL-JSON item, the input of the CSL styles: a pure function.

Every value is HTML-escaped here (citeproc-py's HTML output passes text
through as it is), then the title's protected words are wrapped in CSL's
`nocase` spans. The title goes in sentence case, as CSL expects: title-case
styles capitalise it back, sentence-case styles print it as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from readinglist.citations.phrasing import (
    description,
    month_from_text,
    venue_value,
)
from readinglist.citations.protection import keeps_case, plain_capitalised, span_ranges, word_set
from readinglist.model import Paper
from readinglist.names import Name, split_display

NOCASE = '<span class="nocase">{}</span>'
# Stands for "and others" in the names list; the renderer turns it into the style's et al.
OTHERS = "\ue000"
# BibTeX entry type -> CSL type.
CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "booklet": "pamphlet",
    "online": "webpage",
    "misc": "article",
    "unpublished": "manuscript",
}
THESIS_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
# A thesis as each guide words it (CSL has no term for it): APA 7, MLA 9, CMOS 17, the
# IEEE reference guide; other styles (Harvard, ...) get THESIS_GENRES.
GUIDE_GENRES = {
    "apa": {"phdthesis": "Doctoral dissertation", "mastersthesis": "Master's thesis"},
    "modern-language-association": {"phdthesis": "PhD dissertation", "mastersthesis": "MA thesis"},
    "chicago-author-date": {"phdthesis": "PhD diss.", "mastersthesis": "Master's thesis"},
    "ieee": {"phdthesis": "Ph.D. dissertation", "mastersthesis": "M.S. thesis"},
}
# Guides that name the school inside the description: "[Doctoral dissertation, Univ.]".
SCHOOL_IN_GENRE = frozenset({"apa"})
# Paper attribute -> CSL variable, taken when the record has it.
VENUE_VARIABLES = {
    "volume": "volume",
    "number": "issue",
    "issue": "issue",
    "pages": "page",
    "publisher": "publisher",
    "address": "publisher-place",
    "edition": "edition",
    "series": "collection-title",
    "chapter": "chapter-number",
}
_WORD = re.compile(r"\S+")
_EDGES = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.DOTALL)


ORGANISATION_WORDS = word_set(
    "organization organisation institute university association consortium committee team"
    " group foundation society agency council office department center centre laboratory"
    " inc. ltd. corporation collaboration project initiative"
)


def escape(value: str) -> str:
    """`value` as text (LaTeX math left by an import read as Unicode), HTML-escaped."""
    return html.escape(latex_text(value), quote=False)


_LATEX = re.compile(r"[\\$]")
_TEXT_MACRO = re.compile(
    r"\\(?:mbox|text|textrm|mathrm|mathit|mathbf|textit|textbf|emph)\s*\{([^{}]*)\}"
)
_SCRIPT = re.compile(r"(?:\{\})?([\^_])\{([^{}]*)\}|(?:\{\})?([\^_])([A-Za-z0-9])")
_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def latex_text(value: str) -> str:
    """Math and macros an import kept (`$\\Delta$`, `2\\({}^{\\mbox{k}}\\)`) as Unicode text."""
    if not _LATEX.search(value):
        return value
    from pylatexenc.latex2text import LatexNodes2Text

    value = _SCRIPT.sub(_script, _TEXT_MACRO.sub(r"\1", value))
    try:
        text = LatexNodes2Text(math_mode="text").latex_to_text(value)
    except Exception:  # pylatexenc gives up on some malformed input
        return value.replace("\\", "").replace("{", "").replace("}", "").replace("$", "")
    return " ".join(text.replace("\\", "").replace("{", "").replace("}", "").split())


def _script(match: re.Match) -> str:
    mark, body = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    table = _SUPERSCRIPT if mark == "^" else _SUBSCRIPT
    shifted = body.translate(table)
    if all(ch in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎" for ch in shifted):
        return shifted
    return f"{mark}{body}" if len(body) == 1 else f"{mark}({body})"


def csl_item(paper: Paper, key: str, sentence: bool = True, style: str = "") -> dict:
    """The CSL-JSON item of `paper`, with `key` as its id, for CSL style `style`.

    The title goes in sentence case when `sentence`, else as written (for styles
    that title-case it themselves); protected words are in nocase spans either way.
    A thesis is described as the style's guide words it. Every value is escaped.
    """
    item: dict = {"id": key, **csl_variables(paper), "title": csl_title(paper, sentence)}
    if getattr(paper, "others", False) and item.get("author"):
        item["author"].append({"literal": OTHERS})
    item.update(citation_venue(paper, item))
    if "genre" in item:
        item.update(thesis_genre(entry_type(paper), item, style))
        item = {name: value for name, value in item.items() if value is not None}
    url = paper.url or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else None)
    if url:
        item["URL"] = escape(url.replace(" ", "%20"))
    return item


def csl_variables(
    paper: Paper, text: Callable[[str], str] = escape, whole_date: bool | None = None
) -> dict:
    """What CSL-JSON says of `paper` in both of its uses, a citation's item and the
    csl-json export: the type, the authors and editors in parts, the date, the venue
    details (volume, issue, pages, publisher, ...) and the DOI.

    Each text goes through `text`: escaped for citeproc-py, as stored for the
    export. The date has its month and day unless `whole_date` is false (by
    default: unless the item is a bare `document`, whose guides cite the year).
    """
    item: dict = {"type": csl_type(paper)}
    structured = getattr(paper, "names", None)
    authors = [_any_name(name, text) for name in (structured or paper.authors)]
    if authors:
        item["author"] = authors
    editors = getattr(paper, "editors", None)
    if editors:
        item["editor"] = [_any_name(name, text) for name in editors]
    if paper.year is not None:
        whole = item["type"] != "document" if whole_date is None else whole_date
        item["issued"] = issued(paper, whole)
    for attribute, variable in VENUE_VARIABLES.items():
        value = venue_value(paper, attribute)
        if value and variable not in item:
            value = str(value)
            item[variable] = text(value.replace("--", "-") if variable == "page" else value)
    if paper.doi:
        item["DOI"] = text(paper.doi)
    return item


def entry_type(paper: Paper) -> str:
    """The record's BibTeX entry type, lower case ('' when it has none)."""
    return (getattr(paper, "entry_type", None) or "").lower()


def csl_type(paper: Paper) -> str:
    """The CSL item type: from the entry type, else journal article or preprint."""
    kind = entry_type(paper)
    if kind in CSL_TYPES and not (kind in ("article", "misc", "") and is_preprint(paper)):
        return CSL_TYPES[kind]
    if is_preprint(paper):
        return "article"
    return "article-journal" if paper.journal else "document"


def is_preprint(paper: Paper) -> bool:
    """An arXiv record with no journal (Google Scholar's 'arXiv preprint …' is none)."""
    return bool(paper.arxiv) and not real_journal(paper)


def real_journal(paper: Paper) -> str | None:
    """The journal, unless it only names the arXiv preprint."""
    journal = paper.journal or ""
    if journal.lower().startswith(("arxiv preprint", "arxiv e-prints", "arxiv")) or not journal:
        return None
    return journal


def citation_venue(paper: Paper, item: dict) -> dict:
    """What a citation adds to `item` (`csl_variables`) about where the paper appeared:
    the container (not an arXiv-only "journal"), a school as the publisher, a thesis
    genre, and a preprint's number and publisher."""
    fields: dict = {}
    container = real_journal(paper) or venue_value(paper, "booktitle")
    if container:
        fields["container-title"] = escape(container)
    school = venue_value(paper, "school") or venue_value(paper, "institution")
    if school and "publisher" not in item:
        fields["publisher"] = escape(school)
    if entry_type(paper) in THESIS_GENRES:
        fields["genre"] = THESIS_GENRES[entry_type(paper)]
    if is_preprint(paper):
        fields["number"] = NOCASE.format(escape(f"arXiv:{paper.arxiv}"))
        fields["publisher"] = NOCASE.format("arXiv")
    return fields


def thesis_genre(kind: str, item: dict, style: str) -> dict:
    """The genre (and publisher) of a thesis item as the guide of `style` words it."""
    genre = GUIDE_GENRES.get(style, THESIS_GENRES).get(kind, item["genre"])
    if style in SCHOOL_IN_GENRE and item.get("publisher"):
        return {"genre": f"{genre}, {item['publisher']}", "publisher": None}
    return {"genre": genre}


def issued(paper: Paper, full: bool = True) -> dict:
    """The date: year (and, when `full`, month and day when `published` matches it);
    circa when inferred."""
    parts = [paper.year]
    match = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", paper.published or "")
    if full and match and int(match.group(1)) == paper.year and 1 <= int(match.group(2)) <= 12:
        parts.append(int(match.group(2)))
        if match.group(3) and 1 <= int(match.group(3)) <= 31:
            parts.append(int(match.group(3)))
    elif full and month_from_text(venue_value(paper, "month")):  # month = apr, no day
        parts.append(month_from_text(venue_value(paper, "month")))
    date: dict = {"date-parts": [parts]}
    if paper.year_inferred:
        date["circa"] = 1
    return date


# ----- names ---------------------------------------------------------------------------


def _any_name(name, text: Callable[[str], str] = escape) -> dict:
    """A CSL name from a structured name (a Name, or its stored parts) or a display string."""
    if isinstance(name, str):
        return name_from_display(name, text)
    return _structured(Name.from_json(name) if isinstance(name, dict) else name, text)


def _structured(name, text: Callable[[str], str] = escape) -> dict:
    """A structured name (given, family, particle, suffix, literal) as a CSL name."""
    literal = getattr(name, "literal", None)
    if literal:
        return {"literal": text(literal)}
    out = {"family": text(getattr(name, "family", "") or "")}
    for attribute, variable in (
        ("given", "given"),
        ("particle", "non-dropping-particle"),
        ("suffix", "suffix"),
    ):
        value = getattr(name, attribute, None)
        if value:
            out[variable] = text(value)
    return out


def name_from_display(author: str, text: Callable[[str], str] = escape) -> dict:
    """A CSL name from a display string: "Given Family Jr", "Family, Given", "Family, Jr, Given".

    A stand-in for records without structured names, split as names.py splits
    display strings (suffixes, particles kept in the family name); a one-word
    name or a body ("World Health Organization") is a literal.
    """
    name = split_display(author)
    if name.literal or not name.given or not name.family or is_organisation(author):
        return {"literal": text(author)}
    # The particle stays with the family name ("Van den Broeck, G."), as the display
    # string gives no sign that it is one to demote.
    return _structured(Name(given=name.given, family=name.family_full(), suffix=name.suffix), text)


def is_organisation(author: str) -> bool:
    """Whether a display name names a body ("World Health Organization")."""
    return any(word in ORGANISATION_WORDS for word in author.lower().split())


# ----- titles ----------------------------------------------------------------------------


def csl_title(paper: Paper, sentence: bool = True) -> str:
    """The escaped title in sentence case with protected words in nocase spans.

    A derived title is a bracketed description, kept exactly as written.
    """
    if paper.title_derived:
        return NOCASE.format(escape(f"[{description(paper)}]"))
    return protected_title(paper.title, sentence, getattr(paper, "protected", ()))


def protected_title(title: str, sentence: bool = True, spans=()) -> str:
    """Sentence case (when `sentence`), escaped; acronyms, mixed case and names protected,
    and every word within one of `spans` (what the source braced) kept as written."""
    ranges = [where for where in span_ranges(title, list(spans)) if where]
    out, capital_next, position = [], True, 0
    for word in title.split(" "):
        end = position + len(word)
        if word and any(start < end and position < stop for start, stop in ranges):
            out.append(_kept_word(word))
        else:
            out.append(_cased_word(word, capital_next, sentence) if word else "")
        capital_next = word.endswith((":", "?", "!", "—"))
        position = end + 1
    return " ".join(out)


def _kept_word(word: str) -> str:
    edges = _EDGES.match(word)
    assert edges is not None  # the pattern matches every string
    lead, core, tail = edges.groups()
    return escape(lead) + NOCASE.format(escape(core)) + escape(tail) if core else escape(word)


def _cased_word(word: str, capital: bool, sentence: bool = True) -> str:
    """One word of a sentence-case title, escaped, nocase when it must keep its case."""
    edges = _EDGES.match(word)
    assert edges is not None  # the pattern matches every string
    lead, core, tail = edges.groups()
    if core and keeps_case(core):
        return _kept_word(word)
    if not core or not sentence:
        return escape(word)
    if capital:
        head, dash, rest = core.partition("-")
        rest = rest.lower() if dash and plain_capitalised(rest) else rest
        core = head[:1].upper() + head[1:] + dash + rest
    elif plain_capitalised(core):
        core = core.lower()
    return escape(lead + core + tail)
