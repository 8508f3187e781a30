"""Damaged libraries: a one-line error that names the file, exit 1, and the file left as it was."""

from __future__ import annotations

import json
import os
import pathlib
import stat
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from readinglist import cli
from readinglist.persistence import backups
from readinglist.persistence.library import Library
from readinglist.persistence.storage import META_TABLE, SCHEMA_VERSION

TRUNCATED = "truncated"
DAMAGES = {
    TRUNCATED: None,
    "garbage": b"\x00\xffPK\x03\x04 not json \x1b[2J\x9b",
    "empty": b"",
    "not_an_object": b"[1, 2, 3]",
    "table_not_an_object": None,
    "record_not_an_object": None,
    "meta_not_an_object": None,
    "newer_schema": None,
}


def _damaged(raw: bytes, damage: str, table: str) -> bytes:
    data = orjson.loads(raw)
    if damage == TRUNCATED:
        return raw[: len(raw) // 2]
    if damage == "table_not_an_object":
        data[table] = ["a", "b"]
    elif damage == "record_not_an_object":
        first = next(iter(data[table]))
        data[table][first] = "just a string"
    elif damage == "meta_not_an_object":
        data[META_TABLE] = [1]
    elif damage == "newer_schema":
        data[META_TABLE] = {"1": {"schema": 99}}
    else:
        return DAMAGES[damage]
    return orjson.dumps(data)


def _snapshot(root: Path) -> dict[str, bytes]:
    """The library's data files (not `state/.changes`, a marker that writers replace)."""
    files = [root / "papers.json", root / "settings.json", *(root / "state").glob("*.json")]
    return {str(p.relative_to(root)): p.read_bytes() for p in files if p.is_file()}


def _cli(capsys, root: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--library", str(root), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line_error(code: int, err: str, name: str, damage: str) -> None:
    assert code != 0
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    assert name in err
    if damage == "newer_schema":
        assert "upgrade readinglist" in err
    else:
        assert "readinglist restore" in err


@pytest.fixture
def library(small_library, tmp_path):
    lib = small_library
    lib.set_setting("citation_style", "apa")
    lib.add_tags([p.id for p in lib.papers()[:4]], ["bulk"])  # leaves a backup
    return lib


def _target(lib: Library, which: str, shard_file) -> tuple[Path, str]:
    if which == "corpus":
        return lib.root / "papers.json", "papers"
    tagged = next(p for p in lib.papers() if p.tags)
    return shard_file(lib.root, tagged.id), "state"


@pytest.mark.parametrize("which", ["corpus", "shard"])
@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_file_gives_one_line_and_is_never_overwritten(
    library, capsys, tmp_path, which, damage, shard_file
):
    root = library.root
    path, table = _target(library, which, shard_file)
    # A command on one paper reads that paper's shard only: the paper of the damaged one.
    paper = next(p for p in library.papers() if which == "corpus" or p.tags)
    others = [p.id for p in library.papers() if p.id != paper.id][:2]
    path.write_bytes(_damaged(path.read_bytes(), damage, table))
    before = _snapshot(root)
    listing = tmp_path / "new.json"
    new = {"title": "A new paper arriving", "abstract": "Its abstract is long enough to count."}
    listing.write_text(json.dumps([new]), encoding="utf-8")

    for argv in (
        ["list"],
        ["show", paper.id],
        ["stats"],
        ["read", paper.id],
        ["read", *others, paper.id],
        ["tag", paper.id, "new-tag"],
        ["note", paper.id, "a", "note"],
        ["rm", paper.id],
        ["edit", paper.id, "--title", "Renamed"],
        ["import", str(listing)],
        ["config", "citation_style", "mla"],
    ):
        code, out, err = _cli(capsys, root, *argv)
        _assert_one_line_error(code, err, path.name, damage)
        assert _snapshot(root) == before, f"{argv} changed the library"
    assert len(backups.list_backups(root)) == 1


@pytest.mark.parametrize("which", ["corpus", "shard"])
def test_damaged_library_can_be_restored_from_a_backup(library, capsys, which, shard_file):
    root = library.root
    path, table = _target(library, which, shard_file)
    damaged = _damaged(path.read_bytes(), TRUNCATED, table)
    path.unlink()  # backups are hard links: damage made in place would reach them too
    path.write_bytes(damaged)
    assert _cli(capsys, root, "list")[0] == 1
    code, out, _ = _cli(capsys, root, "restore")
    assert code == 0
    newest = out.split()[0]
    code, out, err = _cli(capsys, root, "restore", newest)
    assert (code, err) == (0, "")
    assert len(Library(root).papers()) == 40
    assert _cli(capsys, root, "list")[0] == 0


def test_unreadable_file_by_permission(library, capsys, monkeypatch):
    root = library.root
    path = root / "papers.json"
    before = _snapshot(root)
    if os.geteuid() == 0:  # root reads anything: make the read fail as it would
        real = pathlib.Path.read_bytes

        def denied(self):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(pathlib.Path, "read_bytes", denied)
        real_open = open

        def denied_open(file, *args, **kwargs):  # one paper's line, through the directory
            if Path(file) == path:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("readinglist.persistence.directory.open", denied_open, raising=False)
    else:
        path.chmod(0)
    try:
        for argv in (["list"], ["read", library.papers()[0].id], ["tag", "zzzz", "x"]):
            code, _, err = _cli(capsys, root, *argv)
            assert code != 0 and err.count("\n") == 1 and "Traceback" not in err
            assert "papers.json" in err and "permission denied" in err
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    monkeypatch.undo()
    assert _snapshot(root) == before


def test_unreadable_state_folder(library, capsys, monkeypatch):
    root = library.root
    state = root / "state"
    real = pathlib.Path.stat

    def denied(self, *args, **kwargs):
        if self.parent == state:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "stat", denied)
    code, _, err = _cli(capsys, root, "list")
    assert code != 0 and err.count("\n") == 1 and "Traceback" not in err
    assert "state" in err


def test_unwritable_library_folder_is_reported(library, capsys, monkeypatch):
    root = library.root
    before = _snapshot(root)
    paper = library.papers()[0]

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("readinglist.persistence.storage.tempfile.mkstemp", no_space)
    code, _, err = _cli(capsys, root, "note", paper.id, "lost?")
    assert code != 0 and err.count("\n") == 1 and "Traceback" not in err
    assert "No space left on device" in err
    monkeypatch.undo()
    assert _snapshot(root) == before
    assert Library(root).get(paper.id).note == paper.note


def test_a_failed_write_does_not_leak_into_the_next_one(library, monkeypatch, make_paper):
    """A write that failed must not be stored later by an unrelated edit of the same file."""
    lib = Library(library.root)
    first, second = [replace(make_paper(f"Same shard {i}"), id=f"abc{i:07x}") for i in (1, 2)]
    lib.import_papers([first, second], source="same-shard.json")
    calls = {"n": 0}
    real = os.replace

    def fail_once(src, dst):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr("readinglist.persistence.storage.replace", fail_once)
    with pytest.raises(Exception):  # noqa: B017 - whatever the error, the note must not land
        lib.set_note(first.id, "never saved")
    lib.set_note(second.id, "saved")
    fresh = Library(library.root)
    assert fresh.get(second.id).note == "saved"
    assert fresh.get(first.id).note == ""
    assert lib.get(first.id).note == ""


def test_files_without_meta_count_as_schema_1(library, capsys, shard_file, shard_files):
    root = library.root
    files = [root / "papers.json", *shard_files(root)]
    for path in files:
        data = orjson.loads(path.read_bytes())
        data.pop(META_TABLE)
        path.write_bytes(orjson.dumps(data))
    expected = {p.id: p.to_json() for p in Library(root).papers()}
    assert len(expected) == 40 and any(p["tags"] for p in expected.values())
    code, out, err = _cli(capsys, root, "list")
    assert code == 0 and err == "" and len(out.splitlines()) == 40
    paper = next(iter(expected))
    assert _cli(capsys, root, "note", paper, "upgraded")[0] == 0
    after = {p.id: p.to_json() for p in Library(root).papers()}
    assert after[paper]["changed"]["note"][2] == "user"
    expected[paper].update(note="upgraded")
    expected[paper]["changed"]["note"] = after[paper]["changed"]["note"]
    assert after == expected, "the move to stamped records keeps every value and stamp"
    written = orjson.loads(shard_file(root, paper).read_bytes())
    assert written[META_TABLE] == {"1": {"schema": SCHEMA_VERSION}}
