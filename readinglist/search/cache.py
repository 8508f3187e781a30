"""Save the built index next to the library, and load it again, patched to what changed.

The saved index records the stamp (inode, size, modification time) of the corpus file
its papers were read from, and a checksum of each paper's text. A matching stamp means
the same papers: the corpus file is only ever replaced, never changed in place. Otherwise
each paper's text is checked, and papers gone, new or changed since are patched in, so an
import of a day's papers or an edit costs milliseconds, not a rebuild.
"""

from __future__ import annotations

import contextlib
import marshal
import struct
from collections.abc import Iterator
from pathlib import Path

from readinglist.model import Paper
from readinglist.search.index import SearchIndex
from readinglist.storage import atomic_write

CACHE_NAME = "search-index.bin"
FORMAT = 5
CHUNK = 8192  # dict items or list entries per record
LENGTH = struct.Struct("<I")

Stamp = tuple[int, int, int]


def save_index(index: SearchIndex, path: Path, stamp: Stamp | None = None) -> None:
    """Write the index atomically (temp file, then rename), as many small marshal records.

    Records load one by one: no single call holds the interpreter long while the app runs.
    """
    parts = index.bibliographic()
    records = [record for name, part in parts.items() for record in _records(name, part)]
    head = {"format": FORMAT, "stamp": tuple(stamp) if stamp else None, "records": len(records)}
    blobs = [marshal.dumps(record) for record in [head, *records]]
    atomic_write(path, b"".join(LENGTH.pack(len(blob)) + blob for blob in blobs))


def _records(name: str, value) -> Iterator[tuple[str, object]]:
    """(dotted name, piece) records of a value: nested dicts by key, long ones in chunks."""
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        for key, inner in value.items():
            yield from _records(f"{name}.{key}", inner)
    elif isinstance(value, (dict, list)) and len(value) > CHUNK:
        items = list(value.items()) if isinstance(value, dict) else value
        for start in range(0, len(items), CHUNK):
            piece = items[start : start + CHUNK]
            yield name, dict(piece) if isinstance(value, dict) else piece
    else:
        yield name, value


def _read(path: Path) -> dict | None:
    """The saved parts, put back together (with the head's keys); None if unreadable."""
    try:
        records = _unpack(path.read_bytes())
        data = next(records)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        for _ in range(data["records"]):
            name, piece = next(records)
            *outer, last = name.split(".")
            target = data
            for key in outer:
                target = target.setdefault(key, {})
            if last not in target:
                target[last] = piece
            elif isinstance(piece, dict):
                target[last].update(piece)
            else:
                target[last].extend(piece)
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError, StopIteration):
        return None
    return data


def _unpack(blob: bytes) -> Iterator:
    """The length-prefixed marshal records in `blob`, one at a time."""
    view, start = memoryview(blob), 0
    while start + LENGTH.size <= len(view):
        (size,) = LENGTH.unpack_from(view, start)
        start += LENGTH.size
        yield marshal.loads(view[start : start + size])
        start += size


def load_index(
    path: Path, papers: list[Paper], stamp: Stamp | None = None
) -> tuple[SearchIndex, bool] | None:
    """The saved index brought up to date with `papers`, and whether it needed changes.

    None when there is none, it is unreadable, or so much changed that a build is better.
    """
    data = _read(path)
    if data is None:
        return None
    same_file = stamp is not None and data.get("stamp") == tuple(stamp)
    try:
        restored = SearchIndex.restore(data, papers, trusted=same_file)
    except (KeyError, TypeError, ValueError):  # not an index this version wrote
        return None
    if restored is None:
        return None
    index, taken_in = restored
    return index, bool(taken_in) or (stamp is not None and not same_file)


def load_or_build(
    papers: list[Paper], folder: Path | None, stamp: Stamp | None = None
) -> tuple[SearchIndex, bool]:
    """The index for `papers` from the cache in `folder`, else built; saved when it changed.

    `stamp` is that of the corpus file `papers` were read from, if known.
    Returns (index, loaded). Never raises for a missing or damaged cache file.
    """
    if folder is None:
        return SearchIndex(papers), False
    path = Path(folder) / CACHE_NAME
    loaded = load_index(path, papers, stamp)
    index, stale = loaded if loaded is not None else (SearchIndex(papers), True)
    if stale:
        with contextlib.suppress(OSError):
            save_index(index, path, stamp)
    return index, loaded is not None
