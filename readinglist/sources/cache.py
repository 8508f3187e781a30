"""Saved answers of the services, in the library folder (`cache/sources/`), keyed by request.

A cache only saves asking again: an entry that is damaged, of another version or not what
was asked is ignored (and replaced by the next answer), never trusted and never fatal.
Backups and sync leave this folder out.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.persistence.storage import replace_unsynced

if TYPE_CHECKING:
    from readinglist.sources.http import Answer

CACHE_DIR = Path("cache") / "sources"
FORMAT = 1
FRESH_SECONDS = 24 * 3600  # online, a saved answer younger than this is used as it is


class ResponseCache:
    """One JSON file per request URL (headers such as tokens are not part of the key)."""

    def __init__(self, folder: Path, fresh_seconds: float = FRESH_SECONDS) -> None:
        self.folder = Path(folder)
        self.fresh_seconds = fresh_seconds

    @classmethod
    def in_library(cls, root: Path) -> ResponseCache:
        return cls(Path(root) / CACHE_DIR)

    def path(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / f"{digest[:40]}.json"

    def get(self, url: str, fresh: bool = True) -> Answer | None:
        """The saved answer for `url` (only a recent one when `fresh`), or None."""
        from readinglist.sources.http import Answer

        try:
            entry = json.loads(self.path(url).read_bytes())
            body = base64.b64decode(entry["body"], validate=True)
            ok = (
                entry["format"] == FORMAT
                and entry["url"] == url
                and entry["sha256"] == hashlib.sha256(body).hexdigest()
                and type(entry["status"]) is int
                and isinstance(entry["type"], str)
            )
            saved = float(entry["saved"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        if not ok or (fresh and time.time() - saved > self.fresh_seconds):
            return None
        return Answer(entry["status"], body, entry["type"], cached=True)

    def put(self, url: str, answer: Answer) -> None:
        """Save `answer` (best effort: a cache that cannot be written is no error)."""
        entry = {
            "format": FORMAT,
            "url": url,
            "saved": time.time(),
            "status": answer.status,
            "type": answer.content_type,
            "sha256": hashlib.sha256(answer.body).hexdigest(),
            "body": base64.b64encode(answer.body).decode("ascii"),
        }
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            replace_unsynced(self.path(url), json.dumps(entry).encode("utf-8"))
