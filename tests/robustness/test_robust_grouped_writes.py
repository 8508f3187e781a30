"""State shards written together (storage.atomic_write_all): each file synced before it
is renamed, a failure names the file and leaves every shard whole, old or new."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import orjson
import pytest

from readinglist.errors import LibraryError
from readinglist.persistence import storage
from readinglist.persistence.library import Library
from readinglist.persistence.shards import LAYOUT_FILE

TAG = "grouped"


@pytest.fixture
def spread_library(tmp_path, numbered_papers, monkeypatch) -> tuple[Library, list[str]]:
    """A library of 14 papers in 14 shards, written 3 shards to a group."""
    monkeypatch.setattr(storage, "GROUP", 3)
    papers = numbered_papers(14, "spread")
    assert len({p.id[:3] for p in papers}) == len(papers)  # one shard each
    lib = Library(tmp_path / "library")
    lib.import_papers(papers, source="spread.json")
    return lib, [p.id for p in papers]


def _shards(root: Path) -> dict[str, dict]:
    """Every shard file's states (each must parse whole)."""
    folder = root / "state"
    found = {}
    for path in folder.glob("*.json"):
        if path.name != LAYOUT_FILE:
            found.update(orjson.loads(path.read_bytes())["state"])
    return found


def test_each_shard_is_synced_before_it_is_renamed(spread_library, monkeypatch):
    lib, ids = spread_library
    synced, renamed = set(), []
    real_fsync, real_replace = storage.fsync, storage.replace

    def fsync(fd: int) -> None:
        synced.add(_opened(fd))
        real_fsync(fd)

    def replace(src, dst) -> None:
        assert os.path.realpath(src) in synced, f"{dst} renamed before its data was synced"
        renamed.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(storage, "fsync", fsync)
    monkeypatch.setattr(storage, "replace", replace)
    lib.add_tags(ids, [TAG])
    assert {f"{pid[:3]}.json" for pid in ids} <= set(renamed)
    monkeypatch.undo()
    assert all(TAG in state["tags"] for state in _shards(lib.root).values())
    assert all(TAG in p.tags for p in Library(lib.root).papers())


def _opened(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def _in_state_folder(op: str, first) -> bool:
    """Whether a call of `op` (its first argument) is about a file of the state folder."""
    where = {"fsync": _opened, "write_bytes": lambda handle: _opened(handle.fileno())}
    path = Path(where.get(op, str)(first))
    return path.parent.name == "state" and LAYOUT_FILE not in path.name


@pytest.mark.parametrize(
    ("op", "code", "at"),
    [
        ("write_bytes", errno.ENOSPC, 5),  # in the second group, before any of it is synced
        ("fsync", errno.EIO, 4),  # the second group's first sync
        ("replace", errno.EACCES, 8),  # in the third group, one of its files renamed
    ],
)
def test_a_failed_write_names_the_shard_and_leaves_each_shard_old_or_new(
    spread_library, monkeypatch, op, code, at
):
    lib, ids = spread_library
    calls = {"n": 0}
    real = getattr(storage, op)

    def failing(*args):
        if _in_state_folder(op, args[0]):
            calls["n"] += 1
            if calls["n"] == at:
                raise OSError(code, os.strerror(code))
        return real(*args)

    monkeypatch.setattr(storage, op, failing)
    with pytest.raises(LibraryError, match=r"state/[0-9a-f]{3}\.json: cannot write \("):
        lib.add_tags(ids, [TAG])
    monkeypatch.undo()

    folder = lib.root / "state"
    assert not [p.name for p in folder.iterdir() if p.name.endswith(storage.TEMP_SUFFIX)]
    shards = _shards(lib.root)  # each parses whole
    tagged = {pid for pid, state in shards.items() if TAG in state["tags"]}
    assert tagged and tagged != set(ids)  # some groups were written, the failed one not
    assert {pid for pid in ids if TAG in Library(lib.root).get(pid).tags} == tagged
    lib.add_tags(ids, [TAG])  # the next write finishes the job, in this process too
    assert all(TAG in p.tags for p in Library(lib.root).papers())
    assert all(TAG in p.tags for p in lib.papers())
