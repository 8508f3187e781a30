"""The papers the last import brought (the app's "Just imported" view), kept across starts.

One small file in the library folder, written whole (temp file, then rename) by
whoever imports: the command line or the app. It is a convenience, not data: a
missing or damaged file is no import, an id no longer stored is left out, and it is
not in backups.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Container, Iterable
from pathlib import Path

from readinglist.persistence.storage import atomic_write
from readinglist.safe_text import json_bytes

FILE = "last-import.json"


def remember(root: Path, ids: Iterable[str]) -> None:
    """Note `ids` as the last import (nothing for an import that brought none)."""
    ids = list(dict.fromkeys(ids))
    if ids and root.is_dir():
        with contextlib.suppress(OSError):  # the view is a convenience: never fails an import
            atomic_write(root / FILE, json_bytes({"ids": ids}))


def recall(root: Path, stored: Container[str]) -> list[str]:
    """The ids of the last import that are still `stored` (none if the file is unusable)."""
    try:
        data = json.loads((root / FILE).read_bytes())
    except (OSError, ValueError):
        return []
    ids = data.get("ids") if isinstance(data, dict) else None
    if not isinstance(ids, list):
        return []
    return [pid for pid in ids if isinstance(pid, str) and pid in stored]
