"""Search: the query language, an inverted index with typo and acronym matching."""

from readinglist.search.cache import load_or_build, search_papers
from readinglist.search.highlight import highlight_spans
from readinglist.search.index import SearchIndex, SearchResult
from readinglist.search.query import Filter, Query, QueryError, Term, parse_query

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
