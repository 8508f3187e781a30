"""RIS, as Zotero, Mendeley, EndNote and readinglist's own export write it.

Records of `XX  - value` lines from `TY` to `ER`; a line without a tag
continues the value before it (EndNote wraps long abstracts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing.common import clean, collapse
from readinglist.parsing.records import (
    arxiv_id,
    book_or_serial,
    day,
    doi,
    record,
    tags,
    venue,
    web_url,
)

# RIS tag -> record field; the first tag present in each group wins.
TAGS = {
    "title": ("TI", "T1", "CT", "BT"),
    "abstract": ("AB", "N2"),
    "authors": ("AU", "A1"),
    "date": ("DA", "PY", "Y1"),
    "journal": ("JO", "JF", "T2", "JA", "J2"),
    "doi": ("DO",),
    "url": ("UR", "L2"),
    "keywords": ("KW",),
    "notes": ("N1",),
    "volume": ("VL",),
    "number": ("IS",),
    "start_page": ("SP",),
    "end_page": ("EP",),
    "publisher": ("PB",),
    "address": ("CY",),
    "edition": ("ET",),
    "serial": ("SN",),
}
# Tags the record has no field for yet (read when it does).
NOT_YET_KEPT = ("TY", "M3")
_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*)|$)")
_DATE = re.compile(r"(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?")
_AUTHOR_COUNT = re.compile(r"(\d+) authors?")
_INFERRED = re.compile(r"year (\d{4}) inferred")
_DERIVED = "title derived from the abstract"


@dataclass
class _Record:
    """The tag values of one record, in order, and where it starts."""

    line: int
    values: dict[str, list[str]] = field(default_factory=dict)
    last: str | None = None

    def add(self, tag: str, value: str) -> None:
        self.values.setdefault(tag, []).append(value)
        self.last = tag

    def more(self, text: str) -> None:
        if self.last is None:  # a continuation before any tag: nothing to continue
            return
        values = self.values[self.last]
        values[-1] = f"{values[-1]} {text}" if values[-1] else text

    def first(self, group: str) -> str:
        return next((collapse(self.values[t][0]) for t in TAGS[group] if t in self.values), "")

    def every(self, group: str) -> list[str]:
        tag = next((t for t in TAGS[group] if t in self.values), None)
        return [collapse(v) for v in self.values.get(tag, [])] if tag else []


def parse(text: str, *, source: str, **_options) -> list[Paper]:
    """The papers of an RIS file; raises ParseError naming the line of a broken record."""
    return [_paper(rec, source) for rec in _records(text, source)]


def _records(text: str, source: str) -> list[_Record]:
    records, current = [], None
    for lineno, raw in enumerate(clean(text).split("\n"), 1):
        line = raw.rstrip()
        match = _LINE.fullmatch(line)
        if match is None:
            if line.strip() and current is not None and current.last is not None:
                current.more(line.strip())
            elif line.strip():
                raise ParseError(source, f"expected a 'TY  - ' line, found {line[:40]!r}", lineno)
            continue
        tag, value = match[1], match[2] or ""
        if tag == "TY":
            if current is not None:
                raise ParseError(source, "record has no 'ER  - ' line", current.line)
            current = _Record(lineno)
        elif current is None:
            raise ParseError(source, f"{tag} line outside a record (expected 'TY  - ')", lineno)
        if tag == "ER":
            records.append(current)
            current = None
        else:
            current.add(tag, value)
    if current is not None:
        raise ParseError(source, "record has no 'ER  - ' line", current.line)
    return records


def _paper(rec: _Record, source: str) -> Paper:
    title, abstract = rec.first("title"), rec.first("abstract")
    if not (title or abstract):
        raise ParseError(source, "record has neither a title (TI) nor an abstract (AB)", rec.line)
    fields: dict[str, Any] = {"title": title, "abstract": abstract, "journal": rec.first("journal")}
    fields["doi"] = doi(rec.first("doi"))
    fields["arxiv"] = arxiv_id(fields["doi"], *rec.every("url"))
    if fields["arxiv"] and fields["doi"] and arxiv_id(fields["doi"]):
        fields["doi"] = None  # an arXiv DOI says what the arXiv id says
    fields["url"] = web_url(rec.first("url"), fields["arxiv"], fields["doi"])
    fields["authors"] = [_direct(name) for name in rec.every("authors") if name]
    fields["published"], fields["year"] = _date(rec)
    fields["tags"] = tags(rec.every("keywords"))
    fields.update(_notes(rec.every("notes")))
    fields["venue"] = _venue(rec)
    fields.update(book_or_serial(rec.first("serial")))
    return record(source, **fields)


def _venue(rec: _Record) -> dict[str, str]:
    """Volume, issue, pages ("5998–6008"), publisher, place and edition, as BibTeX names them."""
    pages = "–".join(page for page in (rec.first("start_page"), rec.first("end_page")) if page)
    details = {name: rec.first(name) for name in ("volume", "number", "publisher", "address")}
    return venue(rec.first("journal"), **details, pages=pages, edition=rec.first("edition"))


def _direct(name: str) -> str:
    """'Vaswani, Ashish' -> 'Ashish Vaswani'; 'Family, Given, Suffix' keeps the suffix."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 1 or not parts[1]:
        return parts[0]
    shown = f"{parts[1]} {parts[0]}"
    return f"{shown}, {parts[2]}" if len(parts) > 2 and parts[2] else shown


def _date(rec: _Record) -> tuple[str | None, int | None]:
    """(ISO day, year) from DA, PY or Y1 ('2017/06/12', '2017///', '2017')."""
    year = published = None
    for tag in TAGS["date"]:
        for value in rec.values.get(tag, []):
            match = _DATE.match(value.strip())
            if not match:
                continue
            y, m, d = (int(g) if g else None for g in match.groups())
            year = year or y
            published = published or (day(y, m, d) if y == year else None)
    return published, year


def _notes(notes: list[str]) -> dict:
    """The author count, inferred year and derived title readinglist's export notes; the note."""
    found: dict = {}
    kept = []
    for note in notes:
        count, inferred = _AUTHOR_COUNT.fullmatch(note), _INFERRED.fullmatch(note)
        if count and "author_count" not in found:
            found["author_count"] = int(count[1])
        elif inferred:
            found["year_inferred"] = True
        elif note == _DERIVED:
            found["title_derived"] = True
        else:
            kept.append(note)
    if kept:
        found["note"] = "\n".join(kept)
    return found
