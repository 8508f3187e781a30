"""Hugging Face papers API: Daily Papers batches, one paper by arXiv id, title search.

Traps: `/api/daily_papers` is a bare array without paging links; `paper.upvotes` is the
only upvote count; `paper.publishedAt` is the arXiv date (its time part changed meaning
between 2024 and 2026, so only the date is kept); authors may be `hidden` and are kept (the
name is still the author's); answers may hold bare papers or `{"paper": {...}}` items.
"""

from __future__ import annotations

from readinglist.sources import record as rec
from readinglist.sources.common import ok_json
from readinglist.sources.http import Client
from readinglist.sources.record import Record

PAGE = 100
MAX_PAGES = 20
SEARCH_LIMIT = 10


def parse_paper(data) -> Record | None:
    """A Record from a paper object or a daily item (`{"paper": {...}}`), else None."""
    if isinstance(data, dict) and isinstance(data.get("paper"), dict):
        data = data["paper"]
    if not isinstance(data, dict):
        return None
    ident = rec.arxiv_id(data.get("id"))
    title = rec.text(data.get("title"))
    if not title:
        return None
    authors = data.get("authors")
    names = (
        [a.get("name") for a in authors if isinstance(a, dict)] if isinstance(authors, list) else []
    )
    return Record(
        source="hf",
        title=title,
        abstract=rec.text(data.get("summary")),
        authors=rec.names(names),
        arxiv=ident[0] if ident else None,
        url=f"https://arxiv.org/abs/{ident[0]}" if ident else None,
        published=rec.iso_date(data.get("publishedAt")),
        upvotes=rec.count(data.get("upvotes")),
    )


def parse_list(data) -> list[Record]:
    """Records from a list of papers or items (anything else: none)."""
    if isinstance(data, dict):  # tolerate an envelope a mirror might add
        data = data.get("papers") or data.get("results") or []
    if not isinstance(data, list):
        return []
    return [r for r in map(parse_paper, data) if r is not None]


def paper(client: Client, arxiv: str) -> Record | None:
    """The paper with this arXiv id on Hugging Face, or None (not indexed there: 404)."""
    data = ok_json("hf", client.get("hf", f"/api/papers/{arxiv}"))
    return parse_paper(data) if data is not None else None


def search(client: Client, title: str) -> list[Record]:
    """Papers whose title, authors or text match `title` (at most SEARCH_LIMIT)."""
    params = {"q": title[:250], "limit": SEARCH_LIMIT}
    return parse_list(ok_json("hf", client.get("hf", "/api/papers/search", params), []))


def daily(client: Client, **when: str) -> list[Record]:
    """A Daily Papers batch: `date=YYYY-MM-DD`, `week=YYYY-Www` or `month=YYYY-MM` (or today's).

    The answer has no count or next link: pages are asked for until one comes back short.
    """
    found: list[Record] = []
    for page in range(MAX_PAGES):
        params = {**when, "p": page, "limit": PAGE}
        data = ok_json("hf", client.get("hf", "/api/daily_papers", params), [])
        items = data if isinstance(data, list) else []
        found += parse_list(items)
        if len(items) < PAGE:
            break
    return found
