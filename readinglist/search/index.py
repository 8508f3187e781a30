"""An inverted index over papers: narrow with bit masks, then rank a few candidates."""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Iterable, Mapping, MutableMapping, MutableSequence, Sequence
from dataclasses import dataclass, field
from itertools import islice

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA

from readinglist.model import Paper
from readinglist.search.facets import facet_values
from readinglist.search.names import TEXTS, NameFacets
from readinglist.search.postings import Decoded, Postings, positions, to_mask
from readinglist.search.query import Filter, Query, QueryError, Term, parse_query
from readinglist.search.rows import Fetch, Row, Rows, Unavailable, pack_rows
from readinglist.search.state import Facets, States, UserState
from readinglist.search.tokens import definitions, max_typos, phrase_finder, stem, tokens, variants

SHORT_PREFIX = 3  # shorter prefixes expand over titles, tags and notes only
SIMILARITY_CAP = 3000  # rank a tier by title similarity only up to this size
SPARSE = 4096  # masks with fewer papers are ranked by sorting, denser ones by scanning
STALE_SHARE = 0.1  # a saved index is patched while at most this share of it changed


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
    """Where one query term matched, as masks of papers: all that match it, those whose
    title does, those it reaches only through a typo, and those whose author's family
    name matches it but not the title."""

    papers: int
    title: int
    typo_only: int
    words: set[str] = field(default_factory=set)
    author: int = 0


def _bib_key(paper: Paper) -> tuple:
    """What the indexed text, names, rank and facets of a paper depend on (a paper whose
    key is unchanged only has its user state taken in again)."""
    names = tuple(tuple(texts(paper)) for texts in TEXTS.values())
    return (paper.title, paper.abstract, _recency(paper), names, facet_values(paper))


def text_key(paper: Paper) -> int:
    """A checksum of what the postings hold for a paper (title and abstract), and its size."""
    text = f"{paper.title}\0{paper.abstract}".encode("utf-8", "surrogatepass")
    return zlib.crc32(text) << 32 | len(text) & 0xFFFFFFFF


def _recency(paper: Paper) -> str:
    """A sort key: publication date (or year), then when added ("\0" sorts before both)."""
    return f"{paper.published or paper.year or ''}\0{paper.added or ''}"


class SearchIndex:
    """Search over papers: bibliographic text indexed once, user state kept apart.

    Papers are values: a change is a new Paper given to `update`, never an edit in place.
    """

    def __init__(self, papers: Iterable[Paper | None] = (), *, _bib: tuple | None = None) -> None:
        # A restored index (`_bib`) may have empty positions (None): papers gone since.
        self._papers: list[Paper | None] | Rows = list(papers)
        self._ids = [p.id if p else "" for p in self._papers]
        self._pos = {p.id: pos for pos, p in enumerate(self._papers) if p is not None}
        self._acronyms: MutableMapping[str, set[tuple[str, ...]]] = {}
        if _bib:
            self._title, self._abstract, acronyms, self._vocab = _bib
            self._acronyms.update(acronyms)
        else:
            self._title, self._abstract = self._build_text()
            self._vocab = sorted(self._title.tokens() | self._abstract.tokens())
        self._clear_caches()
        self._state, self._facets = UserState.of(self._papers), Facets.of(self._papers)
        self._names = NameFacets(self._papers)
        self._alive = to_mask(self._pos.values())
        self._recencies = [_recency(paper) if paper else "" for paper in self._papers]
        self._by_rank: MutableSequence[int] = _newest_first(self._ids, self._recencies)
        self._rank: Sequence[int] = []
        self._fetch: Fetch | None = None

    def _clear_caches(self) -> None:
        self._acronym_cache: dict[str, int] = {}
        self._prefix_cache: dict[str, tuple[list[str], int, int]] = {}
        self._by_length: dict[tuple[int, str], list[str]] | None = None

    @classmethod
    def saved(
        cls,
        data: dict,
        states: States,
        fetch: Fetch,
        changed: Iterable[str] = (),
        gone: Iterable[str] = (),
    ) -> SearchIndex:
        """The index saved as `data` (`bibliographic()`), for papers whose rows it holds and
        whose user state is `states` (id -> read, tags, note, and their groups), without
        the corpus.

        The papers of `changed` (ids) are read with `fetch` and taken in again (those of
        `gone` were removed); a phrase reads its candidates' abstracts with it. Raises
        Unavailable when a paper cannot be had (then search the whole library).
        """
        index = cls.__new__(cls)
        ids = data["ids"]
        index._papers = Rows(ids, data["rows"], data["row_ends"], states)
        index._ids = list(ids)
        index._pos = dict(zip(ids, range(len(ids)), strict=True))
        index._pos.pop("", None)  # empty positions
        index._title, index._abstract, index._acronyms, index._vocab = _saved_bib(data, len(ids))
        index._clear_caches()
        index._state = UserState.of_ids(states.groups, index._pos)
        index._facets = Facets.saved(data["facets"], len(ids))
        index._names = NameFacets.saved(index._papers, data["names"])
        whole = len(index._pos) == len(ids)  # no empty position: every bit set
        index._alive = (1 << len(ids)) - 1 if whole else to_mask(index._pos.values())
        index._recencies = data["recency"]
        index._by_rank = array("I", data["rank"])
        index._rank = array("I", data["ranks"])
        index._fetch = fetch
        gone = set(gone)
        for pid in set(changed):
            index.remove(pid)
            paper = fetch(pid)
            if paper is not None:
                index.update(paper)
            elif pid not in gone:  # stored, says the log; not there, says the directory
                raise Unavailable(pid)
        return index

    def warm(self) -> None:
        """Fill what the first keystrokes need (one-letter prefixes, typo lookup, names)."""
        self._names.groups("family")
        for letter in {token[0] for token in self._vocab}:
            self._prefixed(letter)
        self._typo_words("warmup")

    def __len__(self) -> int:
        return len(self._pos)

    # -- changes ---------------------------------------------------------

    def update(self, paper: Paper) -> None:
        """Take in a changed or new paper; a user-state change costs microseconds."""
        pos = self._pos.get(paper.id)
        before = None if pos is None else self._papers[pos]
        if (
            pos is not None
            and before is not None
            and not isinstance(before, Row)  # a saved row: taken in whole
            and _bib_key(before) == _bib_key(paper)
        ):
            self._state.discard(pos, before)
            self._state.add(pos, paper)
            self._papers[pos] = paper
            return
        if pos is not None:
            self.remove(paper.id)
        pos = len(self._papers)
        self._acronym_cache.clear()
        self._prefix_cache.clear()
        self._papers.append(paper)
        self._ids.append(paper.id)
        self._recencies.append(_recency(paper))
        self._pos[paper.id] = pos
        self._index_text(paper, pos)
        self._facets.add(pos, paper)
        self._names.add(pos, paper)
        self._state.add(pos, paper)
        self._alive |= 1 << pos
        insort(self._by_rank, pos, key=self._newest)
        self._rank = []

    def remove(self, paper_id: str) -> None:
        """Forget a paper (its postings stay, masked out, until the next build)."""
        pos = self._pos.pop(paper_id, None)
        paper = None if pos is None else self._papers[pos]
        if pos is None or paper is None:
            return
        self._facets.discard(pos, paper)
        self._names.discard(pos, paper)
        self._state.discard(pos, paper)
        self._papers[pos] = None
        self._ids[pos] = ""
        self._alive &= ~(1 << pos)
        self._by_rank.remove(pos)
        self._rank = []

    def _build_text(self) -> tuple[Postings, Postings]:
        """The title and abstract postings of every paper (and the acronyms they define)."""
        live = [(pos, paper) for pos, paper in enumerate(self._papers) if paper is not None]
        size = len(self._papers)
        title = Postings.build(((pos, set(tokens(p.title))) for pos, p in live), size)
        abstract = Postings.build(((pos, set(tokens(p.abstract))) for pos, p in live), size)
        for _, paper in live:
            self._add_acronyms(paper)
        return title, abstract

    def _index_text(self, paper: Paper, pos: int) -> None:
        for text, postings in ((paper.title, self._title), (paper.abstract, self._abstract)):
            for token in set(tokens(text)):
                if postings.add(token, pos):
                    self._add_word(token)
        self._add_acronyms(paper)

    def _add_acronyms(self, paper: Paper) -> None:
        for text in (paper.abstract, paper.title):
            if "(" in text:
                for key, words in definitions(text):
                    self._acronyms.setdefault(key, set()).add(words)

    def _add_word(self, token: str) -> None:
        i = bisect_left(self._vocab, token)
        if i == len(self._vocab) or self._vocab[i] != token:
            self._vocab.insert(i, token)
            self._by_length = None

    def _rerank(self) -> None:
        """Each position's rank, from `_by_rank` (which changes keep in rank order)."""
        if not self._rank:
            self._rank = _ranks(self._by_rank, len(self._ids))

    def _newest(self, pos: int) -> _Newest:
        """The rank key of a position."""
        return _Newest(self._recencies[pos], self._ids[pos])

    # -- term matching ---------------------------------------------------

    def _typo_words(self, word: str) -> list[str]:
        """Closest known words (edits or swaps; same first or last letter) to an unknown word."""
        limit = max_typos(word)
        if not limit:
            return []
        if self._by_length is None:
            self._by_length = defaultdict(list)
            for token in self._vocab:
                self._by_length[len(token), token[0]].append(token)
                self._by_length[len(token), "$" + token[-1]].append(token)
        choices: dict[str, None] = {}
        for n in range(len(word) - limit, len(word) + limit + 1):
            choices.update(dict.fromkeys(self._by_length.get((n, word[0]), ())))
            choices.update(dict.fromkeys(self._by_length.get((n, "$" + word[-1]), ())))
        choices.update(dict.fromkeys(self._state.vocabulary()))
        near = process.extract(
            word, list(choices), scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        found = [(token, distance) for token, distance, _ in near if self._known(token)]
        best = min((distance for _, distance in found), default=None)
        return [token for token, distance in found if distance == best]

    def _known(self, token: str) -> bool:
        """Whether a paper still here holds the word (postings keep removed papers' words)."""
        text = self._title.mask([token]) | self._abstract.mask([token])
        if text & self._alive or token in self._state.words.masks:
            return True
        return token in self._names.groups("family").masks

    def _prefixed(self, prefix: str) -> tuple[list[str], int, int]:
        """Vocabulary words starting with `prefix`, with their title and abstract masks."""
        cached = self._prefix_cache.get(prefix)
        if cached is not None:
            return cached
        i = bisect_left(self._vocab, prefix)
        words = self._vocab[i : bisect_left(self._vocab, prefix + "\U0010ffff", i)]
        title = self._title.mask(words)
        abstract = self._abstract.mask(words) if len(prefix) >= SHORT_PREFIX else 0
        if len(words) > 32:
            if len(self._prefix_cache) > 512:
                self._prefix_cache.clear()
            self._prefix_cache[prefix] = (words, title, abstract)
        return words, title, abstract

    def _match(self, term: Term) -> _Match:
        word, state = term.word, self._state.words
        exact = [v for v in variants(word) if self._known(v)]
        title = self._title.mask(exact) | self._acronym_titles(word)
        found = self._abstract.mask(exact) | state.mask(exact)
        family = self._names.groups("family")
        author = 0 if term.title_only else family.mask(exact)
        typos = []
        if term.prefix:
            prefixed, in_title, in_abstract = self._prefixed(word)
            noted = self._state.with_prefix(word)
            title |= in_title
            found |= in_abstract | state.mask(noted)
            if not term.title_only and len(word) >= SHORT_PREFIX:
                author |= family.mask(self._names.with_prefix("family", word))
            if not (exact or prefixed or noted or author):
                typos = self._typo_words(word)
        elif not exact:
            typos = self._typo_words(word)
        title_typo = self._title.mask(typos) if typos else 0
        found = title if term.title_only else title | found | author
        typo = title_typo
        if typos and not term.title_only:
            typo |= self._abstract.mask(typos) | state.mask(typos)
        author &= ~(title | title_typo)
        words = {*exact, *typos}
        return _Match(found | typo, title | title_typo, typo & ~found, words, author)

    def _acronym_titles(self, word: str) -> int:
        """Papers whose title spells out an acronym that some paper defines."""
        cached = self._acronym_cache.get(word)
        if cached is not None:
            return cached
        found = []
        for key in {word, stem(word)}:
            for words in self._acronyms.get(key, ()):
                candidates = self._alive
                for w in words:
                    candidates &= self._title.mask(variants(w))
                has = phrase_finder(words, plural=True)
                found += [pos for pos in positions(candidates) if has(self._title_at(pos))]
        if len(self._acronym_cache) > 256:
            self._acronym_cache.clear()
        self._acronym_cache[word] = mask = to_mask(found)
        return mask

    def _phrase(self, words: tuple[str, ...], among: int) -> tuple[int, int]:
        """Papers among `among` containing the phrase: (anywhere, in the title)."""
        candidates = among
        for w in set(words):
            candidates &= (
                self._title.mask([w]) | self._abstract.mask([w]) | self._state.words.mask([w])
            )
        has = phrase_finder(words)
        anywhere, title = [], []
        for pos in positions(candidates):
            paper = self._papers[pos]
            if paper is None:
                continue
            if has(paper.title):
                title.append(pos)
                anywhere.append(pos)
            elif has(self._abstract_of(paper)) or has(paper.note):
                anywhere.append(pos)
        return to_mask(anywhere), to_mask(title)

    def _abstract_of(self, paper: Paper) -> str:
        """A paper's abstract (a saved row has none: the paper is read)."""
        if not isinstance(paper, Row):
            return paper.abstract
        whole = None if self._fetch is None else self._fetch(paper.id)
        if whole is None:
            raise Unavailable(paper.id)
        return whole.abstract

    def _filter(self, flt: Filter) -> int:
        if flt.kind == "read":
            return self._state.read.mask([True])
        if flt.kind == "tag":
            return self._state.tags.mask([flt.value])
        if flt.kind in ("author", "venue"):
            return self._names.named(flt)
        return self._facets.matching(flt)

    # -- search ----------------------------------------------------------

    def search(self, query: str | Query, limit: int | None = 200) -> SearchResult:
        """Ranked ids for a query; a malformed qualifier gives `error`, not an exception."""
        if isinstance(query, str):
            try:
                query = parse_query(query)
            except QueryError as exc:
                return SearchResult([], {}, 0, error=str(exc))
        self._rerank()
        matches = [self._match(t) for t in query.terms]
        docs = self._narrow(query, matches)
        if not query.ranked:  # newest first, as ranked ties are
            total = docs.bit_count()
            top = self._top(docs, total if limit is None else limit, {})
            ids = self._ids_at(top)
            return SearchResult(ids, dict.fromkeys(ids, 0.0), total)
        return self._rank_docs(query, matches, docs, limit)

    def _narrow(self, query: Query, matches: list[_Match]) -> int:
        """Papers matching every term, phrase and filter, and no exclusion."""
        docs = self._alive
        for m in matches:
            docs &= m.papers
        for flt in query.filters:
            docs = docs & ~self._filter(flt) if flt.negate else docs & self._filter(flt)
        for phrase in query.phrases:
            docs = self._phrase(phrase, docs)[0]
        for term in query.excluded:
            docs &= ~self._match(Term(term.word, title_only=term.title_only)).papers
        for phrase in query.excluded_phrases:
            docs &= ~self._phrase(phrase, docs)[0]
        return docs

    def _rank_docs(
        self, query: Query, matches: list[_Match], docs: int, limit: int | None
    ) -> SearchResult:
        # Tiers by weight: a term in the title counts 2, in an author's family name 1.
        titles = [m.title for m in matches]
        titles += [self._phrase(phrase, docs)[1] for phrase in query.phrases]
        weighted = [*titles, *titles, *(m.author for m in matches if m.author & docs)]
        typos = [m.typo_only for m in matches if m.typo_only & docs]
        text = " ".join([*(t.word for t in query.terms), *(" ".join(p) for p in query.phrases)])
        total = docs.bit_count()
        need = total if limit is None else min(limit, total)
        ranked: list[str] = []
        scores: dict[str, float] = {}
        for weight, tier in reversed(list(enumerate(_split(docs, weighted)))):
            hits = weight / 2
            for typo, members in enumerate(_split(tier, typos) if typos else [tier]):
                sim = self._similarity(text, members, weight, len(titles) > 1)
                top = self._top(members, need - len(ranked), sim)
                ids = self._ids_at(top)
                base = 10.0 * hits + max(0, 5 - typo)
                if sim:
                    scores.update(zip(ids, [base + sim[pos] / 100 for pos in top], strict=True))
                else:
                    scores.update(dict.fromkeys(ids, base))
                ranked += ids
            if len(ranked) >= need:
                break
        words = frozenset().union(*(m.words for m in matches))
        prefixes = tuple(t.word for t in query.terms if t.prefix)
        return SearchResult(ranked, scores, total, words, prefixes, query.phrases)

    def _ids_at(self, found: list[int]) -> list[str]:
        """The ids of the papers at positions `found` (all live: masked by `_alive`)."""
        return [pid for pos in found if (pid := self._ids[pos])]

    def _title_at(self, pos: int) -> str:
        paper = self._papers[pos]
        return "" if paper is None else paper.title

    def _similarity(self, text: str, members: int, hits: int, multi: bool) -> dict[int, float]:
        if not (hits and multi) or members.bit_count() > SIMILARITY_CAP:
            return {}
        titles = {pos: self._title_at(pos) for pos in positions(members)}
        found = process.extract(
            text, titles, scorer=fuzz.token_sort_ratio, processor=utils.default_process, limit=None
        )
        return {pos: round(score, 1) for _, score, pos in found}

    def _top(self, members: int, need: int, sim: dict[int, float]) -> list[int]:
        """The first `need` members: by title similarity, then newest, then id."""
        count = members.bit_count()
        if need <= 0 or not count:
            return []
        rank = self._rank
        if sim:
            return sorted(positions(members), key=lambda p: (-sim[p], rank[p]))[:need]
        if count <= SPARSE:
            return sorted(positions(members), key=rank.__getitem__)[:need]
        data = members.to_bytes((len(rank) + 7) >> 3, "little")
        found = (pos for pos in self._by_rank if data[pos >> 3] >> (pos & 7) & 1)
        return list(islice(found, need))

    # -- persistence -----------------------------------------------------

    def bibliographic(self) -> dict:
        """The indexed text (postings, vocabulary, acronyms), ids and text keys, and what a
        search needs besides (rows, rank, facets, names; not the user state), for saving."""
        if isinstance(self._papers, Rows):
            raise TypeError("an index loaded from rows is kept current by the change log")
        texts = array("Q", (text_key(p) if p else 0 for p in self._papers))
        self._rerank()
        rows, ends = pack_rows(self._papers)
        return {
            "ids": list(self._ids),
            "texts": texts.tobytes(),
            "title": self._title.dump(),
            "abstract": self._abstract.dump(),
            "vocab": self._vocab,
            "acronyms": {k: sorted(v) for k, v in self._acronyms.items()},
            "rows": rows,
            "row_ends": ends,
            "recency": self._recencies,
            "rank": array("I", self._by_rank).tobytes(),
            "ranks": array("I", self._rank).tobytes(),
            "facets": self._facets.dump(),
            "names": self._names.dump(),
        }

    @classmethod
    def restore(
        cls,
        data: dict,
        papers: list[Paper],
        *,
        trusted: bool = False,
        changed: Iterable[str] = (),
    ) -> tuple[SearchIndex, int] | None:
        """An index from `bibliographic()` output, brought up to date with `papers`.

        Papers gone since are dropped, new or changed ones indexed one by one (`trusted`:
        the papers are those indexed, but for the ids in `changed`, so their text is not
        checked). Returns the index and how many papers it took in, or None when so much
        changed that a build is better.
        """
        by_id = {p.id: p for p in papers}
        kept = [by_id.get(pid) for pid in data["ids"]]
        if not trusted:
            keys = array("Q")
            keys.frombytes(data["texts"])
            checked = zip(kept, keys, strict=True)
            kept = [p if p and text_key(p) == key else None for p, key in checked]
        elif changed := set(changed):
            kept = [None if p is not None and p.id in changed else p for p in kept]
        present = {p.id for p in kept if p is not None}
        fresh = [p for p in papers if p.id not in present]
        if len(fresh) + kept.count(None) > STALE_SHARE * len(kept):
            return None
        index = cls(kept, _bib=_saved_bib(data))
        for paper in fresh:
            index.update(paper)
        return index, len(fresh)


def _saved_bib(data: dict, lazy: int | None = None) -> tuple:
    """The saved postings, acronyms and vocabulary (`lazy`: see `Postings.load`; the
    acronyms too are then decoded, and checked, when first looked up)."""
    acronyms = data["acronyms"]
    return (
        Postings.load(data["title"], lazy),
        Postings.load(data["abstract"], lazy),
        Decoded(acronyms, _long_forms) if lazy is not None else _decoded(acronyms),
        data["vocab"],
    )


def _decoded(acronyms: Mapping[str, list]) -> dict[str, set[tuple[str, ...]]]:
    return {key: _long_forms(forms) for key, forms in acronyms.items()}


def _long_forms(saved: object) -> set[tuple[str, ...]]:
    """The long forms saved for one acronym (lists of words); Unavailable for any other value."""
    if not isinstance(saved, list):
        raise Unavailable("acronyms")
    found = set()
    for words in saved:
        if not (isinstance(words, list) and all(type(w) is str for w in words)):
            raise Unavailable("acronyms")
        found.add(tuple(words))
    return found


def _newest_first(ids: list[str], recencies: list[str]) -> list[int]:
    """The live positions (an id) newest first (publication, then added), ties by id."""
    live = [pos for pos, pid in enumerate(ids) if pid]
    live.sort(key=ids.__getitem__)
    live.sort(key=recencies.__getitem__, reverse=True)
    return live


class _Newest:
    """A rank key: newer first (by recency), then by id, as `_newest_first` orders."""

    __slots__ = ("recency", "pid")

    def __init__(self, recency: str, pid: str) -> None:
        self.recency, self.pid = recency, pid

    def __lt__(self, other: _Newest) -> bool:
        return (other.recency, self.pid) < (self.recency, other.pid)


def _ranks(by_rank: Sequence[int], size: int) -> list[int]:
    """Each position's rank, from the positions in rank order."""
    rank = [0] * size
    for at, pos in enumerate(by_rank):
        rank[pos] = at
    return rank


def _split(docs: int, groups: list[int]) -> list[int]:
    """`docs` by how many of the groups hold them: item k holds those in exactly k."""
    at_least = [docs]
    for group in groups:
        group &= docs
        if not group:
            continue
        at_least.append(0)
        for k in range(len(at_least) - 1, 0, -1):
            at_least[k] |= at_least[k - 1] & group
    return [at_least[k] & ~at_least[k + 1] for k in range(len(at_least) - 1)] + [at_least[-1]]
