"""A missing corpus is an error, symlinked files are written through, cut-short restores
are finished by readers."""

from __future__ import annotations

import json
import os

import pytest

from readinglist.cli import main
from readinglist.persistence import backups
from readinglist.persistence.library import Library


def _state_files(root) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "state").glob("*.json"))}


def _cli(capsys, root, *argv: str) -> tuple[int, str, str]:
    code = main(["--library", str(root), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("how", ["deleted", "dangling symlink"])
def test_a_missing_papers_json_is_an_error_and_no_writer_touches_the_state(
    small_library, tmp_path, capsys, how
):
    root = small_library.root
    listing = tmp_path / "again.json"
    listing.write_text(json.dumps([p.to_json() for p in small_library.papers()[:5]]))
    held = tmp_path / "elsewhere.json"
    os.replace(root / "papers.json", held)
    if how == "dangling symlink":
        os.symlink(tmp_path / "gone.json", root / "papers.json")
    state = _state_files(root)
    for argv in (["stats"], ["list"], ["import", str(listing), "--tag", "zz"]):
        code, out, err = _cli(capsys, root, *argv)
        assert code == 1 and err.count("\n") == 1, (argv, out, err)
        assert "papers.json" in err and "held papers" in err
    assert _state_files(root) == state
    if how == "dangling symlink":
        os.unlink(root / "papers.json")
    os.replace(held, root / "papers.json")
    assert len(Library(root).papers()) == 40
    assert Library(root).get(small_library.papers()[3].id).note == "remember this"


def test_a_missing_papers_json_with_only_a_backup_left_is_an_error(small_library, capsys):
    root = small_library.root
    small_library.add_tags([p.id for p in small_library.papers()], ["all"])  # a backup
    for path in (root / "state").glob("*.json"):
        path.unlink()
    (root / "manifest.json").unlink()
    (root / "papers.json").unlink()
    code, _, err = _cli(capsys, root, "stats")
    assert code == 1 and "held papers" in err
    name = backups.list_backups(root)[0]
    assert _cli(capsys, root, "restore", name)[0] == 0
    assert len(Library(root).papers()) == 40


def test_a_new_library_is_still_empty_not_an_error(tmp_path, capsys):
    assert _cli(capsys, tmp_path / "fresh", "stats")[0] == 0


def test_a_symlinked_library_file_is_written_through_the_link(small_library, tmp_path):
    root = small_library.root
    target = tmp_path / "synced" / "papers.json"
    target.parent.mkdir()
    os.replace(root / "papers.json", target)
    os.symlink(target, root / "papers.json")
    pid = small_library.papers()[0].id
    Library(root).edit(pid, title="Through the link")
    assert (root / "papers.json").is_symlink()
    assert "Through the link" in target.read_text()
    assert Library(root).get(pid).title == "Through the link"


def test_a_reader_finishes_a_cut_short_restore_instead_of_showing_a_mixed_library(
    small_library, monkeypatch
):
    root = small_library.root
    ids = [p.id for p in small_library.papers()]
    wanted = {p.id: p.state_dict() for p in small_library.papers()}
    small_library.add_tags(ids, ["after"])  # the backup holds the library before this
    target = backups.list_backups(root)[0]
    real = backups.atomic_write
    calls = {"n": 0}

    def dying(path, data, **options):
        if backups.BACKUP_DIR not in path.parts and path.suffix == ".json":
            calls["n"] += 1
            if calls["n"] == 3:  # some shards copied back, others not
                raise KeyboardInterrupt
        real(path, data, **options)

    monkeypatch.setattr(backups, "atomic_write", dying)
    with pytest.raises(KeyboardInterrupt):
        Library(root).restore_backup(target)
    monkeypatch.undo()
    assert (root / backups.RESTORING).exists()
    seen = {p.id: p.state_dict() for p in Library(root).papers()}  # a reader, not a writer
    assert seen == wanted
    assert not (root / backups.RESTORING).exists()


def test_a_first_import_killed_before_its_corpus_leaves_an_empty_library_not_an_error(
    tmp_path, numbered_papers, monkeypatch
):
    from readinglist.persistence import storage

    root = tmp_path / "library"
    real, calls = storage.replace, {"n": 0}

    def dying(src, dst):
        calls["n"] += 1
        if calls["n"] > 3 and str(dst).endswith("papers.json"):
            raise KeyboardInterrupt  # stands for a kill before the papers are stored
        return real(src, dst)

    monkeypatch.setattr(storage, "replace", dying)
    papers = numbered_papers(5)
    for paper in papers:
        paper.tags = ["first"]
    with pytest.raises(KeyboardInterrupt):
        Library(root).import_papers(papers, source="first.json")
    monkeypatch.undo()
    assert Library(root).papers() == []
    Library(root).import_papers(papers, source="first.json")
    assert all(p.tags == ["first"] for p in Library(root).papers())
