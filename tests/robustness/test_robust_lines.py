"""One record a line and the directory: the move from one-line files, kills during it,
single-paper commands that never read the corpus, a directory that is wrong."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from readinglist import cli
from readinglist.errors import UnknownIdError
from readinglist.persistence import storage
from readinglist.persistence.directory import DIRECTORY_FILE, Directory
from readinglist.persistence.library import Library
from readinglist.persistence.lines import is_lined, spans_in


def _everything(root: Path) -> dict[str, dict]:
    return {p.id: p.to_json() for p in Library(root).papers()}


def _to_one_line(root: Path) -> None:
    """Rewrite the library as earlier releases wrote it: each file one JSON line, no directory."""
    for path in [root / "papers.json", *(root / "state").glob("*.json")]:
        data = orjson.loads(path.read_bytes())
        meta = data.pop("_meta", None)
        if meta is not None:
            data["_meta"] = meta  # earlier releases wrote it last
        path.write_bytes(orjson.dumps(data))
    (root / DIRECTORY_FILE).unlink(missing_ok=True)


@pytest.fixture
def one_line(small_library) -> tuple[Path, dict[str, dict]]:
    root = small_library.root
    expected = _everything(root)
    _to_one_line(root)
    assert not is_lined((root / "papers.json").read_bytes())
    return root, expected


def _no_whole_reads(monkeypatch) -> None:
    def refuse(self) -> None:
        raise AssertionError("the whole corpus was read")

    monkeypatch.setattr(Library, "_load_corpus", refuse)


def _line_ids(raw: bytes, table: str) -> list[str]:
    lines = raw.split(b"\n")
    assert lines[0].startswith(b'{"_meta":') and lines[1] == f'"{table}":{{'.encode()
    assert lines[-2:] == [b"}}", b""]
    return [orjson.loads(b"{" + line.rstrip(b",") + b"}").popitem()[0] for line in lines[2:-2]]


def test_files_are_one_record_a_line_the_corpus_in_the_order_papers_came(small_library):
    root = small_library.root
    raw = (root / "papers.json").read_bytes()
    ids = _line_ids(raw, "papers")
    assert ids == [p.id for p in small_library.papers()] and len(ids) == 40
    assert ids != sorted(ids)  # the order of the import, not of the ids
    paper = small_library.papers()[9]
    small_library.edit(paper.id, title="Changed in place")
    after = (root / "papers.json").read_bytes()
    assert _line_ids(after, "papers") == ids  # its line keeps its place
    changed = [a for a, b in zip(after.split(b"\n"), raw.split(b"\n"), strict=True) if a != b]
    assert len(changed) == 2 and b"Changed in place" in changed[1]  # _meta, and its line
    for shard in (root / "state").glob("[0-9a-f]*.json"):
        ids = _line_ids(shard.read_bytes(), "state")
        assert ids == sorted(ids)


def test_a_one_line_library_reads_as_it_is_and_reading_never_rewrites_it(one_line, capsys):
    root, expected = one_line
    before = (root / "papers.json").read_bytes()
    assert _everything(root) == expected
    pid = next(iter(expected))
    assert cli.main(["--library", str(root), "show", pid, "--json"]) == 0
    assert orjson.loads(capsys.readouterr().out) == expected[pid]
    assert (root / "papers.json").read_bytes() == before


def test_the_next_writer_moves_it_to_one_record_a_line_and_loses_nothing(one_line):
    root, expected = one_line
    pid = next(pid for pid, paper in expected.items() if not paper["read"])
    Library(root).set_read([pid])
    assert is_lined((root / "papers.json").read_bytes())
    assert (root / DIRECTORY_FILE).exists()
    after = _everything(root)
    assert after[pid]["read"] is True
    expected[pid] = after[pid]
    assert after == expected


@pytest.mark.parametrize("fail_at", range(1, 9))
@pytest.mark.parametrize("seam", ["write_bytes", "fsync", "replace"])
def test_a_kill_during_the_move_loses_nothing_and_the_next_writer_finishes(
    one_line, monkeypatch, seam, fail_at
):
    root, expected = one_line
    pid = next(iter(expected))
    real = getattr(storage, seam)
    calls = {"n": 0}

    def dying(*args):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise KeyboardInterrupt  # stands for a kill: nothing after it runs
        return real(*args)

    monkeypatch.setattr(storage, seam, dying)
    try:
        Library(root).add_tags([pid], ["during-move"])
        killed = False
    except KeyboardInterrupt:
        killed = True
    monkeypatch.undo()

    now = _everything(root)
    if not killed or now != expected:  # the kill point came after the change's last write
        # of the library (e.g. while the search's note of the state write was made)
        assert now[pid]["tags"][-1] == "during-move"
        assert {k: v for k, v in now.items() if k != pid} == {
            k: v for k, v in expected.items() if k != pid
        }
        expected = now
    Library(root).add_tags([pid], ["after-move"])
    expected[pid]["tags"] = [*expected[pid]["tags"], "after-move"]
    after = _everything(root)
    for paper in (after[pid], expected[pid]):
        paper.pop("changed")
    assert after == expected
    assert is_lined((root / "papers.json").read_bytes())


def test_one_paper_commands_never_read_the_corpus(small_library, monkeypatch, capsys):
    root = small_library.root
    paper = small_library.papers()[7]
    _no_whole_reads(monkeypatch)
    run = ["--library", str(root)]
    assert cli.main([*run, "read", paper.id]) == 0
    assert cli.main([*run, "tag", paper.id[:8], "flat"]) == 0
    assert cli.main([*run, "note", paper.id, "one", "line"]) == 0
    capsys.readouterr()
    assert cli.main([*run, "show", paper.id, "--json"]) == 0
    shown = orjson.loads(capsys.readouterr().out)
    monkeypatch.undo()
    stored = Library(root).get(paper.id)
    assert (stored.read, stored.note) == (True, "one line")
    assert "flat" in stored.tags
    assert shown == stored.to_json()


def test_show_through_the_directory_prints_what_a_whole_read_prints(small_library, capsys):
    root = small_library.root
    paper = small_library.papers()[3]
    whole = Library(root)
    whole.papers()
    for ref in (paper.id, paper.id[:6], paper.key):
        assert cli.main(["--library", str(root), "show", ref]) == 0
        lean = capsys.readouterr().out
        assert f"id: {whole.short_ids()[paper.id]} ({paper.id})" in lean
        assert whole.get(ref).id == paper.id


def test_a_missing_stale_or_damaged_directory_is_made_again(small_library):
    root = small_library.root
    paper = small_library.papers()[5]
    path = root / DIRECTORY_FILE
    for damage in (b"", b"RLREC\x01\r\nrubbish", path.read_bytes()[:-7]):
        path.write_bytes(damage)
        assert Library(root).get(paper.id).to_json() == paper.to_json()
        Library(root).papers()  # a whole read makes it again
        generation = storage.read_manifest(root / "manifest.json")["generation"]
        assert Directory.load(root, generation) is not None
    small_library.edit(paper.id, title="A new title")  # the directory follows each write
    generation = storage.read_manifest(root / "manifest.json")["generation"]
    assert Directory.load(root, generation) is not None
    assert Library(root).get(paper.id).title == "A new title"


def test_a_directory_that_points_at_the_wrong_paper_gives_no_wrong_answer(small_library):
    """Checksums hold, content lies: every answer is checked against the corpus line."""
    root = small_library.root
    papers = sorted(small_library.papers(), key=lambda p: p.id)
    generation = storage.read_manifest(root / "manifest.json")["generation"]
    raw = (root / "papers.json").read_bytes()
    spans = spans_in(raw, "papers")
    docs = orjson.loads(raw)["papers"]
    first, second = papers[0].id, papers[1].id
    spans[first], spans[second] = spans[second], spans[first]  # each id at the other's line
    keyed = {pid: {**doc, "key": docs[second].get("key")} if pid == first else doc
             for pid, doc in docs.items() if pid != second}  # fmt: skip
    Directory.build(generation, keyed, spans).save(root)  # the second paper is "missing"
    lib = Library(root)
    assert lib.get(first).id == first
    assert lib.get(second).id == second
    assert lib.get(papers[1].key).id == second
    with pytest.raises(UnknownIdError):
        Library(root).get("ffffffffff")


def test_a_state_change_made_one_by_one_is_seen_by_a_library_holding_everything(
    small_library,
):
    reader = Library(small_library.root)
    paper = reader.papers()[2]
    Library(small_library.root).add_tags([paper.id], ["seen"])
    reader.refresh()
    assert "seen" in reader.get(paper.id).tags


def test_a_damaged_shard_stops_what_reads_it_and_nothing_else(small_library, shard_file, capsys):
    """One-paper commands read one shard: a damaged shard elsewhere is reported by what
    reads it (list, search, the app), never written, and costs the other papers nothing."""
    root = small_library.root
    papers = small_library.papers()
    damaged_paper = papers[0]
    path = shard_file(root, damaged_paper.id)
    other = next(p for p in papers if shard_file(root, p.id) != path)
    if not path.exists():
        small_library.add_tags([damaged_paper.id], ["x"])
    path.write_bytes(path.read_bytes()[:20])
    damaged = path.read_bytes()
    run = ["--library", str(root)]
    assert cli.main([*run, "tag", other.id, "fine"]) == 0
    assert cli.main([*run, "show", damaged_paper.id]) == 1
    assert cli.main([*run, "list"]) == 1
    err = capsys.readouterr().err
    assert err.count(path.name) == 2 and "Traceback" not in err
    assert path.read_bytes() == damaged
