"""Save the built index next to the library and load it while the corpus is unchanged.

A saved index records two keys: a digest of the indexed text (`corpus_signature`) and,
when the caller knows it, the stamp of the corpus file the papers were read from (inode,
size, modification time). A matching stamp spares hashing 100 MB of text: the corpus file
is only ever replaced, never changed in place, so one stamp is one content.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import zlib
from pathlib import Path

from readinglist.model import Paper
from readinglist.search.index import SearchIndex
from readinglist.storage import atomic_write

CACHE_NAME = "search-index.bin"
FORMAT = 3

Stamp = tuple[int, int, int]


def corpus_signature(papers: list[Paper]) -> str:
    """A digest of the indexed text (ids, titles, abstracts), in any order.

    A merge can give a paper a longer abstract under the same id and title.
    """
    digest = hashlib.sha256()
    keys = (f"{p.id}\0{p.title}\0{zlib.crc32(p.abstract.encode())}" for p in papers)
    for key in sorted(keys):
        digest.update(key.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


def save_index(index: SearchIndex, path: Path, signature: str, stamp: Stamp | None = None) -> None:
    """Write the index's text postings atomically (temp file, then rename)."""
    keys = {"format": FORMAT, "signature": signature, "stamp": stamp}
    atomic_write(path, marshal.dumps({**keys, **index.bibliographic()}))


def load_index(path: Path, papers: list[Paper], stamp: Stamp | None = None) -> SearchIndex | None:
    """The saved index if it exists, is readable and matches the papers; else None."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    same_file = stamp is not None and data.get("stamp") == tuple(stamp)
    if not same_file and data.get("signature") != corpus_signature(papers):
        return None
    return SearchIndex.restore(data, papers)


def load_or_build(
    papers: list[Paper], folder: Path | None, stamp: Stamp | None = None
) -> tuple[SearchIndex, bool]:
    """The index for `papers` from the cache in `folder`, else built (and saved there).

    `stamp` is that of the corpus file `papers` were read from, if known.
    Returns (index, loaded). Never raises for a missing or damaged cache file.
    """
    if folder is None:
        return SearchIndex(papers), False
    path = Path(folder) / CACHE_NAME
    index = load_index(path, papers, stamp)
    if index is not None:
        return index, True
    index = SearchIndex(papers)
    with contextlib.suppress(OSError):
        save_index(index, path, corpus_signature(papers), stamp)
    return index, False
