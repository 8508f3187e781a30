"""Conflict copies of library files left by a file syncer: the next writer merges them."""

from __future__ import annotations

import json
import shutil

from readinglist.edits import AddTags, EditFields, Stamp
from readinglist.persistence.library import open_library

LATER = Stamp("2030-01-01T00:00:00.000000+00:00", "other", "user")


def _two(run, tmp_path):
    listing = tmp_path / "in.json"
    listing.write_text(
        json.dumps([{"title": f"Paper {n}", "abstract": f"About {n} " * 20} for n in range(2)])
    )
    assert run("import", str(listing))[0] == 0
    papers = sorted(open_library(run.library).papers(), key=lambda p: p.title)
    return papers


def _shard(library, pid):
    return library / "state" / f"{pid[:3]}.json"


def test_a_syncthing_copy_of_a_state_shard_is_merged_and_removed(run, tmp_path):
    first, second = _two(run, tmp_path)
    assert run("tag", first.id, "mine")[0] == 0
    shard = _shard(run.library, first.id)
    copy = shard.with_name(f"{first.id[:3]}.sync-conflict-20241212-101010-ABCDEFG.json")
    data = json.loads(shard.read_text())
    other = AddTags(LATER, ("theirs",)).apply(open_library(run.library).get(first.id))
    other.tags = ["theirs"]  # the other machine never had "mine"
    other.tag_stamps = {"theirs": [LATER.stored(), None]}
    data["state"][first.id] = other.stored_state()
    copy.write_text(json.dumps(data))
    status, _, err = run("read", second.id)
    assert status == 0
    assert f"{copy.name}: a file syncer's conflict copy of state/{first.id[:3]}.json; merged" in err
    assert not copy.exists()
    assert sorted(open_library(run.library).get(first.id).tags) == ["mine", "theirs"]


def test_a_dropbox_copy_of_the_corpus_is_merged_and_removed(run, tmp_path):
    first, second = _two(run, tmp_path)
    corpus = run.library / "papers.json"
    copy = run.library / "papers (Laptop's conflicted copy 2024-12-12).json"
    shutil.copy(corpus, copy)
    data = json.loads(copy.read_text())
    edited = EditFields(LATER, {"title": "Retitled elsewhere"}).apply(first)
    data["papers"][first.id] = edited.stored_bib()
    copy.write_text(json.dumps(data))
    status, _, err = run("tag", second.id, "x")
    assert status == 0 and "conflicted copy" in err and "merged" in err
    assert not copy.exists()
    lib = open_library(run.library)
    assert lib.get(first.id).title == "Retitled elsewhere" and lib.get(second.id).tags == ["x"]


def test_a_file_that_only_looks_like_a_copy_is_left_alone(run, tmp_path):
    first, _ = _two(run, tmp_path)
    stray = run.library / "notes.sync-conflict-20241212-101010-ABCDEFG.txt"
    stray.write_text("mine")
    status, _, err = run("read", first.id)
    assert status == 0 and err == ""
    assert stray.read_text() == "mine"


def _listings_of_state(monkeypatch, library) -> list[str]:
    """Each time the state folder is listed from now on (its path)."""
    import os

    listed: list[str] = []
    real = os.listdir

    def listdir(path="."):
        if os.fspath(path) == str(library / "state"):
            listed.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    return listed


def test_one_process_lists_the_state_folder_again_only_when_it_changed(run, tmp_path, monkeypatch):
    first, second = _two(run, tmp_path)
    lib = open_library(run.library)
    lib.papers()  # the whole library read, as the app holds it
    lib.set_read([first.id])
    listed = _listings_of_state(monkeypatch, run.library)
    for _ in range(3):  # its own writes change the folder: not a reason to list it
        lib.set_read([first.id], False)
        lib.set_read([first.id])
    assert listed == []
    shard = _shard(run.library, second.id)
    copy = shard.with_name(f"{second.id[:3]}.sync-conflict-20241212-101010-ABCDEFG.json")
    data = json.loads(shard.read_text()) if shard.exists() else {"state": {}}
    theirs = AddTags(LATER, ("theirs",)).apply(second)
    data["state"][second.id] = theirs.stored_state()
    copy.write_text(json.dumps(data))  # a syncer adds a file: the next write lists and merges
    lib.set_read([first.id], False)
    assert len(listed) == 1 and not copy.exists()
    assert open_library(run.library).get(second.id).tags == ["theirs"]
    assert lib.notices and "merged" in lib.notices[-1]


def test_a_write_that_did_not_look_for_copies_leaves_the_next_one_to_list(
    run, tmp_path, monkeypatch
):
    first, _ = _two(run, tmp_path)
    lib = open_library(run.library)
    lib.papers()
    lib.set_read([first.id])
    with lib._writing(load=False):  # (no look for copies in this hold of the lock)
        pass
    listed = _listings_of_state(monkeypatch, run.library)
    lib.set_read([first.id], False)
    assert len(listed) == 1
