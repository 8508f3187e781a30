"""`readinglist sync`: the library folder as a git repository, merged paper by paper.

What is committed is the library's own files only (the corpus, the state shards,
`settings.json`, `.gitignore`, `.gitattributes`): everything else in the folder is
disposable or this machine's own, and `.gitignore` keeps it out. A sync, under the
library's lock:

1. commits local changes, with a message that says what changed;
2. fetches the remote's branch;
3. merges it in a scratch worktree (inside `.git`, never in the library): git runs
   `readinglist merge-driver` on each library file both sides changed, then the
   rules that span files are applied (a paper whole again, cite keys unique) and
   the merge is committed there;
4. applies the merged library through the library's own write path (atomic files,
   a backup first), then moves the branch to the merge;
5. pushes; when the remote refuses because someone pushed first, goes back to 2.

A sync killed at any point leaves a whole library (git never writes it), and the
next sync starts again from 1.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from readinglist.persistence.library import Library
from readinglist.sync import codec
from readinglist.sync.changes import describe
from readinglist.sync.codec import CodecError
from readinglist.sync.driver import command as driver_command
from readinglist.sync.duplicates import Joined, join_duplicates
from readinglist.sync.gitrepo import BRANCH, REMOTE, Git, PushRejected, SyncError
from readinglist.sync.tables import View, make_whole, unique_keys

DRIVER = "readinglist"
SCRATCH = "readinglist-merge"  # the merge's worktree, inside the repository's git folder
LAST_SYNC = "readinglist-last-sync"  # when this machine last synced (in the git folder)
PUSH_ATTEMPTS = 4
SYNCED = (codec.PAPERS_FILE, codec.SETTINGS_FILE, codec.STATE_DIR, ".gitignore", ".gitattributes")
GITIGNORE = """\
# Written by `readinglist sync init`: only the library's own files are synced.
# Never committed: caches (search-index.bin, directory.bin, papers.copy), backups/,
# .lock, .journal, state/.changes, temp files, manifest.json, replica (this
# machine's id), last-citation.txt.
/*
!/papers.json
!/settings.json
!/state/
/state/*
!/state/*.json
!/.gitignore
!/.gitattributes
"""
GITATTRIBUTES = "".join(f"{pattern} merge={DRIVER}\n" for pattern in codec.MERGED_PATTERNS)


@dataclass
class SyncReport:
    """What a sync did, for the user."""

    sent: str = ""  # what the local commit said changed
    received: str = ""  # what the merge brought
    came_back: list[str] = field(default_factory=list)  # report lines
    joined: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pushed: bool = False

    def lines(self) -> list[str]:
        sent = f"sent: {self.sent}" if self.sent else "nothing to send"
        got = f"received: {self.received}" if self.received else "nothing new"
        lines = [*self.came_back, *self.joined, *self.renamed, *self.notes]
        return [f"synced ({sent}; {got})", *lines]


@dataclass
class SyncStatus:
    """Where this copy stands (as of the last fetch: status never talks to the remote)."""

    set_up: bool
    remote: str | None = None
    last_synced: str | None = None
    local: str = ""  # local changes not yet committed ("" for none)
    ahead: int = 0
    behind: int = 0
    cut_short: bool = False

    def lines(self) -> list[str]:
        if not self.set_up:
            return ["not set up for sync (run `readinglist sync init [REMOTE_URL]`)"]
        out = [f"remote: {self.remote or 'none (commits stay on this machine)'}"]
        out.append(f"last synced: {self.last_synced or 'never'}")
        out.append(f"local changes: {self.local or 'none'}")
        out.append(f"ahead {self.ahead}, behind {self.behind} (as of the last sync)")
        if self.cut_short:
            out.append("a sync was cut short: the next `readinglist sync` finishes it")
        return out


# ----- init -------------------------------------------------------------------------


def init(lib: Library, remote: str | None = None, interactive: bool = False) -> SyncReport:
    """Make the library folder a git repository (or adopt it), then sync with `remote`."""
    lib.root.mkdir(parents=True, exist_ok=True)
    git = Git(lib.root, interactive)
    lib.replica()  # an id kept in the settings by earlier releases moves out first
    with lib.locked():
        fresh = _make_repository(git)
        _write_if_changed(lib.root / ".gitignore", GITIGNORE)
        _write_if_changed(lib.root / ".gitattributes", GITATTRIBUTES)
        git.run("config", f"merge.{DRIVER}.name", "readinglist: papers merged field by field")
        git.run("config", f"merge.{DRIVER}.driver", driver_command(_python()))
        _identity(git)
        if remote:
            verb = "set-url" if git.remote_url() else "add"
            git.run("remote", verb, REMOTE, _remote_url(remote))
        report = SyncReport()
        empty = fresh and not _working_view(lib.root).papers
        if not empty:
            report.sent = _commit_local(git, lib.root) or ""
        if git.remote_url() is None:
            if empty:
                report.sent = _commit_local(git, lib.root) or ""
            report.notes.append("no remote: commits stay on this machine until `sync init REMOTE`")
            return report
        _exchange(git, lib, report, adopt=empty)
    return report


def _make_repository(git: Git) -> bool:
    """A repository at the library folder (made if there is none); whether it is new."""
    if (git.root / ".git").exists():
        top = Path(git.text("rev-parse", "--show-toplevel")).resolve()
        if top != git.root.resolve():
            raise SyncError(f"{git.root}: inside the git repository {top}; sync the library alone")
        return git.commit_of("HEAD") is None
    if not git.ok("init", "-q", "-b", BRANCH):  # git before 2.28
        git.run("init", "-q")
        git.run("symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")
    return True


def _remote_url(remote: str) -> str:
    """A folder given by a relative path (a USB stick's repository) made absolute: git
    would read it from inside the library."""
    path = Path(remote).expanduser()
    return str(path.resolve()) if ":" not in remote and path.exists() else remote


def _identity(git: Git) -> None:
    """`readinglist <readinglist@HOSTNAME>` for the commits, unless git knows the user."""
    for key, value in (("user.name", "readinglist"), ("user.email", f"readinglist@{_host()}")):
        if not git.ok("config", key):
            git.run("config", key, value)


def _host() -> str:
    name = socket.gethostname() or "localhost"
    return "".join(ch for ch in name if ch.isalnum() or ch in "-.") or "localhost"


def _python() -> str:
    import shlex
    import sys

    return shlex.quote(sys.executable)


def _write_if_changed(path: Path, text: str) -> None:
    from readinglist.persistence.storage import atomic_write

    with contextlib.suppress(FileNotFoundError):
        if path.read_text(encoding="utf-8") == text:
            return
    atomic_write(path, text.encode("utf-8"))


# ----- sync -------------------------------------------------------------------------


def sync(lib: Library, interactive: bool = False) -> SyncReport:
    """Commit, fetch, merge, apply and push (see the module's description)."""
    git = Git(lib.root, interactive)
    with lib.locked():
        _check_set_up(git)
        report = SyncReport(sent=_commit_local(git, lib.root))
        if git.remote_url() is None:
            report.notes.append("no remote: committed on this machine only")
            return report
        _exchange(git, lib, report)
    return report


def _exchange(git: Git, lib: Library, report: SyncReport, adopt: bool = False) -> None:
    """Fetch, merge and push until the remote takes the push."""
    for attempt in range(PUSH_ATTEMPTS):
        git.talk("fetch", "-q", REMOTE)
        theirs = git.commit_of(f"refs/remotes/{REMOTE}/{BRANCH}")
        head = None
        if theirs is not None:
            head = _take(git, lib, theirs, report, adopt)
            adopt = False
        elif git.commit_of("HEAD") is None:
            _commit_local(git, lib.root, always=True)
        if theirs is None or head != theirs:  # else the remote has it all already
            report.sent = _unsent(git, theirs) or report.sent
            try:
                git.talk("push", "-q", REMOTE, f"HEAD:refs/heads/{BRANCH}")
            except PushRejected:
                if attempt == PUSH_ATTEMPTS - 1:
                    raise
                continue
        report.pushed = True
        _mark_synced(git)
        return


def _unsent(git: Git, theirs: str | None) -> str:
    """What the commits the remote does not have yet say (made now or by a sync that
    could not push), oldest first."""
    span = f"{theirs}..HEAD" if theirs else "HEAD"
    done = git.run("log", "--no-merges", "--reverse", "--format=%s", span, check=False)
    subjects = done.stdout.decode("utf-8", "replace").splitlines() if done.returncode == 0 else []
    return "; ".join(s for s in subjects if s and s != "readinglist library")


def _take(git: Git, lib: Library, theirs: str, report: SyncReport, adopt: bool) -> str | None:
    """Bring the remote's commit into the library (merged with ours if both moved);
    the commit the library is at afterwards."""
    head = git.commit_of("HEAD")
    base = _merge_base(git, head, theirs) if head is not None else None
    if base == theirs:
        return head  # nothing new there
    ours = _commit_view(git, head)
    if adopt or head is None or base == head:
        result = theirs
    else:
        result = _merge(git, head, theirs, base, report)
    merged, settings = _commit_view(git, result), _commit_settings(git, result)
    _apply(lib, merged, settings)
    report.received = _joined(report.received, describe(ours, merged))
    git.run("reset", "-q", result)  # the branch and index; the files are written already
    if adopt:
        _write_if_changed(lib.root / ".gitignore", GITIGNORE)
        _write_if_changed(lib.root / ".gitattributes", GITATTRIBUTES)
    return result


def _apply(lib: Library, merged: View, settings: dict) -> None:
    try:
        lib.take_merged(merged.papers, merged.states, settings, "before a sync")
    except SyncError:
        raise
    except Exception as error:  # noqa: BLE001 (a damaged merge must not half-apply)
        raise SyncError(f"the merged library cannot be stored: {error}") from None


def _merge_base(git: Git, head: str, theirs: str) -> str | None:
    """The commit `head` and `theirs` both come from (None: unrelated histories)."""
    done = git.run("merge-base", head, theirs, check=False)
    return done.stdout.decode().strip() or None if done.returncode == 0 else None


def _merge(git: Git, head: str, theirs: str, base: str | None, report: SyncReport) -> str:
    """The merge commit of `head` and `theirs` (from `base`), made in a scratch worktree."""
    scratch = _scratch(git)
    git.run("worktree", "add", "-q", "--detach", str(scratch), head)
    try:
        args = ["merge", "-q", "--no-commit", "--no-ff"]
        if not base:
            args.append("--allow-unrelated-histories")
        git.run(*args, theirs, check=False, cwd=scratch)
        _resolve_unmerged(git, scratch)
        ours_view, theirs_view = _commit_view(git, head), _commit_view(git, theirs)
        merged = _working_view(scratch)
        base_view = _commit_view(git, base)
        back = make_whole(ours_view, theirs_view, merged)
        joined = join_duplicates(base_view if base else None, ours_view, theirs_view, merged)
        moved = unique_keys(merged.papers)
        if back or joined or moved:
            _write_view(scratch, merged)
        report.joined += [_joined_line(merged, j) for j in joined]
        report.came_back += _came_back_lines(base_view, ours_view, theirs_view, merged)
        twins = {j.kept: j.gone for j in joined}
        report.renamed += _renamed_lines(ours_view, theirs_view, merged, twins)
        git.run("add", "-A", "--", *_present(scratch), cwd=scratch)
        words = describe(ours_view, merged) or "library files"
        git.run("commit", "-q", "--no-verify", "-m", f"Merge from {REMOTE}: {words}", cwd=scratch)
        return git.text("rev-parse", "HEAD", cwd=scratch)
    finally:
        _remove_scratch(git, scratch)


def _resolve_unmerged(git: Git, scratch: Path) -> None:
    """Files git could not merge alone (deleted on one side, or the driver refused)."""
    listing = git.run("ls-files", "-u", "-z", cwd=scratch).stdout.split(b"\0")
    stages: dict[str, dict[int, str]] = {}
    for entry in filter(None, listing):
        info, _, name = entry.partition(b"\t")
        _, oid, stage = info.split()
        stages.setdefault(name.decode(), {})[int(stage)] = oid.decode()
    for path, found in stages.items():
        kind = codec.kind_of(path)
        oids = [found.get(n) for n in (1, 2, 3)]
        blobs = dict(zip([o for o in oids if o], git.blobs([o for o in oids if o]), strict=True))
        base, ours, theirs = (blobs.get(o) if o else None for o in oids)
        target = scratch / path
        if kind is None:  # .gitignore, .gitattributes: this machine's version
            data = ours if ours is not None else theirs or b""
        else:
            try:
                data, _ = codec.merge_bytes(base, ours or b"", theirs or b"", kind)
            except CodecError as error:
                raise SyncError(f"{path}: cannot merge ({error})") from None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        git.run("add", "--", path, cwd=scratch)


def _came_back_lines(base: View, ours: View, theirs: View, merged: View) -> list[str]:
    lines = []
    for pid in sorted(merged.papers):
        if pid in base.papers and (pid not in ours.papers or pid not in theirs.papers):
            lines.append(
                f"{_label(merged, pid)}: deleted on one machine and changed on the other;"
                " kept with the change"
            )
    return lines


def _joined_line(merged: View, joined: Joined) -> str:
    return (
        f"{_label(merged, joined.kept)}: stored on both machines under two ids ({joined.reason});"
        f" now one paper, {joined.gone[:8]} finds it too"
    )


def _renamed_lines(ours: View, theirs: View, merged: View, twins: dict[str, str]) -> list[str]:
    """A line for each paper whose cite key is neither side's (`twins`: a paper joined
    with one stored under another id, whose key counts as its own)."""
    lines = []
    for pid, record in sorted(merged.papers.items()):
        key = record.get("key")
        ids = (pid, twins.get(pid, pid))
        sides = [
            side.papers[i].get("key") for side in (ours, theirs) for i in ids if i in side.papers
        ]
        if key and sides and key not in sides:
            lines.append(
                f"{_label(merged, pid)}: cite key {sides[0]} is now {key} (another paper "
                f"on another machine has {sides[0]}); a \\cite{{{sides[0]}}} needs the new key"
            )
    return lines


def _label(view: View, pid: str) -> str:
    title = str(view.papers[pid].get("title", ""))
    title = "".join(ch for ch in title if ch.isprintable())
    return f'{pid[:8]} "{title[:60]}"'


def _write_view(folder: Path, view: View) -> None:
    """Write a merged view back into the scratch worktree's files (same layout)."""
    corpus = folder / codec.PAPERS_FILE
    meta = codec.decode(corpus.read_bytes(), codec.CORPUS)[0] if corpus.exists() else {}
    corpus.write_bytes(codec.encode(meta, view.papers, codec.CORPUS))
    prefix = codec.shard_prefix(folder)
    shards: dict[str, dict] = {}
    for path in (folder / codec.STATE_DIR).glob("*.json"):  # a shard may be left empty
        is_shard = codec.kind_of(f"{codec.STATE_DIR}/{path.name}") == codec.STATE
        if is_shard and len(path.stem) == prefix:
            shards[path.stem] = {}
    for pid, state in view.states.items():
        shards.setdefault(pid[:prefix], {})[pid] = state
    for name, docs in shards.items():
        path = folder / codec.STATE_DIR / f"{name}.json"
        old_meta, old = codec.decode(path.read_bytes(), codec.STATE) if path.exists() else ({}, {})
        if old != docs:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(codec.encode(old_meta, docs, codec.STATE))


# ----- local changes ---------------------------------------------------------------


def _commit_local(git: Git, root: Path, always: bool = False) -> str:
    """Commit the library's files if they changed in what they hold; what changed."""
    _stage(git, root)
    if git.ok("diff", "--cached", "--quiet") and not always:
        return ""
    head = git.commit_of("HEAD")
    before, after = _commit_view(git, head), _working_view(root)
    words = describe(before, after)
    unchanged = head is not None and _settings_file(root) == _commit_settings(git, head)
    if before == after and unchanged and not always:
        git.run("reset", "-q")  # only bookkeeping (a new generation token) changed
        return ""
    message = words or ("settings" if head is not None else "readinglist library")
    git.run("commit", "-q", "--no-verify", "--allow-empty", "-m", message)
    return words


def _stage(git: Git, root: Path) -> None:
    """Stage the library's files as they are, but the corpus as `codec.committed` has
    it (its first line without this machine's generation token)."""
    others = [name for name in _present(root) if name != codec.PAPERS_FILE]
    if others:
        git.run("add", "-A", "--", *others)
    corpus = root / codec.PAPERS_FILE
    if corpus.is_file():
        try:
            data = codec.committed(corpus.read_bytes(), codec.CORPUS)
        except CodecError as error:
            raise _damaged(root, f"{codec.PAPERS_FILE}: {error}") from None
        oid = git.run("hash-object", "-w", "--stdin", data=data).stdout.decode().strip()
        git.run("update-index", "--add", "--cacheinfo", f"100644,{oid},{codec.PAPERS_FILE}")


def _present(folder: Path) -> list[str]:
    return [name for name in SYNCED if (folder / name).exists()]


def _working_view(folder: Path) -> View:
    try:
        return codec.view_of(_library_files(folder))
    except CodecError as error:
        raise _damaged(folder, str(error)) from None


def _damaged(folder: Path, error: str) -> SyncError:
    """A library file that cannot be read: nothing is committed or merged."""
    return SyncError(
        f"{folder / error}; nothing synced (run `readinglist restore` to go back to a backup)"
    )


def _library_files(folder: Path):
    for name in (codec.PAPERS_FILE, codec.SETTINGS_FILE):
        path = folder / name
        if path.is_file():
            yield name, path.read_bytes()
    state = folder / codec.STATE_DIR
    if state.is_dir():
        for path in sorted(state.glob("*.json")):
            rel = f"{codec.STATE_DIR}/{path.name}"
            if codec.is_synced(rel):
                yield rel, path.read_bytes()


def _commit_view(git: Git, commit: str | None) -> View:
    if commit is None:
        return View({}, {})
    try:
        return codec.view_of(f for f in git.files(commit) if codec.is_synced(f[0]))
    except CodecError as error:
        raise SyncError(f"commit {commit[:10]}: a library file is damaged ({error})") from None


def _commit_settings(git: Git, commit: str) -> dict:
    raw = next((raw for path, raw in git.files(commit) if path == codec.SETTINGS_FILE), b"")
    return _settings_of(raw)


def _settings_file(root: Path) -> dict:
    path = root / codec.SETTINGS_FILE
    return _settings_of(path.read_bytes() if path.exists() else b"")


def _settings_of(raw: bytes) -> dict:
    try:
        return codec.shared_settings(codec.decode(raw, codec.SETTINGS)[1])
    except CodecError:
        return {}


# ----- status and bookkeeping --------------------------------------------------------


def status(lib: Library) -> SyncStatus:
    """Where the library stands against its remote, without talking to it."""
    git = Git(lib.root)
    if not (lib.root / ".git").exists():
        return SyncStatus(set_up=False)
    head = git.commit_of("HEAD")
    local = describe(_commit_view(git, head), _working_view(lib.root))
    theirs = git.commit_of(f"refs/remotes/{REMOTE}/{BRANCH}")
    ahead = behind = 0
    if head and theirs:
        counts = git.text("rev-list", "--left-right", "--count", f"{head}...{theirs}").split()
        ahead, behind = int(counts[0]), int(counts[1])
    elif head:
        ahead = int(git.text("rev-list", "--count", head))
    return SyncStatus(
        set_up=True,
        remote=git.remote_url(),
        last_synced=last_synced(lib),
        local=local,
        ahead=ahead,
        behind=behind,
        cut_short=_scratch(git).exists(),
    )


def sync_label(root: Path) -> str:
    """For the app's status line: "synced 14:02" (local time), with "changes to sync"
    when the library changed since; "" when the library is not set up for sync. A few
    file stamps, no git."""
    git_dir = root / ".git"
    try:
        synced = (git_dir / LAST_SYNC).stat().st_mtime
    except FileNotFoundError:
        return "never synced" if git_dir.is_dir() else ""
    except OSError:
        return ""
    label = time.strftime("synced %H:%M", time.localtime(synced))
    if time.time() - synced > 86400:
        label = time.strftime("synced %Y-%m-%d", time.localtime(synced))
    return f"{label}, changes to sync" if _changed_since(root, synced) else label


def _changed_since(root: Path, when: float) -> bool:
    for path in (root / codec.PAPERS_FILE, root / codec.STATE_DIR / ".changes"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime > when:
                return True
    return False


def last_synced(lib: Library) -> str | None:
    """When this machine last synced ("2026-12-01 14:02 UTC"), None if never."""
    path = lib.root / ".git" / LAST_SYNC
    try:
        when = float(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(when))


def _mark_synced(git: Git) -> None:
    git_dir = git.root / ".git"
    if not git_dir.is_dir():  # a `.git` file naming the folder elsewhere
        git_dir = Path(git.text("rev-parse", "--absolute-git-dir"))
    path = git_dir / LAST_SYNC
    path.write_text(f"{time.time():.0f}\n", encoding="ascii")


def _check_set_up(git: Git) -> None:
    if not (git.root / ".git").exists():
        raise SyncError(
            f"{git.root}: not set up for sync; run `readinglist sync init [REMOTE_URL]`"
        )
    _remove_stale_locks(git.root / ".git")
    _remove_scratch(git, _scratch(git))  # left by a sync that was killed


_GIT_LOCKS = ("index.lock", "HEAD.lock", "config.lock", "packed-refs.lock", "ORIG_HEAD.lock")
_REF_LOCKS = (f"refs/heads/{BRANCH}.lock", f"refs/remotes/{REMOTE}/{BRANCH}.lock")


def _remove_stale_locks(git_dir: Path) -> None:
    """git's lock files left by a sync that was killed (syncs hold the library's lock,
    so none is at work)."""
    for name in (*_GIT_LOCKS, *_REF_LOCKS):
        with contextlib.suppress(OSError):
            (git_dir / name).unlink()


def _scratch(git: Git) -> Path:
    return git.root / ".git" / SCRATCH


def _remove_scratch(git: Git, scratch: Path) -> None:
    """Remove the scratch worktree, and what git keeps of it (a killed sync may have
    left either)."""
    if scratch.exists():
        git.run("worktree", "remove", "--force", str(scratch), check=False)
        shutil.rmtree(scratch, ignore_errors=True)
    if (git.root / ".git" / "worktrees" / SCRATCH).exists():
        git.run("worktree", "prune", check=False)


def _joined(first: str, second: str) -> str:
    return ", ".join(part for part in (first, second) if part)
