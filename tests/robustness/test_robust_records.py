"""The move to stamped records (schema 3): old libraries read as they are, move on the first
write, and a move cut short at any point (a kill) loses nothing and is finished later."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from readinglist.errors import LibraryError
from readinglist.model import RECORD_STAMP, utc_time
from readinglist.persistence import backups, storage
from readinglist.persistence.library import Library
from readinglist.persistence.shards import LAYOUT_FILE
from readinglist.persistence.storage import META_TABLE, SCHEMA_VERSION


def _strip_stamps(root: Path, schema: int) -> None:
    """Rewrite a library as readinglist wrote it before stamps (schema 2, or 1: 256 shards)."""
    corpus = root / "papers.json"
    data = orjson.loads(corpus.read_bytes())
    for record in data["papers"].values():
        record.pop("stamps", None)
    data[META_TABLE] = {"1": {"schema": schema}}
    corpus.write_bytes(orjson.dumps(data))
    folder = root / "state"
    states: dict[str, dict] = {}
    for path in folder.glob("*.json"):
        if path.name != LAYOUT_FILE:
            states.update(orjson.loads(path.read_bytes())["state"])
            path.unlink()
    prefix = 3 if schema == 2 else 2
    if schema == 1:
        (folder / LAYOUT_FILE).unlink()
    shards: dict[str, dict] = {}
    for pid, state in states.items():
        old = {key: state[key] for key in ("read", "read_at", "tags", "note")}
        shards.setdefault(pid[:prefix], {})[pid] = old
    for name, docs in shards.items():
        shard = {"state": docs, META_TABLE: {"1": {"schema": schema}}}
        (folder / f"{name}.json").write_bytes(orjson.dumps(shard))


def _assert_moved(root: Path) -> None:
    meta = orjson.loads((root / "papers.json").read_bytes())[META_TABLE]["1"]
    assert meta["schema"] == SCHEMA_VERSION and "moving" not in meta


def _seen(root: Path) -> dict[str, dict]:
    """Every paper as `--json` shows it: values and the stamps of every field."""
    return {p.id: p.to_json() for p in Library(root).papers()}


def _files(root: Path) -> dict[str, bytes]:
    paths = [root / "papers.json", *(root / "state").iterdir()]
    return {p.name: p.read_bytes() for p in paths if p.is_file()}


@pytest.fixture(params=[2, 1], ids=["schema-2", "schema-1"])
def old_library(request, small_library) -> tuple[Path, dict[str, dict]]:
    """A library written before stamps, and how every paper reads in it."""
    root = small_library.root
    _strip_stamps(root, request.param)
    return root, _seen(root)


def test_an_old_library_reads_as_it_is_with_the_stamps_it_had(old_library):
    root, seen = old_library
    before = _files(root)
    read = next(p for p in seen.values() if p["read"] and p["tags"])
    last = max(utc_time(read["added"]), utc_time(read["read_at"]))
    assert read["changed"]["read"] == read["changed"]["tags"] == [last, "", "user"]
    plain = next(p for p in seen.values() if not p["read"] and not p["tags"])
    assert plain["changed"]["title"][1:] == ["", "import"]
    assert "read" not in plain["changed"] and "note" not in plain["changed"]
    assert _files(root) == before, "reading never rewrites"


def test_the_first_write_moves_it_and_loses_nothing(old_library):
    root, seen = old_library
    pid = next(iter(seen))
    Library(root).set_note(pid, "after the move")
    after = _seen(root)
    assert after[pid]["note"] == "after the move" and after[pid]["changed"]["note"][2] == "user"
    seen[pid]["note"], seen[pid]["changed"]["note"] = (
        "after the move",
        after[pid]["changed"]["note"],
    )
    assert after == seen
    _assert_moved(root)
    data = orjson.loads((root / "papers.json").read_bytes())
    assert all(RECORD_STAMP in record["stamps"] for record in data["papers"].values())
    for path in (root / "state").glob("*.json"):
        if path.name != LAYOUT_FILE:
            docs = orjson.loads(path.read_bytes())["state"]
            assert all("stamps" in doc for doc in docs.values() if doc["read"] or doc["tags"])
    assert backups.list_backups(root), "the old library is kept as a backup"


def test_after_the_move_an_older_readinglist_refuses_to_write(old_library):
    root, _ = old_library
    Library(root).set_read([next(iter(_seen(root)))])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storage, "SCHEMA_VERSION", 2)  # what the version before accepts
        with pytest.raises(LibraryError, match="newer readinglist"):
            Library(root).papers()


def _count_writes(root: Path, monkeypatch) -> int:
    """How many atomic writes a first write to this old library makes (on a copy)."""
    copy = root.parent / "counting"
    shutil.copytree(root, copy)
    calls = {"n": 0}
    real = storage.atomic_write

    def counting(path, data, *rest):
        calls["n"] += 1
        real(path, data, *rest)

    with monkeypatch.context() as patch:
        patch.setattr("readinglist.persistence.storage.atomic_write", counting)
        Library(copy).add_tags([next(iter(_seen(copy)))], ["during-move"])
    shutil.rmtree(copy)
    return calls["n"]


def _cut_short_everywhere(old_library, monkeypatch, every: bool) -> None:
    root, seen = old_library
    pid = next(iter(seen))
    writes = _count_writes(root, monkeypatch)
    assert writes > 4
    pristine = root.parent / "pristine"
    shutil.copytree(root, pristine)
    real = storage.atomic_write
    points = range(1, writes + 1) if every else sorted({1, 2, writes // 2, writes - 1, writes})
    for fail_at in points:
        shutil.rmtree(root)
        shutil.copytree(pristine, root)
        calls = {"n": 0}

        def failing(path, data, *rest, fail_at=fail_at, calls=calls):
            calls["n"] += 1
            if calls["n"] == fail_at:
                raise KeyboardInterrupt  # stands for a kill: nothing after it runs
            real(path, data, *rest)

        monkeypatch.setattr("readinglist.persistence.storage.atomic_write", failing)
        with pytest.raises(KeyboardInterrupt):
            Library(root).add_tags([pid], ["during-move"])
        monkeypatch.undo()
        now = _seen(root)
        if now[pid]["tags"] != seen[pid]["tags"]:  # the edit itself was the write cut short
            assert fail_at > writes - 2
            now[pid]["tags"] = seen[pid]["tags"]
            now[pid]["changed"] = seen[pid]["changed"]
        assert now == seen, f"cut short at write {fail_at}"
        Library(root).set_note(pid, "finished")
        _assert_moved(root)
        final = _seen(root)
        assert {k: v for k, v in final.items() if k != pid} == {
            k: v for k, v in seen.items() if k != pid
        }


def test_a_move_cut_short_at_a_write_loses_nothing_and_is_finished(old_library, monkeypatch):
    """The first writes (backup, corpus), one in the middle, the last ones (corpus, edit)."""
    _cut_short_everywhere(old_library, monkeypatch, every=False)


@pytest.mark.slow
def test_a_move_cut_short_at_any_write_loses_nothing_and_is_finished(old_library, monkeypatch):
    _cut_short_everywhere(old_library, monkeypatch, every=True)


_MOVE = """
import sys
from pathlib import Path
from readinglist.persistence.library import Library
lib = Library(Path(sys.argv[1]))
print("ready", flush=True)
lib.set_note(sys.argv[2], "written by the mover")
print("done", flush=True)
"""


def _kill_during_move(root: Path, pid: str, delay: float) -> bool:
    """Run a first write in another process and SIGKILL it after `delay`; whether it ended."""
    child = subprocess.Popen(
        [sys.executable, "-c", _MOVE, str(root), pid], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "ready"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    return "done" in out


def _sigkill_rounds(tmp_path, make_paper, rounds: int, seed: int, size: int) -> int:
    papers = [make_paper(f"Paper {i} on topic {i % 17}") for i in range(size)]
    for paper in papers[::3]:
        paper.read, paper.read_at, paper.tags = True, "2025-01-01T00:00:00+00:00", ["t"]
    pristine = tmp_path / "pristine"
    Library(pristine).import_papers(papers, source="base.json")
    _strip_stamps(pristine, 2)
    seen = _seen(pristine)
    pid = papers[1].id
    rng = random.Random(seed)
    cut = 0
    for _ in range(rounds):
        root = tmp_path / "library"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(pristine, root)
        finished = _kill_during_move(root, pid, rng.uniform(0.0, size / 2500))
        now = _seen(root)
        if now[pid]["note"] == "written by the mover":
            now[pid]["note"], now[pid]["changed"] = "", seen[pid]["changed"]
        else:
            assert not finished
            cut += 1
        assert now == seen
        Library(root).add_tags([pid], ["after"])
        _assert_moved(root)
        assert {k: v for k, v in _seen(root).items() if k != pid} == {
            k: v for k, v in seen.items() if k != pid
        }
        assert not [p for p in (root / "state").iterdir() if p.name.endswith(".tmp")]
    return cut


def test_sigkill_during_the_move_loses_nothing(tmp_path, make_paper):
    _sigkill_rounds(tmp_path, make_paper, rounds=2, seed=os.getpid(), size=300)


@pytest.mark.slow
def test_sigkill_during_the_move_soak(tmp_path, make_paper):
    cut = _sigkill_rounds(tmp_path, make_paper, rounds=30, seed=1, size=1500)
    assert cut > 0, "some kills landed inside the move"
