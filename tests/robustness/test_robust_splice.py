"""A change of one paper's fields writes its corpus line into the file as it is.

`edit ID` and the first `cite ID` (which fixes a provisional key) go through the
directory: no other record is parsed, and the file written is byte for byte what a
whole write of the same records gives. A kill leaves the old file or the new one.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from readinglist import cli
from readinglist.persistence import splice, storage
from readinglist.persistence.directory import DIRECTORY_FILE, Directory
from readinglist.persistence.library import Library
from readinglist.persistence.lines import lines_of, spans_in, unpadded


def _everything(root: Path) -> dict[str, dict]:
    return {p.id: p.to_json() for p in Library(root).papers()}


def _no_whole_reads(monkeypatch) -> None:
    def refuse(self) -> None:
        raise AssertionError("the whole corpus was read")

    monkeypatch.setattr(Library, "_load_corpus", refuse)


def _as_a_whole_write_gives(root: Path) -> None:
    """The corpus is what `lines_of` writes for its records (but for the spaces a change
    in place pads a shorter line with); the directory matches it."""
    raw = (root / "papers.json").read_bytes()
    data = orjson.loads(raw)
    assert lines_of(data, "papers")[0] == unpadded(raw)
    generation = data["_meta"]["1"]["generation"]
    assert storage.read_manifest(root / "manifest.json")["generation"] == generation
    saved = Directory.load(root, generation)
    built = Directory.build(generation, data["papers"], spans_in(raw, "papers"))
    assert saved is not None
    assert list(saved.spans) == list(built.spans)
    assert saved.size == len(raw)
    for names in ("ids", "alias_names", "key_names"):
        assert list(getattr(saved, names)) == list(getattr(built, names))
    for targets in ("alias_targets", "key_targets"):
        assert list(getattr(saved, targets)) == list(getattr(built, targets))
    assert saved.complete == built.complete


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
    real, real_in_place = splice.plan, splice.patch_plan

    def plan(old, directory, head, lines, generation, removed=(), added=None):
        found = real(old, directory, head, lines, generation, removed, added)
        ids = [*lines, *removed, *(added or ())]
        done.extend(pid if found is not None else f"refused {pid}" for pid in ids)
        return found

    def patch_plan(old, directory, head, lines):
        found = real_in_place(old, directory, head, lines)
        if found is not None:  # (else the file is written anew: `plan`)
            done.extend(lines)
        return found

    monkeypatch.setattr(splice, "plan", plan)
    monkeypatch.setattr(splice, "patch_plan", patch_plan)
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


def _edit(root: Path, pid: str) -> None:
    Library(root).edit(pid, title="Cut short")


def _rm(root: Path, pid: str) -> None:
    Library(root).remove([pid])


def _rm_and_put_back(root: Path, pid: str) -> None:
    paper = Library(root).get(pid)
    _rm(root, pid)
    Library(root).put([replace(paper, title="Cut short")])


def _killed_in_splice(monkeypatch, seam: str, fail_at: int, *writers: str) -> None:
    """The `fail_at`-th call of `storage.<seam>` made inside one of splice's `writers`
    raises KeyboardInterrupt, which stands for a kill: nothing after it runs."""
    real = getattr(storage, seam)
    calls = {"n": 0, "splicing": False}

    def dying(*args):
        calls["n"] += calls["splicing"]
        if calls["n"] == fail_at:
            raise KeyboardInterrupt
        return real(*args)

    def marked(write):
        def splicing(*args):
            calls["splicing"] = True
            try:
                return write(*args)
            finally:
                calls["splicing"] = False

        return splicing

    monkeypatch.setattr(storage, seam, dying)
    for name in writers:
        monkeypatch.setattr(splice, name, marked(getattr(splice, name)))


@pytest.mark.parametrize("fail_at", [1, 2])  # the kill comes in the splice's own writes
@pytest.mark.parametrize("seam", ["write_bytes", "fsync", "replace", "write_at"])
@pytest.mark.parametrize("change", [_edit, _rm, _rm_and_put_back])
def test_a_kill_during_the_splice_leaves_the_old_file_or_the_new(
    written, spliced, monkeypatch, seam, fail_at, change
):
    root = written
    before = _everything(root)
    target = sorted(before)[4]
    original = Library(root).get(target)
    _killed_in_splice(monkeypatch, seam, fail_at, "write", "patch")
    try:
        change(root, target)
        killed = False
    except KeyboardInterrupt:
        killed = True
    assert spliced and all(pid == target for pid in spliced)
    monkeypatch.undo()
    now = _everything(root)
    others = {pid: paper for pid, paper in now.items() if pid != target}
    assert others == {pid: paper for pid, paper in before.items() if pid != target}
    if target in now:  # the old paper, or the new one whole
        assert now[target] == before[target] or now[target]["title"] == "Cut short"
    if not killed:
        assert (target in now) == (change is not _rm)
    Library(root).put([replace(original, title="After the kill")])  # writers go on
    _as_a_whole_write_gives(root)
    assert _everything(root)[target]["title"] == "After the kill"
    (root / DIRECTORY_FILE).unlink()
    assert _everything(root)[target]["title"] == "After the kill"


@pytest.mark.parametrize("where", ["first", "middle", "last", "last two"])
def test_rm_takes_the_lines_out_and_undo_puts_them_back_reading_nothing_else(
    written, spliced, capsys, where
):
    root = written
    run = ["--library", str(root)]
    order = list(orjson.loads((root / "papers.json").read_bytes())["papers"])
    chosen = {"first": order[:1], "middle": order[5:6], "last": order[-1:]}.get(where, order[-2:])
    assert cli.main([*run, "tag", chosen[0], "kept-on-undo"]) == 0
    assert cli.main([*run, "note", chosen[0], "a", "note"]) == 0
    before = _everything(root)
    with pytest.MonkeyPatch.context() as only_lines:
        _no_whole_reads(only_lines)
        assert cli.main([*run, "rm", *chosen]) == 0
    after_rm = _everything(root)
    assert set(after_rm) == set(before) - set(chosen)
    assert all(after_rm[pid] == before[pid] for pid in after_rm)
    _as_a_whole_write_gives(root)
    with pytest.MonkeyPatch.context() as only_lines:
        _no_whole_reads(only_lines)
        assert cli.main([*run, "undo"]) == 0
    assert "Undid" in capsys.readouterr().out
    assert _everything(root) == before  # tags, note and key as they were
    assert spliced == [*chosen, *chosen]
    _as_a_whole_write_gives(root)


def test_undo_of_rm_finds_the_paper_in_a_search(written, capsys):
    root = written
    run = ["--library", str(root)]
    target = sorted(_everything(root))[6]
    assert cli.main([*run, "edit", target, "--title", "Quixotic pangolins"]) == 0
    assert cli.main([*run, "rm", target]) == 0
    capsys.readouterr()
    assert cli.main([*run, "search", "pangolins", "--json"]) == 1
    assert cli.main([*run, "undo"]) == 0
    capsys.readouterr()
    assert cli.main([*run, "search", "pangolins", "--json"]) == 0
    assert [hit["id"] for hit in orjson.loads(capsys.readouterr().out)] == [target]


def test_rm_of_every_paper_line_by_line_leaves_an_empty_corpus(small_library):
    root = small_library.root
    ids = [p.id for p in small_library.papers()]
    Library(root).remove(ids[: len(ids) // 2])
    Library(root).remove(ids[len(ids) // 2 :])
    assert Library(root).papers() == []
    _as_a_whole_write_gives(root)


def test_a_paper_the_directory_misses_is_not_added_twice(written, spliced):
    """A directory that lies by leaving a paper out: putting that paper back finds its
    line in the file and writes the whole library instead (one line, not two)."""
    root = written
    raw = (root / "papers.json").read_bytes()
    data = orjson.loads(raw)
    spans = spans_in(raw, "papers")
    target = sorted(spans)[7]
    docs = {pid: doc for pid, doc in data["papers"].items() if pid != target}
    Directory.build(data["_meta"]["1"]["generation"], docs, spans).save(root)
    paper = Library(root).get(target)
    Library(root).put([replace(paper, title="Put back changed")])
    assert spliced == [f"refused {target}"]
    raw = (root / "papers.json").read_bytes()
    assert raw.count(orjson.dumps(target) + b":") == 1
    assert Library(root).get(target).title == "Put back changed"
    _as_a_whole_write_gives(root)


def _corpus(tmp_path: Path, docs: dict[str, dict]) -> tuple[Path, Directory]:
    data = {"_meta": {"1": {"schema": storage.SCHEMA_VERSION, "generation": "a" * 32}},
            "papers": docs}  # fmt: skip
    raw, spans = lines_of(data, "papers")
    path = tmp_path / "papers.json"
    path.write_bytes(raw)
    return path, Directory.build("a" * 32, docs, spans)


def _same_directory(found: Directory, expected: Directory) -> None:
    for part in ("ids", "alias_names", "key_names", "spans", "alias_targets", "key_targets"):
        assert list(getattr(found, part)) == list(getattr(expected, part)), part
    assert found.size == expected.size


@pytest.mark.parametrize("seed", range(6))
def test_a_directory_edited_in_place_is_the_directory_of_the_new_file(tmp_path, seed):
    """Ids, aliases and keys taken out or put in without decoding the rest: the result
    is what building the directory of the new file gives."""
    import random

    rng = random.Random(seed)

    def record(n: int) -> dict:
        return {"title": f"paper {n}" * rng.randint(1, 3), "key": f"Key{n}",
                "aliases": [f"{n:04x}alias{k}" for k in range(rng.randint(0, 2))],
                "key_aliases": [f"old{n}x{k}" for k in range(rng.randint(0, 2))]}  # fmt: skip

    ids = rng.sample(range(1000, 9999), 30)
    docs = {f"{n:016x}": record(n) for n in ids}
    path, directory = _corpus(tmp_path, docs)
    removed = rng.sample(sorted(docs), rng.randint(1, 4)) + ([list(docs)[-1]] if seed % 2 else [])
    new = {f"{n:016x}": record(n) for n in rng.sample(range(10000, 19999), rng.randint(1, 3))}
    head = splice.meta_line({"schema": storage.SCHEMA_VERSION, "generation": "b" * 32})
    for change in ({"removed": set(removed)}, {"added": new}):
        added = {
            pid: (splice.record_line(pid, doc), doc) for pid, doc in change.get("added", {}).items()
        }
        with path.open("rb") as old:
            pieces, edited = splice.plan(old, directory, head, {}, "b" * 32,
                                         change.get("removed", ()), added)  # fmt: skip
            out = tmp_path / "out.json"
            splice.write(out, old, pieces)
        data = orjson.loads(out.read_bytes())
        docs = {pid: doc for pid, doc in docs.items() if pid not in change.get("removed", ())}
        docs.update(change.get("added", {}))
        assert data["papers"] == docs
        raw = out.read_bytes()
        assert lines_of(data, "papers")[0] == raw
        _same_directory(edited, Directory.build("b" * 32, docs, spans_in(raw, "papers")))
        out.replace(path)
        directory = edited


def test_an_import_of_new_papers_adds_their_lines_and_rewrites_no_other(
    written, spliced, numbered_papers, capsys
):
    root = written
    before = _everything(root)
    new = numbered_papers(3, label="fresh")
    report = Library(root).import_papers(new, source="fresh.json", tags=["fresh"])
    assert (report.added, report.merged) == (3, 0)
    assert sorted(spliced) == sorted(p.id for p in new)  # only their lines, at the end
    after = _everything(root)
    assert {pid: after[pid] for pid in before} == before
    assert all(after[p.id]["tags"] == ["fresh"] for p in new)
    _as_a_whole_write_gives(root)
    assert cli.main(["--library", str(root), "search", "fresh", "00001"]) == 0
    assert new[1].title in capsys.readouterr().out


def test_an_import_that_merges_a_stored_paper_writes_the_corpus_whole(
    written, spliced, numbered_papers
):
    root = written
    stored = Library(root).get(sorted(_everything(root))[5])
    again = replace(stored, doi="10.1/again", tags=["again"], read=False)
    new = numbered_papers(1, label="fresh")
    report = Library(root).import_papers([again, *new], source="again.json")
    assert (report.added, report.merged) == (1, 1)
    assert spliced == []  # a stored paper changes: the whole corpus is written
    after = _everything(root)
    assert after[stored.id]["identifiers"]["doi"] == "10.1/again"
    assert "again" in after[stored.id]["tags"] and new[0].id in after
    _as_a_whole_write_gives(root)


@pytest.mark.parametrize(  # the kill comes at each of the splice's own writes
    ("seam", "fail_at"), [("write_bytes", 1), ("write_bytes", 2), ("fsync", 1), ("replace", 1)]
)
def test_a_kill_during_an_import_s_splice_leaves_it_whole_or_absent(
    written, spliced, monkeypatch, numbered_papers, seam, fail_at
):
    root = written
    before = _everything(root)
    new = numbered_papers(2, label="fresh")
    _killed_in_splice(monkeypatch, seam, fail_at, "write")
    with pytest.raises(KeyboardInterrupt):
        Library(root).import_papers(new, source="fresh.json", tags=["fresh"])
    assert sorted(spliced) == sorted(p.id for p in new)
    monkeypatch.undo()
    now = _everything(root)
    assert {pid: now[pid] for pid in before} == before
    there = [p.id in now for p in new]
    assert there in ([True, True], [False, False])  # the import whole or absent
    assert all(now[p.id]["tags"] == ["fresh"] for p in new if p.id in now)
    Library(root).import_papers(new, source="fresh.json", tags=["fresh"])  # writers go on
    _as_a_whole_write_gives(root)
    assert all(_everything(root)[p.id]["tags"] == ["fresh"] for p in new)
