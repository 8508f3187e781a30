"""`readinglist sync`: two (or three) clones of one library and a bare repository as the
remote, all on the local disk, driven through the command line."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys

import pytest

from readinglist.cli import main
from readinglist.persistence.library import open_library
from readinglist.sync import codec

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PAPERS = [
    {
        "title": f"Paper number {n}",
        "abstract": f"Abstract of paper {n} about topic {n}, long enough to stand alone. " * 2,
        "authors": [f"Author{n} Family{n}"],
        "year": 2020 + n,
    }
    for n in range(4)
]


def _without_user_config(monkeypatch, home) -> None:
    """git without the user's configuration (no identity: sync gives its own)."""
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))


@pytest.fixture(autouse=True)
def quiet_git(tmp_path, monkeypatch):
    _without_user_config(monkeypatch, tmp_path / "home")


class Machine:
    def __init__(self, root, capsys, ids: dict[int, str] | None = None) -> None:
        self.root = root
        self.capsys = capsys
        self.ids = ids or {}  # Paper number n -> its id (as made: ids never change)

    def __call__(self, *args: str) -> tuple[int, str, str]:
        status = main(["--library", str(self.root), *args])
        out, err = self.capsys.readouterr()
        return status, out, err

    def ok(self, *args: str) -> str:
        status, out, err = self(*args)
        assert status == 0, (args, out, err)
        return out

    def papers(self) -> dict:
        return {p.id: p for p in open_library(self.root).papers()}

    def paper(self, n: int):
        return next(p for p in self.papers().values() if p.title == f"Paper number {n}")

    def id(self, n: int) -> str:
        return self.ids[n] if n in self.ids else self.paper(n).id

    def values(self) -> dict:
        """Each paper as a user sees it (and its stamps): what must converge."""
        return {pid: p.to_json() for pid, p in self.papers().items()}


@pytest.fixture(scope="module")
def made_once(tmp_path_factory):
    """A remote and two machines sharing one library through it: A made it, B joined
    (`sync init` on both), made once and copied for each test. The machines name the
    remote by a relative path (`../remote.git`), so a copy of the three folders is a
    working set as it is."""
    folder = tmp_path_factory.mktemp("sync")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _without_user_config(monkeypatch, folder / "home")
        remote = folder / "remote.git"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
        listing = folder / "papers.json"
        listing.write_text(json.dumps(PAPERS))
        for name, *args in (("a", "import", str(listing)), ("a",), ("b",)):
            library = ["--library", str(folder / name)]
            if args:
                assert main([*library, *args]) == 0
            assert main([*library, "sync", "init", str(remote)]) == 0
            git(folder / name, "remote", "set-url", "origin", "../remote.git")
    a, b = (Machine(folder / name, None) for name in "ab")
    assert a.values() == b.values() and len(a.papers()) == 4
    return folder


@pytest.fixture(scope="module")
def paper_ids(made_once) -> dict[int, str]:
    """Paper number n's id in the shared library."""
    papers = Machine(made_once / "a", None).papers().values()
    return {int(p.title.rsplit(" ", 1)[1]): p.id for p in papers}


@pytest.fixture
def remote(tmp_path, made_once):
    path = tmp_path / "remote.git"
    shutil.copytree(made_once / "remote.git", path, symlinks=True)
    return path


@pytest.fixture
def machines(tmp_path, capsys, remote, made_once, paper_ids):
    """Two machines sharing one library through `remote` (copies of `made_once`)."""
    pair = []
    for name in "ab":
        shutil.copytree(made_once / name, tmp_path / name, symlinks=True)
        pair.append(Machine(tmp_path / name, capsys, paper_ids))
    capsys.readouterr()
    return tuple(pair)


def git(root, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def blob(root, spec: str) -> bytes:
    done = subprocess.run(["git", "-C", str(root), "show", spec], capture_output=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def numstat(root, *revs: str) -> str:
    return git(root, "diff", "--numstat", *revs)


def both_sync(a: Machine, b: Machine) -> None:
    a.ok("sync")
    b.ok("sync")
    a.ok("sync")
    assert a.values() == b.values()


def test_init_commits_only_the_librarys_own_files(machines, remote):
    a, b = machines
    files = set(git(remote, "ls-tree", "-r", "--name-only", "main").split())
    assert "papers.json" in files and ".gitignore" in files and ".gitattributes" in files
    assert all(
        f in ("papers.json", "settings.json", ".gitignore", ".gitattributes")
        or f.startswith("state/")
        for f in files
    ), files
    assert not any(f.endswith((".lock", ".bin", "replica", "manifest.json")) for f in files)
    assert "merge=readinglist" in (a.root / ".gitattributes").read_text()
    assert "readinglist" in git(a.root, "config", "merge.readinglist.driver")
    assert git(a.root, "log", "-1", "--format=%an <%ae>").startswith("readinglist <readinglist@")
    assert "imported papers.json: 4 papers" in git(a.root, "log", "--format=%s")
    assert (a.root / "replica").read_text() != (b.root / "replica").read_text()


def test_different_papers_changed_on_each_side(machines):
    a, b = machines
    a.ok("read", a.id(0))
    b.ok("tag", b.id(1), "nlp")
    out = a.ok("sync")
    assert "sent: read 1" in out
    out = b.ok("sync")
    assert "sent: tagged 1" in out and "received: read 1" in out
    a.ok("sync")
    assert a.values() == b.values()
    assert a.paper(0).read and a.paper(1).tags == ["nlp"]


def test_the_same_paper_read_on_one_side_and_tagged_on_the_other(machines):
    a, b = machines
    a.ok("read", a.id(2))
    b.ok("tag", b.id(2), "keep")
    both_sync(a, b)
    p = b.paper(2)
    assert p.read and p.tags == ["keep"]


def test_a_tag_removed_on_one_side_and_added_again_on_the_other(machines):
    a, b = machines
    a.ok("tag", a.id(0), "x")
    both_sync(a, b)
    a.ok("untag", a.id(0), "x")
    b.ok("untag", b.id(0), "x")
    b.ok("tag", b.id(0), "x")  # the later act
    both_sync(a, b)
    assert a.paper(0).tags == ["x"]


def test_the_same_note_edited_on_both_keeps_both(machines):
    a, b = machines
    a.ok("note", a.id(1), "from the laptop")
    b.ok("note", b.id(1), "from the desktop")
    both_sync(a, b)
    note = a.paper(1).note
    assert note.startswith("from the desktop") and "from the laptop" in note
    assert "also written on another machine" in note


def test_a_paper_deleted_on_one_side_and_tagged_on_the_other_comes_back(machines):
    a, b = machines
    pid = a.id(3)
    a.ok("rm", "--yes", pid)
    b.ok("tag", pid, "important")
    a.ok("sync")
    out = b.ok("sync")
    assert "deleted on one machine and changed on the other" in out
    a.ok("sync")
    assert a.values() == b.values()
    assert a.papers()[pid].tags == ["important"]


def test_a_paper_deleted_on_one_side_and_left_alone_is_gone_on_both(machines):
    a, b = machines
    pid = a.id(3)
    a.ok("rm", "--yes", pid)
    both_sync(a, b)
    assert pid not in b.papers()


def test_the_same_listing_imported_on_both_is_one_paper_each(machines, tmp_path):
    a, b = machines
    listing = tmp_path / "daily.json"
    listing.write_text(json.dumps([{"title": "A new paper today", "abstract": "Fresh " * 30}]))
    a.ok("import", str(listing), "--tag", "daily")
    b.ok("import", str(listing))
    both_sync(a, b)
    found = [p for p in a.papers().values() if p.title == "A new paper today"]
    assert len(found) == 1 and found[0].tags == ["daily"]


def test_a_clash_of_fixed_cite_keys_gives_the_later_one_a_suffix(machines):
    a, b = machines
    a.ok("edit", a.id(0), "--key", "smith2020")
    b.ok("edit", b.id(1), "--key", "smith2020")
    a.ok("sync")
    out = b.ok("sync")
    assert "cite key smith2020 is now smith2020a" in out
    a.ok("sync")
    assert a.values() == b.values()
    assert a.paper(0).key == "smith2020" and a.paper(1).key == "smith2020a"


def test_three_machines_in_rotation_end_identical(machines, tmp_path, capsys, remote):
    a, b = machines
    c = Machine(tmp_path / "c", capsys, a.ids)
    c.ok("sync", "init", str(remote))
    a.ok("read", a.id(0))
    b.ok("tag", b.id(0), "b")
    c.ok("note", c.id(0), "c was here")
    c.ok("tag", c.id(1), "c")
    for _ in range(2):
        for m in (a, b, c):
            m.ok("sync")
    assert a.values() == b.values() == c.values()
    p = c.paper(0)
    assert p.read and p.tags == ["b"] and p.note == "c was here"
    heads = {git(m.root, "rev-parse", "HEAD") for m in (a, b, c)}
    assert len(heads) == 1, "quiescent: one commit everywhere"


def test_a_push_refused_because_someone_pushed_first_is_merged_and_retried(machines, monkeypatch):
    a, b = machines
    from readinglist.sync import gitrepo

    a.ok("read", a.id(0))
    b.ok("tag", b.id(1), "t")
    talk = gitrepo.Git.talk
    pushed = []

    def b_pushes_first(self, *args):
        if args[0] == "push" and not pushed:
            pushed.append(1)
            b.ok("sync")  # someone else's push lands between our fetch and push
        return talk(self, *args)

    monkeypatch.setattr(gitrepo.Git, "talk", b_pushes_first)
    a.ok("sync")
    monkeypatch.undo()
    b.ok("sync")
    assert a.values() == b.values()
    assert a.paper(0).read and a.paper(1).tags == ["t"]


def test_a_sync_killed_mid_way_leaves_a_whole_library_and_the_next_completes(machines, monkeypatch):
    a, b = machines
    from readinglist.sync import syncing

    a.ok("read", a.id(0))
    a.ok("sync")
    b.ok("tag", b.id(0), "t")
    before = b.values()

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(syncing, "_apply", killed)
    status, _, _ = b("sync")
    assert status == 130
    assert b.values() == before, "the library is as it was"
    assert (b.root / ".git" / syncing.SCRATCH).exists() is False
    monkeypatch.undo()
    b.ok("sync")
    a.ok("sync")
    assert a.values() == b.values() and a.paper(0).tags == ["t"] and a.paper(0).read


def test_status_says_what_is_local_ahead_and_behind(machines):
    a, b = machines
    a.ok("read", a.id(0))
    out = a.ok("sync", "--status")
    assert "local changes: read 1" in out and "last synced: 20" in out
    a.ok("sync")
    b.ok("sync")
    assert "local changes: none" in b.ok("sync", "--status")


def test_status_of_a_library_not_set_up(tmp_path, capsys):
    m = Machine(tmp_path / "solo", capsys)
    assert "not set up for sync" in m.ok("sync", "--status")
    status, _, err = m("sync")
    assert status == 1 and "sync init" in err and err.count("\n") == 1


def test_git_missing_is_one_clear_line(machines, monkeypatch):
    a, _ = machines
    from readinglist.sync import gitrepo

    monkeypatch.setattr(gitrepo, "GIT", "git-not-installed-here")
    status, out, err = a("sync")
    assert (
        status == 1
        and err
        == "readinglist: git is not installed (or not on PATH): install git to sync the library\n"
    )


def test_a_remote_that_refuses_is_one_clear_line(machines, tmp_path):
    a, _ = machines
    git(a.root, "remote", "set-url", "origin", str(tmp_path / "no-such-remote.git"))
    a.ok("read", a.id(0))
    status, _, err = a("sync")
    assert status == 1 and err.count("\n") == 1 and "no-such-remote.git" in err
    assert "Traceback" not in err
    assert a.paper(0).read, "the local change is kept (and committed)"


def test_credentials_are_never_asked_for_without_a_terminal(machines, monkeypatch):
    a, _ = machines
    from readinglist.sync.gitrepo import Git

    monkeypatch.delenv("GIT_TERMINAL_PROMPT", raising=False)
    monkeypatch.delenv("GIT_SSH_COMMAND", raising=False)
    env = Git(a.root, interactive=False).env()
    assert env["GIT_TERMINAL_PROMPT"] == "0" and "BatchMode=yes" in env["GIT_SSH_COMMAND"]
    assert "GIT_TERMINAL_PROMPT" not in Git(a.root, interactive=True).env()


def test_a_remote_asking_for_credentials_without_a_terminal_is_refused_in_one_line(
    machines, tmp_path
):
    a, _ = machines
    helper = tmp_path / "ask.sh"  # a transport that needs a password nobody can type
    helper.write_text(
        "#!/bin/sh\necho 'fatal: could not read Username for x: terminal prompts disabled' >&2\nexit 128\n"
    )
    helper.chmod(0o755)
    git(a.root, "remote", "set-url", "origin", "ext::" + str(helper))
    git(a.root, "config", "protocol.ext.allow", "always")
    status, _, err = a("sync")
    assert status == 1 and err.count("\n") == 1
    assert "credentials needed or refused" in err and "in a terminal" in err


def git_killing_its_caller_at(folder, step: str) -> dict[str, str]:
    """An environment whose `git` SIGKILLs the process that runs `git STEP` (and runs
    the real git for anything else): a sync killed at a known point."""
    folder.mkdir()
    script = folder / "git"
    real = shlex.quote(shutil.which("git") or "git")
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = "{step}" ]; then kill -KILL "$PPID"; exit 1; fi\n'
        f'exec {real} "$@"\n'
    )
    script.chmod(0o755)
    return dict(os.environ, PATH=f"{folder}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.parametrize(
    ("step", "left"),
    [("merge", "as before"), ("reset", "merged")],  # mid-merge; written, branch not moved
)
def test_a_sync_killed_by_sigkill_leaves_a_whole_library(machines, tmp_path, step, left):
    a, b = machines
    a.ok("read", a.id(0))
    a.ok("note", a.id(1), "from a")
    a.ok("sync")
    b.ok("tag", b.id(0), "t")
    b.ok("rm", "--yes", b.id(3))
    before = b.values()
    command = [sys.executable, "-m", "readinglist", "--library", str(b.root), "sync"]
    env = git_killing_its_caller_at(tmp_path / "bin", step)
    child = subprocess.run(command, env=env, capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    if step == "merge":
        assert (b.root / ".git" / "readinglist-merge").exists(), "killed inside the merge"
    else:
        assert len(git(b.root, "log", "-1", "--format=%P").split()) == 1, "branch not moved"
    after = b.values()  # it opens
    b.ok("sync")
    a.ok("sync")
    assert a.values() == b.values()
    assert after == (before if left == "as before" else b.values()), "whole, never half"
    p = a.paper(0)
    assert p.read and p.tags == ["t"] and a.paper(1).note == "from a" and len(a.papers()) == 3


def test_init_with_a_library_on_both_sides_merges_them(tmp_path, capsys, remote, made_once):
    listing = tmp_path / "own.json"
    listing.write_text(json.dumps([{"title": "Only on c", "abstract": "Its own words " * 20}]))
    c = Machine(tmp_path / "c", capsys)
    c.ok("import", str(listing), "--tag", "mine")
    out = c.ok("sync", "init", str(remote))
    assert "sent: imported own.json: 1 paper" in out and "received: imported papers.json: 4" in out
    a = Machine(tmp_path / "a", capsys)
    shutil.copytree(made_once / "a", a.root, symlinks=True)
    a.ok("sync")
    assert a.values() == c.values() and len(a.papers()) == 5
    assert next(p for p in a.papers().values() if p.title == "Only on c").tags == ["mine"]


def test_a_merge_is_committed_one_record_a_line_and_one_change_is_one_line(machines, tmp_path):
    a, b = machines
    first, last = a.id(0), a.id(3)
    a.ok("edit", first, "--title", "Changed on a")
    b.ok("edit", last, "--title", "Changed on b")
    a.ok("sync")
    b.ok("sync")
    a.ok("sync")
    assert a.papers()[first].title == "Changed on a" and a.papers()[last].title == "Changed on b"
    assert git(a.root, "rev-parse", "HEAD") == git(b.root, "rev-parse", "HEAD")
    # Each side's change is one line of one file, whichever parent it is seen from.
    assert numstat(b.root, "HEAD^1", "HEAD") == "1\t1\tpapers.json\n"
    assert numstat(b.root, "HEAD^2", "HEAD") == "1\t1\tpapers.json\n"
    for parent in ("HEAD^1", "HEAD^2"):
        assert numstat(b.root, f"{parent}~1", parent) == "1\t1\tpapers.json\n"
    # The first line is the same on both sides: git's own line merge is clean too.
    versions = ("HEAD^1", "HEAD^1~1", "HEAD^2")
    files = []
    for name, rev in zip(("ours", "base", "theirs"), versions, strict=True):
        files.append(tmp_path / name)
        files[-1].write_bytes(blob(b.root, f"{rev}:papers.json"))
    line_merge = subprocess.run(["git", "merge-file", "-p", *map(str, files)], capture_output=True)
    assert line_merge.returncode == 0 and line_merge.stdout == blob(b.root, "HEAD:papers.json")
    # Every committed file is as the library writes it; each machine's corpus is the
    # committed one, but for its own generation token.
    for path in git(b.root, "ls-tree", "-r", "--name-only", "HEAD").split():
        kind = codec.kind_of(path)
        if kind in (codec.CORPUS, codec.STATE):
            raw = blob(b.root, f"HEAD:{path}")
            assert raw.startswith(b'{"_meta":{"1":{"schema":3}},\n'), path
            assert raw == codec.encode(*codec.decode(raw, kind), kind), path
    for m in (a, b):
        working = (m.root / "papers.json").read_bytes()
        assert b'"generation"' in working.split(b"\n")[0]
        assert codec.committed(working, codec.CORPUS) == blob(b.root, "HEAD:papers.json")


def test_papers_added_on_both_sides_are_stored_in_one_order_everywhere(machines, tmp_path):
    a, b = machines
    for m, name in ((a, "laptop"), (b, "desktop")):
        listing = tmp_path / f"{name}.json"
        papers = [{"title": f"{name} paper {n}", "abstract": f"{name} {n} " * 20} for n in range(2)]
        listing.write_text(json.dumps(papers))
        m.ok("import", str(listing))
    both_sync(a, b)
    assert len(a.papers()) == 8
    head = blob(a.root, "HEAD:papers.json")
    for m in (a, b):
        assert codec.committed((m.root / "papers.json").read_bytes(), codec.CORPUS) == head
        assert "local changes: none" in m.ok("sync", "--status")


def test_a_damaged_library_file_is_one_line_and_nothing_is_synced(machines, remote):
    a, _ = machines
    before = git(remote, "rev-parse", "main"), git(a.root, "rev-parse", "HEAD")
    (a.root / "papers.json").write_text('{"papers": {<<<<<<< HEAD\n')
    status, _, err = a("sync")
    assert status == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "papers.json: not valid JSON" in err and "readinglist restore" in err
    assert (git(remote, "rev-parse", "main"), git(a.root, "rev-parse", "HEAD")) == before


def test_one_paper_imported_under_two_ids_on_two_machines_is_one_paper(machines, tmp_path):
    a, b = machines
    abstract = "We study how the same preprint reaches two machines by two listings. " * 3
    with_abstract = [
        {"title": "One preprint, two listings", "abstract": abstract, "arxiv": "2401.01234"}
    ]
    title_only = [{"title": "One preprint, two listings", "arxiv": "2401.01234", "year": 2024}]
    for m, name, listing, tag in (
        (a, "daily", with_abstract, "daily"),
        (b, "feed", title_only, "feed"),
    ):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(listing))
        m.ok("import", str(path), "--tag", tag)
    (first,) = (p.id for p in a.papers().values() if p.arxiv == "2401.01234")
    (second,) = (p.id for p in b.papers().values() if p.arxiv == "2401.01234")
    assert first != second, "two content ids: one listing has the abstract, one has not"
    b.ok("read", second)
    b.ok("note", second, "read on the desktop")
    a.ok("sync")
    out = b.ok("sync")
    assert "received: joined 1, imported daily.json: 1 paper" in out and "cite key" not in out
    assert "stored on both machines under two ids (same arXiv id)" in out
    a.ok("sync")
    assert a.values() == b.values() and len(a.papers()) == 5
    (paper,) = (p for p in a.papers().values() if p.arxiv == "2401.01234")
    assert paper.id == first, "the paper imported first keeps its id"
    assert paper.aliases == [second]
    assert paper.abstract.startswith("We study") and paper.year == 2024
    assert paper.tags == ["daily", "feed"] and paper.read and paper.note == "read on the desktop"
    assert set(paper.sources) == {"daily.json", "feed.json"}
    for m in (a, b):
        for pid in (first, second):
            shown = json.loads(m.ok("show", pid, "--json"))
            assert shown["id"] == first
