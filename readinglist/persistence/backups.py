"""Backups of a library folder: complete or not at all, verified before a restore.

Library files are only ever replaced (never modified in place), so a hard link keeps
the old version intact at no cost in time or space; where links are impossible (another
file system, one without links) each file is copied and read back. A backup is built
under a hidden name; its manifest (`backup.json`: a counter, a label saying what it was
taken before, and each file's size and checksum) is written last, and only then is the
folder renamed into place. Any copy error aborts the backup, and the change that asked
for it. Checksums are computed only for files that changed since the previous backup
(a hard link to the same file is the same content), so a backup stays cheap at 100,000.

Backups are ordered by their counter, never by the clock: rotation keeps the newest
KEEP, the newest taken before an import and before a delete, and the one just made.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import orjson

from readinglist.errors import LibraryError
from readinglist.persistence import storage
from readinglist.persistence.storage import RESTORING, atomic_write, fsync_folder

BACKUP_DIR = "backups"
KEEP = 5
MANIFEST = "backup.json"
_FILES = ("papers.json", "settings.json", "manifest.json", ".journal")
_UNFINISHED = ".partial"
_KEPT_KINDS = ("import", "rm")  # the newest backup of each kind survives rotation
_BLOCK = 1 << 20  # bytes read at a time to checksum a file
_NO_LINKS = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}


@dataclass(frozen=True)
class Label:
    """What a backup was taken before: a kind ("import", "rm", "change", ...) and words."""

    kind: str
    text: str


@dataclass(frozen=True)
class Backup:
    """One backup as listed: its name, counter, label and files (None: an old backup)."""

    name: str
    counter: int
    kind: str
    label: str
    taken: str
    files: dict[str, list] | None


def snapshot(root: Path, label: Label | str | None = None, protect: str | None = None) -> Path:
    """Keep the library's current files as a new, verified backup; rotate the old ones.

    Raises LibraryError (nothing published) when any file cannot be linked or copied.
    `label` says what it is taken before; `protect` names a backup that must survive
    the rotation.
    """
    if isinstance(label, str):
        label = Label(kind_of(label), label)
    label = label or Label("change", "before a change")
    folder = root / BACKUP_DIR
    _remove_unfinished(folder)
    existing = list_all(root)
    counter = max((b.counter for b in existing), default=0) + 1
    name = f"{counter:05d}"
    building = folder / f".{name}{_UNFINISHED}"
    try:
        (building / "state").mkdir(parents=True, exist_ok=True)
        files = _keep_files(root, building, existing[0] if existing else None)
        manifest = {
            "counter": counter,
            "kind": label.kind,
            "label": label.text,
            "taken": _now(),
            "files": files,
        }
        atomic_write(building / MANIFEST, orjson.dumps(manifest), sync_folder=False)
        fsync_folder(building / "state")
        fsync_folder(building)
        os.rename(building, folder / name)
        fsync_folder(folder)
    except OSError as exc:
        shutil.rmtree(building, ignore_errors=True)
        where = exc.filename or building
        raise LibraryError(
            f"{where}: backup failed ({exc.strerror or exc}); nothing was changed"
        ) from None
    _rotate(root, {name, protect})
    return folder / name


def kind_of(label: str) -> str:
    """The kind of change a label's words name ("before rm of 3 papers": "rm")."""
    for kind in _KEPT_KINDS:
        if label.startswith(f"before {kind} "):
            return kind
    return "change"


def labelled_backups(root: Path) -> list[tuple[str, str]]:
    """(name, label) of each backup, newest first; the label is empty when none was given."""
    return [(backup.name, backup.label) for backup in list_all(root)]


def list_backups(root: Path) -> list[str]:
    """Backup names, newest first."""
    return [backup.name for backup in list_all(root)]


def list_all(root: Path) -> list[Backup]:
    """Every backup, newest first (by counter; backups of earlier releases last, by name)."""
    folder = root / BACKUP_DIR
    if not folder.is_dir():
        return []
    found = [
        _describe(path)
        for path in folder.iterdir()
        if path.is_dir() and not path.name.startswith(".")
    ]
    return sorted(found, key=lambda b: (b.counter, b.name), reverse=True)


def _describe(path: Path) -> Backup:
    try:
        manifest = orjson.loads((path / MANIFEST).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        manifest = None
    if not isinstance(manifest, dict) or type(manifest.get("counter")) is not int:
        return Backup(path.name, 0, "", "", path.name, None)  # written by an earlier release
    files = manifest.get("files")
    return Backup(
        path.name,
        manifest["counter"],
        str(manifest.get("kind", "")),
        str(manifest.get("label", "")),
        str(manifest.get("taken", "")),
        files if isinstance(files, dict) else {},
    )


def restore(root: Path, name: str, label: str = "") -> None:
    """Make backup `name` the current library (the current one is backed up first).

    The backup is verified first (every file there, of its size and checksum): a
    damaged one is refused before anything is touched. The restore is noted in
    RESTORING and finished by the next reader or writer if it is cut short, so the
    library does not stay half one version, half another.
    """
    backup = _find(root, name)
    verify(root, backup)
    snapshot(root, Label("restore", label or f"before restore of {name}"), protect=name)
    atomic_write(root / RESTORING, name.encode("utf-8"))
    finish_restore(root, verified=True)


def _find(root: Path, name: str) -> Backup:
    for backup in list_all(root):
        if backup.name == name:
            return backup
    raise LibraryError(f"{name}: no such backup (see `readinglist restore`)")


def verify(root: Path, backup: Backup) -> None:
    """Raise LibraryError unless every file of `backup` is whole."""
    folder = root / BACKUP_DIR / backup.name
    if backup.files is None:  # an earlier release's backup: no checksums, but it must parse
        _verify_parses(folder)
        return
    for rel, (size, digest) in backup.files.items():
        path = folder / rel
        try:
            found = _size_and_digest(path)
        except OSError as exc:
            raise LibraryError(
                f"{path}: backup {backup.name} is incomplete ({exc.strerror}); nothing restored"
            ) from None
        if found != [size, digest]:
            raise LibraryError(f"{path}: backup {backup.name} is damaged; nothing restored")


def _verify_parses(folder: Path) -> None:
    if not (folder / "papers.json").is_file():
        raise LibraryError(f"{folder}: backup has no papers.json; nothing restored")
    for path in _library_files(folder):
        try:
            orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            raise LibraryError(f"{path}: backup file is damaged; nothing restored") from None


def finish_restore(root: Path, verified: bool = False) -> bool:
    """Complete a restore that was cut short, if any; return whether there was one.

    Callers hold the lock.
    """
    name = pending_restore(root)
    if name is None:
        return False
    backup = _find_pending(root, name)
    if not verified:
        verify(root, backup)
    _copy_back(root, root / BACKUP_DIR / name, backup)
    (root / RESTORING).unlink()
    return True


def pending_restore(root: Path) -> str | None:
    """The backup a cut-short restore was making current (None when there is none)."""
    try:
        return (root / RESTORING).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise LibraryError(f"{root / RESTORING}: damaged; delete it to go on") from None


def _find_pending(root: Path, name: str) -> Backup:
    try:
        return _find(root, name)
    except LibraryError:
        gone = f"{root / RESTORING}: backup {name} is gone; delete it to go on"
        raise LibraryError(gone) from None


def _copy_back(root: Path, source: Path, backup: Backup) -> None:
    """Make the library files under `root` those of backup folder `source`."""
    if backup.files is None:
        wanted = _library_files(source)
    else:
        wanted = [source / rel for rel in backup.files]
    for path in wanted:
        destination = root / path.relative_to(source)
        if destination.exists() and os.path.samefile(path, destination):
            continue  # unchanged since the backup: the same file, hard-linked
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(destination, path.read_bytes())
    keep = {root / path.relative_to(source) for path in wanted}
    for path in _library_files(root):
        if path not in keep:
            path.unlink()


def _library_files(root: Path) -> list[Path]:
    return [root / rel for rel in _library_inodes(root)]


def _library_inodes(root: Path) -> dict[str, int]:
    """Each library file under `root` (its path relative to it) and its inode.

    Two folder listings whatever the size (the state shards are listed, never stat'ed):
    at 100,000 papers a backup handles ~4,100 files.
    """
    found = {}
    with contextlib.suppress(OSError), os.scandir(root) as entries:
        top = {entry.name: entry.inode() for entry in entries if entry.is_file()}
        found = {name: top[name] for name in _FILES if name in top}
    with contextlib.suppress(OSError), os.scandir(root / "state") as entries:
        shards = [
            (entry.name, entry.inode())
            for entry in entries
            if entry.name.endswith(".json") and not entry.name.startswith(".") and entry.is_file()
        ]
        found.update((f"state/{name}", inode) for name, inode in sorted(shards))
    return found


def _keep_files(root: Path, building: Path, previous: Backup | None) -> dict[str, list]:
    """Link (or copy and verify) each library file into `building`; their sizes and sums."""
    before = previous.files if previous and previous.files else {}
    earlier = _library_inodes(root / BACKUP_DIR / previous.name) if previous and before else {}
    files = {}
    for rel, inode in _library_inodes(root).items():
        target = os.path.join(building, rel)
        linked = _link(os.path.join(root, rel), target)
        if linked and rel in before and earlier.get(rel) == inode:
            files[rel] = before[rel]  # the very file the previous backup holds
        else:
            files[rel] = _size_and_digest(Path(target))
    return files


def _link(source: str, target: str) -> bool:
    """Hard-link `source` as `target`, else copy it and read it back; whether it linked."""
    try:
        storage.link(source, target)
        return True
    except AttributeError:  # no os.link on this platform
        pass
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    data = Path(source).read_bytes()
    atomic_write(Path(target), data, sync_folder=False)
    if Path(target).read_bytes() != data:
        raise OSError(errno.EIO, "copy does not read back", target)
    return False


def _size_and_digest(path: Path) -> list:
    """A file's [size, checksum], read a block at a time (a 150 MB corpus costs 1 MB)."""
    digest = hashlib.blake2b(digest_size=16)
    size = 0
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
            size += len(block)
    return [size, digest.hexdigest()]


def _rotate(root: Path, keep: set[str | None]) -> None:
    """Delete backups beyond the newest KEEP, but never one `keep` names, nor the newest
    of each kind in _KEPT_KINDS."""
    ordered = list_all(root)
    kept = {b.name for b in ordered[:KEEP]} | keep
    for kind in _KEPT_KINDS:
        newest = next((b.name for b in ordered if b.kind == kind), None)
        kept.add(newest)
    folder = root / BACKUP_DIR
    for backup in ordered:
        if backup.name in kept:
            continue
        doomed = folder / f".{backup.name}{_UNFINISHED}"
        with contextlib.suppress(OSError):
            os.rename(folder / backup.name, doomed)
            shutil.rmtree(doomed, ignore_errors=True)


def _remove_unfinished(folder: Path) -> None:
    """Delete backups a crash left half made or half deleted (callers hold the lock)."""
    if folder.is_dir():
        for path in folder.glob(f".*{_UNFINISHED}"):
            shutil.rmtree(path, ignore_errors=True)


def _now() -> str:
    from readinglist.model import now_iso

    return now_iso()
