"""What changed in the corpus since the saved search index was made: a short log.

Every corpus write appends one entry, under the library's lock: the generation the
write started from, the one it made, and the ids of the papers it stored or removed.
A search whose saved index names generation A, in a corpus now at generation D, trusts
the index for every paper the entries A→B, B→C, C→D do not name, and indexes those
again: no paper's text is read to check it, and no rebuild follows an import.

The log is derived data like the index: framed, checksummed records
(`readinglist.persistence.records`); missing, damaged or not linking the two generations, it is
simply not used (the search then checks each paper's text, as without it).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

from readinglist.persistence import records
from readinglist.persistence.storage import atomic_write

INDEX_NAME = "search-index.bin"  # the saved index (search/cache.py)
CHANGES_NAME = "search-index.changes"
FORMAT = 1


@dataclass(frozen=True)
class Entry:
    """One corpus write: from generation `before` to `after`, storing or removing `ids`
    (those it removed are in `removed` too)."""

    before: str
    after: str
    ids: tuple[str, ...]
    removed: tuple[str, ...] = ()


def read_log(folder: Path) -> list[Entry]:
    """The entries of the log in `folder`, oldest first ([] if missing or damaged)."""
    try:
        pieces = list(records.unpack((folder / CHANGES_NAME).read_bytes()))
    except (OSError, records.RecordError):
        return []
    if not pieces or pieces[0] != {"format": FORMAT}:
        return []
    entries = [_entry(piece) for piece in pieces[1:]]
    return [] if None in entries else [e for e in entries if e is not None]


def _entry(piece: object) -> Entry | None:
    if not isinstance(piece, dict):
        return None
    before, after, ids = piece.get("before"), piece.get("after"), piece.get("ids")
    removed = piece.get("removed", [])
    if type(before) is not str or type(after) is not str or not isinstance(ids, list):
        return None
    if not isinstance(removed, list) or not all(type(pid) is str for pid in [*ids, *removed]):
        return None
    return Entry(before, after, tuple(ids), tuple(removed))


def write_log(folder: Path, entries: list[Entry]) -> None:
    """Replace the log with `entries` (atomically; an empty list removes it)."""
    path = folder / CHANGES_NAME
    if not entries:
        path.unlink(missing_ok=True)
        return
    pieces = [
        {"before": e.before, "after": e.after, "ids": list(e.ids), "removed": list(e.removed)}
        for e in entries
    ]
    atomic_write(path, records.pack([{"format": FORMAT}, *pieces]), sync_folder=False)


def chain(entries: list[Entry], start: str, end: str) -> list[Entry] | None:
    """The entries leading from generation `start` to `end` ([] if equal; None: no path).

    Generations are random tokens made by each write, so any path names the writes
    made between the two contents (a restored backup brings back a generation seen
    before, with the content it had then: the log branches there).
    """
    if start == end:
        return []
    leaving: dict[str, list[Entry]] = {}
    for entry in entries:
        leaving.setdefault(entry.before, []).append(entry)
    came: dict[str, Entry | None] = {start: None}
    queue = deque([start])
    while queue and end not in came:
        for entry in leaving.get(queue.popleft(), ()):
            if entry.after not in came:
                came[entry.after] = entry
                queue.append(entry.after)
    if end not in came:
        return None
    path, at = [], end
    while (step := came[at]) is not None:
        path.append(step)
        at = step.before
    return path[::-1]


def changed_ids(entries: list[Entry]) -> set[str]:
    """Every id the entries name."""
    return {pid for entry in entries for pid in entry.ids}


def gone_ids(entries: list[Entry]) -> set[str]:
    """The ids the last entry naming them removed (gone after the entries, in order)."""
    gone: set[str] = set()
    for entry in entries:
        gone.difference_update(entry.ids)
        gone.update(entry.removed)
    return gone
