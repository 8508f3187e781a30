"""The user's `git`, run on the library folder: every call, its environment, its errors.

git may ask for credentials only on a terminal; otherwise prompts are off
(`GIT_TERMINAL_PROMPT=0`, ssh in batch mode) and a refusal becomes a one-line
error. Messages are read in the C locale so they can be told apart.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from readinglist.errors import ReadingListError

GIT = "git"
BRANCH = "main"
REMOTE = "origin"
_CREDENTIALS = (
    "terminal prompts disabled",
    "could not read username",
    "could not read password",
    "authentication failed",
    "permission denied (publickey",
    "host key verification failed",
    "invalid username or password",
)
_REJECTED = ("[rejected]", "non-fast-forward", "fetch first", "failed to update ref")


class SyncError(ReadingListError):
    """A sync that could not be done (git missing, a remote refusing, ...): one line."""


class PushRejected(SyncError):
    """The remote has commits this copy has not merged yet (someone pushed first)."""


class Git:
    """git commands on one repository (the library folder)."""

    def __init__(self, root: Path, interactive: bool = False) -> None:
        self.root = root.absolute()  # git runs in other folders too (the scratch worktree)
        self.interactive = interactive  # may git ask for a password on the terminal?
        self._trees: dict[str, list[tuple[str, str]]] = {}  # commit -> (path, blob id)
        self._blobs: dict[str, bytes] = {}  # blob id -> contents (objects never change)

    def env(self) -> dict[str, str]:
        env = dict(os.environ, LC_ALL="C", LANGUAGE="C", GIT_MERGE_AUTOEDIT="no")
        if not self.interactive:
            env["GIT_TERMINAL_PROMPT"] = "0"
            env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
            env.setdefault("SSH_ASKPASS_REQUIRE", "never")
        return env

    def run(
        self, *args: str, check: bool = True, cwd: Path | None = None, data: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `git ARGS` in the repository; raise SyncError naming the command if it fails
        (with `check`)."""
        try:
            done = subprocess.run(
                [GIT, *args],
                cwd=cwd or self.root,
                env=self.env(),
                input=data,
                capture_output=True,
                stdin=None if data is not None else subprocess.DEVNULL,
            )
        except FileNotFoundError:
            raise SyncError(
                "git is not installed (or not on PATH): install git to sync the library"
            ) from None
        except OSError as exc:
            raise SyncError(f"cannot run git ({exc.strerror})") from None
        if check and done.returncode != 0:
            raise SyncError(f"git {args[0]}: {first_line(done.stderr)}")
        return done

    def text(self, *args: str, cwd: Path | None = None) -> str:
        """The output of `git ARGS`, stripped."""
        return self.run(*args, cwd=cwd).stdout.decode("utf-8", "replace").strip()

    def ok(self, *args: str, cwd: Path | None = None) -> bool:
        """Whether `git ARGS` succeeds."""
        return self.run(*args, check=False, cwd=cwd).returncode == 0

    def commit_of(self, ref: str) -> str | None:
        """The commit a ref names (None if it names none)."""
        done = self.run("rev-parse", "--verify", "-q", f"{ref}^{{commit}}", check=False)
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def remote_url(self) -> str | None:
        done = self.run("remote", "get-url", REMOTE, check=False)
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def talk(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        """A command that talks to the remote (fetch, push): its failures said plainly."""
        done = self.run(*args, check=False)
        if done.returncode == 0:
            return done
        message = done.stderr.decode("utf-8", "replace")
        low = message.lower()
        url = self.remote_url() or REMOTE
        if any(mark in low for mark in _REJECTED):
            raise PushRejected(f"{url}: the remote has changes this library has not merged")
        if any(mark in low for mark in _CREDENTIALS):
            how = (
                "" if self.interactive else " (run `readinglist sync` in a terminal to enter them)"
            )
            raise SyncError(f"{url}: credentials needed or refused{how}")
        raise SyncError(f"{url}: the remote refused: {first_line(done.stderr)}")

    def files(self, commit: str) -> Iterator[tuple[str, bytes]]:
        """Every file (path, bytes) of a commit (given by its id: what it names is kept)."""
        if commit not in self._trees:
            self._trees[commit] = self._tree(commit)
        entries = self._trees[commit]
        yield from zip((p for p, _ in entries), self.blobs([o for _, o in entries]), strict=True)

    def _tree(self, commit: str) -> list[tuple[str, str]]:
        listing = self.run("ls-tree", "-r", "-z", commit).stdout.split(b"\0")
        entries = []
        for entry in listing:
            if entry:
                info, _, path = entry.partition(b"\t")
                kind, oid = info.split()[1:3]
                if kind == b"blob":
                    entries.append((path.decode("utf-8", "replace"), oid.decode()))
        return entries

    def blobs(self, oids: Sequence[str]) -> list[bytes]:
        """The contents of objects, those not read before in one `git cat-file --batch`."""
        wanted = list(dict.fromkeys(o for o in oids if o not in self._blobs))
        if wanted:
            data = "".join(f"{o}\n" for o in wanted).encode()
            out = self.run("cat-file", "--batch", data=data).stdout
            at = 0
            for oid in wanted:
                end = out.index(b"\n", at)
                size = int(out[at:end].split()[2])
                self._blobs[oid] = out[end + 1 : end + 1 + size]
                at = end + 1 + size + 1
        return [self._blobs[o] for o in oids]


def first_line(stderr: bytes) -> str:
    """git's message as one line (its first line that says something)."""
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip().removeprefix("fatal: ").removeprefix("error: ")
        if line and not line.startswith(("hint:", "To ", "From ")):
            return "".join(ch for ch in line if ch.isprintable())
    return "failed"
