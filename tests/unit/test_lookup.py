"""Which paper a reference names, decided the same way in memory and through the directory."""

from dataclasses import replace

import pytest

from readinglist.errors import UnknownIdError
from readinglist.model import Paper, paper_id
from readinglist.persistence import lookup
from readinglist.persistence.lookup import PapersInMemory


def make(title: str, **fields) -> Paper:
    return Paper(id=paper_id(title, ""), title=title, **fields)


@pytest.fixture
def names():
    first = make("Attention is all you need", key="vaswani2017attention", aliases=["a" * 16])
    second = make("Deep residual learning", key="he2016deep")
    return PapersInMemory({p.id: p for p in (first, second)}), first, second


def test_an_id_an_alias_a_key_and_a_prefix_each_name_their_paper(names):
    found, first, second = names
    assert lookup.resolve(first.id.upper(), found) == first.id
    assert lookup.resolve("a" * 16, found) == first.id
    assert lookup.resolve("HE2016DEEP", found) == second.id  # keys ignore case, as BibTeX
    assert lookup.resolve(second.id[:8], found) == second.id


def test_a_bad_reference_says_why(names):
    found, _, _ = names
    with pytest.raises(UnknownIdError, match="empty id"):
        lookup.resolve("  ", found)
    with pytest.raises(UnknownIdError, match="at least"):
        lookup.resolve("zz", found)
    with pytest.raises(UnknownIdError, match="no paper has this id or cite key"):
        lookup.resolve("nobody2020", found)


def test_an_ambiguous_prefix_is_refused():
    papers = {f"abcd{n}{'0' * 10}": make(f"Paper {n}") for n in range(2)}
    papers = {pid: replace(p, id=pid) for pid, p in papers.items()}
    with pytest.raises(UnknownIdError, match="ambiguous id"):
        lookup.resolve("abcd", PapersInMemory(papers))


def test_a_changed_paper_is_taken_in(names):
    found, first, _ = names
    renamed = replace(first, key="newkey2017", aliases=["b" * 16])
    found.papers[first.id] = renamed
    found.changed(first, renamed)
    assert lookup.resolve("newkey2017", found) == first.id
    assert lookup.resolve("b" * 16, found) == first.id
    with pytest.raises(UnknownIdError):
        lookup.resolve("a" * 16, found)
    with pytest.raises(UnknownIdError):
        lookup.resolve("vaswani2017attention", found)


def test_a_key_made_up_from_the_record_names_a_paper_without_a_stored_key():
    paper = make("Attention is all you need", authors=["Ashish Vaswani"], year=2017)
    found = PapersInMemory({paper.id: paper})
    assert found.key_owner("vaswani2017attention") is None
    assert lookup.resolve("vaswani2017attention", found) == paper.id


def test_named_by_checks_what_a_directory_found(names):
    _, first, second = names
    assert lookup.named_by(first, "Vaswani2017Attention")
    assert lookup.named_by(first, first.id[:6])
    assert not lookup.named_by(second, first.id[:6])
