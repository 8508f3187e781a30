"""Search: the query language, an inverted index with typo and acronym matching.

The names below load their modules when first used, so a module that needs only
`search.changes` (a library write) does not pay for rapidfuzz.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readinglist.search.cache import load_or_build, search_papers
    from readinglist.search.highlight import highlight_spans
    from readinglist.search.index import SearchIndex, SearchResult
    from readinglist.search.query import Filter, Query, QueryError, Term, parse_query

_HOMES = {
    "Filter": "query",
    "Query": "query",
    "QueryError": "query",
    "SearchIndex": "index",
    "SearchResult": "index",
    "Term": "query",
    "highlight_spans": "highlight",
    "load_or_build": "cache",
    "parse_query": "query",
    "search_papers": "cache",
}

__all__ = [
    "Filter",
    "Query",
    "QueryError",
    "SearchIndex",
    "SearchResult",
    "Term",
    "highlight_spans",
    "load_or_build",
    "parse_query",
    "search_papers",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
