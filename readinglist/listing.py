"""Filtering, sorting and counting papers: what the CLI lists and the app's sidebar shows."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from typing import Protocol, TypeVar

from readinglist.model import Paper

SORTS = ("added", "date", "title", "upvotes")


def filter_papers(
    papers: Iterable[Paper], *, read: bool | None = None, tag: str | None = None
) -> list[Paper]:
    """Papers with the given read state and tag (None: any)."""
    return [
        p for p in papers if (read is None or p.read == read) and (tag is None or tag in p.tags)
    ]


def sort_key(name: str):
    """A key function for `sorted` for one of SORTS (each sorts newest/most first)."""
    keys = {
        "added": lambda p: p.added,
        "date": lambda p: (p.published or f"{p.year or 0:04d}", p.year or 0, p.id),
        "title": lambda p: (p.title.casefold(), p.id),
        "upvotes": lambda p: (p.upvotes or 0, p.id),
    }
    return keys[name]


class Sortable(Protocol):
    """What the sort keys read: a Paper, or a stored record's fields (the directory)."""

    id: str
    title: str
    added: str
    published: str | None
    year: int | None
    upvotes: int | None


S = TypeVar("S", bound=Sortable)


def sort_papers(papers: Iterable[S], by: str = "added") -> list[S]:
    """Papers sorted: titles A→Z, everything else newest or highest first.

    The sort is stable, so papers added together keep the order of their file.
    """
    return sorted(papers, key=sort_key(by), reverse=by != "title")


def first_sorted(papers: Iterable[S], by: str, count: int) -> list[S]:
    """`sort_papers(papers, by)[:count]`, without sorting all of them."""
    if by == "title":
        return heapq.nsmallest(count, papers, key=sort_key(by))
    return heapq.nlargest(count, papers, key=sort_key(by))


def year_label(paper: Paper) -> str:
    """`2024`, `2024?` when the year was inferred, or nothing."""
    if not paper.year:
        return ""
    return f"{paper.year}?" if paper.year_inferred else str(paper.year)


def stats(papers: Iterable[Paper]) -> dict:
    """Counts of papers, read, unread, and papers per tag."""
    papers = list(papers)
    read = sum(p.read for p in papers)
    tags = Counter(tag for p in papers for tag in p.tags)
    return {
        "papers": len(papers),
        "read": read,
        "unread": len(papers) - read,
        "tags": dict(sorted(tags.items())),
    }
