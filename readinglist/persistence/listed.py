"""Every paper as `list` shows it, without reading the corpus.

The saved search index holds a compact row of each paper (title, dates, upvotes,
sources, ...; search/rows.py), and the saved user state the read flag, tags and note
of each (search/saved_state.py); the directory says which papers the corpus holds
and in what order. A listing made of these is what the whole library would give,
abstracts aside, so `list` reads three small-to-middling files instead of parsing
every record. Papers written since the index was saved are read in full through the
directory (the index's change log names them).

Derived data only answers when it fits: a corpus file of another generation, schema
or size than the directory says, an index that does not hold exactly the directory's
papers, a row that cannot be decoded: None, and the caller reads the whole library
(which checks everything and reports a damaged file).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from readinglist.model import Paper
from readinglist.persistence.directory import Directory, Names, first_meta
from readinglist.persistence.shards import StateShards
from readinglist.persistence.storage import SCHEMA_VERSION

Fetch = Callable[[str], Paper | None]


def saved_rows(
    root: Path, corpus: Path, directory: Directory, shards: StateShards, fetch: Fetch
) -> list[Paper] | None:
    """Every paper in the corpus's order, as Rows (search/rows.py: a paper's attributes
    but its abstract) or whole papers; None when only the whole library can tell."""
    from readinglist.search import cache, rows, saved_state

    if not corpus_fits(corpus, directory):
        return None
    states = saved_state.load_states(root, shards)
    if states is None:
        return None
    try:
        held = cache.saved_rows(root, directory.generation, states, fetch)
    except rows.Unavailable:
        return None
    ids = every_name(directory.ids)  # sorted; spans[2i] is where ids[i]'s line starts
    if held is None or len(held) != len(ids):
        return None
    order = sorted(range(len(ids)), key=directory.spans[0::2].__getitem__)
    in_order = list(map(ids.__getitem__, order))
    if list(held) == in_order:  # (as the index holds them unless changed since: no look-ups)
        return list(held.values())
    if not all(map(held.__contains__, ids)):
        return None
    return list(map(held.__getitem__, in_order))


def every_name(names: Names) -> list[str]:
    """`list(names)`, decoded in one pass."""
    blob, starts = names.blob, names.starts
    if blob.isascii():  # (ids are): character offsets are byte offsets
        text = blob.decode("ascii")
        return [text[start:end] for start, end in zip(starts, starts[1:], strict=False)]
    return list(names)


def corpus_fits(corpus: Path, directory: Directory) -> bool:
    """Whether the corpus file is the one the directory was made of: its generation,
    this schema, no move under way, and its size."""
    try:
        meta, handle = first_meta(corpus)
    except OSError:
        return False
    with handle:
        return (
            meta is not None
            and meta.get("generation") == directory.generation
            and meta.get("schema") == SCHEMA_VERSION
            and not meta.get("moving")
            and os.fstat(handle.fileno()).st_size == directory.size
        )
