"""Ranking quality on the seed library, plus highlighting and the domain boundary."""

from __future__ import annotations

import subprocess
import sys

import pytest
from quality_cases import CASES

from readinglist.search import SearchIndex, highlight_spans, search_papers


@pytest.fixture(scope="module")
def index(seeds):
    return SearchIndex(seeds)


def first_title(index, seeds, query):
    result = index.search(query, limit=5)
    assert result.error is None
    by_id = {p.id: p for p in seeds}
    return by_id[result.ids[0]].title if result.ids else None


def test_the_quality_set_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize(("query", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_expected_paper_comes_first(index, seeds, query, fragments):
    title = first_title(index, seeds, query)
    assert title is not None and any(f in title for f in fragments), title


def test_precision_at_one_is_at_least_0_9(index, seeds):
    hits = 0
    for query, fragments in CASES:
        title = first_title(index, seeds, query) or ""
        hits += any(f in title for f in fragments)
    assert hits / len(CASES) >= 0.9


def test_title_matches_rank_above_abstract_matches(index, seeds):
    by_id = {p.id: p for p in seeds}
    result = index.search("backdoor ", limit=None)
    in_title = ["backdoor" in by_id[i].title.lower() for i in result.ids]
    assert in_title == sorted(in_title, reverse=True)


def test_search_papers_returns_papers_with_scores(seeds):
    found = search_papers(seeds, "pointer networks", limit=3)
    assert found[0][0].title == "Pointer Networks"
    assert all(isinstance(score, float) for _, score in found)


def test_highlight_spans_for_words_prefixes_typos_and_acronyms():
    title = "Robustifying and Boosting Training-Free Neural Architecture Search"
    assert highlight_spans(title, "NAS") == [(40, 66)]
    assert highlight_spans(title, "robustifyng boost") == [(0, 12), (17, 25)]
    assert highlight_spans("Attention Is All You Need", '"all you" att') == [(0, 9), (13, 20)]
    assert highlight_spans("Attention", "year:abc") == []


def test_highlight_spans_from_a_result_use_the_matched_words(index):
    result = index.search("atention ")
    assert "attention" in result.terms
    assert highlight_spans("Gaussian Adaptive Attention", result) == [(18, 27)]


def test_the_search_modules_do_not_import_textual():
    code = "import sys, readinglist.search; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_search_papers_can_use_a_saved_index(seeds, tmp_path):
    first = search_papers(seeds, "hypernet", limit=3, cache_dir=tmp_path)
    assert (tmp_path / "search-index.bin").exists()
    assert search_papers(seeds, "hypernet", limit=3, cache_dir=tmp_path) == first
