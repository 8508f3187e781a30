"""Backups are complete or not at all, verified before a restore, rotated by a counter.

Faults are injected by replacing the storage layer's file operations (`storage.link`,
`storage.replace`, `storage.fsync`, `storage.write_bytes`).
"""

from __future__ import annotations

import errno
import shutil

import pytest

from readinglist.errors import LibraryError
from readinglist.persistence import backups, storage
from readinglist.persistence.library import Library


def _everything(root) -> dict:
    return {p.id: (p.bib_dict(), p.state_dict()) for p in Library(root).papers()}


def _failing(real, error: int, on_call: int):
    calls = {"n": 0}

    def op(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == on_call:
            raise OSError(error, __import__("os").strerror(error))
        return real(*args, **kwargs)

    return op


@pytest.mark.parametrize(
    ("op", "error", "on_call"),
    [
        ("link", errno.ENOSPC, 3),
        ("link", errno.EIO, 1),
        ("replace", errno.ENOSPC, 2),
        ("fsync", errno.EIO, 1),
        ("write_bytes", errno.ENOSPC, 1),
    ],
)
def test_a_copy_error_aborts_the_backup_and_the_change_that_asked_for_it(
    small_library, monkeypatch, numbered_papers, op, error, on_call
):
    root = small_library.root
    small_library.add_tags([p.id for p in small_library.papers()[:2]], ["first"])  # a backup
    before, listed = _everything(root), backups.list_backups(root)
    if op in ("replace", "fsync", "write_bytes"):  # faults in a copy: no links here
        monkeypatch.delattr(storage, "link")
    monkeypatch.setattr(storage, op, _failing(getattr(storage, op), error, on_call))
    with pytest.raises(LibraryError, match="backup failed"):
        Library(root).import_papers(numbered_papers(5, "new"), source="new.json")
    monkeypatch.undo()
    assert _everything(root) == before
    assert backups.list_backups(root) == listed
    assert not list((root / backups.BACKUP_DIR).glob(".*"))


@pytest.mark.parametrize("no_links", ["missing", "exdev", "eperm"])
def test_without_hard_links_backups_are_copied_verified_and_restore_loses_nothing(
    small_library, monkeypatch, no_links
):
    root = small_library.root
    if no_links == "missing":
        monkeypatch.delattr(storage, "link")
    else:
        code = errno.EXDEV if no_links == "exdev" else errno.EPERM

        def refuse(src, dst):
            raise OSError(code, "no links here")

        monkeypatch.setattr(storage, "link", refuse)
    lib = Library(root)
    ids = [p.id for p in lib.papers()]
    wanted = _everything(root)
    lib.add_tags(ids[:30], ["later"])  # the backup is of the library before this
    lib.set_note(ids[3], "changed later")
    name = backups.list_backups(root)[0]
    held = root / backups.BACKUP_DIR / name / "papers.json"
    assert held.stat().st_size == (root / "papers.json").stat().st_size
    assert held.stat().st_ino != (root / "papers.json").stat().st_ino  # a copy
    Library(root).restore_backup(name)
    assert _everything(root) == wanted


def test_a_damaged_backup_is_refused_before_anything_is_touched(small_library):
    root = small_library.root
    ids = [p.id for p in small_library.papers()]
    small_library.add_tags(ids, ["all"])
    name = backups.list_backups(root)[0]
    shard = sorted((root / backups.BACKUP_DIR / name / "state").glob("*.json"))[0]
    shard.unlink()
    shard.write_bytes(b"{}")  # not the file the manifest describes
    before = _everything(root)
    with pytest.raises(LibraryError, match="damaged"):
        Library(root).restore_backup(name)
    assert _everything(root) == before
    assert backups.list_backups(root) == [name]
    (root / backups.BACKUP_DIR / name / "papers.json").unlink()
    with pytest.raises(LibraryError, match="incomplete"):
        Library(root).restore_backup(name)
    assert _everything(root) == before


def test_only_files_changed_since_the_last_backup_are_checksummed(small_library, monkeypatch):
    ids = [p.id for p in small_library.papers()]
    small_library.add_tags(ids, ["all"])  # the first backup sums every file
    small_library.add_tags(ids[:2], ["two"])  # backs up all the shards just changed
    summed: list[int] = []
    real = backups._size_and_digest

    def counted(path):
        found = real(path)
        summed.append(found[0])
        return found

    monkeypatch.setattr(backups, "_size_and_digest", counted)
    small_library.add_tags(ids[:2], ["three"])
    assert 0 < len(summed) <= 2  # the shards that changed (papers.json is the same file)


def test_rotation_follows_the_counter_not_the_clock(small_library, monkeypatch):
    """Backups taken with the clock a year ahead (names from an earlier release, and
    new ones) never push out the backups made after them."""
    root = small_library.root
    folder = root / backups.BACKUP_DIR
    ids = [p.id for p in small_library.papers()]
    for i in range(backups.KEEP):  # an earlier release named backups by the clock
        shutil.copytree(root / "state", folder / f"2027120{i}T000000.000000Z" / "state")
        shutil.copy(root / "papers.json", folder / f"2027120{i}T000000.000000Z")
    monkeypatch.setattr(backups, "_now", lambda: "2030-01-01T00:00:00+00:00")
    small_library.import_papers([], source="empty.json")
    monkeypatch.setattr(backups, "_now", lambda: "2001-01-01T00:00:00+00:00")
    small_library.remove(ids[:3])
    newest = backups.list_all(root)
    assert [b.label for b in newest[:2]] == [
        "before rm of 3 papers",
        "before import of empty.json (0 papers)",
    ]
    assert newest[0].name == backups.list_backups(root)[0]


def test_rotation_keeps_the_last_backup_before_an_import_and_before_an_rm(small_library):
    root = small_library.root
    ids = [p.id for p in small_library.papers()]
    small_library.remove(ids[:1])
    small_library.import_papers([], source="daily.txt")
    for i in range(3 * backups.KEEP):
        small_library.add_tags(ids[5 + i : 8 + i], [f"bulk{i}"])
    listed = backups.list_all(root)
    assert len(listed) == backups.KEEP + 2
    assert [b.kind for b in listed[: backups.KEEP]] == ["change"] * backups.KEEP
    assert [b.label for b in listed[backups.KEEP :]] == [
        "before import of daily.txt (0 papers)",
        "before rm of 1 paper",
    ]
    Library(root).restore_backup(listed[-1].name)
    assert ids[0] in {p.id for p in Library(root).papers()}


_FAULTS = [
    (op, error, on_call)
    for op in ("write_bytes", "fsync", "replace")
    for error in (errno.ENOSPC, errno.EIO)
    for on_call in (1, 4, 9)
]
_SAMPLE = [fault for i, fault in enumerate(_FAULTS) if i % 3 == i // 6 % 3]


@pytest.mark.parametrize(
    ("op", "error", "on_call"),
    [pytest.param(*fault, marks=() if fault in _SAMPLE else pytest.mark.slow) for fault in _FAULTS],
)
def test_faults_in_any_write_leave_a_whole_library_and_a_backup_that_restores_it(
    small_library, monkeypatch, numbered_papers, capsys, op, error, on_call
):
    root = small_library.root
    ids = [p.id for p in small_library.papers()]
    small_library.add_tags(ids[:4], ["kept"])
    before = _everything(root)
    monkeypatch.setattr(storage, op, _failing(getattr(storage, op), error, on_call))
    incoming = numbered_papers(6, "new") + small_library.papers()[:3]
    try:
        Library(root).import_papers(incoming, source="faulty.json", tags=["faulty"])
    except LibraryError as exc:
        assert "\n" not in str(exc)
    monkeypatch.undo()
    after = _everything(root)
    tagged = {pid for pid, (_, state) in after.items() if "faulty" in state["tags"]}
    assert after == before or len(tagged) == 9, "an import half stored"
    for name in backups.list_backups(root):
        backups.verify(root, backups._find(root, name))
    label = backups.list_all(root)[0].label
    if after != before:  # stored: its backup holds the library before it
        assert label == "before import of faulty.json (9 papers)"
        Library(root).restore_backup(backups.list_backups(root)[0])
        assert _everything(root) == before


def test_a_backup_lists_the_state_folder_instead_of_stating_each_shard(small_library, monkeypatch):
    """A backup at 100,000 papers handles ~4,100 files: it lists folders and stats no
    shard (the previous backup's copy of a file is recognised by its inode); only the
    shards the change writes are stat'ed, by their writes."""
    ids = [p.id for p in small_library.papers()]
    small_library.add_tags(ids, ["all"])  # the first backup
    shards = list((small_library.root / "state").glob("*.json"))
    assert len(shards) > 10
    stats: list[str] = []
    real_stat = backups.os.stat

    def counted(path, *args, **kwargs):
        stats.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(backups.os, "stat", counted)
    taken = len(backups.list_all(small_library.root))
    small_library.add_tags(ids[:2], ["two"])  # a change to two papers takes a backup
    monkeypatch.undo()
    assert len(backups.list_all(small_library.root)) == taken + 1
    assert len({path for path in stats if "/state/" in path}) <= 2
    newest = backups.list_all(small_library.root)[0]
    backups.verify(small_library.root, newest)  # whole: sizes and sums match
