"""Crashes: SIGKILL mid-edit, leftover temp files, interrupted imports, rotating backups."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

import pytest

from readinglist import cli
from readinglist.persistence import backups, storage
from readinglist.persistence.library import Library
from readinglist.persistence.storage import TEMP_SUFFIX


def _check_soak(figures, kills: int) -> None:
    print("crash soak:", json.dumps(asdict(figures)))
    assert figures.kills == kills
    assert figures.edits_acknowledged > 0
    assert figures.edits_lost == 0
    assert figures.corrupt_opens == 0
    assert figures.partial_imports == 0
    assert figures.incomplete_backups == 0
    assert figures.temps_left_after_cleanup == 0


def test_sigkill_during_edits_loses_no_acknowledged_edit(tmp_path, crash_soak):
    figures = crash_soak.soak(tmp_path / "library", 20, papers=2000, seed=11, max_ops=80)
    _check_soak(figures, 20)


def test_the_crash_soak_kills_at_the_same_instants_for_one_seed(tmp_path, crash_soak):
    runs = [
        asdict(crash_soak.soak(tmp_path / f"library{i}", 4, papers=300, seed=5, max_ops=120))
        for i in range(2)
    ]
    for figures in runs:
        figures.pop("seconds")
    assert runs[0] == runs[1]
    assert runs[0]["edits_acknowledged"] > 0


@pytest.mark.slow
def test_sigkill_soak_200_kills(tmp_path, crash_soak):
    figures = crash_soak.soak(tmp_path / "library", 200, papers=3000, seed=23, max_ops=400)
    _check_soak(figures, 200)


# ----- leftover temp files ------------------------------------------------------------


def _temps(root: Path) -> list[Path]:
    return sorted(p for folder in (root, root / "state") for p in folder.glob(f".*{TEMP_SUFFIX}"))


def test_stale_temp_files_are_removed_by_the_next_writer(small_library):
    root = small_library.root
    before = {p.id: p for p in small_library.papers()}
    stale = [
        root / f".papers.json.k2j3h4{TEMP_SUFFIX}",
        root / f".settings.json.q8w7e6{TEMP_SUFFIX}",
        root / "state" / f".3f.json.zz11yy{TEMP_SUFFIX}",
        root / f".papers.json.restore{TEMP_SUFFIX}",
    ]
    for path in stale:
        path.write_bytes(b'{"papers": {"half": ')
    reader = Library(root)
    assert {p.id: p for p in reader.papers()} == before
    assert set(_temps(root)) == set(stale), "a reader must not remove anything"
    pid = next(iter(before))
    Library(root).set_note(pid, "after a crash")
    assert _temps(root) == []
    assert Library(root).get(pid).note == "after a crash"


_HOLDER = """
import os, sys
from filelock import FileLock
root = sys.argv[1]
with FileLock(os.path.join(root, ".lock")):
    temp = os.path.join(root, ".settings.json.inflight.tmp")
    with open(temp, "w") as handle:
        handle.write('{"citation_style": "apa"}')
    print("holding", flush=True)
    sys.stdin.readline()
    os.replace(temp, os.path.join(root, "settings.json"))
print("done", flush=True)
"""


def test_another_writers_temp_file_in_flight_is_never_removed(small_library):
    root = small_library.root
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "holding\n"
    pid = small_library.papers()[0].id
    writer = Library(root)
    done = threading.Event()
    thread = threading.Thread(target=lambda: (writer.set_note(pid, "waited"), done.set()))
    thread.start()
    time.sleep(0.6)
    assert not done.is_set(), "the writer did not wait for the lock"
    assert (root / ".settings.json.inflight.tmp").exists()
    holder.stdin.write("go\n")
    holder.stdin.flush()
    assert holder.stdout.readline() == "done\n"
    assert holder.wait(10) == 0
    thread.join(20)
    assert done.is_set()
    assert Library(root).settings() == {"citation_style": "apa"}
    assert Library(root).get(pid).note == "waited"


# ----- interrupted imports --------------------------------------------------------------


class _Killed(BaseException):
    """Stands for the process dying at this point."""


def test_interrupted_import_leaves_all_of_a_files_papers_or_none(
    tmp_path, monkeypatch, numbered_papers
):
    base = numbered_papers(60, "base")
    incoming = numbered_papers(8, "incoming") + base[:3]
    new_ids = {p.id for p in incoming} - {p.id for p in base}
    outcomes = set()
    for fail_at in range(1, 100):
        root = tmp_path / f"lib{fail_at}"
        Library(root).import_papers(base, source="base.json")
        calls = {"n": 0}
        real_replace = storage.replace

        def dying_replace(src, dst, fail_at=fail_at, calls=calls, real_replace=real_replace):
            calls["n"] += 1
            if calls["n"] == fail_at:
                raise _Killed
            return real_replace(src, dst)

        monkeypatch.setattr(storage, "replace", dying_replace)
        try:
            Library(root).import_papers(incoming, source="in.json", tags=["batch"])
            finished = True
        except _Killed:
            finished = False
        monkeypatch.undo()
        papers = {p.id: p for p in Library(root).papers()}
        present = new_ids & set(papers)
        assert present in (set(), new_ids), f"failing write {fail_at}: partial import"
        tagged = {pid for pid, p in papers.items() if "batch" in p.tags}
        wanted = new_ids | {p.id for p in base[:3]} if present else set()
        assert tagged == wanted, f"failing write {fail_at}: tags of a partial import"
        outcomes.add(bool(present))
        if finished:
            break
    assert finished, "the import never got through"
    assert outcomes == {False, True}


# ----- rotating backups and `readinglist restore` ----------------------------------------


def _write_listing(path: Path, papers) -> str:
    path.write_text(json.dumps([p.to_json() for p in papers]), encoding="utf-8")
    return str(path)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_restore_lists_and_restores_backups_end_to_end(tmp_path, capsys, numbered_papers):
    lib_dir = str(tmp_path / "library")
    first, second = numbered_papers(6, "first"), numbered_papers(4, "second")
    assert _run(capsys, "--library", lib_dir, "restore") == (1, "", "No backups yet.\n")
    assert (
        _run(capsys, "--library", lib_dir, "import", _write_listing(tmp_path / "a.json", first))[0]
        == 0
    )
    assert (
        _run(capsys, "--library", lib_dir, "import", _write_listing(tmp_path / "b.json", second))[0]
        == 0
    )
    ids = [p.id for p in first]
    assert _run(capsys, "--library", lib_dir, "read", ids[0], ids[1])[0] == 0
    assert _run(capsys, "--library", lib_dir, "rm", ids[2])[0] == 0

    code, out, _ = _run(capsys, "--library", lib_dir, "restore")
    names = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and len(names) == 3 and names == sorted(names, reverse=True)
    labels = [line.split("  ", 1)[1] for line in out.splitlines()]
    assert labels == [
        "before rm of 1 paper",
        "before read of 2 papers",
        "before import of b.json (4 papers)",
    ]
    code, out, _ = _run(capsys, "--library", lib_dir, "restore", names[-1])
    assert code == 0 and "(6 papers)" in out
    restored = Library(Path(lib_dir)).papers()
    assert sorted(p.id for p in restored) == sorted(ids)
    assert not any(p.read for p in restored)

    code, out, _ = _run(capsys, "--library", lib_dir, "restore")
    newest = out.split()[0]
    assert newest not in names
    assert _run(capsys, "--library", lib_dir, "restore", newest)[0] == 0
    back = {p.id: p for p in Library(Path(lib_dir)).papers()}
    assert len(back) == 9 and ids[2] not in back
    assert back[ids[0]].read and back[ids[1]].read


def test_restoring_the_oldest_of_a_full_set_of_backups(tmp_path, capsys, numbered_papers):
    lib = Library(tmp_path / "library")
    papers = numbered_papers(12)
    lib.import_papers(papers[:2], source="0.json")
    for i in range(2, 2 + backups.KEEP):
        lib.import_papers([papers[i]], source=f"{i}.json")
    names = backups.list_backups(lib.root)
    assert len(names) == backups.KEEP
    code, out, err = _run(capsys, "--library", str(lib.root), "restore", names[-1])
    assert (code, err) == (0, "")
    assert len(Library(lib.root).papers()) == 2
    assert len(backups.list_backups(lib.root)) <= backups.KEEP + 1
    before_restore = backups.list_backups(lib.root)[0]
    assert _run(capsys, "--library", str(lib.root), "restore", before_restore)[0] == 0
    assert len(Library(lib.root).papers()) == 2 + backups.KEEP


def test_backups_are_bounded_and_taken_before_bulk_changes(small_library):
    lib = small_library
    ids = [p.id for p in lib.papers()]
    assert backups.list_backups(lib.root) == []
    lib.set_read(ids[:1])
    assert backups.list_backups(lib.root) == [], "a single edit needs no backup"
    for i in range(3 * backups.KEEP):
        lib.add_tags(ids[i : i + 3], [f"bulk{i}"])
    names = backups.list_backups(lib.root)
    assert len(names) == backups.KEEP
    newest = Library(lib.root)
    lib.restore_backup(names[0])
    last_tag = f"bulk{3 * backups.KEEP - 1}"
    assert all(last_tag not in p.tags for p in newest.papers())


@pytest.mark.parametrize("name", ["", ".", "..", "../library", "nope", "state"])
def test_restore_refuses_names_that_are_not_backups(small_library, capsys, name):
    lib = small_library
    lib.set_read([p.id for p in lib.papers()[:3]])
    before = {p.id: p for p in Library(lib.root).papers()}
    code, out, err = _run(capsys, "--library", str(lib.root), "restore", name)
    if name == "":
        assert code == 0 and out.split()[0] == backups.list_backups(lib.root)[0]
    else:
        assert code == 1 and err.count("\n") == 1 and "no such backup" in err
    assert {p.id: p for p in Library(lib.root).papers()} == before


def test_a_half_made_backup_is_never_listed_and_is_cleaned_up(small_library):
    lib = small_library
    folder = lib.root / backups.BACKUP_DIR
    half = folder / ".20990101T000000.000000Z.partial"
    (half / "state").mkdir(parents=True)
    (half / "papers.json").write_bytes(b"")
    assert backups.list_backups(lib.root) == []
    lib.set_read([p.id for p in lib.papers()[:2]])
    assert not half.exists()
    names = backups.list_backups(lib.root)
    assert len(names) == 1
    assert (folder / names[0] / "papers.json").stat().st_size > 0


@pytest.mark.parametrize("fail_at", [1, 3])
def test_a_restore_cut_short_is_finished_by_the_next_writer(small_library, monkeypatch, fail_at):
    lib = small_library
    ids = [p.id for p in lib.papers()]
    wanted = {p.id: (p.title, p.state_dict()) for p in lib.papers()}
    lib.add_tags(ids, ["after"])  # backs up the library as it was: the target
    lib.edit(ids[0], title="Edited after the backup")
    lib.set_read(ids)  # backs up again, then changes every shard
    target = backups.list_backups(lib.root)[1]
    written = {"n": 0}
    real_write = backups.atomic_write

    def failing(path, data, **options):
        if backups.BACKUP_DIR not in path.parts:  # not the backup taken first
            written["n"] += 1
        if written["n"] == fail_at + 1:  # the first write notes the restore
            raise KeyboardInterrupt  # stands for a kill
        real_write(path, data, **options)

    monkeypatch.setattr(backups, "atomic_write", failing)
    with pytest.raises(KeyboardInterrupt):
        Library(lib.root).restore_backup(target)
    monkeypatch.undo()
    assert (lib.root / backups.RESTORING).exists()

    Library(lib.root).set_note(ids[1], "after the restore")
    wanted[ids[1]][1]["note"] = "after the restore"
    assert not (lib.root / backups.RESTORING).exists()
    after = {p.id: (p.title, p.state_dict()) for p in Library(lib.root).papers()}
    assert after == wanted
    assert {p.id: (p.title, p.state_dict()) for p in lib.papers()} == wanted
