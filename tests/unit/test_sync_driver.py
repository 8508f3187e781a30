"""`readinglist merge-driver` as git runs it: a real repository, a real `git merge`."""

from __future__ import annotations

import shutil
import subprocess
import sys

import orjson
import pytest

from readinglist import edits
from readinglist.edits import AddTags, MarkRead, Stamp
from readinglist.model import Paper
from readinglist.sync import driver
from readinglist.sync.codec import STATE, decode, encode

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
MADE = Stamp("2026-01-01T10:00:00.000000+00:00", "aaaa", "import:x")


def git(repo, *args: str) -> str:
    env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=env)
    assert out.returncode == 0 or args[0] == "merge", out.stderr.decode()
    return out.stdout.decode()


def shard(*papers: Paper) -> bytes:
    return encode({"schema": 3}, {p.id: p.stored_state() for p in papers}, STATE)


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "lib"
    (repo / "state").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "t")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "config", "merge.readinglist.driver", driver.command(sys.executable))
    (repo / ".gitattributes").write_text("state/*.json merge=readinglist\n")
    return repo


def test_git_merges_a_shard_both_sides_changed_paper_by_paper(repo):
    p = edits.new_record(Paper("abc" + "0" * 13, "P"), MADE)
    q = edits.new_record(Paper("abc" + "1" * 13, "Q"), MADE)
    path = repo / "state" / "abc.json"
    path.write_bytes(shard(p, q))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-qb", "other")
    path.write_bytes(
        shard(p, AddTags(Stamp("2026-01-02T00:00:00.000000+00:00", "b"), ("cv",)).apply(q))
    )
    git(repo, "commit", "-qam", "tag q")
    git(repo, "checkout", "-q", "main")
    path.write_bytes(shard(MarkRead(Stamp("2026-01-02T00:00:00.000000+00:00", "a")).apply(p), q))
    git(repo, "commit", "-qam", "read p")
    git(repo, "merge", "-q", "--no-edit", "other")
    assert "<<<<" not in path.read_text()
    _, states = decode(path.read_bytes(), STATE)
    assert states[p.id]["read"] is True
    assert states[q.id]["tags"] == ["cv"]
    assert git(repo, "status", "--porcelain") == ""


def test_a_damaged_side_leaves_gits_conflict_and_says_why(tmp_path, capsys):
    base, ours, theirs = (tmp_path / n for n in "oab")
    base.write_bytes(b"")
    ours.write_bytes(b"<<<<<<< HEAD\n")
    theirs.write_bytes(orjson.dumps({"state": {}}))
    assert driver.main([str(base), str(ours), str(theirs), "state/abc.json"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "state/abc.json: not valid JSON" in err
    assert ours.read_bytes() == b"<<<<<<< HEAD\n", "left as it was"


def test_the_driver_does_not_load_the_program(tmp_path):
    for name in "oab":
        (tmp_path / name).write_bytes(encode({}, {}, STATE))
    files = [str(tmp_path / name) for name in "oab"]
    code = (
        "import sys, readinglist.sync.driver as d;"
        f"assert d.main({files!r} + ['state/abc.json']) == 0;"
        "bad = {'json', 're', 'orjson', 'textual', 'tinydb', 'httpx', 'citeproc', 'readinglist.cli',"
        " 'readinglist.persistence.library', 'dataclasses', 'typing'} & set(sys.modules);"
        "print(sorted(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
