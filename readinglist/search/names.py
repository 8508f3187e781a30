"""The words of author names and venues by paper position, for author:, venue: and the
family names plain words match. Built on first use: `list`, tag and read-state queries
never pay for it."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from functools import partial

from readinglist.model import Paper
from readinglist.search.people import (
    family_names,
    folded,
    holds,
    name_parts,
    name_words,
    venue_phrases,
    venues,
)
from readinglist.search.postings import positions, to_mask
from readinglist.search.query import Filter
from readinglist.search.state import Groups

# Each word facet and the texts of a paper it is made of.
TEXTS: dict[str, Callable[[Paper], list[str]]] = {
    "author": lambda paper: paper.authors,
    "first": lambda paper: paper.authors[:1],
    "family": lambda paper: paper.authors,
    "venue": venues,
}


def _words(paper: Paper) -> list[tuple[str, str]]:
    """(facet, word) pairs of one paper."""
    found = []
    if paper.authors:
        found += [("author", word) for word in name_words(paper)]
        found += [("first", word) for word in set(name_parts(paper.authors[0])[0])]
        found += [("family", word) for word in family_names(paper)]
    for venue in venues(paper):
        found += [("venue", word) for word in set(folded(venue).split())]
    return found


def _build(papers: Sequence[Paper | None]) -> dict[str, Groups[str]]:
    """The groups of every word facet (a word met twice in a paper is set twice: harmless;
    positions in arrays: a library's names hold hundreds of thousands of words)."""
    members: dict[str, defaultdict[str, array]] = {
        kind: defaultdict(partial(array, "I")) for kind in TEXTS
    }
    author, first, family, venue = (members[kind] for kind in TEXTS)
    for pos, paper in enumerate(papers):
        if paper is None:
            continue
        if paper.authors:
            for name in paper.authors:
                words, family_part = name_parts(name)
                for word in words:
                    author[word].append(pos)
                for word in family_part:
                    family[word].append(pos)
            for word in name_parts(paper.authors[0])[0]:
                first[word].append(pos)
        for text in venues(paper):
            for word in folded(text).split():
                venue[word].append(pos)
    return {kind: Groups(members[kind]) for kind in TEXTS}


class NameFacets:
    """Word facets over a list of papers by position (the index's own list, shared)."""

    def __init__(self, papers: Sequence[Paper | None]) -> None:
        self._papers = papers
        self._groups: dict[str, Groups[str]] | None = None
        self._vocab: dict[str, list[str]] = {}

    @classmethod
    def saved(cls, papers: Sequence[Paper | None], raw: Mapping[str, Mapping[str, bytes]]):
        """Word facets from `dump()` output (their masks decoded when first used)."""
        facets = cls(papers)
        facets._groups = {kind: Groups.saved(raw[kind], str, len(papers)) for kind in TEXTS}
        return facets

    def dump(self) -> dict[str, dict[str, bytes]]:
        """Every word facet's groups, for saving (built first if need be)."""
        return {kind: self.groups(kind).dump() for kind in TEXTS}

    def groups(self, kind: str) -> Groups[str]:
        """The word -> papers groups of one facet, built from the papers on first use."""
        if self._groups is None:
            self._groups = _build(self._papers)
        return self._groups[kind]

    def add(self, pos: int, paper: Paper) -> None:
        """Take in the paper now at `pos` (nothing to do before the first use)."""
        if self._groups is not None:
            for facet, word in _words(paper):
                self._groups[facet].add(word, pos)
            self._vocab.clear()

    def discard(self, pos: int, paper: Paper) -> None:
        """Forget the paper at `pos`."""
        if self._groups is not None:
            for facet, word in _words(paper):
                self._groups[facet].discard(word, pos)
            self._vocab.clear()

    def words(self, kind: str) -> list[str]:
        """The sorted words of a word facet (author, first, family, venue)."""
        vocab = self._vocab.get(kind)
        if vocab is None:
            vocab = self._vocab[kind] = sorted(self.groups(kind).names())
        return vocab

    def with_prefix(self, kind: str, prefix: str) -> list[str]:
        """Words of a word facet that start with `prefix`."""
        vocab = self.words(kind)
        i = bisect_left(vocab, prefix)
        return vocab[i : bisect_left(vocab, prefix + "\U0010ffff", i)]

    def named(self, flt: Filter) -> int:
        """Papers with an author name (or venue) holding the filter's words in order."""
        kind = ("first" if flt.first else "author") if flt.kind == "author" else "venue"
        words = tuple(flt.value.split())
        phrases = venue_phrases(words) if kind == "venue" else [words]
        found = 0
        for phrase in phrases:
            found |= self._phrase(kind, phrase, flt.prefix and phrase == words)
        return found

    def _phrase(self, kind: str, words: tuple[str, ...], prefix: bool) -> int:
        mask = -1
        for i, word in enumerate(words):
            typed = prefix and i == len(words) - 1
            mask &= self.groups(kind).mask(self.with_prefix(kind, word) if typed else [word])
        if len(words) == 1 or not mask:
            return max(mask, 0)
        texts = TEXTS[kind]
        return to_mask(p for p in positions(mask) if holds(self._texts(texts, p), words, prefix))

    def _texts(self, texts: Callable[[Paper], list[str]], pos: int) -> list[str]:
        paper = self._papers[pos]
        return [] if paper is None else texts(paper)
