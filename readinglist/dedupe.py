"""Find the stored paper a new one duplicates, and merge the two records."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from operator import itemgetter

from rapidfuzz import fuzz, process

from readinglist.model import Paper, normalise

# find() then add() of the same paper normalise the same strings: remember the last few.
_normalise = lru_cache(maxsize=8)(normalise)

NEAR_TITLE_SCORE = 92.0
BLOCK_TOKENS = 3
MIN_ABSTRACT = 40
SAME_ABSTRACT_SCORE = 70.0
MAX_CANDIDATES = 256
NEAR_CHECKS = 5  # the best few similar titles are enough to judge; bounds the work


class DedupeIndex:
    """Exact maps for titles and abstracts, plus title-token blocks for near matches."""

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._by_abstract: dict[int, str] = {}
        self._by_title: dict[str, str] = {}
        self._titles: dict[str, tuple[str, int | None, list[str], str]] = {}
        self._norm_titles: dict[str, str] = {}
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
        self._norm_titles[paper.id] = title
        for token in set(title.split()):
            self._blocks[token].add(paper.id)

    def remove(self, paper: Paper) -> None:
        """Forget `paper` (after a merge changed it, or a delete)."""
        key = _abstract_key(paper)
        if key is not None and self._by_abstract.get(key) == paper.id:
            del self._by_abstract[key]
        entry = self._titles.pop(paper.id, None)
        self._norm_titles.pop(paper.id, None)
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
        if same is not None and self._compatible(paper, same, _digits(title)):
            return same
        return self._near_title(title, paper)

    def _compatible(self, paper: Paper, pid: str, digits: list[str]) -> bool:
        """Whether `paper` can be stored paper `pid`, whose title is (nearly) the same.

        Titles that normalise alike ("Lase" and "Lase++") with clearly different
        abstracts are different papers.
        """
        _, year, other_digits, abstract = self._titles[pid]
        return (
            _years_compatible(paper.year, year)
            and digits == other_digits
            and _abstracts_compatible(_normalise(paper.abstract), _normalise(abstract))
        )

    def _candidates(self, title: str) -> set[str]:
        """Stored titles sharing this title's rarest word and one of the next two.

        A near duplicate shares nearly all words; a word misspelt in the new title has no
        block and is passed over. A title made only of common words is narrowed further by
        its next rarest words, so the work never grows with the library.
        """
        words = sorted(set(title.split()), key=lambda t: len(self._blocks.get(t, ())))
        blocks = [self._blocks[w] for w in words if self._blocks.get(w)]
        if not blocks:
            return set()
        rarest, others = blocks[0], blocks[1:BLOCK_TOKENS]
        found = set().union(*(rarest & other for other in others)) if others else set(rarest)
        for block in blocks[BLOCK_TOKENS:]:
            if len(found) <= MAX_CANDIDATES:
                break
            found &= block
        return found

    def _near_title(self, title: str, paper: Paper) -> str | None:
        candidates = self._candidates(title)
        if not candidates:
            return None
        ordered = list(candidates)
        choices = (
            itemgetter(*ordered)(self._norm_titles)
            if len(ordered) > 1
            else [self._norm_titles[ordered[0]]]
        )
        digits = _digits(title)
        hits = process.extract(
            title, choices, scorer=fuzz.ratio, score_cutoff=NEAR_TITLE_SCORE, limit=None
        )
        # The best few, in an order that does not depend on set iteration (ties by id).
        best = sorted((-score, ordered[position]) for _, score, position in hits)[:NEAR_CHECKS]
        return next((pid for _, pid in best if self._compatible(paper, pid, digits)), None)


def _abstract_key(paper: Paper) -> int | None:
    """A compact key for the normalised abstract (None when too short to compare)."""
    abstract = _normalise(paper.abstract)
    return hash(abstract) if len(abstract) >= MIN_ABSTRACT else None


def _digits(title: str) -> list[str]:
    """The numbers in a title: "Part 3.1" and "Part 3.2" are different papers."""
    return re.findall(r"\d+", title)


def _abstracts_compatible(a: str, b: str) -> bool:
    """Two normalised abstracts that may belong to one paper: either missing, or much alike.

    Similar titles with clearly different abstracts are different papers
    ("FooLM: Learning X" and "BarNet: Learning X").
    """
    if len(a) < MIN_ABSTRACT or len(b) < MIN_ABSTRACT:
        return True
    return fuzz.ratio(a, b, score_cutoff=SAME_ABSTRACT_SCORE) > 0


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
