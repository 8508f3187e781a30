"""Per-paper values that change or filter: user state (tags, note, read) and facets."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable, Iterable

from readinglist.model import Paper
from readinglist.search.postings import to_mask
from readinglist.search.query import Filter
from readinglist.search.text import tokens


def paper_year(paper: Paper) -> int | None:
    """The paper's year: its own, else the one in its publication date."""
    if paper.year is not None:
        return paper.year
    head = (paper.published or "")[:4]
    return int(head) if head.isdigit() else None


class Groups:
    """key -> positions as bit masks; collected as lists during a bulk load."""

    def __init__(self) -> None:
        self.masks: dict[Hashable, int] = {}
        self._bulk: dict[Hashable, list[int]] | None = defaultdict(list)

    def add(self, key: Hashable, pos: int) -> None:
        if self._bulk is not None:
            self._bulk[key].append(pos)
        else:
            self.masks[key] = self.masks.get(key, 0) | (1 << pos)

    def discard(self, key: Hashable, pos: int) -> None:
        """Remove `pos` from `key` (only after `freeze`)."""
        mask = self.masks.get(key, 0) & ~(1 << pos)
        if mask:
            self.masks[key] = mask
        else:
            self.masks.pop(key, None)

    def freeze(self) -> None:
        """Turn the collected lists into masks; later changes update the masks."""
        if self._bulk is not None:
            self.masks = {key: to_mask(members) for key, members in self._bulk.items()}
            self._bulk = None

    def names(self) -> Iterable[Hashable]:
        return self.masks.keys() if self._bulk is None else self._bulk.keys()

    def mask(self, keys: Iterable[Hashable]) -> int:
        """Positions under any of the keys."""
        result = 0
        for key in keys:
            result |= self.masks.get(key, 0)
        return result


class UserState:
    """Tags, note words and read flags by position; cheap to change."""

    def __init__(self) -> None:
        self.words = Groups()
        self.tags = Groups()
        self.read = Groups()
        self._held: dict[int, tuple[set[str], list[str]]] = {}
        self._vocab: list[str] | None = None

    def set(self, pos: int, paper: Paper, new: bool = False) -> None:
        """Record (or replace, unless `new`) the state of the paper at `pos`."""
        if not new:
            self.discard(pos)
        words = {*tokens(paper.note), *(w for tag in paper.tags for w in tokens(tag))}
        for word in words:
            self.words.add(word, pos)
        for tag in paper.tags:
            self.tags.add(tag, pos)
        if paper.read:
            self.read.add(True, pos)
        if words or paper.tags:
            self._held[pos] = (words, list(paper.tags))
        if words:
            self._vocab = None

    def discard(self, pos: int) -> None:
        """Forget the state of the paper at `pos`."""
        self.read.discard(True, pos)
        held = self._held.pop(pos, None)
        if held is None:
            return
        for word in held[0]:
            self.words.discard(word, pos)
        for tag in held[1]:
            self.tags.discard(tag, pos)
        self._vocab = None

    def freeze(self) -> None:
        for groups in (self.words, self.tags, self.read):
            groups.freeze()

    def vocabulary(self) -> list[str]:
        """Sorted note and tag words."""
        if self._vocab is None:
            self._vocab = sorted(self.words.names())
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
    """Bibliographic values that qualifiers filter on: year, upvotes, authors, source."""

    def __init__(self) -> None:
        self.groups = {kind: Groups() for kind in ("year", "upvotes", "authors", "source")}

    @staticmethod
    def _values(paper: Paper) -> list[tuple[str, Hashable]]:
        found = [("year", paper_year(paper)), ("upvotes", paper.upvotes)]
        found += [("authors", paper.authors_known)]
        found += [("source", source.lower()) for source in paper.sources]
        return [(kind, value) for kind, value in found if value is not None]

    def add(self, pos: int, paper: Paper) -> None:
        """Index the paper's year, upvotes, author count and sources."""
        for kind, value in self._values(paper):
            self.groups[kind].add(value, pos)

    def discard(self, pos: int, paper: Paper) -> None:
        """Remove the paper from every facet."""
        for kind, value in self._values(paper):
            self.groups[kind].discard(value, pos)

    def freeze(self) -> None:
        for groups in self.groups.values():
            groups.freeze()

    def matching(self, flt: Filter) -> int:
        """Papers whose value satisfies a year, upvotes, authors or source filter."""
        groups = self.groups[flt.kind]
        if flt.kind == "source":
            return groups.mask([name for name in groups.names() if flt.value in name])
        lo = flt.lo if flt.lo is not None else -(2**62)
        hi = flt.hi if flt.hi is not None else 2**62
        return groups.mask([value for value in groups.names() if lo <= value <= hi])
