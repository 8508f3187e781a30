"""Compact rows: what the search index keeps of each paper but its abstract.

A saved index holds one row per position (title, authors, journal, dates, upvotes,
the number of authors, sources, whether the year was inferred), so a search can
rank, filter and show titles, and `list` print every paper, without reading the
corpus. Rows are stored as one blob of JSON values and the end of each, and decoded
only when a position is looked at (a query touches a few).
The user state (read, tags, note) comes with them from the saved state
(search/saved_state.py), by id.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping, Sequence
from typing import cast, overload

import orjson

from readinglist.model import Paper

Fetch = Callable[[str], Paper | None]  # a paper read from the library (None: cannot)
NO_STATE: tuple = (False, (), "")


class Unavailable(Exception):
    """A saved row, or the paper a query needs in full, cannot be had: search the whole
    library instead."""


class Row:
    """A paper as the index sees it without its abstract (same attribute names)."""

    __slots__ = (
        "id",
        "title",
        "authors",
        "journal",
        "year",
        "published",
        "added",
        "upvotes",
        "authors_known",
        "sources",
        "year_inferred",
        "read",
        "tags",
        "note",
    )

    def __init__(self, pid: str, values: list, state: Sequence) -> None:
        self.id = pid
        (
            self.title,
            self.authors,
            self.journal,
            self.year,
            self.published,
            self.added,
            self.upvotes,
            self.authors_known,
            self.sources,
            self.year_inferred,
        ) = values
        self.read, self.tags, self.note = state


def row_of(paper: Paper) -> bytes:
    """The saved row of a paper (JSON)."""
    values = [
        paper.title,
        paper.authors,
        paper.journal,
        paper.year,
        paper.published,
        paper.added,
        paper.upvotes,
        paper.authors_known,
        paper.sources,
        paper.year_inferred,
    ]
    return orjson.dumps(values)


def pack_rows(papers: list[Paper | None]) -> tuple[bytearray, bytes]:
    """(blob, ends): every paper's row one after another, and where each one ends.

    Each row goes straight into the blob: 100,000 rows from orjson kept apart as bytes
    took ~390 MB of memory for ~28 MB of rows (each holds a few KB, whatever its length);
    the blob is given as it was built, not copied into bytes (28 MB more at the save).
    """
    blob, ends = bytearray(), array("I")
    for paper in papers:
        blob += b"null" if paper is None else row_of(paper)
        ends.append(len(blob))
    return blob, ends.tobytes()


def rows_fit(blob: object, ends: object, count: int) -> bool:
    """Whether a saved blob (bytes, or a view of them) and its ends can hold `count` rows."""
    if not isinstance(blob, (bytes, memoryview)):
        return False
    if type(ends) is not bytes or len(ends) != 4 * count:
        return False
    offsets = array("I", ends)
    last = 0
    for end in offsets:
        if end < last:
            return False
        last = end
    return last == len(blob)


def _well_formed(values: object) -> bool:
    if not (isinstance(values, list) and len(values) == 10):
        return False
    title, authors, journal, year, published, added, upvotes, known, sources, inferred = values
    return (
        type(title) is str
        and isinstance(authors, list)
        and all(type(a) is str for a in authors)
        and (journal is None or type(journal) is str)
        and (year is None or type(year) is int)
        and (published is None or type(published) is str)
        and type(added) is str
        and (upvotes is None or type(upvotes) is int)
        and (known is None or type(known) is int)
        and isinstance(sources, list)
        and all(type(s) is str for s in sources)
        and type(inferred) is bool
    )


class Rows(Sequence[Paper | None]):
    """The rows of a saved index by position, decoded when first looked at.

    A Row stands in for a Paper (the same attribute names, but no abstract: see
    `Row`). Positions taken in since (`__setitem__`, `append`) hold whole papers or None.
    """

    def __init__(
        self, ids: list[str], blob: bytes | memoryview, ends: bytes, states: Mapping[str, Sequence]
    ) -> None:
        self._ids = ids
        self._blob = blob
        self._ends = array("I", ends)
        self._states = states
        self._held: dict[int, Paper | None] = {}

    def __len__(self) -> int:
        return len(self._ids) + sum(1 for pos in self._held if pos >= len(self._ids))

    @overload
    def __getitem__(self, pos: int) -> Paper | None: ...
    @overload
    def __getitem__(self, pos: slice) -> Sequence[Paper | None]: ...
    def __getitem__(self, pos):
        if isinstance(pos, slice):
            return [self[i] for i in range(len(self))[pos]]
        if pos in self._held:
            return self._held[pos]
        if pos >= len(self._ids) or not self._ids[pos]:
            return None
        start = self._ends[pos - 1] if pos else 0
        try:
            values = orjson.loads(self._blob[start : self._ends[pos]])
        except orjson.JSONDecodeError:
            raise Unavailable(f"row {pos}") from None
        if not _well_formed(values):
            raise Unavailable(f"row {pos}")
        pid = self._ids[pos]
        row = cast(Paper, Row(pid, values, self._states.get(pid, NO_STATE)))
        self._held[pos] = row
        return row

    def decode_all(self) -> dict[int, Paper | None]:
        """Decode every row not yet looked at, in one pass (for a listing of them all):
        every position's paper or row (None: empty). Unavailable if one cannot be decoded."""
        ids, held = self._ids, self._held
        todo = [pos for pos, pid in enumerate(ids) if pid and pos not in held]
        try:
            found = orjson.loads(self._joined(todo))
        except orjson.JSONDecodeError:
            raise Unavailable("rows") from None
        if len(found) != len(todo) or not all(map(_well_formed, found)):
            raise Unavailable("rows")  # (a row holding more than one value, or a wrong one)
        states = self._states
        for pos, values in zip(todo, found, strict=True):
            pid = ids[pos]
            held[pos] = cast(Paper, Row(pid, values, states.get(pid, NO_STATE)))
        return held

    def _joined(self, todo: list[int]) -> bytes:
        """The rows at positions `todo` as one JSON list."""
        blob, ends = bytes(self._blob), self._ends  # (a copy only of a view)
        if len(todo) == len(ends) and blob.count(b"][") == len(todo) - 1:
            # Every row is a list that ends in `false]` or `true]`, so `][` is found
            # where one row ends and the next begins, or inside a string: here only
            # at the ends (as many as there are), so a comma can go into each.
            return b"[" + blob.replace(b"][", b"],[") + b"]"
        view = memoryview(blob)
        pieces = [view[ends[pos - 1] if pos else 0 : ends[pos]] for pos in todo]
        return b"[" + b",".join(pieces) + b"]"

    def __setitem__(self, pos: int, paper: Paper | None) -> None:
        self._held[pos] = paper

    def append(self, paper: Paper | None) -> None:
        self._held[len(self)] = paper
