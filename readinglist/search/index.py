"""An inverted index over papers: narrow by postings, then rank a few candidates."""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Levenshtein

from readinglist.model import Paper
from readinglist.search.query import Filter, Query, QueryError, Term, parse_query
from readinglist.search.state import Facets, UserState
from readinglist.search.text import (
    definitions,
    max_typos,
    phrase_pattern,
    stem,
    tokens,
    variants,
)

SHORT_PREFIX = 3  # shorter prefixes expand over titles, tags and notes only
SIMILARITY_CAP = 3000  # rank a tier by title similarity only up to this size


@dataclass
class SearchResult:
    """Ranked ids (at most `limit`), their scores, the full count and matched words."""

    ids: list[str]
    scores: dict[str, float]
    total: int
    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    error: str | None = None


@dataclass
class _Match:
    """Where one query term matched: anywhere, in titles, only by a typo."""

    any: set[int]
    title: set[int]
    fuzzy: set[int]
    words: set[str] = field(default_factory=set)


def _signature(paper: Paper) -> int:
    return hash(
        (
            paper.title,
            paper.abstract,
            paper.year,
            paper.published,
            paper.upvotes,
            paper.authors_known,
            tuple(paper.sources),
            paper.added,
        )
    )


def _recency(paper: Paper) -> tuple[str, str]:
    return (paper.published or (str(paper.year) if paper.year else ""), paper.added or "")


class SearchIndex:
    """Search over papers: bibliographic text indexed once, user state kept apart."""

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._papers: list[Paper | None] = []
        self._pos: dict[str, int] = {}
        self._sig: list[int] = []
        self._title: dict[str, array] = {}
        self._abstract: dict[str, array] = {}
        self._acronyms: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self._vocab: list[str] = []
        self._by_length: dict[int, list[str]] | None = None
        self._dead: set[int] = set()
        self._state = UserState()
        self._facets = Facets()
        self._rank: list[int] = []
        self._by_rank: list[int] = []
        for paper in papers:
            self._add(paper, bulk=True)
        self._vocab = sorted(self._title.keys() | self._abstract.keys())
        self._rerank()

    @classmethod
    def build(cls, papers: Iterable[Paper]) -> SearchIndex:
        """Index the papers (seconds for 100k; run it in a worker)."""
        return cls(papers)

    def __len__(self) -> int:
        return len(self._pos)

    # -- changes ---------------------------------------------------------

    def update(self, paper: Paper) -> None:
        """Take in a changed or new paper; a user-state change costs microseconds."""
        pos = self._pos.get(paper.id)
        if pos is not None and self._sig[pos] == _signature(paper):
            self._papers[pos] = paper
            self._state.set(pos, paper)
            return
        if pos is not None:
            self.remove(paper.id)
        self._add(paper)
        self._stale_rank = True

    def remove(self, paper_id: str) -> None:
        """Forget a paper (its postings stay, masked, until the next build)."""
        pos = self._pos.pop(paper_id, None)
        if pos is None:
            return
        self._facets.discard(pos, self._papers[pos])
        self._state.discard(pos)
        self._papers[pos] = None
        self._dead.add(pos)
        self._stale_rank = True

    def _add(self, paper: Paper, bulk: bool = False) -> None:
        pos = len(self._papers)
        self._papers.append(paper)
        self._pos[paper.id] = pos
        self._sig.append(_signature(paper))
        for text, postings in ((paper.title, self._title), (paper.abstract, self._abstract)):
            for token in set(tokens(text)):
                arr = postings.get(token)
                if arr is None:
                    postings[token] = arr = array("I")
                    if not bulk:
                        insort(self._vocab, token)
                        self._by_length = None
                arr.append(pos)
        for text in (paper.abstract, paper.title):
            if "(" in text:
                for key, words in definitions(text):
                    self._acronyms[key].add(words)
        self._facets.add(pos, paper)
        self._state.set(pos, paper)

    def _rerank(self) -> None:
        live = [p for p in range(len(self._papers)) if self._papers[p] is not None]
        live.sort(key=lambda p: self._papers[p].id)
        live.sort(key=lambda p: _recency(self._papers[p]), reverse=True)
        self._by_rank = live
        self._stale_rank = False
        self._rank = [0] * len(self._papers)
        for rank, pos in enumerate(live):
            self._rank[pos] = rank

    # -- term matching ---------------------------------------------------

    def _with_prefix(self, prefix: str) -> list[str]:
        i = bisect_left(self._vocab, prefix)
        j = bisect_left(self._vocab, prefix + "\U0010ffff", i)
        return self._vocab[i:j]

    def _typo_words(self, word: str) -> list[str]:
        """Vocabulary words closest to a word that matched nothing."""
        limit = max_typos(word)
        if not limit:
            return []
        if self._by_length is None:
            self._by_length = defaultdict(list)
            for token in self._vocab:
                self._by_length[len(token)].append(token)
        choices = [
            t
            for n in range(len(word) - limit, len(word) + limit + 1)
            for t in self._by_length.get(n, ())
        ]
        choices += [t for t in self._state.vocabulary() if abs(len(t) - len(word)) <= limit]
        found = process.extract(
            word, choices, scorer=Levenshtein.distance, score_cutoff=limit, limit=None
        )
        best = min((d for _, d, _ in found), default=None)
        return [t for t, d, _ in found if d == best]

    def _postings(self, words: Iterable[str], title: bool, abstract: bool) -> set[int]:
        arrays = [self._title[w] for w in words if title and w in self._title]
        arrays += [self._abstract[w] for w in words if abstract and w in self._abstract]
        return set().union(*arrays)

    def _state_postings(self, words: Iterable[str]) -> set[int]:
        post = self._state.postings
        return set().union(*(post[w] for w in words if w in post))

    def _match(self, term: Term) -> _Match:
        word = term.word
        exact = [v for v in variants(word) if v in self._title or v in self._abstract]
        exact += [v for v in variants(word) if v in self._state.postings]
        short = self._with_prefix(word) if term.prefix else []
        if term.prefix:
            short += self._state.with_prefix(word)
        typos = [] if exact or short else self._typo_words(word)
        long = short if len(word) >= SHORT_PREFIX else []
        title = self._postings([*exact, *short], True, False) | self._acronym_titles(word)
        title_typo = self._postings(typos, True, False)
        if term.title_only:
            return _Match(
                title | title_typo, title | title_typo, title_typo - title, {*exact, *short, *typos}
            )
        found = title | self._postings([*exact, *long], False, True)
        found |= self._state_postings([*exact, *short])
        typo = title_typo | self._postings(typos, False, True) | self._state_postings(typos)
        return _Match(found | typo, title | title_typo, typo - found, {*exact, *short, *typos})

    def _acronym_titles(self, word: str) -> set[int]:
        """Papers whose title spells out an acronym that some paper defines."""
        found: set[int] = set()
        for key in {word, stem(word)}:
            for words in self._acronyms.get(key, ()):
                parts = [self._postings(variants(w), True, False) for w in words]
                for pos in set.intersection(*parts) if parts else ():
                    stems = [stem(t) for t in tokens(self._papers[pos].title)]
                    if _contains(stems, words):
                        found.add(pos)
        return found

    def _phrase(self, words: tuple[str, ...], among: set[int] | None) -> tuple[set, set]:
        """Papers containing the phrase (anywhere, in the title)."""
        parts = [self._postings([w], True, True) | self._state_postings([w]) for w in set(words)]
        candidates = set.intersection(*parts)
        if among is not None:
            candidates &= among
        pattern = phrase_pattern(words)
        anywhere, title = set(), set()
        for pos in candidates:
            paper = self._papers[pos]
            if paper is None:
                continue
            if pattern.search(paper.title):
                title.add(pos)
                anywhere.add(pos)
            elif pattern.search(paper.abstract) or pattern.search(paper.note):
                anywhere.add(pos)
        return anywhere, title

    def _filter(self, flt: Filter) -> set[int]:
        if flt.kind == "read":
            return self._state.read
        if flt.kind == "tag":
            return self._state.tags.get(flt.value, set())
        return self._facets.matching(flt)

    # -- search ----------------------------------------------------------

    def search(self, query: str | Query, limit: int | None = 200) -> SearchResult:
        """Ranked ids for a query; a malformed qualifier gives `error`, not an exception."""
        if isinstance(query, str):
            try:
                query = parse_query(query)
            except QueryError as exc:
                return SearchResult([], {}, 0, error=str(exc))
        if self._stale_rank:
            self._rerank()
        matches = [self._match(t) for t in query.terms]
        docs = self._narrow(query, matches)
        if not query.ranked:
            ordered = sorted(docs)
            ids = [self._papers[p].id for p in ordered[:limit]]
            return SearchResult(ids, dict.fromkeys(ids, 0.0), len(docs))
        return self._rank_docs(query, matches, docs, limit)

    def _narrow(self, query: Query, matches: list[_Match]) -> set[int]:
        """Positions matching every term, phrase and filter, and no exclusion."""
        sets = sorted((m.any for m in matches), key=len)
        sets += [self._filter(f) for f in query.filters if not f.negate]
        docs = set(min(sets, key=len)) if sets else set(self._pos.values())
        for s in sets:
            docs &= s
        for phrase in query.phrases:
            docs &= self._phrase(phrase, docs)[0]
        for flt in query.filters:
            if flt.negate:
                docs -= self._filter(flt)
        for term in query.excluded:
            docs -= self._match(Term(term.word, title_only=term.title_only)).any
        for phrase in query.excluded_phrases:
            docs -= self._phrase(phrase, docs)[0]
        return docs - self._dead

    def _rank_docs(
        self, query: Query, matches: list[_Match], docs: set[int], limit: int | None
    ) -> SearchResult:
        in_title: Counter[int] = Counter()
        typos: Counter[int] = Counter()
        for m in matches:
            in_title.update(m.title & docs)
            typos.update(m.fuzzy & docs)
        for phrase in query.phrases:
            in_title.update(self._phrase(phrase, docs)[1])
        tiers: dict[tuple[int, int], set[int]] = defaultdict(set)
        for pos in in_title.keys() | typos.keys():
            tiers[(in_title[pos], typos[pos])].add(pos)
        tiers[(0, 0)] = docs - in_title.keys() - typos.keys()
        text = " ".join([*(t.word for t in query.terms), *(" ".join(p) for p in query.phrases)])
        need = len(docs) if limit is None else limit
        ranked, scores = [], {}
        for hits, typo in sorted(tiers, key=lambda k: (-k[0], k[1])):
            sim = self._similarity(text, tiers[(hits, typo)], hits, len(query.terms) > 1)
            for pos in self._top(tiers[(hits, typo)], need - len(ranked), sim):
                pid = self._papers[pos].id
                ranked.append(pid)
                scores[pid] = 10.0 * hits + max(0, 5 - typo) + sim.get(pos, 0.0) / 100
            if len(ranked) >= need:
                break
        words = frozenset().union(*(m.words for m in matches))
        prefixes = tuple(t.word for t in query.terms if t.prefix)
        return SearchResult(ranked, scores, len(docs), words, prefixes, query.phrases)

    def _similarity(self, text: str, members: set[int], hits: int, multi: bool) -> dict:
        if not (hits and multi) or len(members) > SIMILARITY_CAP:
            return {}
        titles = {pos: self._papers[pos].title for pos in members}
        found = process.extract(
            text, titles, scorer=fuzz.token_sort_ratio, processor=utils.default_process, limit=None
        )
        return {pos: round(score, 1) for _, score, pos in found}

    def _top(self, members: set[int], need: int, sim: dict) -> list[int]:
        """The first `need` members: by title similarity, then newest, then id."""
        if need <= 0 or not members:
            return []
        rank = self._rank
        if sim:
            return sorted(members, key=lambda p: (-sim[p], rank[p]))[:need]
        if need >= len(members) or len(members) * 16 < len(rank):
            return sorted(members, key=rank.__getitem__)[:need]
        top = []
        for pos in self._by_rank:
            if pos in members:
                top.append(pos)
                if len(top) == need:
                    break
        return top


def _contains(seq: list[str], words: tuple[str, ...]) -> bool:
    n = len(words)
    return any(tuple(seq[i : i + n]) == words for i in range(len(seq) - n + 1))


def search_papers(
    papers: list[Paper], text: str, limit: int | None = None
) -> list[tuple[Paper, float]]:
    """Rank papers for a query (builds an index; raises QueryError for a bad qualifier)."""
    query = parse_query(text)
    index = SearchIndex(papers)
    result = index.search(query, limit)
    by_id = {p.id: p for p in papers}
    return [(by_id[pid], result.scores[pid]) for pid in result.ids]
