"""Conflict copies that file syncers (Syncthing, Dropbox) leave of library files.

When two machines changed one file before the syncer moved it, the syncer keeps
one version under the file's name and the other beside it:
`papers.sync-conflict-20241212-101010-ABCDEFG.json` (Syncthing),
`papers (Laptop's conflicted copy 2024-12-12).json` (Dropbox). The next writer
merges each copy into the file by the same per-field rules as a sync, stores the
result through the library's write path, and deletes the copy. A syncer keeps
no common version, so the two are merged without a base: a paper deleted in one
and still in the other comes back (nothing is lost).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from readinglist.persistence.storage import changed_at
from readinglist.sync import codec
from readinglist.sync.tables import View, make_whole, unique_keys

_SYNCTHING = re.compile(r"^(?P<stem>.+?)\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]+(?P<ext>\.json)$")
_DROPBOX = re.compile(r"^(?P<stem>.+?) \([^()]*conflicted copy[^()]*\)(?P<ext>\.json)$")
_PATTERNS = (_SYNCTHING, _DROPBOX)
_MARKS = ("sync-conflict", "conflicted copy")
_MARKED = re.compile("|".join(re.escape(mark) for mark in _MARKS))


def conflict_copies(root: Path, unchanged: int | None = None) -> list[tuple[Path, str]]:
    """The conflict copies in a library folder, each with the library file it copies.

    `unchanged`: the state folder's change time (`changed_at`) when this process last
    left it without a copy; a folder still at that time is not listed again (4,100
    names at 100,000 papers: a few milliseconds of every write).
    """
    found = []
    state = root / codec.STATE_DIR
    for folder, prefix in ((root, ""), (state, f"{codec.STATE_DIR}/")):
        if folder is state and unchanged is not None and changed_at(state) == unchanged:
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in filter(_MARKED.search, names):
            for pattern in _PATTERNS:
                match = pattern.match(name)
                original = f"{prefix}{match['stem']}{match['ext']}" if match else ""
                if match and codec.kind_of(original) in (codec.CORPUS, codec.STATE):
                    found.append((folder / name, original))
                    break
    return sorted(found)


def merged_view(root: Path, copies: list[tuple[Path, str]]) -> tuple[View, dict]:
    """The library with every copy merged into the file it copies, and its settings."""
    corpus = _read(root / codec.PAPERS_FILE)
    papers = codec.decode(corpus, codec.CORPUS)[1]
    states: dict = {}
    state_dir = root / codec.STATE_DIR
    for path in sorted(state_dir.glob("*.json")) if state_dir.is_dir() else ():
        if codec.kind_of(f"{codec.STATE_DIR}/{path.name}") == codec.STATE:
            states.update(codec.decode(path.read_bytes(), codec.STATE)[1])
    before = View(dict(papers), dict(states))
    for copy, original in copies:
        kind = codec.kind_of(original)
        assert kind is not None
        raw = _read(root / original)
        _, merged = codec.merge_bytes(None, raw, copy.read_bytes(), kind)
        if kind == codec.CORPUS:
            papers.update(merged.docs)
        else:
            states.update(merged.docs)
    view = View(papers, states)
    make_whole(before, before, view)
    unique_keys(view.papers)
    settings = codec.decode(_read(root / codec.SETTINGS_FILE), codec.SETTINGS)[1]
    return view, codec.shared_settings(settings)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""
