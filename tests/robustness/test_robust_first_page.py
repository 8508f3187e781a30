"""The first page of a listing, read through the directory before the whole library: the
same papers in the same order as a whole read gives, or None (never a wrong page)."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from readinglist.listing import SORTS, filter_papers, first_sorted, sort_papers
from readinglist.persistence import directory as directory_module
from readinglist.persistence import storage
from readinglist.persistence.backups import RESTORING
from readinglist.persistence.directory import DIRECTORY_FILE, Directory
from readinglist.persistence.library import Library
from readinglist.persistence.shards import StateShards


def _varied(papers: list, seed: int = 5) -> list:
    """`papers` with sort values that tie, go missing and differ only in case."""
    rng = random.Random(seed)
    for i, paper in enumerate(papers):
        paper.added = f"2025-01-{1 + i // 7:02d}T00:00:00+00:00"  # batches of 7 tie
        paper.year = rng.choice([None, 2019, 2021, 2021, 2024])
        paper.published = rng.choice([None, f"{paper.year or 2020}-0{rng.randint(1, 9)}-01"])
        paper.upvotes = rng.choice([None, 0, 3, 3, 40])
        paper.title = rng.choice([paper.title, paper.title.upper(), paper.title.lower()])
        paper.read = rng.random() < 0.4
        paper.tags = ["t"] if rng.random() < 0.3 else []
    return papers


@pytest.fixture
def varied(tmp_path, numbered_papers) -> Library:
    lib = Library(tmp_path / "library")
    papers = _varied(numbered_papers(60, "page"))
    lib.import_papers(papers[:45], source="one.json")
    lib.import_papers(papers[45:], source="two.json")
    lib.set_read([papers[50].id])
    return lib


def _expected(root: Path, sort: str, read: bool | None, count: int) -> list[str]:
    papers = sort_papers(Library(root).papers(), sort)
    return [p.id for p in filter_papers(papers, read=read)][:count]


def _page(root: Path, sort: str, read: bool | None, count: int) -> list[str] | None:
    page = Library(root).first_page(sort, read, count)
    return None if page is None else [p.id for p in page.papers]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("read", [False, True, None])
def test_the_first_page_is_what_a_whole_read_lists_first(varied, sort, read, monkeypatch):
    root = varied.root
    expected = {count: _expected(root, sort, read, count) for count in (1, 10, 100)}

    def refuse(self) -> None:
        raise AssertionError("the whole corpus was read")

    monkeypatch.setattr(Library, "_load_corpus", refuse)
    monkeypatch.setattr(StateShards, "read_all", refuse)
    for count, ids in expected.items():
        assert _page(root, sort, read, count) == ids
    page = Library(root).first_page(sort, read, 10)
    assert page is not None and page.total == 60
    whole = {p.id: p for p in varied.papers()}
    assert all(p.to_json() == whole[p.id].to_json() for p in page.papers)


def test_the_directory_keeps_each_sort_as_the_app_sorts(varied):
    generation = storage.read_manifest(varied.root / "manifest.json")["generation"]
    directory = Directory.load(varied.root, generation)
    papers = varied.papers()
    for sort in SORTS:
        assert list(directory.in_order(sort)) == [p.id for p in sort_papers(papers, sort)]
        assert first_sorted(papers, sort, 9) == sort_papers(papers, sort)[:9]


def test_the_page_follows_writes(varied):
    root, papers = varied.root, varied.papers()
    varied.edit(papers[3].id, title="aaa first by title")
    varied.set_read([p.id for p in papers[40:]], read=False)
    varied.remove([papers[-1].id])
    for sort in SORTS:
        assert _page(root, sort, False, 12) == _expected(root, sort, False, 12)


def test_a_page_that_needs_too_many_papers_is_left_to_the_whole_library(varied, monkeypatch):
    root = varied.root
    monkeypatch.setattr(directory_module, "ORDERED", 8)
    varied.edit(varied.papers()[0].id, title="Rewritten: the directory keeps 8 a sort")
    assert _page(root, "added", None, 8) == _expected(root, "added", None, 8)
    assert _page(root, "added", None, 9) is None
    assert _page(root, "added", True, 8) is None  # 8 looked at hold fewer read papers


def test_nothing_usable_means_no_page(varied, tmp_path):
    root = varied.root
    path = root / DIRECTORY_FILE
    good = path.read_bytes()
    for damage in (b"", b"RLREC\x01\r\nrubbish", good[:-9]):
        path.write_bytes(damage)
        assert _page(root, "added", False, 5) is None
        path.write_bytes(good)
    lib = Library(root)
    lib.papers()
    assert lib.first_page("added", False, 5) is None  # read whole already: use that
    assert Library(tmp_path / "nothing here").first_page("added", False, 5) is None
    assert _page(root, "relevance", False, 5) is None


def test_a_stale_or_earlier_directory_means_no_page_until_a_whole_read(varied, monkeypatch):
    root = varied.root
    good = (root / DIRECTORY_FILE).read_bytes()
    Library(root).edit(varied.papers()[1].id, title="Changed by another process")
    (root / DIRECTORY_FILE).write_bytes(good)  # as if the writer had not made a new one
    assert _page(root, "added", False, 5) is None
    Library(root).papers()  # a whole read makes the directory again
    assert _page(root, "added", False, 5) == _expected(root, "added", False, 5)
    generation = storage.read_manifest(root / "manifest.json")["generation"]
    monkeypatch.setattr(directory_module, "FORMAT", 1)  # as an earlier release writes it
    Directory.load(root, generation)  # (format 2: not loaded as format 1)
    papers = orjson.loads((root / "papers.json").read_bytes())["papers"]
    directory_module.save_directory(root, generation, papers, {p: (0, 0) for p in papers})
    monkeypatch.undo()
    assert _page(root, "added", False, 5) is None
    Library(root).papers()
    assert _page(root, "added", False, 5) == _expected(root, "added", False, 5)


def test_a_pending_restore_or_journal_or_a_cut_corpus_means_no_page(varied):
    root = varied.root
    (root / RESTORING).write_text("")
    assert _page(root, "added", False, 5) is None
    (root / RESTORING).unlink()
    journal = Library(root)._journal.path
    journal.write_bytes(b"{}")
    assert _page(root, "added", False, 5) is None
    journal.unlink()
    corpus = root / "papers.json"
    raw = corpus.read_bytes()
    corpus.write_bytes(raw[:-200])
    assert _page(root, "added", False, 5) is None
    corpus.write_bytes(raw)
    assert _page(root, "added", False, 5) == _expected(root, "added", False, 5)


def _to_256_shards(root: Path) -> None:
    """The state folder as libraries wrote it before `layout.json`: 256 shards."""
    folder, states = root / "state", {}
    for path in folder.iterdir():
        if path.suffix == ".json" and path.name != "layout.json":
            states.update(orjson.loads(path.read_bytes())["state"])
        path.unlink()
    shards: dict[str, dict] = {}
    for pid, state in states.items():
        shards.setdefault(pid[:2], {})[pid] = state
    for name, docs in shards.items():
        (folder / f"{name}.json").write_bytes(orjson.dumps({"state": docs}))


def test_an_earlier_layout_means_no_page(varied):
    root = varied.root
    expected = _expected(root, "added", False, 5)
    corpus = root / "papers.json"
    raw = corpus.read_bytes()
    corpus.write_bytes(orjson.dumps(orjson.loads(raw)))  # one line, as earlier releases wrote
    assert _page(root, "added", False, 5) is None
    corpus.write_bytes(raw)
    _to_256_shards(root)
    assert _page(root, "added", False, 5) is None
    assert _expected(root, "added", False, 5) == expected


def test_an_order_pointing_past_the_ids_is_damage(varied):
    generation = storage.read_manifest(varied.root / "manifest.json")["generation"]
    directory = Directory.load(varied.root, generation)
    directory.orders["added"][0] = len(directory.ids)
    directory.save(varied.root)
    assert Directory.load(varied.root, generation) is None
    assert _page(varied.root, "added", False, 5) is None


def test_an_empty_library_has_an_empty_first_page(tmp_path):
    lib = Library(tmp_path / "library")
    lib.import_papers([], source="none.json")
    page = Library(lib.root).first_page("added", False, 5)
    assert page is None or (page.papers == [] and page.total == 0)


def test_a_spliced_edit_keeps_every_order_it_moves(varied, monkeypatch):
    """`edit ID` writes the paper's line into the file as it is (splice.py): the sorts
    the edit leaves alone keep their first papers, and the paper is placed afresh in
    those it moves (here to the head of `upvotes`)."""
    root = varied.root
    paper = [p for p in varied.papers() if not p.read][7]
    spliced = []
    splice = Library._splice
    monkeypatch.setattr(
        Library, "_splice", lambda *a, **k: spliced.append(splice(*a, **k)) or spliced[-1]
    )
    Library(root).edit(paper.id, upvotes=999)  # (its cite key stays: spliced)
    assert spliced == [True]
    pages = {sort: _page(root, sort, False, 12) for sort in SORTS}
    expected = {sort: _expected(root, sort, False, 12) for sort in SORTS}
    assert expected["upvotes"][0] == paper.id
    assert pages == expected
    Library(root).papers()  # a whole read makes the directory whole again
    assert {sort: _page(root, sort, False, 12) for sort in SORTS} == expected


def _orders_now(root: Path) -> dict[str, list[str]]:
    generation = storage.read_manifest(root / "manifest.json")["generation"]
    directory = Directory.load(root, generation)
    assert directory is not None
    return {sort: list(directory.in_order(sort)) for sort in directory.orders}


def _refuse_whole_reads(monkeypatch) -> None:
    def refuse(self) -> None:
        raise AssertionError("the whole corpus was read")

    monkeypatch.setattr(Library, "_load_corpus", refuse)
    monkeypatch.setattr(StateShards, "read_all", refuse)


@pytest.mark.parametrize("kept", [1000, 20])
def test_rm_and_its_undo_keep_every_sort_s_first_papers(varied, monkeypatch, kept):
    """`rm ID` takes lines out (splice.py) and undo puts them back at the end: each
    sort's first papers are kept (and placed, bisecting them) without a whole read, so
    the next start still has a first page. kept=20: fewer than the library's papers."""
    root = varied.root
    monkeypatch.setattr(directory_module, "ORDERED", kept)
    monkeypatch.setattr(directory_module, "FEWEST_KEPT", 5)
    (root / DIRECTORY_FILE).unlink()
    papers = Library(root).papers()  # makes the directory again, `kept` a sort
    by = {sort: sort_papers(papers, sort) for sort in SORTS}
    doomed = [by["added"][0].id, by["title"][3].id, by["upvotes"][-1].id]
    _refuse_whole_reads(monkeypatch)
    gone = Library(root).remove(doomed)
    assert sorted(p.id for p in gone) == sorted(doomed)
    after_rm = _orders_now(root)
    assert after_rm.keys() == set(SORTS)
    Library(root).put(gone)
    after_put = _orders_now(root)
    pages = {sort: _page(root, sort, False, 5) for sort in SORTS}
    monkeypatch.undo()
    assert pages == {sort: _expected(root, sort, False, 5) for sort in SORTS}
    for orders in (after_rm, after_put):
        assert orders.keys() == set(SORTS)
    whole = Library(root).papers()
    for sort in SORTS:
        listed = [p.id for p in sort_papers(whole, sort)]
        assert after_put[sort] == listed[: len(after_put[sort])]
        assert len(after_put[sort]) >= min(kept, 60) - 3
        without = [pid for pid in listed if pid not in doomed]
        assert after_rm[sort] == without[: len(after_rm[sort])]


def test_a_sort_rm_leaves_too_few_first_papers_of_waits_for_a_whole_read(varied, monkeypatch):
    root = varied.root
    monkeypatch.setattr(directory_module, "ORDERED", 8)
    monkeypatch.setattr(directory_module, "FEWEST_KEPT", 5)
    (root / DIRECTORY_FILE).unlink()
    by_title = sort_papers(Library(root).papers(), "title")
    Library(root).remove([p.id for p in by_title[:4]])  # 4 of the 8 kept: too few
    assert "title" not in _orders_now(root)
    assert _page(root, "title", None, 3) is None
    Library(root).papers()  # the whole read makes the dropped sort again
    assert _page(root, "title", None, 3) == _expected(root, "title", None, 3)
