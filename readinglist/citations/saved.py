"""Rendered CSL citations saved beside the library, so a repeated `cite` skips citeproc-py.

A new process pays for importing citeproc-py and lxml, parsing the style and
rendering (most of what `cite ID --style apa` costs beyond starting up). The
text of each CSL citation made is kept in `citation-cache.json` in the library
folder, under a digest of everything it is made from:

- each paper's id, cite key and bibliographic fields (any edit makes a new digest);
- the style name, the output (`--as`) and whether it is the in-text form;
- the style file and the installed citeproc-py (size and modification time), and
  the release and source files of the citation code.

So a stale entry is never read: it is simply never asked for again, and the file
keeps the newest LIMIT entries. The file is disposable: checked whole on every
read (a damaged or foreign file counts as empty and is replaced at the next
write), written to a temporary file renamed into place (mode 0600, no fsync: a
torn file is only a miss), never backed up and never synced (sync commits only
the library's own files). A text read back is sanitised again, like every
citation.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
from pathlib import Path

from readinglist import __version__
from readinglist.model import Paper
from readinglist.persistence.storage import replace_unsynced

FILE_NAME = "citation-cache.json"
FORMAT = 1
LIMIT = 500  # entries kept: ~150 KB of JSON, read in about a millisecond


def digest(
    papers: list[Paper], keys: dict[str, str], style: str, output: str, in_text: bool
) -> str:
    """The key of the citation of `papers` (cleaned, in citing order) in `style`."""
    made_from = [
        FORMAT,
        _code_stamp(),
        _style_stamp(style),
        style,
        output,
        in_text,
        [[p.id, keys.get(p.id, ""), p.bib_dict()] for p in papers],
    ]
    data = json.dumps(made_from, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


def recall(folder: Path, key: str) -> str | None:
    """The saved citation for `key`, if the file holds it."""
    return _entries(folder / FILE_NAME).get(key)


def remember(folder: Path, key: str, text: str) -> None:
    """Save `text` under `key` (the newest LIMIT entries are kept); never raises for I/O."""
    path = folder / FILE_NAME
    entries = _entries(path)
    entries.pop(key, None)
    entries[key] = text
    kept = dict(list(entries.items())[-LIMIT:])
    data = json.dumps({"format": FORMAT, "entries": kept}, ensure_ascii=False).encode("utf-8")
    if not path.parent.is_dir():
        return  # no library here (yet): nothing to save beside
    with contextlib.suppress(OSError):
        replace_unsynced(path, data)


def _entries(path: Path) -> dict[str, str]:
    """The entries of the file at `path`; empty when missing, damaged or of another format."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    entries = data.get("entries")
    if not isinstance(entries, dict):
        return {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in entries.items()):
        return {}
    return entries


def _stat(path: Path | str) -> list:
    try:
        info = os.stat(path)
    except OSError:
        return [str(path), None]
    return [str(path), info.st_size, info.st_mtime_ns]


@functools.cache
def _code_stamp() -> list:
    """The release, and every source file of the code a citation comes from."""
    here = Path(__file__).resolve().parent
    sources = sorted(here.glob("*.py")) + [here.parent / "names.py", here.parent / "model.py"]
    return [__version__, _package_stamp("citeproc"), *(_stat(path) for path in sources)]


def _package_stamp(name: str) -> list:
    """An installed package's `__init__` file (a new install changes its time), unimported."""
    spec = importlib.util.find_spec(name)
    return _stat(spec.origin) if spec is not None and spec.origin else [name, None]


@functools.cache
def _style_stamp(style: str) -> list:
    """The style's file (independent or dependent) and its folder (a package upgrade)."""
    from readinglist.citations.catalog import style_path, styles_folder

    folder = styles_folder()
    return [_stat(folder), _stat(style_path(style) or style)]
