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

BACKUP_DIR = "backups"
KEEP = 5
_FILES = ("papers.json", "settings.json")


def snapshot(root: Path) -> Path:
    """Keep the library's current files as a new backup; drop the oldest beyond KEEP."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    target = root / BACKUP_DIR / stamp
    (target / "state").mkdir(parents=True, exist_ok=True)
    for path in _library_files(root):
        _link_or_copy(path, target / path.relative_to(root))
    for old in list_backups(root)[KEEP:]:
        shutil.rmtree(root / BACKUP_DIR / old, ignore_errors=True)
    return target


def list_backups(root: Path) -> list[str]:
    """Backup names, newest first."""
    folder = root / BACKUP_DIR
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.iterdir() if p.is_dir()), reverse=True)


def restore(root: Path, name: str) -> None:
    """Make backup `name` the current library (the current one is backed up first)."""
    source = root / BACKUP_DIR / name
    if not name or "/" in name or not source.is_dir():
        raise LibraryError(f"{name}: no such backup (see `readinglist restore`)")
    snapshot(root)
    for path in _library_files(root):
        if not (source / path.relative_to(root)).exists():
            path.unlink()
    for path in _library_files(source):
        destination = root / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        temp = destination.with_name(f".{destination.name}.restore.tmp")
        shutil.copyfile(path, temp)
        os.chmod(temp, 0o600)
        os.replace(temp, destination)


def _library_files(root: Path) -> list[Path]:
    files = [root / name for name in _FILES if (root / name).is_file()]
    state = root / "state"
    if state.is_dir():
        files += sorted(p for p in state.glob("*.json") if not p.name.startswith("."))
    return files


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        with contextlib.suppress(OSError):
            shutil.copy2(source, target)
