"""State shards: the move from 256 to 4,096 shards, change detection, a damaged layout."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from readinglist import cli
from readinglist.errors import LibraryError
from readinglist.persistence import backups, storage
from readinglist.persistence.library import Library
from readinglist.persistence.shards import CHANGES_FILE, LAYOUT_FILE, PREFIX


def _state_of(lib: Library) -> dict[str, dict]:
    return {p.id: p.state_dict() for p in lib.papers()}


def _to_first_layout(root: Path) -> None:
    """Rewrite the state folder as libraries before `layout.json` stored it: 256 shards."""
    folder = root / "state"
    states: dict[str, dict] = {}
    for path in folder.iterdir():
        if path.suffix == ".json" and path.name != LAYOUT_FILE:
            states.update(orjson.loads(path.read_bytes())["state"])
        path.unlink()
    for pid, state in states.items():
        path = folder / f"{pid[:2]}.json"
        data = orjson.loads(path.read_bytes()) if path.exists() else {"state": {}}
        data["state"][pid] = state
        path.write_bytes(orjson.dumps(data))


def _shard_names(root: Path) -> set[int]:
    """The lengths of the shard names in the state folder."""
    return {len(p.stem) for p in (root / "state").glob("*.json") if p.name != LAYOUT_FILE}


@pytest.fixture
def first_layout(small_library) -> tuple[Path, dict[str, dict]]:
    """A library in the 256-shard layout, and the state of its papers."""
    root = small_library.root
    expected = _state_of(small_library)
    _to_first_layout(root)
    assert _shard_names(root) == {2}
    return root, expected


def test_the_256_shard_layout_is_read_as_it_is(first_layout, capsys):
    root, expected = first_layout
    assert _state_of(Library(root)) == expected
    assert cli.main(["--library", str(root), "list", "--json"]) == 0
    listed = orjson.loads(capsys.readouterr().out)
    assert {p["id"]: p["read"] for p in listed} == {k: v["read"] for k, v in expected.items()}
    assert _shard_names(root) == {2}, "reading never rewrites the library"


def test_the_next_writer_moves_it_to_4096_shards_and_loses_nothing(first_layout):
    root, expected = first_layout
    lib = Library(root)
    target = next(pid for pid, state in expected.items() if not state["read"])
    lib.set_read([target])
    expected[target] = lib.get(target).state_dict()
    assert orjson.loads((root / "state" / LAYOUT_FILE).read_bytes()) == {"prefix": PREFIX}
    assert _shard_names(root) == {PREFIX}
    assert _state_of(Library(root)) == expected
    assert _state_of(lib) == expected


@pytest.mark.parametrize("fail_at", [1, 4, 9, "layout", "unlink"])
def test_an_interrupted_move_loses_nothing_and_the_next_one_finishes(
    first_layout, monkeypatch, fail_at
):
    """A crash at any point of the move leaves a library that reads whole."""
    root, expected = first_layout
    pid = next(iter(expected))
    calls = {"write": 0}
    real_write, real_unlink = storage.atomic_write, os.unlink

    def failing_write(path: Path, data: bytes, *rest) -> None:
        calls["write"] += 1
        if calls["write"] == fail_at or (fail_at == "layout" and path.name == LAYOUT_FILE):
            raise KeyboardInterrupt  # stands for a kill: nothing after it runs
        real_write(path, data, *rest)

    def failing_unlink(path) -> None:
        if fail_at == "unlink" and len(Path(path).stem) == 2:
            raise KeyboardInterrupt
        real_unlink(path)

    monkeypatch.setattr("readinglist.persistence.storage.atomic_write", failing_write)
    monkeypatch.setattr("readinglist.persistence.shards.atomic_write", failing_write)
    monkeypatch.setattr("readinglist.persistence.shards.os.unlink", failing_unlink)
    with pytest.raises(KeyboardInterrupt):
        Library(root).add_tags([pid], ["during-move"])
    monkeypatch.undo()

    assert _state_of(Library(root)) == expected
    Library(root).add_tags([pid], ["after-move"])
    expected[pid]["tags"] = [*expected[pid]["tags"], "after-move"]
    assert _state_of(Library(root)) == expected
    assert _shard_names(root) == {PREFIX}


def test_a_reader_follows_a_move_made_by_another_process(first_layout):
    root, expected = first_layout
    reader = Library(root)
    assert _state_of(reader) == expected
    pid = next(iter(expected))
    Library(root).set_note(pid, "written after the move")
    expected[pid]["note"] = "written after the move"
    assert reader.refresh() is True
    assert _state_of(reader) == expected
    reader.add_tags([pid], ["from-the-reader"])  # writes the new layout, not the old one
    assert _shard_names(root) == {PREFIX}
    assert Library(root).get(pid).tags == [*expected[pid]["tags"], "from-the-reader"]


_MARK_READ = """
import sys
from pathlib import Path
from readinglist.errors import LibraryError
from readinglist.persistence.library import Library
Library(Path(sys.argv[1])).set_read([sys.argv[2]])
"""


def test_refresh_looks_at_three_small_reads_until_another_process_writes(
    small_library, monkeypatch
):
    root = small_library.root
    lib = Library(root)
    lib.papers()
    looked: list[Path] = []
    real_signature = storage.signature

    def counting(path: Path):
        looked.append(path)
        return real_signature(path)

    monkeypatch.setattr(storage, "signature", counting)
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: looked.append(p) or real_read(p))
    assert lib.refresh() is False
    assert sorted(p.name for p in looked) == sorted([CHANGES_FILE, "papers.json", "manifest.json"])

    paper = next(p for p in lib.papers() if not p.read)
    subprocess.run([sys.executable, "-c", _MARK_READ, str(root), paper.id], check=True)
    assert lib.refresh() is True
    assert lib.get(paper.id).read


def test_own_writes_do_not_hide_another_writers_change(small_library):
    """Our write after theirs, and theirs after ours: each sees the other's."""
    root = small_library.root
    ours, theirs = Library(root), Library(root)
    first, second = [p.id for p in ours.papers() if not p.read][:2]
    theirs.set_read([first])
    ours.set_read([second])
    assert ours.get(first).read
    theirs.set_note(second, "theirs")
    assert ours.refresh() is True
    assert ours.get(second).note == "theirs" and ours.get(second).read


def test_a_changed_state_in_a_shard_of_many_papers_is_seen(tmp_path, make_paper):
    """Papers that share one shard: a change to one is picked up, the others are kept."""
    papers = [replace(make_paper(f"Shared shard {i}"), id=f"abc{i:07x}") for i in range(5)]
    lib = Library(tmp_path / "library")
    lib.import_papers(papers, source="a.json")
    lib.add_tags([p.id for p in papers], ["all"])
    reader = Library(lib.root)
    reader.papers()
    lib.remove_tags([papers[2].id], ["all"])
    lib.set_read([papers[4].id])
    assert reader.refresh() is True
    tags = {p.id: p.tags for p in reader.papers()}
    assert tags == {p.id: ([] if p is papers[2] else ["all"]) for p in papers}
    assert [p.read for p in reader.papers()] == [False] * 4 + [True]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "damaged"),
        (b'{"prefix": "three"}', "damaged"),
        (b"[3]", "damaged"),
        (b'{"prefix": 9}', "upgrade readinglist"),
    ],
)
def test_a_damaged_layout_file_gives_one_line_and_is_left_alone(
    small_library, capsys, content, message
):
    root = small_library.root
    path = root / "state" / LAYOUT_FILE
    path.write_bytes(content)
    paper = small_library.papers()[0]
    for argv in (["list"], ["read", paper.id], ["tag", paper.id, "x"]):
        code = cli.main(["--library", str(root), *argv])
        err = capsys.readouterr().err
        assert code == 1 and err.count("\n") == 1, err
        assert LAYOUT_FILE in err and message in err and "Traceback" not in err
    assert path.read_bytes() == content


def test_a_backup_of_the_old_layout_restores_whole(first_layout):
    root, expected = first_layout
    lib = Library(root)
    two = list(expected)[:2]
    lib.add_tags(two, ["after"])  # backs up the 256-shard files, then moves them
    assert _shard_names(root) == {PREFIX}
    newest = backups.list_backups(root)[0]
    lib.restore_backup(newest)
    assert _shard_names(root) == {2} and not (root / "state" / LAYOUT_FILE).exists()
    assert _state_of(lib) == expected
    assert _state_of(Library(root)) == expected
    lib.set_note(two[0], "moved again")
    assert _shard_names(root) == {PREFIX}
    assert Library(root).get(two[0]).note == "moved again"


@pytest.mark.parametrize("layout", [None, b'{"prefix": 2}'])
def test_a_lost_or_wrong_layout_file_loses_no_state(small_library, layout):
    """A sync tool or a clean-up that drops `layout.json` must not cost the read flags."""
    root = small_library.root
    noted = small_library.papers()[0].id
    small_library.set_note(noted, "written in the new layout")
    small_library.add_tags([noted], ["kept"])
    expected = _state_of(small_library)
    path = root / "state" / LAYOUT_FILE
    path.unlink()
    if layout is not None:
        path.write_bytes(layout)
    if layout is None:  # read as it is: the shards' names tell the layout
        assert _state_of(Library(root)) == expected
    before = expected[noted]
    Library(root).set_read([noted], read=not before["read"])
    after = expected[noted] = Library(root).get(noted).state_dict()
    assert (after["note"], after["tags"]) == (before["note"], before["tags"])
    assert "kept" in after["tags"]
    assert _state_of(Library(root)) == expected
    assert orjson.loads(path.read_bytes()) == {"prefix": PREFIX}


def test_the_move_keeps_a_backup_of_the_old_layout(first_layout):
    root, expected = first_layout
    Library(root).set_read([next(iter(expected))])
    newest = root / backups.BACKUP_DIR / backups.list_backups(root)[0]
    assert {len(p.stem) for p in (newest / "state").glob("*.json")} == {2}


def test_a_library_that_failed_to_load_loads_once_repaired(small_library, shard_file):
    root = small_library.root
    tagged = next(p for p in small_library.papers() if p.tags)
    path = shard_file(root, tagged.id)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    lib = Library(root)
    for _ in range(2):  # not an empty library the second time: the same error
        with pytest.raises(LibraryError, match=path.name):
            lib.papers()
    path.write_bytes(good)
    assert len(lib.papers()) == 40 and lib.get(tagged.id).tags == tagged.tags


def _note_behind_its_back(root: Path, pid: str, note: str, mark: bytes | None) -> None:
    """Another process stores a note, but `.changes` does not say so (a sync tool that
    delivers it first: `mark` None; a writer killed mid-write: `mark` b"w")."""
    changes = root / "state" / CHANGES_FILE
    before = changes.read_bytes()
    subprocess.run([sys.executable, "-c", _SET_NOTE, str(root), pid, note], check=True)
    changes.write_bytes(before if mark is None else os.urandom(8) + mark)


_SET_NOTE = """
import sys
from pathlib import Path
from readinglist.errors import LibraryError
from readinglist.persistence.library import Library
Library(Path(sys.argv[1])).set_note(sys.argv[2], sys.argv[3])
"""


@pytest.mark.parametrize("mark", [None, b"w"])
def test_a_writer_never_writes_back_a_state_it_did_not_see(small_library, mark):
    root = small_library.root
    app = Library(root)
    paper = app.papers()[1]
    _note_behind_its_back(root, paper.id, "stored elsewhere", mark)
    app.add_tags([paper.id], ["from-the-app"])
    stored = Library(root).get(paper.id)
    assert stored.note == "stored elsewhere" and "from-the-app" in stored.tags


def test_the_next_writer_announces_what_a_dead_writer_wrote(small_library):
    root = small_library.root
    reader, writer = Library(root), Library(root)
    reader.papers()
    writer.papers()
    paper = reader.papers()[2]
    _note_behind_its_back(root, paper.id, "written, then killed", b"w")
    assert reader.refresh() is True  # the "w" is news to the reader: it looks
    assert reader.get(paper.id).note == "written, then killed"
    writer.set_setting("citation_style", "mla")  # any write: it finds the dead writer's mark
    assert (root / "state" / CHANGES_FILE).read_bytes().endswith(b".")
    assert writer.get(paper.id).note == "written, then killed"


def test_state_left_by_a_crashed_import_does_not_come_back(tmp_path, make_paper, shard_file):
    lib = Library(tmp_path / "library")
    lib.import_papers([make_paper("Already here")], source="a.json")
    lib.set_read([lib.papers()[0].id])
    paper = make_paper("Imported when the crash came")
    path = shard_file(lib.root, paper.id)
    data = orjson.loads(path.read_bytes()) if path.exists() else {"state": {}}
    data["state"][paper.id] = {"read": True, "read_at": "t", "tags": ["secret"], "note": "n"}
    path.write_bytes(orjson.dumps(data))
    Library(lib.root).import_papers([paper], source="b.json")
    stored = Library(lib.root).get(paper.id)
    assert (stored.read, stored.tags, stored.note) == (False, [], "")


def test_after_the_move_a_version_before_it_stops_instead_of_writing(first_layout):
    """An older readinglist still running reads schema 1 only: it must refuse, not write
    into the old shards (which the new layout no longer reads)."""
    root, expected = first_layout
    Library(root).set_read([next(iter(expected))])
    data = orjson.loads((root / "papers.json").read_bytes())
    assert data["_meta"]["1"]["schema"] == storage.SCHEMA_VERSION
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storage, "SCHEMA_VERSION", 1)  # what the older version accepts
        with pytest.raises(LibraryError, match="newer readinglist"):
            Library(root).papers()
