"""Crossref REST API: a work by DOI, and a bibliographic search.

Traps: an unknown DOI is a plain-text 404 ("Resource not found."), not JSON; `title` and
`container-title` are arrays (possibly empty); `published` may be missing (then `issued`);
organisations are authors with a `name` and no given/family; abstracts are JATS XML.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from readinglist.sources import record as rec
from readinglist.sources.common import ok_json
from readinglist.sources.http import Client
from readinglist.sources.record import Record

ROWS = 5
PREPRINT_TYPES = frozenset({"posted-content"})
_TAG = re.compile(r"<[^>]{0,200}>")
_DATE_FIELDS = ("published", "issued", "published-print", "published-online")


def parse_work(work) -> Record | None:
    """A Record from a Crossref work object, else None."""
    if not isinstance(work, dict):
        return None
    title = rec.text(_first(work.get("title")))
    subtitle = rec.text(_first(work.get("subtitle")))
    if not title:
        return None
    if subtitle and not title.endswith(subtitle):
        title = f"{title}: {subtitle}"
    authors = rec.array(work.get("author"))
    published = next((d for d in (rec.date_parts(work.get(f)) for f in _DATE_FIELDS) if d), None)
    preprint = work.get("type") in PREPRINT_TYPES
    return Record(
        source="crossref",
        title=title,
        abstract=rec.text(_TAG.sub(" ", work.get("abstract") or "")),
        authors=rec.names([_name(a) for a in authors]),
        doi=rec.doi(work.get("DOI")),
        url=rec.web_url(work.get("URL")),
        published=published,
        journal=None if preprint else rec.text(_first(work.get("container-title")), 300) or None,
        volume=rec.text(work.get("volume"), 40) or None,
        pages=rec.text(work.get("page"), 40) or None,
    )


def _first(values) -> str:
    if isinstance(values, list) and values and isinstance(values[0], str):
        return values[0]
    return values if isinstance(values, str) else ""


def _name(author) -> str:
    if not isinstance(author, dict):
        return ""
    given, family = author.get("given"), author.get("family")
    parts = [p for p in (given, family) if isinstance(p, str) and p.strip()]
    if parts:
        return " ".join(parts)
    name = author.get("name")
    return name if isinstance(name, str) else ""


def work(client: Client, doi: str) -> Record | None:
    """The work with this DOI, or None when Crossref does not know it."""
    data = ok_json("crossref", client.get("crossref", f"/works/{quote(doi, safe='/')}"))
    if not isinstance(data, dict):
        return None
    return parse_work(data.get("message"))


def search(client: Client, citation: str) -> list[Record]:
    """Works best matching a free-text citation (title, authors, year)."""
    params = {"query.bibliographic": citation[:500], "rows": ROWS}
    data = ok_json("crossref", client.get("crossref", "/works", params), {})
    message = data.get("message") if isinstance(data, dict) else None
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list):
        return []
    return [r for r in map(parse_work, items) if r is not None]
