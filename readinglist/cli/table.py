"""The table `list` and `search` print: one line per paper, in columns that stay put."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from readinglist.listing import year_label
from readinglist.model import Paper
from readinglist.safe_text import safe_line

YEAR_WIDTH = 5
MIN_TITLE = 20
TAGS_SHARE = 4  # tags take at most a quarter of the line


def cell_width(text: str) -> int:
    """How many terminal cells `text` takes (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    return sum(_cells(ch) for ch in text)


def _cells(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def fit(text: str, width: int) -> str:
    """`text` cut (with an ellipsis) or padded to exactly `width` cells."""
    if text.isascii() and width > 0:  # one cell each (control characters were made safe)
        if len(text) > width:
            text = text[: width - 1].rstrip() + "…"  # (one cell too)
        return text + " " * (width - len(text))
    if cell_width(text) > width:
        kept, used = [], 0
        for ch in text:
            if used + _cells(ch) > width - 1:
                break
            kept.append(ch)
            used += _cells(ch)
        text = "".join(kept).rstrip() + "…"
    return text + " " * (width - cell_width(text))


def lines(
    papers: Iterable[Paper], short_ids: Mapping[str, str], width: int, upvotes: bool = False
) -> list[str]:
    """Aligned lines: read marker, short id, title, year, (upvotes,) tags."""
    papers = list(papers)
    if not papers:
        return []
    ids = [safe_line(short_ids.get(p.id, p.id)) for p in papers]
    tags = [safe_line(" ".join(["#" + t for t in p.tags])) if p.tags else "" for p in papers]
    votes = [_votes(p) for p in papers] if upvotes else []
    id_width = max(map(len, ids))
    tags_width = min(max(map(cell_width, tags)), width // TAGS_SHARE)
    votes_width = max(map(len, votes), default=0)
    fixed = 2 + id_width + 2 + 1 + YEAR_WIDTH
    fixed += (1 + votes_width if votes_width else 0) + (1 + tags_width if tags_width else 0)
    title_width = max(width - fixed, MIN_TITLE)
    columns = [  # (a space between cells, two after the id)
        ["✓" if p.read else "•" for p in papers],
        [pid.ljust(id_width + 1) for pid in ids],
        [fit(safe_line(p.title), title_width) for p in papers],
        [year_label(p).rjust(YEAR_WIDTH) for p in papers],
    ]
    if votes_width:
        columns.append([v.rjust(votes_width) for v in votes])
    if tags_width:
        columns.append([fit(t, tags_width) for t in tags])
    return [" ".join(cells).rstrip() for cells in zip(*columns, strict=True)]


def _votes(paper: Paper) -> str:
    return "" if paper.upvotes is None else f"▲{paper.upvotes}"
