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
from pathlib import Path

from readinglist.model import Paper
from readinglist.search.index import SearchIndex
from readinglist.storage import atomic_write

CACHE_NAME = "search-index.bin"
FORMAT = 4

Stamp = tuple[int, int, int]


def save_index(index: SearchIndex, path: Path, stamp: Stamp | None = None) -> None:
    """Write the index's text postings atomically (temp file, then rename)."""
    head = {"format": FORMAT, "stamp": tuple(stamp) if stamp else None}
    atomic_write(path, marshal.dumps({**head, **index.bibliographic()}))


def load_index(
    path: Path, papers: list[Paper], stamp: Stamp | None = None
) -> tuple[SearchIndex, bool] | None:
    """The saved index brought up to date with `papers`, and whether it needed changes.

    None when there is none, it is unreadable, or so much changed that a build is better.
    """
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
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
