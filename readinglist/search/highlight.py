"""Character spans of a title to highlight for a query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from readinglist.search.query import Query, QueryError, parse_query
from readinglist.search.tokens import STOPWORDS, max_typos, phrase_pattern, token_spans, variants

if TYPE_CHECKING:
    from readinglist.search.index import SearchResult


def highlight_spans(text: str, query: str | Query | SearchResult) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of `text` that match the query's words.

    Pass the SearchResult to highlight exactly the words the index matched
    (typo corrections included); a query string or Query is matched on its own.
    """
    words, prefixes, phrases, typo_words = _terms(query)
    spans = token_spans(text)
    found = []
    for token, start, end in spans:
        if _hit(token, words, prefixes, typo_words):
            found.append((start, end))
    for word in words | set(prefixes):
        found += _acronym_spans(word, spans)
    for phrase in phrases:
        found += [m.span() for m in phrase_pattern(phrase).finditer(text)]
    return _merge(found)


def _terms(query) -> tuple[set[str], tuple[str, ...], tuple, tuple[str, ...]]:
    if isinstance(query, str):
        try:
            query = parse_query(query)
        except QueryError:
            return set(), (), (), ()
    if isinstance(query, Query):
        full = [t.word for t in query.terms if not t.prefix]
        words = {v for w in full for v in variants(w)}
        prefixes = tuple(t.word for t in query.terms if t.prefix)
        return words, prefixes, query.phrases, tuple(full)
    return set(query.terms), query.prefixes, query.phrases, ()


def _hit(token: str, words: set[str], prefixes: tuple[str, ...], typo_words) -> bool:
    if token in words or any(token.startswith(p) for p in prefixes):
        return True
    return any(_close(token, w) for w in typo_words)


def _close(token: str, word: str) -> bool:
    limit = min(max_typos(word), max_typos(token))
    return bool(limit) and OSA.distance(token, word, score_cutoff=limit) <= limit


def _acronym_spans(word: str, spans: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Runs of title words whose initials spell `word` (NAS: Neural Architecture Search)."""
    n = len(word)
    if not 3 <= n <= 10 or not word.isalpha():
        return []
    found = []
    for i in range(len(spans) - n + 1):
        run = spans[i : i + n]
        initials = "".join(t[0] for t, _, _ in run)
        if initials == word and all(len(t) > 2 and t not in STOPWORDS for t, _, _ in run):
            found.append((run[0][1], run[-1][2]))
    return found


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
