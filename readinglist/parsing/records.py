"""Helpers for formats that carry a bibliographic record: ids, dates, names, tags."""

from __future__ import annotations

import datetime as dt
import re

from readinglist.model import Paper, normalise_tag, paper_id, settle_record
from readinglist.parsing.common import collapse
from readinglist.parsing.titles import derive_title

_DOI_PREFIX = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
_ARXIV_URL = re.compile(
    r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
ARXIV_ID = re.compile(r"(?:arXiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_SLUG = re.compile(r"[^a-z0-9_./]+")


def doi(text: str | None) -> str | None:
    """A DOI without its resolver prefix, or None."""
    text = collapse(text or "")
    match = _DOI_PREFIX.match(text)
    return (text[match.end() :] if match else text) or None


def arxiv_id(*texts: str | None) -> str | None:
    """The arXiv id in an 'arXiv:…' number, an arXiv DOI or an arxiv.org link, if any."""
    for text in texts:
        text = collapse(text or "")
        found = _ARXIV_DOI.fullmatch(doi(text) or "") or _ARXIV_URL.match(text)
        found = found or ARXIV_ID.fullmatch(text)
        if found:
            inner = ARXIV_ID.fullmatch(found[1])
            return inner[1] if inner else found[1]
    return None


def web_url(url: str | None, arxiv: str | None, doi_: str | None) -> str | None:
    """The link unless it only points at the arXiv id or DOI already recorded."""
    url = collapse(url or "") or None
    if url is None or (arxiv and arxiv_id(url) == arxiv):
        return None
    if doi_ and doi(url) == doi_ and url != doi_:
        return None
    return url


def day(year: int | None, month: int | None, day_: int | None) -> str | None:
    """An ISO date when all three parts make one, else None."""
    if not (year and month and day_):
        return None
    try:
        return dt.date(year, month, day_).isoformat()
    except ValueError:
        return None


def tags(keywords: list[str]) -> list[str]:
    """Tags from free keywords: each normalised, or made a slug when it holds other signs."""
    found: list[str] = []
    for raw in keywords:
        try:
            tag = normalise_tag(raw)
        except ValueError:
            tag = _SLUG.sub("-", raw.strip().lower()).strip("-")
        if tag and tag not in found:
            found.append(tag)
    return found


def record(source: str, **fields) -> Paper:
    """A paper from a record's fields: whitespace collapsed, title derived if missing."""
    title, abstract = collapse(fields.pop("title", "")), collapse(fields.pop("abstract", ""))
    derived = fields.pop("title_derived", not title)
    title = title or derive_title(abstract)
    pid = fields.pop("id", None) or paper_id(title, abstract)
    fields.setdefault("sources", [source])
    kept = {name: value for name, value in fields.items() if value not in (None, "", [], {})}
    paper = Paper(id=pid, title=title, abstract=abstract, title_derived=derived, **kept)
    return settle_record(paper) if paper.venue else paper


def venue(journal: str | None, **details: str | None) -> dict[str, str]:
    """A record's venue (BibTeX field names: volume, number, pages, ...) with its journal,
    the details that are empty left out; {} when there are no details."""
    found = {name: value for name, value in details.items() if value}
    return {"journal": journal, **found} if journal and found else found


_ISSN = re.compile(r"\d{4}-?\d{3}[\dXx]")


def book_or_serial(number: str | None) -> dict[str, str]:
    """`{"issn": ...}` for an ISSN (1234-567X), else `{"isbn": ...}` (RIS's SN holds either)."""
    if not number:
        return {}
    return {"issn" if _ISSN.fullmatch(number.strip()) else "isbn": number.strip()}
