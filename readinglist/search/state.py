"""Per-paper values that change or filter: user state (tags, note, read) and facets.

Both are built in bulk from a list of papers (`of`), then changed one paper at a time.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping, Sequence
from functools import lru_cache
from typing import Generic, TypeVar

from readinglist.model import Paper
from readinglist.search.facets import FACET_TABLE, FACETS, FacetValue
from readinglist.search.postings import Decoded, positions, saved_positions, to_mask
from readinglist.search.query import Filter
from readinglist.search.tokens import tokens

K = TypeVar("K", bound=Hashable)


@lru_cache(maxsize=4096)
def tag_words(tag: str) -> tuple[str, ...]:
    """The words of a tag ("graph-neural-nets" -> graph, neural, nets)."""
    return tuple(tokens(tag))


def _words(paper: Paper) -> set[str]:
    """The searchable words of a paper's tags and note."""
    return _words_of(paper.tags, paper.note)


def _words_of(tags: Iterable[str], note: str) -> set[str]:
    found = {word for tag in tags for word in tag_words(tag)}
    return found.union(tokens(note)) if note else found


class Groups(Generic[K]):
    """key -> positions, as bit masks, each made when first used.

    A mask costs a bit per paper up to its last one: most keys of a large library (the
    words of author names) hold a paper or two, and a query looks at a few keys.
    """

    def __init__(self, members: Mapping[K, Sequence[int]] | None = None) -> None:
        self.masks: MutableMapping[K, int] = Decoded(dict(members or {}), to_mask)

    def add(self, key: K, pos: int) -> None:
        self.masks[key] = self.masks.get(key, 0) | (1 << pos)

    def discard(self, key: K, pos: int) -> None:
        mask = self.masks.get(key, 0) & ~(1 << pos)
        if mask:
            self.masks[key] = mask
        else:
            self.masks.pop(key, None)

    def names(self) -> Iterable[K]:
        return self.masks.keys()

    @classmethod
    def saved(cls, raw: Mapping[str, bytes], key: Callable[[str], K], papers: int) -> Groups[K]:
        """Groups from `dump()` output, each mask decoded (and checked) when first used."""
        groups: Groups[K] = cls()
        decode = saved_positions(papers)
        keyed = {key(name): positions for name, positions in raw.items()}
        groups.masks = Decoded(keyed, lambda raw: to_mask(decode(raw)))
        return groups

    def dump(self) -> dict[str, bytes]:
        """Each key (as text) and its positions (array of u32), for saving (a key whose
        mask was never made is saved from its positions)."""
        return {str(key): self._saved(key) for key in self.masks}

    def _saved(self, key: K) -> bytes:
        given = self.masks.undecoded(key) if isinstance(self.masks, Decoded) else None
        if given is None or isinstance(given, bytes):  # a mask made, or a saved value
            return _positions(self.masks[key])
        return _distinct(given)

    def mask(self, keys: Iterable[K]) -> int:
        """Positions under any of the keys."""
        result = 0
        for key in keys:
            result |= self.masks.get(key, 0)
        return result


class UserState:
    """Tags, note words and read flags by position; cheap to change."""

    def __init__(
        self,
        words: Mapping[str, list[int]] | None = None,
        tags: Mapping[str, list[int]] | None = None,
        read: Mapping[bool, list[int]] | None = None,
    ) -> None:
        self.words: Groups[str] = Groups(words)
        self.tags: Groups[str] = Groups(tags)
        self.read: Groups[bool] = Groups(read)
        self._vocab: list[str] | None = None

    @classmethod
    def of(cls, papers: Iterable[Paper | None]) -> UserState:
        """The state of papers given by position (None: an empty position)."""
        return cls.of_states(
            (pos, p.read, p.tags, p.note) for pos, p in enumerate(papers) if p is not None
        )

    @classmethod
    def of_ids(cls, states: Mapping[str, Sequence], at: Mapping[str, int]) -> UserState:
        """The state of papers given by id (read, tags, note), each at the position `at`
        gives it (ids it does not hold are left out)."""
        columns = zip(*states.values(), strict=True)  # read, tags, note
        return cls.of_states(zip(map(at.get, states), *columns, strict=True))

    @classmethod
    def of_states(cls, states: Iterable[tuple[int | None, bool, Iterable[str], str]]) -> UserState:
        """The state of papers given as (position, read, tags, note); no position: left out."""
        read: list[int] = []
        tags: dict[str, list[int]] = defaultdict(list)
        words: dict[str, list[int]] = defaultdict(list)
        for pos, is_read, paper_tags, note in states:
            if pos is None:
                continue
            if is_read:
                read.append(pos)
            if paper_tags or note:
                for tag in paper_tags:
                    tags[tag].append(pos)
                for word in _words_of(paper_tags, note):
                    words[word].append(pos)
        return cls(words, tags, {True: read} if read else None)

    def add(self, pos: int, paper: Paper) -> None:
        """Record the state of the paper now at `pos` (none is recorded there yet)."""
        if paper.read:
            self.read.add(True, pos)
        if not (paper.tags or paper.note):
            return
        for word in _words(paper):
            self.words.add(word, pos)
        for tag in paper.tags:
            self.tags.add(tag, pos)
        self._vocab = None

    def discard(self, pos: int, paper: Paper) -> None:
        """Forget the state recorded for `paper` at `pos`."""
        self.read.discard(True, pos)
        if not (paper.tags or paper.note):
            return
        for word in _words(paper):
            self.words.discard(word, pos)
        for tag in paper.tags:
            self.tags.discard(tag, pos)
        self._vocab = None

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
    """The values of every facet in FACET_TABLE (year, upvotes, ...) by position."""

    def __init__(self, members: Mapping[str, Mapping[FacetValue, list[int]]] | None = None) -> None:
        members = members or {}
        self.groups: dict[str, Groups[FacetValue]] = {
            kind: Groups(members.get(kind)) for kind in FACETS
        }

    @classmethod
    def saved(cls, raw: Mapping[str, Mapping[str, bytes]], papers: int) -> Facets:
        """Facets from `dump()` output (numeric values were saved as text)."""
        facets = cls()
        for kind, facet in FACETS.items():
            key = int if facet.numeric else str
            facets.groups[kind] = Groups.saved(raw[kind], key, papers)
        return facets

    def dump(self) -> dict[str, dict[str, bytes]]:
        """Every facet's groups, for saving."""
        return {kind: groups.dump() for kind, groups in self.groups.items()}

    @classmethod
    def of(cls, papers: Iterable[Paper | None]) -> Facets:
        """The facets of papers given by position (None: an empty position)."""
        members: dict[str, defaultdict[FacetValue, list[int]]] = {
            kind: defaultdict(list) for kind in FACETS
        }
        for pos, paper in enumerate(papers):
            if paper is not None:
                for kind, value in cls._values(paper):
                    members[kind][value].append(pos)
        return cls(members)

    @staticmethod
    def _values(paper: Paper) -> list[tuple[str, FacetValue]]:
        return [(facet.name, value) for facet in FACET_TABLE for value in facet.values(paper)]

    def add(self, pos: int, paper: Paper) -> None:
        """Index the paper's values of every facet."""
        for kind, value in self._values(paper):
            self.groups[kind].add(value, pos)

    def discard(self, pos: int, paper: Paper) -> None:
        """Remove the paper from every facet."""
        for kind, value in self._values(paper):
            self.groups[kind].discard(value, pos)

    def matching(self, flt: Filter) -> int:
        """Papers with a value that satisfies a facet's filter (year:2024, source:x)."""
        groups = self.groups[flt.kind]
        if not FACETS[flt.kind].numeric:
            names = groups.names()
            return groups.mask(
                [name for name in names if isinstance(name, str) and flt.value in name]
            )
        lo = flt.lo if flt.lo is not None else -(2**62)
        hi = flt.hi if flt.hi is not None else 2**62
        values = groups.names()
        return groups.mask([v for v in values if isinstance(v, int) and lo <= v <= hi])


def _positions(mask: int) -> bytes:
    return array("I", positions(mask)).tobytes()


def _distinct(found: Sequence[int]) -> bytes:
    """Positions given in increasing order, each once (a key met twice in a paper is
    given twice), as `_positions` saves them."""
    return array("I", dict.fromkeys(found)).tobytes()
