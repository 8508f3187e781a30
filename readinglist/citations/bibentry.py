"""A paper's citation as a BibTeX or BibLaTeX entry: every field its record holds.

What `cite --style bibtex|biblatex` gives: the entry type, the names in BibTeX
form ("Hyman, Jr, Ira E.", "Van den Broeck, Guy"), the editors, every venue
field (journal or booktitle, volume, number, pages with `--`, publisher, ...),
the date, the identifiers and the fields the source had that nothing else
reads (`extra`, verbatim). BibLaTeX gets its own names for what it renamed
(journaltitle, location, date, eprinttype, eprintclass, ids). Unlike an export
it leaves out the library's own state (`readinglist-*`, tags, the local file).
"""

from __future__ import annotations

from readinglist.citations.csl_json import is_organisation
from readinglist.citations.latex import (
    MONTHS,
    edtf_date,
    entry_type,
    escape,
    month,
    note_parts,
    protect_title,
    render_entry,
    verbatim,
)
from readinglist.citations.phrasing import month_from_text, title_or_description
from readinglist.model import Paper
from readinglist.names import Name, split_display

# The venue fields in the order an entry lists them, under their BibTeX names.
VENUE_ORDER = (
    "journal", "booktitle", "eventtitle", "volume", "number", "issue", "pages", "chapter",
    "edition", "series", "publisher", "organization", "institution", "school",
    "howpublished", "address", "month",
)  # fmt: skip
# BibTeX name -> BibLaTeX name, for the fields BibLaTeX renamed (both read either).
BIBLATEX_NAMES = {"journal": "journaltitle", "address": "location"}
_BIBTEX_NAMES = {"journaltitle": "journal", "location": "address"}
CONTAINERS = ("journal", "journaltitle", "booktitle")


def entry(paper: Paper, key: str, biblatex: bool = False) -> str:
    """The citation of one (cleaned) paper as a BibTeX or BibLaTeX entry."""
    return render_entry(entry_type(paper, biblatex), key, citation_fields(paper, biblatex))


def citation_fields(paper: Paper, biblatex: bool = False) -> list[tuple]:
    """(name, raw value[, "bare"]) of every field of the entry, in a stable order."""
    fields: list[tuple] = []
    if paper.authors:
        fields.append(("author", people_field(author_names(paper), paper.others)))
    spans = () if paper.title_derived else paper.protected
    fields.append(("title", protect_title(title_or_description(paper), spans)))
    if paper.editors:
        fields.append(("editor", people_field(paper.editor_names(), False)))
    venue = venue_fields(paper, biblatex)
    fields += [(name, value) for name, value in venue.items() if name != "month"]
    fields += date_fields(paper, venue.get("month"), biblatex)
    fields += identifier_fields(paper, biblatex)
    return with_extra(fields, paper, biblatex)


def author_names(paper: Paper) -> list[Name]:
    """The authors in parts: as read from BibTeX while they still match `authors`,
    else each display string split, an organisation kept whole."""
    parts = [Name.from_json(part) for part in paper.names]
    if parts and [name.display() for name in parts] == paper.authors:
        return parts
    return [person(author) for author in paper.authors]


def person(display: str) -> Name:
    """A display string in parts ("Hyman, Jr., Ira E.", "Guy Van den Broeck");
    an organisation ("World Health Organization") as one literal."""
    if is_organisation(display):
        return Name(literal=display)
    name = split_display(display)
    return name if name.family or name.literal else Name(literal=display)


def people_field(names: list[Name], others: bool) -> str:
    """Names in BibTeX form joined by " and ", with "and others" when the list was cut."""
    return " and ".join([name.bibtex() for name in names] + (["others"] if others else []))


def venue_fields(paper: Paper, biblatex: bool) -> dict[str, str]:
    """The venue fields, escaped, under the names of the dialect, in VENUE_ORDER.

    A record whose venue names no container gets its `journal`; pages use `--`.
    """
    venue = {_BIBTEX_NAMES.get(name, name): value for name, value in paper.venue.items()}
    if paper.journal and not any(name in venue for name in CONTAINERS):
        venue["journal"] = paper.journal
    order = {name: index for index, name in enumerate(VENUE_ORDER)}
    found: dict[str, str] = {}
    for name in sorted(venue, key=lambda n: order.get(n, len(order))):
        value = venue[name]
        if not value:
            continue
        out = BIBLATEX_NAMES.get(name, name) if biblatex else name
        found.setdefault(out, pages(value) if name == "pages" else escape(value))
    return found


def pages(value: str) -> str:
    """A page range with BibTeX's double hyphen ("433–449", "433-449" -> "433--449")."""
    single = value.replace("\u2013", "-").replace("--", "-")
    return escape(single).replace("-", "--")


def date_fields(paper: Paper, month_text: str | None, biblatex: bool) -> list[tuple]:
    """BibLaTeX's `date`; BibTeX's `year` and `month` (a bare macro when it is a month)."""
    number = month(paper) or month_from_text(month_text)
    if biblatex:
        date = edtf_date(paper)
        if date and number and len(date) == 4:  # the month is known beyond the year
            date = f"{date}-{number:02d}"
        return [("date", date)] if date else ([("month", month_text)] if month_text else [])
    fields: list[tuple] = []
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    if number:
        fields.append(("month", MONTHS[number - 1], "bare"))
    elif month_text:
        fields.append(("month", month_text))
    return fields


def identifier_fields(paper: Paper, biblatex: bool) -> list[tuple]:
    """arXiv eprint (with its class), DOI, URL, ISBN, ISSN and our note."""
    fields: list[tuple] = []
    if paper.arxiv:
        fields.append(("eprint", verbatim(paper.arxiv)))
        fields.append(("eprinttype", "arxiv") if biblatex else ("archiveprefix", "arXiv"))
        if paper.arxiv_class:
            fields.append(("eprintclass" if biblatex else "primaryclass", paper.arxiv_class))
    for name in ("doi", "url"):
        if getattr(paper, name):
            fields.append((name, verbatim(getattr(paper, name))))
    for name in ("isbn", "issn"):
        if getattr(paper, name):
            fields.append((name, escape(getattr(paper, name))))
    notes = note_parts(paper, biblatex)
    if notes:
        fields.append(("note", escape("; ".join(notes))))
    if biblatex and paper.key_aliases:  # \cite{old key} still finds the entry
        fields.append(("ids", ",".join(paper.key_aliases)))
    return fields


def with_extra(fields: list[tuple], paper: Paper, biblatex: bool) -> list[tuple]:
    """`fields` and then the record's `extra` verbatim; an extra field that is also
    written ("year = {2020a}", a note) replaces ours, as the source wrote it."""
    written = {field[0]: index for index, field in enumerate(fields)}
    out = list(fields)
    for name, raw in paper.extra.items():
        target = BIBLATEX_NAMES.get(name, name) if biblatex else _BIBTEX_NAMES.get(name, name)
        if target in written:
            out[written[target]] = (target, raw)
        elif name not in written:
            out.append((name, raw))
    return out
