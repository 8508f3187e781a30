"""Authors and venues in search: plain words, author:, author:^, venue:, ranking."""

from __future__ import annotations

from dataclasses import replace

import pytest

from readinglist.model import Paper
from readinglist.search import SearchIndex, parse_query, search_papers
from readinglist.search.people import family_words

PAPERS = [
    Paper(id="title", title="Smith Normal Forms", abstract="About matrices.", authors=["Ann Lee"]),
    Paper(id="author", title="Graph Kernels", abstract="About graphs.",
          authors=["Ashish Vaswani", "John Smith"], journal="Advances in Neural Information "
          "Processing Systems"),
    Paper(id="abstract", title="Matrix Games", abstract="Following Smith, we play games.",
          journal="ICML"),
    Paper(id="broeck", title="Probabilistic Circuits", abstract="Tractable models.",
          authors=["Guy Van den Broeck", "YooJung Choi"], journal="Journal of Machine Learning "
          "Research"),
    Paper(id="split", title="Unrelated", abstract="Other things.",
          authors=["Anna Van Smith", "Den Broeck"]),
    Paper(id="many", title="Big Science", abstract="A large team.", author_count=40),
]  # fmt: skip


@pytest.fixture(scope="module")
def index():
    return SearchIndex(PAPERS)


def ids(index, query):
    result = index.search(query, limit=None)
    assert result.error is None, result.error
    return result.ids


def test_family_names_rank_below_titles_and_above_abstracts(index):
    assert ids(index, "smith ") == ["title", "author", "split", "abstract"]


def test_given_names_are_not_plain_words(index):
    assert ids(index, "ashish ") == []


def test_author_filters_by_any_part_of_any_name(index):
    assert ids(index, "author:vaswani") == ["author"]
    assert ids(index, "author:ashish") == ["author"]
    assert sorted(ids(index, "author:smith")) == ["author", "split"]


def test_a_quoted_name_must_be_one_author(index):
    assert ids(index, 'author:"van den broeck"') == ["broeck"]


def test_a_caret_means_the_first_author(index):
    assert ids(index, "author:^vaswani") == ["author"]
    assert ids(index, "author:^smith") == ["split"]
    assert ids(index, 'author:^"van den broeck"') == ["broeck"]
    assert ids(index, "author:^choi") == []


def test_an_author_being_typed_matches_as_a_prefix(index):
    assert ids(index, "author:vasw") == ["author"]
    assert ids(index, "author:vasw ") == []


def test_excluding_an_author(index):
    assert "author" not in ids(index, "-author:vaswani")
    assert len(ids(index, "-author:vaswani")) == len(PAPERS) - 1


def test_venue_words_and_known_short_names(index):
    assert ids(index, "venue:neurips") == ["author"]
    assert ids(index, "venue:icml") == ["abstract"]
    assert ids(index, 'venue:"machine learning research"') == ["broeck"]
    assert ids(index, "venue:jmlr") == ["broeck"]
    assert ids(index, "venue:neural") == ["author"]


def test_authors_count_filter_is_unchanged(index):
    assert ids(index, "authors:>10") == ["many"]
    assert set(ids(index, "authors:2")) == {"author", "broeck", "split"}


def test_an_empty_author_is_explained():
    result = SearchIndex(PAPERS).search("author: graphs")
    assert result.error.startswith("author: — expected a name like author:vaswani")
    assert parse_query("author:x").filters[0].kind == "author"


def test_changing_authors_reindexes_them():
    index = SearchIndex(PAPERS)
    index.update(replace(PAPERS[1], authors=["Grace Hopper"]))
    assert ids(index, "author:vaswani") == []
    assert ids(index, "hopper") == ["author"]
    index.remove("author")
    assert ids(index, "hopper") == []


def test_a_restored_index_finds_authors():
    built = SearchIndex(PAPERS)
    restored, _ = SearchIndex.restore(built.bibliographic(), PAPERS)
    assert ids(restored, "vaswani") == ["author"]
    assert ids(restored, 'author:"van den broeck"') == ["broeck"]


def test_search_papers_finds_an_author():
    assert [p.id for p, _ in search_papers(PAPERS, "vaswani")] == ["author"]


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Ashish Vaswani", ("vaswani",)),
        ("Guy Van den Broeck", ("van", "den", "broeck")),
        ("Ludwig von Beethoven", ("von", "beethoven")),
        ("LeCun, Yann", ("lecun",)),
        ("Patrick Haffner, Jr.", ("haffner",)),
        ("Mary Smith-Jones", ("smith", "jones")),
        ("Plato", ("plato",)),
        ("Google Brain", ("brain",)),
        # names.py's rules: the suffix is never the family name, particles as it knows them
        ("Ira E. Hyman Jr", ("hyman",)),
        ("Hyman, Jr, Ira E.", ("hyman",)),
        ("Jean-Luc de Mauro III", ("de", "mauro")),
        ("Lucas Da Costa", ("da", "costa")),
        ("Juan de la Fuente", ("de", "la", "fuente")),
        ("Van Den Hoven, Elise", ("van", "den", "hoven")),
        ("Omar ibn Said", ("ibn", "said")),
    ],
)
def test_family_words(name, family):
    assert family_words(name) == family
