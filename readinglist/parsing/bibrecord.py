"""The parts of a BibTeX entry beyond title and authors: venue, identifiers, the rest.

Venue fields are decoded text; `extra` holds every field nothing else reads,
verbatim (as written, macros resolved), in file order, so nothing read is lost.
"""

from __future__ import annotations

import re

from readinglist.parsing.bibfields import EntryFields

VENUE_FIELDS = (
    "journal", "journaltitle", "booktitle", "eventtitle", "volume", "number", "issue",
    "pages", "chapter", "edition", "series", "publisher", "institution", "school",
    "organization", "howpublished", "address", "location", "month",
)  # fmt: skip
IDENTIFIER_KEYS = ("doi", "url", "file", "isbn", "issn")
ARXIV_KEYS = ("eprint", "archiveprefix", "eprinttype", "primaryclass", "eprintclass")
READ_KEYS = frozenset({"title", "abstract", "author", "editor", "ids", *IDENTIFIER_KEYS})
_OWN_NOTE = re.compile(r"(?:\d{1,6} authors?)?(?:; )?(?:year \d{4} inferred)?")


def venue(fields: EntryFields) -> dict[str, str]:
    """The venue fields present, decoded, in the order of VENUE_FIELDS."""
    found = {}
    for key in VENUE_FIELDS:
        value = fields.text(key)
        if value:
            found[key] = value
    return found


def extra(fields: EntryFields, *, arxiv: bool, year: int | None, tags_cover: bool) -> dict:
    """Every field the record does not otherwise hold, verbatim, in file order.

    `arxiv`: the eprint fields made the arXiv id; `year`: the year read (a `year`
    that says more, "2020a", is kept); `tags_cover`: the keywords all became tags.
    """
    kept = {}
    for field in fields.entry.fields:
        key = field.key
        if _read(key, fields, arxiv=arxiv, year=year, tags_cover=tags_cover):
            continue
        value = getattr(field, "raw", field.value)
        if isinstance(value, str):
            kept[key] = value
    return kept


def _read(key: str, fields: EntryFields, *, arxiv: bool, year, tags_cover: bool) -> bool:
    if key in READ_KEYS or key in VENUE_FIELDS:  # (an empty one, in a child of a parent,
        return not _linked(fields) or bool(fields.text(key))  # keeps the parent's out)
    if key.startswith("readinglist-"):
        return True
    if key in ARXIV_KEYS:
        return arxiv
    if key == "year":
        return fields.text("year") == str(year)
    if key == "keywords":
        return tags_cover
    if key == "note":
        return _OWN_NOTE.fullmatch(fields.text("note")) is not None
    return False


def _linked(fields: EntryFields) -> bool:
    """Whether the entry names a crossref or xdata parent (BibTeX: a field it has, even
    empty, is not taken from the parent; kept, an empty one stays so when read again)."""
    return "crossref" in fields.fields or "xdata" in fields.fields


def arxiv_class(fields: EntryFields) -> str | None:
    """The arXiv primary class ("cs.LG") from primaryclass or eprintclass."""
    return fields.text("primaryclass") or fields.text("eprintclass") or None
