"""`readinglist undo`: the last changes made from the command line, taken back one by one
with the edits' own reverts (a field changed since by someone else keeps its value)."""

from __future__ import annotations

import json

import pytest

from readinglist import edits
from readinglist.persistence import backups, history
from readinglist.persistence.library import Library

PAPERS = [
    {"title": "Attention Is All You Need", "abstract": "We propose the Transformer.", "year": 2017},
    {
        "title": "Deep Residual Learning",
        "abstract": "Residual learning eases training.",
        "year": 2016,
    },
    {"title": "Graph Attention Networks", "abstract": "Attention over graph nodes.", "year": 2018},
]
ATTN, RES, GAT = (p["title"] for p in PAPERS)


@pytest.fixture
def ids(run, tmp_path) -> dict[str, str]:
    """Three papers imported into `run`'s library: their ids by title."""
    listing = tmp_path / "a.json"
    listing.write_text(json.dumps(PAPERS))
    assert run("import", str(listing))[0] == 0
    return {p.title: p.id for p in Library(run.library).papers()}


def stored(run) -> dict[str, object]:
    return {p.title: p for p in Library(run.library).papers()}


def test_undo_takes_back_the_last_change_then_the_one_before(run, ids):
    a, g = ids[ATTN], ids[GAT]
    assert run("tag", f"{a},{g}", "to-read")[0] == 0
    assert run("note", a, "first", "note")[0] == 0
    status, out, err = run("undo")
    assert (status, err) == (0, "")
    assert out == f"Undid `note {a} first note` (1 paper)\n"
    assert stored(run)[ATTN].note == "" and stored(run)[ATTN].tags == ["to-read"]
    status, out, _ = run("undo")
    assert out == f"Undid `tag {a},{g} to-read` (2 papers)\n"
    assert stored(run)[ATTN].tags == [] and stored(run)[GAT].tags == []
    assert run("undo") == (
        1,
        "",
        "Nothing to undo (undo takes back the last 20 changes made from the command line)\n",
    )


def test_undo_keeps_what_others_changed_since(run, ids):
    a = ids[ATTN]
    run("tag", a, "x")
    run("note", a, "mine")
    other = Library(run.library)  # another process: the app, a second shell
    other.apply(edits.SetNote(other.stamp(), "theirs"), [a])
    other.apply(edits.AddTags(other.stamp(), ("y",)), [a])
    status, out, err = run("undo")  # the note: changed since, so it stays (nothing done)
    assert (status, out) == (1, "")
    assert err == (
        f"paper {a[:6]}: kept note (changed since)\nNothing left to undo of `note {a} mine`\n"
    )
    assert stored(run)[ATTN].note == "theirs"
    assert run("undo") == (0, f"Undid `tag {a} x` (1 paper)\n", "")  # y, added since, stays
    assert stored(run)[ATTN].tags == ["y"]


def test_undo_of_rm_brings_the_papers_back_whole(run, ids):
    a = ids[ATTN]
    run("tag", a, "keep")
    run("note", a, "precious")
    before = stored(run)[ATTN]
    status, out, _ = run("rm", "--query", "attention", "--yes")
    assert status == 0 and ATTN not in stored(run)
    status, out, err = run("undo")
    assert status == 0 and out == "Undid `rm --query attention --yes` (2 papers)\n"
    back = stored(run)[ATTN]
    assert (back.tags, back.note, back.key, back.read) == (
        before.tags,
        before.note,
        before.key,
        before.read,
    )
    assert GAT in stored(run)


def test_undo_of_read_and_edit(run, ids):
    r = ids[RES]
    run("read", r)
    run("edit", r, "--title", "ResNet", "--year", "2015")
    run("undo")
    paper = Library(run.library).get(r)
    assert (paper.title, paper.year, paper.read) == (RES, 2016, True)
    run("undo")
    assert Library(run.library).get(r).read is False


def test_nothing_changed_is_not_remembered(run, ids):
    a = ids[ATTN]
    run("tag", a, "x")
    assert run("tag", a, "x")[0] == 1  # nothing changed
    with pytest.raises(SystemExit) as usage:  # a usage mistake
        run("note", a)
    assert usage.value.code == 2
    run("undo")
    assert stored(run)[ATTN].tags == []
    assert run("undo")[0] == 1


def test_only_the_last_changes_are_kept(run, ids, monkeypatch):
    monkeypatch.setattr(history, "KEEP", 3)
    a = ids[ATTN]
    for tag in ("t1", "t2", "t3", "t4"):
        run("tag", a, tag)
    for _ in range(3):
        assert run("undo")[0] == 0
    assert stored(run)[ATTN].tags == ["t1"]
    assert run("undo")[0] == 1


def test_the_history_is_private_and_left_out_of_backups(run, ids):
    a = ids[ATTN]
    run("note", a, "one")
    run("note", a, "two")  # replaces a note: a labelled backup
    path = run.library / history.HISTORY_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    (name, label), *_ = backups.labelled_backups(run.library)
    assert label == f"before note of {a[:6]}"
    assert not (run.library / backups.BACKUP_DIR / name / history.HISTORY_FILE).exists()
    kept = path.read_bytes()
    assert run("restore", name)[0] == 0
    assert path.read_bytes() == kept  # restoring a backup keeps this machine's history


def test_undo_json_prints_the_papers_as_they_are_after(run, ids):
    a = ids[ATTN]
    run("tag", a, "x")
    status, out, _ = run("undo", "--json")
    (paper,) = json.loads(out)
    assert status == 0 and paper["id"] == a and paper["tags"] == []
    assert paper == json.loads(run("show", a, "--json")[1])


def test_a_damaged_history_is_one_line(run, ids):
    (run.library / history.HISTORY_FILE).write_text("{not json")
    status, out, err = run("undo")
    assert status == 1 and out == "" and err.count("\n") == 1 and "undo history" in err


def test_undo_of_untag_and_unread_puts_back_the_tag_in_its_place_and_the_read_time(run, ids):
    a = ids[ATTN]
    run("tag", a, "x", "y", "z")
    run("read", a)
    read_at = stored(run)[ATTN].read_at
    run("untag", a, "y")
    run("unread", a)
    assert run("undo")[1] == f"Undid `unread {a}` (1 paper)\n"
    assert (stored(run)[ATTN].read, stored(run)[ATTN].read_at) == (True, read_at)
    assert run("undo")[1] == f"Undid `untag {a} y` (1 paper)\n"
    assert stored(run)[ATTN].tags == ["x", "y", "z"]


def test_rm_says_that_undo_brings_the_papers_back(run, ids):
    status, out, _ = run("rm", ids[RES])
    assert status == 0 and out == "Deleted 1 paper (`readinglist undo` brings it back)\n"


def test_a_history_written_on_another_machine_has_nothing_to_undo(run, ids, monkeypatch):
    run("tag", ids[ATTN], "x")
    monkeypatch.setattr(history, "_machine", lambda: "another-host")
    assert run("undo")[0] == 1
    assert stored(run)[ATTN].tags == ["x"]


def test_a_tampered_value_in_the_history_is_refused_and_nothing_changes(run, ids):
    a = ids[ATTN]
    run("note", a, "mine")
    path = run.library / history.HISTORY_FILE
    data = json.loads(path.read_text())
    data["changes"][-1]["before"]["items"][a]["items"]["note"] = 5
    path.write_text(json.dumps(data))
    papers = (run.library / "papers.json").read_bytes()
    status, out, err = run("undo")
    assert (status, out) == (1, "") and err.count("\n") == 1
    assert "note must be a string" in err
    assert stored(run)[ATTN].note == "mine"
    assert (run.library / "papers.json").read_bytes() == papers
