"""A change of one paper's fields writes its corpus line into the file as it is.

`edit ID` and the first `cite ID` (which fixes a provisional key) go through the
directory: no other record is parsed, and the file written is byte for byte what a
whole write of the same records gives. A kill leaves the old file or the new one.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from readinglist import cli
from readinglist.persistence import splice, storage
from readinglist.persistence.directory import DIRECTORY_FILE, Directory
from readinglist.persistence.library import Library
from readinglist.persistence.lines import lines_of, spans_in


def _everything(root: Path) -> dict[str, dict]:
    return {p.id: p.to_json() for p in Library(root).papers()}


def _no_whole_reads(monkeypatch) -> None:
    def refuse(self) -> None:
        raise AssertionError("the whole corpus was read")

    monkeypatch.setattr(Library, "_load_corpus", refuse)


def _as_a_whole_write_gives(root: Path) -> None:
    """The corpus is what `lines_of` writes for its records; the directory matches it."""
    raw = (root / "papers.json").read_bytes()
    data = orjson.loads(raw)
    assert lines_of(data, "papers")[0] == raw
    generation = data["_meta"]["1"]["generation"]
    assert storage.read_manifest(root / "manifest.json")["generation"] == generation
    saved = Directory.load(root, generation)
    built = Directory.build(generation, data["papers"], spans_in(raw, "papers"))
    assert saved is not None
    assert list(saved.spans) == list(built.spans)
    assert saved.size == built.size == len(raw)


@pytest.fixture
def written(small_library) -> Path:
    """A library written by this release whose papers but two have fixed keys (an edit
    of a paper whose made-up key follows its title is a key change: a whole write)."""
    papers = sorted(small_library.papers(), key=lambda p: p.id)
    small_library.fix_keys([p.id for p in papers[2:]])
    return small_library.root


@pytest.fixture
def spliced(monkeypatch) -> list[str]:
    """The ids of each change written by splicing (checks the tests take that way); a
    splice refused is noted as "refused ID"."""
    done: list[str] = []
    real = splice.plan

    def plan(old, directory, head, lines, generation):
        found = real(old, directory, head, lines, generation)
        done.extend(pid if found is not None else f"refused {pid}" for pid in lines)
        return found

    monkeypatch.setattr(splice, "plan", plan)
    return done


def test_an_edit_of_one_paper_rewrites_its_line_and_reads_nothing_else(
    written, spliced, monkeypatch, capsys
):
    root = written
    before = _everything(root)
    target = sorted(before)[3]  # not the last line: the lines after it move
    _no_whole_reads(monkeypatch)
    title = 'A "quoted" title — with ünïcode, longer than it was before'
    assert cli.main(["--library", str(root), "edit", target, "--title", title]) == 0
    assert cli.main(["--library", str(root), "edit", target, "--year", "1999"]) == 0
    monkeypatch.undo()
    capsys.readouterr()
    after = _everything(root)
    assert (after[target]["title"], after[target]["year"]) == (title, 1999)
    for pid in before:
        if pid != target:
            assert after[pid] == before[pid]
    assert spliced == [target, target]
    _as_a_whole_write_gives(root)


def test_the_first_cite_fixes_the_key_through_the_directory(written, spliced, monkeypatch, capsys):
    root = written
    lib = Library(root)
    paper = next(p for p in lib.papers() if p.key and not p.key_fixed)
    _no_whole_reads(monkeypatch)
    assert cli.main(["--library", str(root), "cite", paper.id]) == 0
    monkeypatch.undo()
    assert paper.key in capsys.readouterr().out
    stored = Library(root).get(paper.id)
    assert (stored.key, stored.key_fixed) == (paper.key, True)
    assert spliced == [paper.id]
    _as_a_whole_write_gives(root)


def test_a_search_after_the_edit_finds_the_new_words(written, spliced, capsys):
    root = written
    run = ["--library", str(root)]
    assert cli.main([*run, "search", "anything", "--json"]) in (0, 1)  # the index is saved
    target = sorted(_everything(root))[2]
    assert cli.main([*run, "edit", target, "--title", "Zymurgical splicing of lines"]) == 0
    capsys.readouterr()
    assert cli.main([*run, "search", "zymurgical", "--json"]) == 0
    assert [hit["id"] for hit in orjson.loads(capsys.readouterr().out)] == [target]
    assert spliced == [target]


def test_a_directory_that_does_not_describe_the_file_falls_back_to_a_whole_write(written, spliced):
    root = written
    raw = (root / "papers.json").read_bytes()
    data = orjson.loads(raw)
    spans = spans_in(raw, "papers")
    target, other = sorted(spans)[4:6]
    spans[target], spans[other] = spans[other], spans[target]
    Directory.build(data["_meta"]["1"]["generation"], data["papers"], spans).save(root)
    lying = Directory.load(root, data["_meta"]["1"]["generation"])
    with (root / "papers.json").open("rb") as old:
        assert splice.plan(old, lying, b"", {target: b""}, "0" * 32) is None
    Library(root).edit(target, title="Written whole after all")
    assert spliced == [f"refused {target}"]  # the call above: the edit read the line first
    assert Library(root).get(target).title == "Written whole after all"
    _as_a_whole_write_gives(root)


def test_splicing_gives_exactly_the_lines_a_whole_write_gives(written):
    root = written
    raw = (root / "papers.json").read_bytes()
    data = orjson.loads(raw)
    generation = data["_meta"]["1"]["generation"]
    directory = Directory.load(root, generation)
    assert directory is not None
    changed = sorted(data["papers"])[::3]
    for pid in changed:
        data["papers"][pid] = {**data["papers"][pid], "title": f"new {pid}" * (len(pid) % 3)}
    data["_meta"] = {"1": {"schema": storage.SCHEMA_VERSION, "generation": "f" * 32}}
    lines = {pid: splice.record_line(pid, data["papers"][pid]) for pid in changed}
    head = splice.meta_line(data["_meta"]["1"])
    with (root / "papers.json").open("rb") as old:
        pieces, moved = splice.plan(old, directory, head, lines, "f" * 32)
        out = root / "spliced.json"
        out.write_bytes(b"")
        splice.write(out, old, pieces)
    expected, spans = lines_of(data, "papers")
    assert out.read_bytes() == expected
    assert list(moved.spans) == list(Directory.build("f" * 32, data["papers"], spans).spans)
    assert moved.size == len(expected)


@pytest.mark.parametrize("fail_at", [1, 2])
@pytest.mark.parametrize("seam", ["write_bytes", "fsync", "replace"])
def test_a_kill_during_the_splice_leaves_the_old_file_or_the_new(
    written, spliced, monkeypatch, seam, fail_at
):
    root = written
    before = _everything(root)
    target = sorted(before)[4]
    real = getattr(storage, seam)
    calls = {"n": 0}

    def dying(*args):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise KeyboardInterrupt  # stands for a kill: nothing after it runs
        return real(*args)

    monkeypatch.setattr(storage, seam, dying)
    try:
        Library(root).edit(target, title="Cut short")
        killed = False
    except KeyboardInterrupt:
        killed = True
    assert spliced == [target]
    monkeypatch.undo()
    now = _everything(root)
    if killed:
        assert now == before
    else:
        assert now[target]["title"] == "Cut short"
    Library(root).edit(target, title="After the kill")
    assert _everything(root)[target]["title"] == "After the kill"
    (root / DIRECTORY_FILE).unlink()
    assert _everything(root)[target]["title"] == "After the kill"
