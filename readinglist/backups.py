"""Rotating backups of a library folder, kept as hard links.

Library files are only ever replaced (never modified in place), so a hard link keeps
the old version intact at no cost in time or space.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from readinglist.errors import LibraryError
from readinglist.storage import atomic_write

BACKUP_DIR = "backups"
KEEP = 5
_FILES = ("papers.json", "settings.json")
_UNFINISHED = ".partial"
LABEL_FILE = "label.txt"  # what the backup was taken before ("before rm of 3 papers")
RESTORING = ".restoring"  # names the backup being restored, until it is done


def snapshot(root: Path, protect: str | None = None, label: str = "") -> Path:
    """Keep the library's current files as a new backup; drop the oldest beyond KEEP.

    The backup is built under a hidden name and renamed into place, so a listed backup
    is always complete; `protect` names a backup that must survive the rotation;
    `label` says what it was taken before.
    """
    folder = root / BACKUP_DIR
    _remove_unfinished(folder)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    building = folder / f".{stamp}{_UNFINISHED}"
    (building / "state").mkdir(parents=True, exist_ok=True)
    for path in _library_files(root):
        _link_or_copy(path, building / path.relative_to(root))
    if label:
        _write_label(building / LABEL_FILE, label)
    target = folder / stamp
    os.rename(building, target)
    for old in [name for name in list_backups(root)[KEEP:] if name != protect]:
        doomed = folder / f".{old}{_UNFINISHED}"
        with contextlib.suppress(OSError):
            os.rename(folder / old, doomed)
            shutil.rmtree(doomed, ignore_errors=True)
    return target


def list_backups(root: Path) -> list[str]:
    """Backup names, newest first."""
    folder = root / BACKUP_DIR
    if not folder.is_dir():
        return []
    names = (p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    return sorted(names, reverse=True)


def labelled_backups(root: Path) -> list[tuple[str, str]]:
    """(name, label) of each backup, newest first; the label is empty when none was given."""
    return [(name, _label(root / BACKUP_DIR / name)) for name in list_backups(root)]


def _label(folder: Path) -> str:
    try:
        return (folder / LABEL_FILE).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        return ""


def restore(root: Path, name: str, label: str = "") -> None:
    """Make backup `name` the current library (the current one is backed up first).

    The restore is noted in RESTORING first and finished by the next writer if it
    is cut short, so the library does not stay half one version, half another.
    """
    if name not in list_backups(root):
        raise LibraryError(f"{name}: no such backup (see `readinglist restore`)")
    snapshot(root, protect=name, label=label or f"before restore of {name}")
    atomic_write(root / RESTORING, name.encode("utf-8"))
    finish_restore(root)


def finish_restore(root: Path) -> bool:
    """Complete a restore that was cut short, if any; return whether there was one.

    Callers hold the lock.
    """
    try:
        name = (root / RESTORING).read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        raise LibraryError(f"{root / RESTORING}: damaged; delete it to go on") from None
    if name not in list_backups(root):
        raise LibraryError(f"{root / RESTORING}: backup {name} is gone; delete it to go on")
    _copy_back(root, root / BACKUP_DIR / name)
    (root / RESTORING).unlink()
    return True


def _copy_back(root: Path, source: Path) -> None:
    """Make the library files under `root` those of backup folder `source`."""
    wanted = _library_files(source)
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
    files = [root / name for name in _FILES if (root / name).is_file()]
    state = root / "state"
    if state.is_dir():
        files += sorted(p for p in state.glob("*.json") if not p.name.startswith("."))
    return files


def _write_label(path: Path, label: str) -> None:
    """Write a label (mode 0600) into a backup still being built: no temp file needed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(label.encode("utf-8"))


def _remove_unfinished(folder: Path) -> None:
    """Delete backups a crash left half made or half deleted (callers hold the lock)."""
    if folder.is_dir():
        for path in folder.glob(f".*{_UNFINISHED}"):
            shutil.rmtree(path, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        with contextlib.suppress(OSError):
            shutil.copy2(source, target)
