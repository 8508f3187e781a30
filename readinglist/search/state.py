"""Per-paper values that change or filter: user state (tags, note, read) and facets."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

from readinglist.model import Paper
from readinglist.search.query import Filter
from readinglist.search.text import tokens


def paper_year(paper: Paper) -> int | None:
    """The paper's year: its own, else the one in its publication date."""
    if paper.year is not None:
        return paper.year
    head = (paper.published or "")[:4]
    return int(head) if head.isdigit() else None


class UserState:
    """Tags, note words and read flags by position; cheap to change."""

    def __init__(self) -> None:
        self.postings: dict[str, set[int]] = defaultdict(set)
        self.tags: dict[str, set[int]] = defaultdict(set)
        self.read: set[int] = set()
        self._words: dict[int, tuple[str, ...]] = {}
        self._vocab: list[str] | None = None

    def set(self, pos: int, paper: Paper) -> None:
        """Record (or replace) the state of the paper at `pos`."""
        self.discard(pos)
        words = {*tokens(paper.note), *(w for tag in paper.tags for w in tokens(tag))}
        for word in words:
            self.postings[word].add(pos)
        for tag in paper.tags:
            self.tags[tag].add(pos)
        if paper.read:
            self.read.add(pos)
        self._words[pos] = (*words, "\0", *paper.tags)
        self._vocab = None

    def discard(self, pos: int) -> None:
        """Forget the state of the paper at `pos`."""
        words = self._words.pop(pos, ())
        target = self.postings
        for word in words:
            if word == "\0":
                target = self.tags
                continue
            target[word].discard(pos)
            if not target[word]:
                del target[word]
        self.read.discard(pos)
        self._vocab = None

    def vocabulary(self) -> list[str]:
        """Sorted note and tag words."""
        if self._vocab is None:
            self._vocab = sorted(self.postings)
        return self._vocab

    def with_prefix(self, prefix: str) -> list[str]:
        """Note and tag words starting with `prefix`."""
        vocab = self.vocabulary()
        i = bisect_left(vocab, prefix)
        found = []
        while i < len(vocab) and vocab[i].startswith(prefix):
            found.append(vocab[i])
            i += 1
        return found


class Facets:
    """Bibliographic values that qualifiers filter on: value -> positions."""

    def __init__(self) -> None:
        self.values: dict[str, dict] = {k: defaultdict(set) for k in ("year", "upvotes", "authors")}
        self.sources: dict[str, set[int]] = defaultdict(set)

    @staticmethod
    def _of(paper: Paper) -> dict:
        return {"year": paper_year(paper), "upvotes": paper.upvotes, "authors": paper.authors_known}

    def add(self, pos: int, paper: Paper) -> None:
        """Index the paper's year, upvotes, author count and sources."""
        for kind, value in self._of(paper).items():
            if value is not None:
                self.values[kind][value].add(pos)
        for source in paper.sources:
            self.sources[source.lower()].add(pos)

    def discard(self, pos: int, paper: Paper) -> None:
        """Remove the paper from every facet."""
        for kind, value in self._of(paper).items():
            self.values[kind].get(value, set()).discard(pos)
        for source in paper.sources:
            self.sources.get(source.lower(), set()).discard(pos)

    def matching(self, flt: Filter) -> set[int]:
        """Positions whose value satisfies a year, upvotes, authors or source filter."""
        if flt.kind == "source":
            found: set[int] = set()
            for name, positions in self.sources.items():
                if flt.value in name:
                    found |= positions
            return found
        lo = flt.lo if flt.lo is not None else -(2**62)
        hi = flt.hi if flt.hi is not None else 2**62
        groups = [p for v, p in self.values[flt.kind].items() if lo <= v <= hi]
        return set().union(*groups)
