"""Library.cite_keys: the stored keys, kept between calls, always what cite_keys would give."""

from __future__ import annotations

from readinglist.citations import cite_keys
from readinglist.model import Paper
from readinglist.persistence.library import Library


def _library(tmp_path) -> Library:
    lib = Library(tmp_path / "lib")
    lib.import_papers(
        [
            Paper(id="a" * 16, title="Attention is all you need", authors=["Ashish Vaswani"],
                  year=2017),
            Paper(id="b" * 16, title="Attention again", authors=["Ashish Vaswani"], year=2017),
            Paper(id="c" * 16, title="Sparse transformers", authors=["Rewon Child"], year=2019),
        ],
        source="test",
    )  # fmt: skip
    return lib


def _fresh(lib: Library) -> dict[str, str]:
    return cite_keys(lib.papers())


def test_the_keys_are_those_cite_keys_gives(tmp_path):
    lib = _library(tmp_path)
    assert lib.cite_keys() == _fresh(lib)
    assert len(set(lib.cite_keys().values())) == 3


def test_a_state_change_keeps_the_keys_without_recomputing(tmp_path, monkeypatch):
    lib = _library(tmp_path)
    before = lib.cite_keys()
    calls = []
    monkeypatch.setattr(
        "readinglist.persistence.library.cite_keys",
        lambda papers: calls.append(1) or cite_keys(papers),
    )
    lib.set_read(["a" * 16])
    lib.add_tags(["b" * 16], ["nlp"])
    assert lib.cite_keys() is before
    assert calls == []


def test_a_new_key_a_deletion_or_another_process_is_seen(tmp_path):
    lib = _library(tmp_path)
    lib.cite_keys()
    lib.edit("c" * 16, key="child2019sparse")
    assert lib.cite_keys()["c" * 16] == "child2019sparse"
    lib.remove(["a" * 16])
    assert lib.cite_keys() == _fresh(lib)
    assert "a" * 16 not in lib.cite_keys()
    other = Library(tmp_path / "lib")
    other.edit("b" * 16, key="again")
    assert lib.cite_keys()["b" * 16] == "again"
