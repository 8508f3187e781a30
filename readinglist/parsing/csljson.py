"""CSL-JSON, as Zotero, Better BibTeX and readinglist's own export write it.

An array of items, each with `type`, `title`, `author` names
({family, given, non-dropping-particle, dropping-particle, suffix} or
{literal}), `issued` ({date-parts: [[2017, 6, 12]]} or {raw: ...}),
`container-title`, `DOI`, `URL`, `abstract` and `keyword`. readinglist's
export adds what CSL has no variable for under `custom.readinglist`.
"""

from __future__ import annotations

import re
from typing import Any

from readinglist.errors import ParseError
from readinglist.fields import ordered
from readinglist.model import FIELDS, Paper
from readinglist.parsing import jsonfmt
from readinglist.parsing.common import collapse
from readinglist.parsing.records import arxiv_id, day, doi, record, tags, venue, web_url

# CSL variable -> record field, for plain text values.
TEXT_FIELDS = {
    "title": "title",
    "abstract": "abstract",
    "container-title": "journal",
    "citation-key": "key",
}
# CSL variables the record has no field for yet (read when it does).
NOT_YET_KEPT = ("type", "event-title")
# CSL variable -> the BibTeX name of a venue field.
VENUE_FIELDS = {
    "volume": "volume",
    "issue": "number",
    "page": "pages",
    "publisher": "publisher",
    "publisher-place": "address",
    "edition": "edition",
}
# What readinglist's export keeps under custom.readinglist (the field table's `csl` places).
CUSTOM_FIELDS = ("id", *ordered(FIELDS, lambda spec: spec.csl))
_NAME_PARTS = ("given", "dropping-particle", "non-dropping-particle", "family")
_RAW_DATE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")


def parse(text: str, *, source: str, **_options) -> list[Paper]:
    """The papers of a CSL-JSON array; raises ParseError naming a bad item's index."""
    data = jsonfmt.load(text, source)
    if isinstance(data, dict) and "items" in data:  # CSL-JSON wrapped by some tools
        data = data["items"]
    if not isinstance(data, list):
        raise ParseError(source, f"expected a CSL-JSON array of items, found {jsonfmt.what(data)}")
    return [_item(entry, index, source) for index, entry in enumerate(data)]


def _item(entry: object, index: int, source: str) -> Paper:
    if not isinstance(entry, dict):
        raise ParseError(source, f"item {index}: expected an object, found {jsonfmt.what(entry)}")
    if not jsonfmt.looks_csl(entry):
        raise ParseError(source, f"item {index}: {jsonfmt.foreign(entry, 'csl-json')}")
    fields: dict[str, Any] = {name: _text(entry.get(key)) for key, name in TEXT_FIELDS.items()}
    if not (fields["title"] or fields["abstract"]):
        raise ParseError(source, f"item {index}: has neither a title nor an abstract")
    fields["doi"] = doi(_text(entry.get("DOI")))
    fields["arxiv"] = arxiv_id(_text(entry.get("number")), fields["doi"], _text(entry.get("URL")))
    if fields["arxiv"] and fields["doi"] and arxiv_id(fields["doi"]):
        fields["doi"] = None  # an arXiv DOI says what the arXiv id says
    fields["url"] = web_url(_text(entry.get("URL")), fields["arxiv"], fields["doi"])
    fields["authors"] = [name for name in map(_name, _list(entry.get("author"))) if name]
    fields["published"], fields["year"] = _issued(entry.get("issued"))
    fields["tags"] = tags(re.split(r"[,;]", _text(entry.get("keyword"))))
    fields["venue"] = venue(
        fields["journal"], **{name: _text(entry.get(key)) for key, name in VENUE_FIELDS.items()}
    )
    fields["isbn"], fields["issn"] = _text(entry.get("ISBN")), _text(entry.get("ISSN"))
    fields.update(_custom(entry.get("custom"), index, source))
    return record(source, **fields)


def _text(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return collapse(value) if isinstance(value, str) else ""


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _name(name: object) -> str:
    """'Given particle Family, Suffix' or the literal name."""
    if not isinstance(name, dict):
        return _text(name)
    if name.get("literal"):
        return _text(name["literal"])
    parts = " ".join(_text(name.get(part)) for part in _NAME_PARTS)
    shown = collapse(parts)
    suffix = _text(name.get("suffix"))
    return f"{shown}, {suffix}" if shown and suffix else shown


def _issued(issued: object) -> tuple[str | None, int | None]:
    """(ISO day or None, year or None) of a CSL date."""
    if not isinstance(issued, dict):
        return None, None
    parts = _list(issued.get("date-parts"))
    first = _list(parts[0]) if parts else []
    numbers = [int(p) if isinstance(p, int) or str(p).isdigit() else None for p in first[:3]]
    if not numbers:
        match = _RAW_DATE.search(_text(issued.get("raw")) or _text(issued.get("literal")))
        numbers = [int(g) if g else None for g in match.groups()] if match else []
    year, month, day_ = (numbers + [None, None, None])[:3]
    return day(year, month, day_), year


def _custom(custom: object, index: int, source: str) -> dict:
    """The fields readinglist's export keeps under custom.readinglist, type-checked."""
    ours = custom.get("readinglist") if isinstance(custom, dict) else None
    if not isinstance(ours, dict):
        return {}
    found = {}
    for name in CUSTOM_FIELDS:
        value = ours.get(name)
        if value is None:
            continue
        if not (isinstance(value, str) if name == "id" else FIELDS[name].kind.shape(value)):
            raise ParseError(source, f"item {index}: custom.readinglist.{name} has the wrong type")
        found[name] = value
    return found
