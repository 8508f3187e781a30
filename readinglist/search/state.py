"""Per-paper values that change or filter: user state (tags, note, read) and facets.

Both are built in bulk from a list of papers (`of`), then changed one paper at a time.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping, Sequence
from functools import lru_cache
from typing import Any, Generic, TypeVar

from readinglist.model import Paper
from readinglist.search.facets import FACET_TABLE, FACETS, FacetValue
from readinglist.search.postings import Decoded, positions, saved_positions, to_mask
from readinglist.search.query import Filter
from readinglist.search.tokens import tokens

K = TypeVar("K", bound=Hashable)
G = TypeVar("G", bound=Hashable)


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


Grouped = tuple[list[K], dict[str, list[K]], dict[str, list[K]]]  # read; by tag; by word


def grouped(states: Iterable[tuple[K, bool, Iterable[str], str]]) -> Grouped[K]:
    """The keys of states given as (key, read, tags, note): those read, those of each
    tag, and those of each word of their tags and note."""
    read: list[K] = []
    tags: dict[str, list[K]] = defaultdict(list)
    words: dict[str, list[K]] = defaultdict(list)
    for key, is_read, paper_tags, note in states:
        if is_read:
            read.append(key)
        if paper_tags or note:
            for tag in paper_tags:
                tags[tag].append(key)
            for word in _words_of(paper_tags, note):
                words[word].append(key)
    return read, dict(tags), dict(words)


class States(dict[str, Sequence]):
    """Papers' states by id (read, tags, note), and their ids grouped (`grouped`)."""

    def __init__(self, states: Mapping[str, Sequence], groups: Grouped[str] | None = None) -> None:
        super().__init__(states)
        if groups is None:
            groups = grouped((pid, *state) for pid, state in self.items())
        self.groups = groups


def _placed(groups: Mapping[G, list[str]], at: Mapping[str, int]) -> dict[G, list[int]]:
    """Groups of ids as groups of the positions `at` gives them (empty ones left out)."""
    placed = {
        key: [pos for pos in map(at.get, ids) if pos is not None] for key, ids in groups.items()
    }
    return {key: found for key, found in placed.items() if found}


class Groups(Generic[K]):
    """key -> positions, as bit masks, each made when first used.

    A mask costs a bit per paper up to its last one: most keys of a large library (the
    words of author names) hold a paper or two, and a query looks at a few keys.
    """

    def __init__(self, members: Mapping[K, Sequence[int]] | None = None) -> None:
        self.masks: MutableMapping[K, int] = Decoded(dict(members or {}), to_mask)

    def add(self, key: K, pos: int) -> None:
        if isinstance(self.masks, _Waiting) and self.masks.waits(key, pos, True):
            return
        self.masks[key] = self.masks.get(key, 0) | (1 << pos)

    def discard(self, key: K, pos: int) -> None:
        if isinstance(self.masks, _Waiting) and self.masks.waits(key, pos, False):
            return
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
        groups.masks = _Waiting(keyed, lambda raw: to_mask(decode(raw)))
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


class _Waiting(Decoded):
    """Saved masks (`Groups.saved`), each decoded when first asked for; a bit set or
    cleared before then waits until then, so taking a paper in or out of the groups of
    a saved index decodes none of them."""

    def __init__(self, source: Mapping[Any, bytes], decode: Callable[[bytes], int]) -> None:
        super().__init__(source, decode)
        self._waiting: dict[Hashable, tuple[int, int]] = {}  # bits to set, bits to clear

    def waits(self, key: Hashable, pos: int, on: bool) -> bool:
        """Set (`on`) or clear bit `pos` of the mask of `key` when it is first decoded;
        False when it is decoded already, or is not saved, or clearing could empty it
        (the key would then be gone: change it decoded)."""
        if key in self._values or key in self._gone or key not in self._source:
            return False
        bit, (added, cleared) = 1 << pos, self._waiting.get(key, (0, 0))
        if on:
            added, cleared = added | bit, cleared & ~bit
        else:
            added, cleared = added & ~bit, cleared | bit
            saved = len(self._source[key]) >> 2  # distinct positions, u32 each
            if saved - cleared.bit_count() < 1:  # (one of them, at least, is still set)
                return False
        self._waiting[key] = added, cleared
        return True

    def __getitem__(self, key):
        mask = super().__getitem__(key)
        if key in self._waiting:
            added, cleared = self._waiting.pop(key)
            mask = self._values[key] = mask & ~cleared | added
        return mask

    def __setitem__(self, key, value) -> None:
        self._waiting.pop(key, None)
        super().__setitem__(key, value)

    def __delitem__(self, key) -> None:
        self._waiting.pop(key, None)
        super().__delitem__(key)


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
        states = ((pos, p.read, p.tags, p.note) for pos, p in enumerate(papers) if p is not None)
        read, tags, words = grouped(states)
        return cls(words, tags, {True: read} if read else None)

    @classmethod
    def of_ids(cls, groups: Grouped[str], at: Mapping[str, int]) -> UserState:
        """The state of papers grouped by id (`grouped`), each at the position `at` gives
        it (ids it does not hold are left out)."""
        read, tags, words = groups
        return cls(_placed(words, at), _placed(tags, at), _placed({True: read}, at))

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
