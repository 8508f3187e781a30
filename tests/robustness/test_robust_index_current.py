"""The saved search index is kept current by every corpus write: the first search after
an import, an edit or a removal indexes only what changed and checks no paper's text.
The index and its change log stay disposable: missing, damaged or stale, they are
rebuilt or patched by the next search, which still finds what a fresh index finds."""

from __future__ import annotations

import json

import pytest

from readinglist.cli import main
from readinglist.persistence import backups
from readinglist.persistence.library import MANIFEST_FILE, Library
from readinglist.persistence.storage import read_manifest
from readinglist.search import cache as index_cache
from readinglist.search import changes
from readinglist.search import index as index_module
from readinglist.search.index import SearchIndex


class Counted:
    """How many papers the search indexed and how many saved texts it checked."""

    def __init__(self, monkeypatch) -> None:
        self.indexed: list[str] = []
        self.checked = 0
        real_index, real_key = SearchIndex._index_text, index_module.text_key
        real_build = SearchIndex._build_text

        def indexing(index, paper, pos):
            self.indexed.append(paper.id)
            return real_index(index, paper, pos)

        def building(index):  # a whole build indexes every paper
            self.indexed.extend(paper.id for paper in index._papers if paper is not None)
            return real_build(index)

        def keyed(paper):
            self.checked += 1
            return real_key(paper)

        monkeypatch.setattr(SearchIndex, "_index_text", indexing)
        monkeypatch.setattr(SearchIndex, "_build_text", building)
        monkeypatch.setattr(index_module, "text_key", keyed)


@pytest.fixture(autouse=True)
def roomy_log(monkeypatch):
    """A log with room for a few of the 40 papers of `small_library` (1% is less than one)."""
    monkeypatch.setattr(index_cache, "LOG_SHARE", 0.2)
    monkeypatch.setattr(index_module, "STALE_SHARE", 1.0)


def _stamp(root) -> str | None:
    return index_cache.saved_stamp(root / index_cache.CACHE_NAME)


def _generation(root) -> str:
    """The generation the manifest names: that of the corpus on disk."""
    return read_manifest(root / MANIFEST_FILE)["generation"]


def _search(lib: Library, text: str) -> list[str]:
    return [paper.id for paper, _ in Library(lib.root).search(text)]


def _fresh(lib: Library, text: str) -> list[str]:
    papers = Library(lib.root).papers()
    by_id = {p.id: p for p in papers}
    return [by_id[pid].id for pid in SearchIndex(papers).search(text, None).ids]


def test_an_import_saves_the_index_so_the_first_search_builds_nothing(
    tmp_path, monkeypatch, numbered_papers
):
    lib = Library(tmp_path / "library")
    lib.import_papers(numbered_papers(30), source="first.json")
    assert _stamp(lib.root) == lib.corpus_generation()
    counted = Counted(monkeypatch)
    found = _search(lib, "alpha")
    assert counted.indexed == [] and counted.checked == 0
    assert found == _fresh(lib, "alpha") != []


def test_an_import_builds_the_index_after_letting_go_of_the_lock(
    tmp_path, monkeypatch, numbered_papers
):
    lib = Library(tmp_path / "library")
    other = Library(lib.root)
    real_save, during = index_cache.save_index, []

    def save(index, path, stamp=None):
        other.set_setting("during", "the build")  # another writer takes the lock meanwhile
        during.append(Library(lib.root).settings()["during"])
        real_save(index, path, stamp)

    monkeypatch.setattr(index_cache, "save_index", save)
    lib.import_papers(numbered_papers(30), source="first.json")
    assert during == ["the build"]
    assert _stamp(lib.root) == _generation(lib.root)  # the other writer wrote no papers
    counted = Counted(monkeypatch)
    found = _search(lib, "alpha")
    assert counted.indexed == [] and counted.checked == 0
    assert found == _fresh(lib, "alpha") != []


def test_the_first_search_after_an_import_edit_or_rm_indexes_only_what_changed(
    small_library, monkeypatch, make_paper
):
    root = small_library.root
    before = _stamp(root)
    assert before == small_library.corpus_generation()
    new = [make_paper("Zanzibarite crystals under pressure")]
    Library(root).import_papers(new, source="more.json")
    victim, edited = (p.id for p in small_library.papers()[7:9])
    Library(root).remove([victim])
    Library(root).edit(edited, title="Quasicrystal growth in thin films")
    assert _stamp(root) == before, "small writes note their ids; the index file stays"
    log = changes.read_log(root)
    assert [e.ids for e in log] == [(new[0].id,), (victim,), (edited,)]
    counted = Counted(monkeypatch)
    assert _search(small_library, "zanzibarite") == [new[0].id]
    assert sorted(counted.indexed) == sorted([new[0].id, edited])  # no rebuild
    assert counted.checked == 0  # no paper's text read to check the index
    assert _search(small_library, "quasicrystal") == [edited]
    assert victim not in _search(small_library, "paper")
    for text in ("alpha", "paper", "beta -gamma", "tag:keep", "is:read"):
        assert _search(small_library, text) == _fresh(small_library, text)


def test_a_state_change_needs_no_note_and_is_searched_at_once(small_library, monkeypatch):
    root = small_library.root
    pid = small_library.papers()[11].id
    Library(root).add_tags([pid], ["urgent"])
    Library(root).set_note(pid, "a pangolin appears")
    assert changes.read_log(root) == []
    counted = Counted(monkeypatch)
    assert _search(small_library, "tag:urgent") == [pid]
    assert _search(small_library, "pangolin") == [pid]
    assert counted.indexed == [] and counted.checked == 0


def test_once_the_log_outgrows_its_share_the_writer_saves_the_index(small_library, monkeypatch):
    monkeypatch.setattr(index_cache, "LOG_SHARE", 0.05)  # 2 of the 40 papers
    root = small_library.root
    first = _stamp(root)
    ids = [p.id for p in small_library.papers()[:3]]
    Library(root).edit(ids[0], year=2001)
    Library(root).edit(ids[1], year=2002)
    assert _stamp(root) == first and len(changes.read_log(root)) == 2
    Library(root).edit(ids[2], year=2003)
    assert _stamp(root) == _generation(root) != first
    assert not (root / changes.CHANGES_NAME).exists()
    counted = Counted(monkeypatch)
    assert _search(small_library, "year:2003") == [ids[2]]
    assert counted.indexed == [] and counted.checked == 0


def test_an_import_too_big_for_the_log_saves_the_index_itself(
    small_library, monkeypatch, numbered_papers
):
    root = small_library.root
    Library(root).import_papers(numbered_papers(20, "more"), source="more.json")
    assert _stamp(root) == _generation(root)
    counted = Counted(monkeypatch)
    assert _search(small_library, "more") == _fresh(small_library, "more") != []
    assert counted.checked == 0


@pytest.mark.parametrize(
    "damage",
    ["index missing", "index cut", "index garbage", "log garbage", "log cut", "log missing"],
)
def test_a_damaged_or_missing_index_or_log_is_rebuilt_or_checked_never_trusted(
    small_library, damage
):
    root = small_library.root
    pid = small_library.papers()[4].id
    Library(root).edit(pid, title="Ornithopter aerodynamics revisited")
    index, log = root / index_cache.CACHE_NAME, root / changes.CHANGES_NAME
    assert log.exists()
    target = index if damage.startswith("index") else log
    if damage.endswith("missing"):
        target.unlink()
    elif damage.endswith("cut"):
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    else:
        target.write_bytes(b"not a cache file at all")
    assert _search(small_library, "ornithopter") == [pid]
    for text in ("alpha", "paper -beta", "tag:keep"):
        assert _search(small_library, text) == _fresh(small_library, text)
    assert _stamp(root) == _generation(root)  # saved again, current


def test_a_write_after_an_unnoted_one_leaves_the_stale_index_to_the_search(small_library):
    root = small_library.root
    ids = [p.id for p in small_library.papers()[:2]]
    Library(root).edit(ids[0], title="Heliotrope signalling pathways")
    (root / changes.CHANGES_NAME).unlink()  # that write's note is lost
    Library(root).edit(ids[1], title="Bathyscaphe descent profiles")
    assert changes.read_log(root) == []  # no chain from the index: nothing noted
    assert _search(small_library, "heliotrope") == [ids[0]]
    assert _search(small_library, "bathyscaphe") == [ids[1]]


def test_a_restored_backup_is_searched_as_it_was(small_library):
    root = small_library.root
    pid = small_library.papers()[2].id
    Library(root).edit(pid, title="Xylophone acoustics")
    lib = Library(root)
    with lib.backed_up("before the second edit"):
        lib.edit(pid, title="Yodelling harmonics")
    assert _search(small_library, "yodelling") == [pid]
    Library(root).restore_backup(backups.list_backups(root)[0])
    assert Library(root).get(pid).title == "Xylophone acoustics"
    assert _search(small_library, "yodelling") == []
    assert _search(small_library, "xylophone") == [pid]


def test_the_log_cannot_be_written_and_the_write_still_succeeds(small_library, monkeypatch):
    root = small_library.root
    pid = small_library.papers()[6].id

    def refuse(folder, entries):
        raise PermissionError(13, "Permission denied", str(folder / changes.CHANGES_NAME))

    monkeypatch.setattr(changes, "write_log", refuse)
    Library(root).edit(pid, title="Marimba resonators")
    assert Library(root).get(pid).title == "Marimba resonators"
    monkeypatch.undo()
    assert _search(small_library, "marimba") == [pid]


def test_the_cli_import_then_search_builds_no_index(tmp_path, monkeypatch, capsys, numbered_papers):
    source = tmp_path / "papers.json"
    papers = numbered_papers(12)
    source.write_text(json.dumps([{"title": p.title, "abstract": p.abstract} for p in papers]))
    root = tmp_path / "library"
    assert main(["--library", str(root), "import", str(source)]) == 0
    counted = Counted(monkeypatch)
    capsys.readouterr()
    assert main(["--library", str(root), "search", "kappa", "--json"]) == 0
    assert '"title"' in capsys.readouterr().out
    assert counted.indexed == [] and counted.checked == 0
