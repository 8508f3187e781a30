"""The query language: words, "phrases", -exclusions and key:value qualifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from readinglist.errors import ReadingListError
from readinglist.model import normalise_tag
from readinglist.search.facets import FACET_TABLE, FACETS
from readinglist.search.tokens import STOPWORDS, tokens

_CHUNK = re.compile(r'\s*(-?)([A-Za-z]+:)?(\^?"[^"]*"?|[^\s"]*)')
_COMPARE = re.compile(r"^(>=|<=|>|<|=)?(\d+)$")
_RANGE = re.compile(r"^(\d*)\.\.(\d*)$")
_NUMERIC_HINTS = {facet.name: facet.hint for facet in FACET_TABLE if facet.numeric}
_TEXT_HINTS = {
    "title": "a word like title:attention",
    "author": 'a name like author:vaswani, author:"van den broeck" or author:^vaswani',
    "venue": 'a venue like venue:neurips or venue:"machine learning"',
    "tag": "a tag like tag:robustness",
    **{facet.name: facet.hint for facet in FACET_TABLE if not facet.numeric},
}
KEYS = frozenset({"is", *_NUMERIC_HINTS, *_TEXT_HINTS})


class QueryError(ReadingListError):
    """A malformed qualifier; the message is one line naming it."""


@dataclass(frozen=True)
class Term:
    """One query word; `prefix` while it is still being typed."""

    word: str
    prefix: bool = False
    title_only: bool = False


@dataclass(frozen=True)
class Filter:
    """A qualifier: `kind` is read, tag, author, venue or a facet's name (year, source, ...).

    For author and venue, `value` is the folded words, `prefix` says the last one is
    still being typed, `first` limits author to the first author.
    """

    kind: str
    value: str = ""
    lo: int | None = None
    hi: int | None = None
    negate: bool = False
    prefix: bool = False
    first: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: all terms and phrases must match, none of the excluded."""

    terms: tuple[Term, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    excluded_phrases: tuple[tuple[str, ...], ...] = ()
    filters: tuple[Filter, ...] = ()

    @property
    def ranked(self) -> bool:
        """Whether there are words to rank by (else the query only filters)."""
        return bool(self.terms or self.phrases)


def parse_query(text: str) -> Query:
    """Parse a query; raises QueryError with a one-line message for a bad qualifier."""
    typing = bool(text) and not text[-1].isspace()
    parts: dict[str, list] = {"terms": [], "phrases": [], "excluded": [], "xphrases": []}
    filters: list[Filter] = []
    chunks = _chunks(text)
    for i, (negate, key, body) in enumerate(chunks):
        last = typing and i == len(chunks) - 1
        if key in KEYS:
            _qualifier(key, body, negate, last, parts, filters)
        elif body.startswith(('"', '^"')):
            _phrase(body, negate, last, parts)
        else:
            _words(tokens(f"{key}:{body}" if key else body), negate, last, False, parts)
    return Query(
        terms=_drop_stopwords(parts["terms"]),
        phrases=tuple(parts["phrases"]),
        excluded=tuple(parts["excluded"]),
        excluded_phrases=tuple(parts["xphrases"]),
        filters=tuple(filters),
    )


def _chunks(text: str) -> list[tuple[bool, str | None, str]]:
    """Split into (negated, key or None, body) chunks."""
    result, pos = [], 0
    while pos < len(text):
        match = _CHUNK.match(text, pos)
        assert match is not None  # every part of the pattern is optional
        if match.end() == pos or not match.group().strip():
            break
        pos = match.end()
        negate, key, body = match.groups()
        result.append((negate == "-", key[:-1].lower() if key else None, body))
    return result


def _words(words: list[str], negate: bool, last: bool, title: bool, parts: dict) -> None:
    target = parts["excluded"] if negate else parts["terms"]
    for j, word in enumerate(words):
        prefix = last and not negate and j == len(words) - 1
        target.append(Term(word, prefix=prefix, title_only=title))


def _phrase(body: str, negate: bool, last: bool, parts: dict) -> None:
    closed = len(body) > 1 and body.endswith('"')
    words = tuple(tokens(body.strip('"')))
    if not words:
        return
    if not closed and last:
        _words(list(words), negate, True, False, parts)
    else:
        parts["xphrases" if negate else "phrases"].append(words)


def _qualifier(key: str, body: str, negate: bool, last: bool, parts: dict, out: list) -> None:
    value = body.strip('"').strip()
    if key == "title":
        words = tokens(value)
        if not words:
            raise QueryError(f"title:{value} — expected {_TEXT_HINTS[key]}")
        _words(words, negate, last, True, parts)
    elif key == "is":
        if value.lower() not in ("read", "unread"):
            raise QueryError(f"is:{value} — expected is:read or is:unread")
        out.append(Filter("read", negate=negate != (value.lower() == "unread")))
    elif key == "tag":
        out.append(Filter("tag", value=_tag(value), negate=negate))
    elif key in ("author", "venue"):
        out.append(_name_filter(key, body, negate, last))
    elif not FACETS[key].numeric:
        if not value:
            raise QueryError(f"{key}: — expected {_TEXT_HINTS[key]}")
        out.append(Filter(key, value=value.lower(), negate=negate))
    else:
        lo, hi = _bounds(key, value)
        out.append(Filter(key, lo=lo, hi=hi, negate=negate))


def _name_filter(key: str, body: str, negate: bool, last: bool) -> Filter:
    """author:NAME, author:"several words", author:^NAME (first author); venue:WORDS."""
    first = key == "author" and body.lstrip('"').startswith("^")
    closed = len(body) > 1 and body.endswith('"') and body.count('"') >= 2
    words = tokens(body.replace("^", " ", 1) if first else body)
    if not words:
        raise QueryError(f"{key}:{body} — expected {_TEXT_HINTS[key]}")
    typing = last and not closed and not negate
    return Filter(key, value=" ".join(words), negate=negate, prefix=typing, first=first)


def _tag(value: str) -> str:
    try:
        return normalise_tag(value)
    except ValueError as exc:
        raise QueryError(f"tag:{value} — {exc}; expected {_TEXT_HINTS['tag']}") from None


def _bounds(key: str, value: str) -> tuple[int | None, int | None]:
    """Inclusive bounds of a numeric qualifier value (None: unbounded)."""
    compare, span = _COMPARE.match(value), _RANGE.match(value)
    if compare:
        op, n = compare.group(1) or "=", int(compare.group(2))
        return {
            "=": (n, n),
            ">": (n + 1, None),
            ">=": (n, None),
            "<": (None, n - 1),
            "<=": (None, n),
        }[op]
    if span and (span.group(1) or span.group(2)):
        lo, hi = (int(g) if g else None for g in span.groups())
        if lo is None or hi is None or lo <= hi:
            return lo, hi
    raise QueryError(f"{key}:{value} — expected {_NUMERIC_HINTS[key]}")


def _drop_stopwords(terms: list[Term]) -> tuple[Term, ...]:
    """Finished stopwords add nothing when other words are there."""
    kept = [t for t in terms if t.prefix or t.title_only or t.word not in STOPWORDS]
    return tuple(kept or terms)
