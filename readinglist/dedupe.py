"""Find the stored paper a new one duplicates, and merge the two records."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from readinglist.model import Paper, normalise

# find() then add() of the same paper normalise the same strings: remember the last few.
_normalise = lru_cache(maxsize=8)(normalise)

NEAR_TITLE_SCORE = 92.0
BLOCK_TOKENS = 3
MIN_ABSTRACT = 40
SAME_ABSTRACT_SCORE = 70.0


class DedupeIndex:
    """Exact maps for titles and abstracts, plus title-token blocks for near matches."""

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._by_abstract: dict[int, str] = {}
        self._by_title: dict[str, str] = {}
        self._titles: dict[str, tuple[str, int | None, list[str], str]] = {}
        self._blocks: dict[str, set[str]] = defaultdict(set)
        for paper in papers:
            self.add(paper)

    def add(self, paper: Paper) -> None:
        """Index `paper` so later papers can match it."""
        key = _abstract_key(paper)
        if key is not None:
            self._by_abstract.setdefault(key, paper.id)
        if paper.title_derived:
            return
        title = _normalise(paper.title)
        if not title:
            return
        self._by_title.setdefault(title, paper.id)
        self._titles[paper.id] = (title, paper.year, _digits(title), paper.abstract)
        for token in set(title.split()):
            self._blocks[token].add(paper.id)

    def remove(self, paper: Paper) -> None:
        """Forget `paper` (after a merge changed it, or a delete)."""
        key = _abstract_key(paper)
        if key is not None and self._by_abstract.get(key) == paper.id:
            del self._by_abstract[key]
        entry = self._titles.pop(paper.id, None)
        if entry is None:
            return
        if self._by_title.get(entry[0]) == paper.id:
            del self._by_title[entry[0]]
        for token in set(entry[0].split()):
            self._blocks[token].discard(paper.id)

    def find(self, paper: Paper) -> str | None:
        """The id of a stored paper that `paper` duplicates, if any."""
        key = _abstract_key(paper)
        if key is not None and key in self._by_abstract:
            return self._by_abstract[key]
        if paper.title_derived:
            return None
        title = _normalise(paper.title)
        if not title:
            return None
        same = self._by_title.get(title)
        if same is not None and _years_compatible(paper.year, self._titles[same][1]):
            return same
        return self._near_title(title, paper)

    def _candidates(self, title: str) -> set[str]:
        """Stored titles sharing at least two of this title's rarest words.

        A near duplicate shares most words, so two of the three rarest survive a typo
        in the third; common words never make a block large enough to scan.
        """
        words = sorted(set(title.split()), key=lambda t: len(self._blocks.get(t, ())))
        blocks = [self._blocks[w] for w in words[:BLOCK_TOKENS] if self._blocks.get(w)]
        return _shared_blocks(blocks) if blocks else set()

    def _near_title(self, title: str, paper: Paper) -> str | None:
        candidates = self._candidates(title)
        if not candidates:
            return None
        ordered = sorted(candidates)
        choices = [self._titles[pid][0] for pid in ordered]
        digits = _digits(title)
        hits = process.extract(
            title, choices, scorer=fuzz.ratio, score_cutoff=NEAR_TITLE_SCORE, limit=None
        )
        for _, _, position in sorted(hits, key=lambda hit: (-hit[1], hit[2])):
            _, other_year, other_digits, other_abstract = self._titles[ordered[position]]
            if (
                _years_compatible(paper.year, other_year)
                and digits == other_digits
                and _abstracts_compatible(paper.abstract, other_abstract)
            ):
                return ordered[position]
        return None


def _shared_blocks(blocks: list[set[str]]) -> set[str]:
    """Ids in at least two of the blocks (in the only one, when there is one)."""
    if len(blocks) == 1:
        return set(blocks[0])
    found: set[str] = set()
    for i, first in enumerate(blocks):
        for second in blocks[i + 1 :]:
            found |= first & second
    return found


def _abstract_key(paper: Paper) -> int | None:
    """A compact key for the normalised abstract (None when too short to compare)."""
    abstract = _normalise(paper.abstract)
    return hash(abstract) if len(abstract) >= MIN_ABSTRACT else None


def _digits(title: str) -> list[str]:
    """The numbers in a title: "Part 3.1" and "Part 3.2" are different papers."""
    return re.findall(r"\d+", title)


def _abstracts_compatible(a: str, b: str) -> bool:
    """Two abstracts that may belong to one paper: either missing, or much alike.

    Similar titles with clearly different abstracts are different papers
    ("FooLM: Learning X" and "BarNet: Learning X").
    """
    if len(a) < MIN_ABSTRACT or len(b) < MIN_ABSTRACT:
        return True
    return fuzz.ratio(_normalise(a), _normalise(b)) >= SAME_ABSTRACT_SCORE


def _years_compatible(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= 1


def merge(kept: Paper, new: Paper) -> Paper:
    """`kept` enriched with what `new` knows better; `kept`'s id and state survive."""
    title, derived = kept.title, kept.title_derived
    if kept.title_derived and not new.title_derived:
        title, derived = new.title, False
    published, year, inferred = _richer_date(kept, new)
    return replace(
        kept,
        title=title,
        title_derived=derived,
        abstract=kept.abstract if len(kept.abstract) >= len(new.abstract) else new.abstract,
        authors=kept.authors if len(kept.authors) >= len(new.authors) else new.authors,
        author_count=kept.author_count if kept.author_count is not None else new.author_count,
        published=published,
        year=year,
        year_inferred=inferred,
        upvotes=_max_or_none(kept.upvotes, new.upvotes),
        doi=kept.doi or new.doi,
        arxiv=kept.arxiv or new.arxiv,
        url=kept.url or new.url,
        journal=kept.journal or new.journal,
        sources=_union(kept.sources, new.sources),
        aliases=_union(kept.aliases, [new.id] if new.id != kept.id else [], new.aliases),
        read=kept.read or new.read,
        read_at=kept.read_at or new.read_at,
        tags=_union(kept.tags, new.tags),
        note=kept.note or new.note,
    )


def _richer_date(a: Paper, b: Paper) -> tuple[str | None, int | None, bool]:
    """The more certain date of two papers: full and stated beats partial or inferred."""

    def rank(p: Paper) -> tuple[int, int]:
        return (p.year is not None and not p.year_inferred, p.published is not None)

    best = a if rank(a) >= rank(b) else b
    return best.published, best.year, best.year_inferred


def _max_or_none(a: int | None, b: int | None) -> int | None:
    if a is None or b is None:
        return a if b is None else b
    return max(a, b)


def _union(*lists: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for items in lists:
        for item in items:
            seen.setdefault(item, None)
    return list(seen)
