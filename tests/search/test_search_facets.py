"""Each value facet of FACET_TABLE is a qualifier with its hint, filters, and re-indexes."""

from __future__ import annotations

import dataclasses

import pytest

from readinglist.model import Paper
from readinglist.search import SearchIndex, parse_query
from readinglist.search.facets import FACET_TABLE, Facet
from readinglist.search.query import QueryError

# A paper with a value for every facet, and the same paper changed in each.
BASE = Paper(
    id="p1", title="Sparse attention", year=2021, upvotes=7, authors=["Ada Lovelace"],
    sources=["Papers.txt"],
)  # fmt: skip
OTHER = Paper(
    id="p2", title="Dense attention", year=2015, upvotes=2, authors=["A B", "C D", "E F"],
    sources=["other.bib"],
)  # fmt: skip
CHANGED = {"year": {"year": 2030}, "upvotes": {"upvotes": 99}, "authors": {"authors": []},
           "source": {"sources": ["new.ris"]}}  # fmt: skip


def _query(facet: Facet, paper: Paper) -> str:
    (value,) = facet.values(paper)[:1] or ["none"]
    return f"{facet.name}:{value}"


def _found(index: SearchIndex, text: str) -> list[str]:
    result = index.search(text)
    assert result.error is None, result.error
    return result.ids


def test_every_facet_has_a_changed_value_here():
    assert set(CHANGED) == {facet.name for facet in FACET_TABLE}


@pytest.mark.parametrize("facet", FACET_TABLE, ids=lambda f: f.name)
def test_a_facet_is_a_qualifier_whose_error_gives_its_hint(facet):
    bad = "x" if facet.numeric else ""
    with pytest.raises(QueryError, match=rf"^{facet.name}:{bad} — expected {facet.hint}$"):
        parse_query(f"{facet.name}:{bad}")


@pytest.mark.parametrize("facet", FACET_TABLE, ids=lambda f: f.name)
def test_a_facet_filters_the_papers_by_their_value(facet):
    index = SearchIndex([BASE, OTHER])
    assert _found(index, _query(facet, BASE)) == ["p1"]
    assert _found(index, _query(facet, OTHER)) == ["p2"]
    assert _found(index, "-" + _query(facet, BASE)) == ["p2"]


@pytest.mark.parametrize("facet", FACET_TABLE, ids=lambda f: f.name)
def test_a_changed_facet_value_is_taken_in_by_update(facet):
    index = SearchIndex([BASE, OTHER])
    changed = dataclasses.replace(BASE, **CHANGED[facet.name])
    index.update(changed)
    assert "p1" not in _found(index, _query(facet, BASE))
    if facet.values(changed):
        assert _found(index, _query(facet, changed)) == ["p1"]
