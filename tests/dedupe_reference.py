"""De-duplication's matching as it was before it was made cheaper (`dedupe.DedupeIndex`
must find exactly what this finds): sorted candidates, length buckets as lists, a near
title's checks in their first order, `model.normalise` and the acronyms counted per
character. Kept for the tests only."""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter

from rapidfuzz import fuzz, process

from readinglist.dedupe import (
    _ACRONYM,
    _SAME,
    BLOCK_LIMIT,
    BLOCK_TOKENS,
    CAP_CANDIDATES,
    MAX_CANDIDATES,
    MIN_ABSTRACT,
    MIN_ABSTRACT_WORDS,
    NEAR_CHECKS,
    NEAR_LENGTH,
    NEAR_TITLE_SCORE,
    _abstracts_compatible,
    _block_tokens,
    _numbers_token,
    _same_acronyms,
    _sharing,
    _years_compatible,
    conflict,
    identifiers,
)
from readinglist.model import Paper, normalise

_normalise = lru_cache(maxsize=8)(normalise)


class ReferenceIndex:
    """Identifier, abstract and title maps, plus title-token blocks for near matches.

    Papers added with `batch=True` belong to the file being imported: another entry
    of that file with a different cite key matches them only on an identifier.
    """

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._papers: dict[str, Paper] = {}
        self._by_id: dict[str, str] = {}  # "doi:..." / "arxiv:..." -> paper id
        self._by_abstract: dict[int, str] = {}
        self._generic: set[int] = set()  # abstracts that records which differ share
        self._by_title: dict[str, str] = {}
        self._titles: dict[str, tuple[str, list[str], frozenset[str] | None]] = {}
        self._norm_titles: dict[str, str] = {}
        self._blocks: dict[str, set[str]] = defaultdict(set)
        self._by_length: dict[str, dict[int, list[str]]] = {}  # common words' blocks
        self._batch: set[str] = set()
        for paper in papers:
            self.add(paper)

    def add(self, paper: Paper, batch: bool = False) -> None:
        """Index `paper` so later papers can match it."""
        self._papers[paper.id] = paper
        if batch:
            self._batch.add(paper.id)
        for ident in identifiers(paper):
            self._by_id.setdefault(ident, paper.id)
        key = _abstract_key(paper)
        if key is not None:
            self._by_abstract.setdefault(key, paper.id)
        if paper.title_derived:
            return
        title = _normalise(paper.title)
        if not title:
            return
        self._by_title.setdefault(title, paper.id)
        digits = _digits(title)
        self._titles[paper.id] = (title, digits, _acronyms(paper.title))
        self._norm_titles[paper.id] = title
        pid, size, blocks, by_length = paper.id, len(title), self._blocks, self._by_length
        for token in _block_tokens(title, digits):
            block = blocks[token]
            block.add(pid)
            sized = by_length.get(token)
            if sized is None:
                if len(block) > BLOCK_LIMIT:
                    by_length[token] = self._sized(block)
            elif (same := sized.get(size)) is None:
                sized[size] = [pid]
            else:
                same.append(pid)

    def _sized(self, block: set[str]) -> dict[int, list[str]]:
        """A common word's block by title length (in id order within one length)."""
        sized: dict[int, list[str]] = {}
        for pid in sorted(block):
            sized.setdefault(len(self._norm_titles[pid]), []).append(pid)
        return sized

    def remove(self, paper: Paper) -> None:
        """Forget `paper` (after a merge changed it, or a delete)."""
        self._papers.pop(paper.id, None)
        for ident in identifiers(paper):
            if self._by_id.get(ident) == paper.id:
                del self._by_id[ident]
        key = _abstract_key(paper)
        if key is not None and self._by_abstract.get(key) == paper.id:
            del self._by_abstract[key]
        entry = self._titles.pop(paper.id, None)
        self._norm_titles.pop(paper.id, None)
        if entry is None:
            return
        if self._by_title.get(entry[0]) == paper.id:
            del self._by_title[entry[0]]
        for token in _block_tokens(entry[0], entry[1]):
            self._blocks[token].discard(paper.id)
            same_length = self._by_length.get(token, {}).get(len(entry[0]))
            if same_length is not None and paper.id in same_length:
                same_length.remove(paper.id)

    def find(self, paper: Paper) -> str | None:
        """The id of a stored paper that `paper` duplicates, if any."""
        found = self.find_reason(paper)
        return None if found is None else found[0]

    def find_reason(self, paper: Paper) -> tuple[str, str] | None:
        """(id, why) of the stored paper that `paper` duplicates, if any."""
        for ident in identifiers(paper):
            pid = self._by_id.get(ident)
            if pid is not None and conflict(paper, self._papers[pid]) is None:
                return pid, _SAME[ident.split(":", 1)[0]]
        key = _abstract_key(paper)
        if key is not None and key not in self._generic and key in self._by_abstract:
            pid = self._by_abstract[key]
            if self._allowed(paper, pid):
                return pid, "same abstract"
            self._generic.add(key)  # shared by records that differ: boilerplate
        if paper.title_derived:
            return None
        title = _normalise(paper.title)
        if not title:
            return None
        same = self._by_title.get(title)
        if same is not None and self._compatible(paper, same, title):
            return same, "same title"
        near = self._near_title(title, paper)
        return None if near is None else (near, "nearly the same title")

    def may_be(self, paper: Paper, pid: str) -> bool:
        """Whether `paper`, whose content id is stored paper `pid`'s, is that paper: the
        same long abstract, or the same title (the id's basis) with nothing against it."""
        other = self._papers.get(pid)
        if other is None or not self._allowed(paper, pid):
            return False
        if _abstract_key(paper) is not None and _abstract_key(paper) not in self._generic:
            return True
        same_title = _normalise(paper.title) == _normalise(other.title)
        return same_title and _years_compatible(paper.year, other.year)

    def _allowed(self, paper: Paper, pid: str) -> bool:
        """Whether nothing rules out `paper` being stored paper `pid`."""
        other = self._papers[pid]
        if conflict(paper, other) is not None:
            return False
        # One file, two keys: only an identifier makes them one (found before this).
        return not (pid in self._batch and paper.key and other.key and paper.key != other.key)

    def _compatible(self, paper: Paper, pid: str, title: str) -> bool:
        """Whether `paper` can be stored paper `pid`, whose title is (nearly) the same.

        Titles that normalise alike ("Lase" and "Lase++") with clearly different
        abstracts are different papers, as are titles with different numbers or
        acronyms.
        """
        _, other_digits, other_acronyms = self._titles[pid]
        other = self._papers[pid]
        return (  # the cheap checks first; the answer does not depend on the order
            _years_compatible(paper.year, other.year)
            and _digits(title) == other_digits
            and _same_acronyms(_acronyms(paper.title), other_acronyms)
            and self._allowed(paper, pid)
            and _abstracts_compatible(_normalise(paper.abstract), _normalise(other.abstract))
        )

    def _candidates(self, title: str) -> list[str]:
        """At most MAX_CANDIDATES stored titles with this title's numbers that share its
        rarest words.

        A near title has the same numbers (`_compatible`), so a title with numbers is
        compared only with the titles holding the same ones: none when no stored title
        has them, however common its words (a list of numbered titles costs no more per
        title as it grows). A near duplicate shares nearly all words; a word misspelt in
        the new title has no block and is passed over. A title made only of common words
        is narrowed further by its next rarest words, and then cut at MAX_CANDIDATES
        (those of the closest length first). When even the smallest block is a common
        word's (more than BLOCK_LIMIT titles), only its CAP_CANDIDATES titles closest in
        length are taken (`_closest`), so the work per title stops growing with the library.
        """
        numbers = _numbers_token(_digits(title))
        required = self._blocks.get(numbers) if numbers else None
        if numbers and not required:
            return []
        words = sorted(set(title.split()), key=lambda t: len(self._blocks.get(t, ())))
        words = [w for w in words if self._blocks.get(w)]
        if not words:
            return []
        blocks = [self._blocks[w] for w in words]
        rarest = blocks[0]
        if len(rarest) > BLOCK_LIMIT and (required is None or len(required) > BLOCK_LIMIT):
            rarest = self._closest(words[0], len(title))
        found = _sharing(rarest, blocks[1:BLOCK_TOKENS], required)
        for block in blocks[BLOCK_TOKENS:]:
            if len(found) <= MAX_CANDIDATES:
                break
            found &= block
        if len(found) <= MAX_CANDIDATES:
            return sorted(found)
        size = len(title)  # the second key: titles of about the same length
        return heapq.nsmallest(
            MAX_CANDIDATES, found, key=lambda pid: (abs(len(self._norm_titles[pid]) - size), pid)
        )

    def _closest(self, word: str, size: int) -> set[str]:
        """The (about) CAP_CANDIDATES titles of a common word's block closest in length
        to `size`: whole lengths, nearest first, and none that is too much longer or
        shorter to be a near title (NEAR_LENGTH)."""
        sized = self._by_length[word]
        found: set[str] = set(sized.get(size, ()))
        for step in range(1, int(size * NEAR_LENGTH) + 2):
            if len(found) >= CAP_CANDIDATES:
                break
            found.update(sized.get(size - step, ()), sized.get(size + step, ()))
        return found

    def _near_title(self, title: str, paper: Paper) -> str | None:
        ordered = self._candidates(title)
        if not ordered:
            return None
        choices = (
            itemgetter(*ordered)(self._norm_titles)
            if len(ordered) > 1
            else [self._norm_titles[ordered[0]]]
        )
        hits = process.extract(
            title, choices, scorer=fuzz.ratio, score_cutoff=NEAR_TITLE_SCORE, limit=None
        )
        # The best few, in an order that does not depend on set iteration (ties by id).
        best = sorted((-score, ordered[position]) for _, score, position in hits)[:NEAR_CHECKS]
        return next((pid for _, pid in best if self._compatible(paper, pid, title)), None)


def _abstract_key(paper: Paper) -> int | None:
    abstract = _normalise(paper.abstract)
    if len(abstract) < MIN_ABSTRACT or abstract.count(" ") + 1 < MIN_ABSTRACT_WORDS:
        return None
    return hash(abstract)


def _digits(title: str) -> list[str]:
    return re.findall(r"\d+", title)


def _acronyms(title: str) -> frozenset[str] | None:
    found = _ACRONYM.findall(title)
    if not found:
        return frozenset()
    if sum(map(str.islower, title)) * 4 < sum(map(str.isupper, title)):
        return None
    return frozenset(found)
