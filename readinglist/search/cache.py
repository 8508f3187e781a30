"""Save the built index next to the library and load it while the corpus is unchanged."""

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
FORMAT = 2


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


def save_index(index: SearchIndex, path: Path, signature: str) -> None:
    """Write the index's text postings atomically (temp file, then rename)."""
    blob = marshal.dumps({"format": FORMAT, "signature": signature, **index.bibliographic()})
    atomic_write(path, blob)


def load_index(path: Path, papers: list[Paper], signature: str) -> SearchIndex | None:
    """The saved index if it exists, is readable and matches the papers; else None."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    if data.get("signature") != signature:
        return None
    return SearchIndex.restore(data, papers)


def load_or_build(papers: list[Paper], folder: Path | None) -> tuple[SearchIndex, bool]:
    """The index for `papers` from the cache in `folder`, else built (and saved there).

    Returns (index, loaded). Never raises for a missing or damaged cache file.
    """
    if folder is None:
        return SearchIndex(papers), False
    path = Path(folder) / CACHE_NAME
    signature = corpus_signature(papers)
    index = load_index(path, papers, signature)
    if index is not None:
        return index, True
    index = SearchIndex(papers)
    with contextlib.suppress(OSError):
        save_index(index, path, signature)
    return index, False
