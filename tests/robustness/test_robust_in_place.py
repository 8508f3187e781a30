"""A change of one paper's record written in place, behind the journal.

When every changed line is no longer than the one it replaces (the first `cite ID`
drops `"key_fixed":false`), the corpus file is not copied: the line is written over
the old one (padded with spaces) and line 1 names the new generation. A kill at any
write leaves the old library or the new one, readers meeting the write under way see
one of them whole, and a file a backup links to is never written in place.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

from readinglist import cli
from readinglist.persistence import backups, splice, storage
from readinglist.persistence.directory import DIRECTORY_FILE, RENAMED_FILE, Directory
from readinglist.persistence.journal import JOURNAL_FILE
from readinglist.persistence.library import Library
from readinglist.persistence.lines import lines_of, spans_in, unpadded
from readinglist.sync import codec

SEAMS = ("write_bytes", "fsync", "replace", "write_at")


def _everything(root: Path) -> dict[str, dict]:
    return {p.id: p.to_json() for p in Library(root).papers()}


def _as_a_whole_write_gives(root: Path) -> None:
    raw = (root / "papers.json").read_bytes()
    data = orjson.loads(raw)
    assert lines_of(data, "papers")[0] == unpadded(raw)
    generation = data["_meta"]["1"]["generation"]
    assert storage.read_manifest(root / "manifest.json")["generation"] == generation
    saved = Directory.load(root, generation)
    if saved is not None:  # (else the next whole read makes it)
        built = Directory.build(generation, data["papers"], spans_in(raw, "papers"))
        assert list(saved.spans) == list(built.spans)
        assert list(saved.ids) == list(built.ids)
        assert saved.size == len(raw)


@pytest.fixture
def written(small_library) -> Path:
    """A library whose papers but two have fixed keys (as test_robust_splice.py)."""
    papers = sorted(small_library.papers(), key=lambda p: p.id)
    small_library.fix_keys([p.id for p in papers[2:]])
    return small_library.root


@pytest.fixture
def in_place(monkeypatch) -> list[str]:
    """The ids of each change written in place."""
    done: list[str] = []
    real = splice.patch_plan

    def patch_plan(old, directory, head, lines):
        found = real(old, directory, head, lines)
        if found is not None:
            done.extend(lines)
        return found

    monkeypatch.setattr(splice, "patch_plan", patch_plan)
    return done


def _provisional(root: Path) -> str:
    return next(p.id for p in Library(root).papers() if not p.key_fixed)


def test_the_first_cite_writes_the_line_in_place(written, in_place, monkeypatch, capsys):
    root = written
    before = _everything(root)
    target = _provisional(root)
    corpus = root / "papers.json"
    inode, size = corpus.stat().st_ino, corpus.stat().st_size

    def refuse(self) -> None:
        raise AssertionError("the whole corpus was read")

    with monkeypatch.context() as only_lines:
        only_lines.setattr(Library, "_load_corpus", refuse)
        assert cli.main(["--library", str(root), "cite", target]) == 0
    capsys.readouterr()
    assert in_place == [target]
    assert (corpus.stat().st_ino, corpus.stat().st_size) == (inode, size)  # not copied
    assert (root / RENAMED_FILE).exists()
    assert not (root / JOURNAL_FILE).exists()
    after = _everything(root)
    assert after[target]["key_fixed"] is True
    assert {pid: d for pid, d in after.items() if pid != target} == {
        pid: d for pid, d in before.items() if pid != target
    }
    _as_a_whole_write_gives(root)
    generation = storage.read_manifest(root / "manifest.json")["generation"]
    assert Directory.load(root, generation) is not None  # directory.bin, under its new name


def _killed_at(step: int, change) -> bool:
    """Run `change`, killed at its `step`-th write of any kind; whether it was."""
    calls = {"n": 0}
    reals = {name: getattr(storage, name) for name in SEAMS}

    def dying(name):
        def call(*args):
            calls["n"] += 1
            if calls["n"] == step:
                raise KeyboardInterrupt  # stands for a kill: nothing after it runs
            return reals[name](*args)

        return call

    with pytest.MonkeyPatch.context() as faults:
        for name in SEAMS:
            faults.setattr(storage, name, dying(name))
        try:
            change()
        except KeyboardInterrupt:
            return True
    return False


def test_a_kill_at_any_write_leaves_the_old_library_or_the_new(written, in_place, tmp_path):
    """Killed at each write in turn (the journal, the manifest, the line, line 1, the
    syncs, the directory): whoever reads next sees the paper old or new, never a mix,
    and the same again after the next writer; the writer leaves the file whole."""
    base = written
    target = _provisional(base)
    before = _everything(base)
    whole = tmp_path / "not-killed"
    shutil.copytree(base, whole)
    Library(whole).fix_keys([target])
    assert in_place == [target]
    after = _everything(whole)[target]
    assert after != before[target]
    step = 0
    while True:
        step += 1
        root = tmp_path / f"kill-{step}"
        shutil.copytree(base, root)
        killed = _killed_at(step, lambda: Library(root).fix_keys([target]))  # noqa: B023
        seen = _everything(root)
        assert seen[target] in (before[target], after)
        assert {p: d for p, d in seen.items() if p != target} == {
            p: d for p, d in before.items() if p != target
        }
        one = Library(root).get(target)  # through the directory, or the whole corpus
        assert one.to_json() == seen[target]
        if not killed:
            assert seen[target] == after
        other = sorted(before)[9]
        Library(root).edit(other, title="A writer goes on")
        again = _everything(root)
        assert again[target] == seen[target]  # no going back
        assert again[other]["title"] == "A writer goes on"
        assert not (root / JOURNAL_FILE).exists()
        _as_a_whole_write_gives(root)
        (root / DIRECTORY_FILE).unlink()
        assert _everything(root) == again
        if not killed:
            break
    assert step > 6  # journal, manifest, line, line 1, sync, ...: each was a kill
    assert in_place == [target] * (step + 1)


def test_a_reader_meeting_the_write_under_way_reads_it_again(written, in_place, monkeypatch):
    """Bytes read while the line is written but line 1 not yet (a mix of two versions)
    are read again: the reader sees the new library whole, and reports no damage."""
    root = written
    corpus = root / "papers.json"
    target = _provisional(root)
    old = corpus.read_bytes()
    Library(root).fix_keys([target])
    assert in_place == [target]
    new = corpus.read_bytes()
    cut = new.index(b"\n") + 1
    mixed = old[:cut] + new[cut:]  # line 1 of the old file, the line of the new one
    assert mixed != new and len(mixed) == len(new)
    reads = []
    real = storage.read_library_file

    def reading(path):
        if path.name != "papers.json":
            return real(path)
        reads.append(path)
        return mixed if len(reads) == 1 else real(path)

    monkeypatch.setattr(storage, "read_library_file", reading)
    papers = {p.id: p for p in Library(root).papers()}
    assert len(reads) == 2
    assert papers[target].key_fixed


def test_a_reader_of_a_write_cut_short_takes_the_journal_s_writes(written, in_place, monkeypatch):
    """Killed after the line's write, before line 1's: the manifest names the new
    generation (the commit), so readers see the new paper; the next writer finishes the file."""
    root = written
    target = _provisional(root)
    real = storage.write_at
    calls = []

    def once(fd, data, offset):
        calls.append(offset)
        if len(calls) == 2:  # line 1, written last
            raise KeyboardInterrupt
        return real(fd, data, offset)

    monkeypatch.setattr(storage, "write_at", once)
    with pytest.raises(KeyboardInterrupt):
        Library(root).fix_keys([target])
    monkeypatch.undo()
    assert (root / JOURNAL_FILE).exists()
    on_disk = orjson.loads((root / "papers.json").read_bytes())["_meta"]["1"]["generation"]
    assert on_disk != storage.read_manifest(root / "manifest.json")["generation"]
    assert Library(root).get(target).key_fixed
    assert {p.id: p.key_fixed for p in Library(root).papers()}[target]
    with Library(root).locked():
        pass  # the next holder of the lock makes the writes on disk
    assert not (root / JOURNAL_FILE).exists()
    _as_a_whole_write_gives(root)


def test_a_corpus_a_backup_links_to_is_written_anew(written, in_place):
    root = written
    backups.snapshot(root, backups.Label("change", "a backup sharing papers.json"))
    corpus = root / "papers.json"
    assert corpus.stat().st_nlink == 2
    linked = corpus.read_bytes()
    target = _provisional(root)
    Library(root).fix_keys([target])
    assert in_place == []  # written anew: the backup's file is left as it was
    (backup,) = backups.list_all(root)
    backups.verify(root, backup)
    assert (root / "backups" / backup.name / "papers.json").read_bytes() == linked
    assert Library(root).get(target).key_fixed
    _as_a_whole_write_gives(root)


def test_a_longer_line_is_written_anew_as_a_whole_write_gives(written, in_place):
    root = written
    target = sorted(_everything(root))[4]
    corpus = root / "papers.json"
    inode = corpus.stat().st_ino
    Library(root).edit(target, title="A title longer than any title these papers had before")
    assert in_place == []
    assert corpus.stat().st_ino != inode
    raw = corpus.read_bytes()
    assert lines_of(orjson.loads(raw), "papers")[0] == raw


def test_a_padded_line_is_committed_as_a_whole_write_gives_it(written, in_place):
    root = written
    target = _provisional(root)
    Library(root).fix_keys([target])
    assert in_place == [target]
    raw = (root / "papers.json").read_bytes()
    assert b" ,\n" in raw or raw.endswith(b" \n}}\n")
    data = orjson.loads(raw)
    assert codec.committed(raw, codec.CORPUS) == codec.encode(data["_meta"]["1"], data["papers"],
                                                              codec.CORPUS)  # fmt: skip


def test_a_directory_renamed_that_names_another_file_is_not_used(written, in_place):
    root = written
    target = _provisional(root)
    Library(root).fix_keys([target])
    generation = storage.read_manifest(root / "manifest.json")["generation"]
    note = orjson.loads((root / RENAMED_FILE).read_bytes())
    assert note["generation"] == generation
    (root / RENAMED_FILE).write_bytes(orjson.dumps({**note, "stored": "0" * 32}))
    assert Directory.load(root, generation) is None
    (root / RENAMED_FILE).write_bytes(b"\x00 damaged")
    assert Directory.load(root, generation) is None
    assert Library(root).get(target).key_fixed  # the whole corpus, which makes it again
    assert Directory.load(root, generation) is not None


@pytest.mark.parametrize("field", ["title", "year"])
def test_a_spliced_edit_keeps_the_sort_orders(written, field):
    """The directory's first papers of each sort the edit moves are placed afresh
    (not dropped), as a whole read orders them."""
    root = written
    papers = sorted(_everything(root))
    for n, target in enumerate(papers[3:6]):
        value = f"Zz moved {n}" if field == "title" else 1990 + n
        Library(root).edit(target, **{field: value})
        raw = (root / "papers.json").read_bytes()
        data = orjson.loads(raw)
        generation = data["_meta"]["1"]["generation"]
        saved = Directory.load(root, generation)
        assert saved is not None
        built = Directory.build(generation, data["papers"], spans_in(raw, "papers"))
        assert set(saved.orders) >= set(built.orders) - {"added"}
        for sort in saved.orders:
            assert list(saved.in_order(sort)) == list(built.in_order(sort)), sort
    assert os.path.exists(root / DIRECTORY_FILE)


@pytest.mark.parametrize("manifest", ["another generation", "missing"])
def test_a_file_that_keeps_naming_another_generation_is_read_as_it_is(
    written, monkeypatch, manifest
):
    """A writer killed between the manifest and the file's replace (or a manifest gone):
    the corpus is read once more at most, and taken as it is (the writer settles it)."""
    root = written
    before = _everything(root)
    path = root / "manifest.json"
    if manifest == "missing":
        path.unlink()
    else:
        path.write_bytes(orjson.dumps({"generation": "e" * 32, "papers": len(before)}))
    reads = []
    real = storage.read_library_file

    def reading(where):
        if where.name == "papers.json":
            reads.append(where)
        return real(where)

    monkeypatch.setattr(storage, "read_library_file", reading)
    assert _everything(root) == before
    assert len(reads) == (1 if manifest == "missing" else 2)


def test_every_reader_sees_an_edit_made_in_place(written, in_place, capsys):
    """A second edit of a title, shorter than the first (its stamp is there already),
    with no backup taken (`edit` on the command line takes one, which links the
    corpus): written in place; search, list (from the saved rows), the first page and
    what sync commits all hold the new title."""
    root = written
    run = ["--library", str(root)]
    assert cli.main([*run, "search", "anything", "--json"]) in (0, 1)  # the index is saved
    assert cli.main([*run, "list"]) == 0
    target = sorted(_everything(root))[6]
    Library(root).edit(target, title="Zymurgical splicing of long lines")
    assert in_place == []  # (a new stamp: the line grew)
    Library(root).edit(target, title="Zymurgy")
    assert in_place == [target]
    capsys.readouterr()
    assert cli.main([*run, "search", "zymurgy", "--json"]) == 0
    assert [hit["id"] for hit in orjson.loads(capsys.readouterr().out)] == [target]
    listed = Library(root).listed()
    assert listed is not None  # (from the saved rows, not the whole corpus)
    assert {p.id: p.title for p in listed}[target] == "Zymurgy"
    page = Library(root).first_page("title", None, 40)
    assert page is not None
    assert {p.id: p.title for p in page.papers}[target] == "Zymurgy"
    raw = (root / "papers.json").read_bytes()
    committed = codec.committed(raw, codec.CORPUS)
    assert b'"title":"Zymurgy"' in committed and b" ,\n" not in committed
    assert codec.decode(committed, codec.CORPUS)[1][target]["title"] == "Zymurgy"


_CHILD = """
import sys
from readinglist.persistence.library import Library
root = sys.argv[1]
for pid in sys.argv[2:]:
    print("begin", pid, flush=True)
    Library(root).fix_keys([pid])
    print("ack", pid, flush=True)
"""


def _read_until(root: Path, stop, seen: dict[str, bool], failures: list) -> None:
    """Read the whole library over and over until `stop`: no fixed key may go back."""
    while not stop.is_set():
        try:
            for paper in Library(root).papers():
                if seen.get(paper.id) and not paper.key_fixed:
                    raise AssertionError(f"{paper.id}: its fixed key went back")
                seen[paper.id] = paper.key_fixed
        except BaseException as exc:  # (any failure fails the test)
            failures.append(exc)
            return


def _but_the_key_flag(records: dict[str, dict]) -> dict[str, dict]:
    """Each record without `key_fixed` and its stamp (what fixing a key changes)."""
    out = {}
    for pid, record in records.items():
        kept = {k: v for k, v in record.items() if k != "key_fixed"}
        kept["changed"] = {k: v for k, v in record.get("changed", {}).items() if k != "key_fixed"}
        out[pid] = kept
    return out


def test_sigkill_during_writes_in_place_while_a_reader_reads(tmp_path, numbered_papers):
    """A child fixes keys one paper at a time (each written in place) and is killed with
    SIGKILL at a random moment, four times, while this process reads the library over
    and over: no read fails or sees a key go back, every acknowledged key is fixed, no
    key not begun is, and no other field of any paper changes."""
    import random
    import signal
    import subprocess
    import sys
    import threading
    import time

    root = tmp_path / "library"
    Library(root).import_papers(numbered_papers(300), source="base.json")
    original = _but_the_key_flag(_everything(root))
    waiting = sorted(pid for pid, d in _everything(root).items() if not d["key_fixed"])
    assert len(waiting) == 300
    fixed: set[str] = set()
    rng = random.Random(7)
    for _ in range(4):
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(root), *waiting],
            stdout=subprocess.PIPE,
            text=True,
        )
        seen: dict[str, bool] = {}
        failures: list[BaseException] = []
        stop = threading.Event()
        reader = threading.Thread(target=_read_until, args=(root, stop, seen, failures))
        reader.start()
        assert child.stdout is not None
        # Killed at a random moment once its first key is written (not after a fixed
        # time: on a busy machine the child may not have started by then).
        head = [child.stdout.readline() for _ in range(2)]  # "begin ID", "ack ID"
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        out = "".join(head) + out
        stop.set()
        reader.join()
        assert not failures, failures
        lines = out.split()
        acked = {lines[i + 1] for i in range(0, len(lines) - 1, 2) if lines[i] == "ack"}
        begun = {lines[i + 1] for i in range(0, len(lines) - 1, 2) if lines[i] == "begin"}
        now = _everything(root)
        assert _but_the_key_flag(now) == original
        for pid, record in now.items():
            if pid in fixed or pid in acked:
                assert record["key_fixed"] is True, pid
            elif pid not in begun:
                assert record["key_fixed"] is False, pid
        fixed = {pid for pid, d in now.items() if d["key_fixed"]}
        waiting = [pid for pid in waiting if pid not in fixed]
        assert waiting  # (the child was killed before it fixed them all)
    assert len(fixed) >= 4  # (the child got through a write each time)
    Library(root).fix_keys(waiting[:1])  # a writer goes on
    assert not (root / JOURNAL_FILE).exists()
    _as_a_whole_write_gives(root)
