"""The user state a search needs (read, tags, note of every paper that has one), saved
beside the index, so a search reads one small file instead of 4,096 state shards.

The file names the shards' change marker (`state/.changes`: random bytes every writer
of shards renews) when it was made, and each shard's file signature. Every write of
shards notes itself in a short log (`search-state.changes`: the marker before and
after, and the shards written), so a search reads again only the shards the log
names on the way from the saved marker to the current one; with no such way (a
restore, a sync tool, a writer that died, an earlier release) it reads every shard.
A shard whose signature changed is read again too, whatever the marker says (a
file changed by something else: a damaged shard is reported, never passed over).

The states come with their ids grouped as a search looks them up (read, by tag, by
word of a tag or note: `state.grouped`), saved beside them, so a search groups none.

`list --json` needs every state whole (when each field changed too): `whole_states`
keeps them in a file of their own (`listed-state.bin`, each shard's states as one JSON
piece), brought up to date through the same log and signatures.

Derived data like the index: framed, checksummed records; missing, damaged or of
another shape, it is made again from the shards.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import orjson

from readinglist.model import Paper
from readinglist.persistence import records
from readinglist.persistence.shards import PREFIX, StateShards
from readinglist.persistence.storage import atomic_write
from readinglist.search import changes
from readinglist.search.state import States

STATE_NAME = "search-state.bin"
WHOLE_NAME = "listed-state.bin"
WHOLE_FORMAT = 1
LOG_NAME = "search-state.changes"
FORMAT = 2  # 2: the states' groups saved with them
LOG_ENTRIES = 64  # older writes are forgotten: a state saved before them is read again
LOG_BYTES = 1 << 16  # a log larger than this is written anew with its last LOG_ENTRIES

State = Sequence  # read (bool), tags (list of str), note (str): a tuple, or a saved list


Saved = tuple[str, dict[str, tuple], States]  # marker, signatures, states
_LOG_START = records.pack([{"format": FORMAT}])


def load_states(folder: Path, shards: StateShards) -> States | None:
    """Every paper's state as the shards hold it now (id -> read, tags, note), from the
    saved file brought up to date; None when the shards are not in this layout.

    Raises LibraryError for a damaged shard it has to read.
    """
    if not shards.in_layout():
        return None
    since = _since(folder, shards, lambda: _read(folder / STATE_NAME))
    saved, changed = since.saved, since.changed
    if saved is not None and since.current:
        return saved[2]
    kept = {} if saved is None else saved[2]
    states = {pid: s for pid, s in kept.items() if pid[:PREFIX] not in changed}
    for pid, state in shards.states_in(changed).items():  # (a shard gone reads empty)
        if state["read"] or state["tags"] or state["note"]:  # else: as a paper without one
            states[pid] = (bool(state["read"]), list(state["tags"]), state["note"])
    found = States(states)
    with contextlib.suppress(OSError):
        _save(folder / STATE_NAME, since.marker, since.now, found)
    return found


def whole_states(folder: Path, shards: StateShards) -> dict[str, dict] | None:
    """Every state the shards hold now (id -> its stored record), from the saved file
    brought up to date as `load_states` brings its own: one file read, not 4,096. None
    when the shards are not in this layout, or the saved states are not of their shape.

    Raises LibraryError for a damaged shard it has to read.
    """
    if not shards.in_layout():
        return None
    since = _since(folder, shards, lambda: _read_whole(folder / WHOLE_NAME))
    saved, changed = since.saved, since.changed
    if saved is not None and since.current:
        return _joined(saved[2].values())
    kept = {} if saved is None else saved[2]
    pieces = {
        name: kept[name] if name in kept and name not in changed else _piece(shards, name)
        for name in sorted(since.now)
    }
    with contextlib.suppress(OSError):
        _write(folder / WHOLE_NAME, WHOLE_FORMAT, since.marker, since.now, pieces)
    return _joined(pieces.values())


class _Since(NamedTuple):
    """A saved file of states, and what the shards did since it was made."""

    saved: Sequence | None  # (marker, signatures, ...) as read; None: none usable
    marker: str  # the shards' change marker now
    now: dict[str, tuple]  # each shard's signature now
    changed: set[str]  # the shards to read again (`_changed_shards`)

    @property
    def current(self) -> bool:
        """Whether the saved file holds the shards as they are now."""
        return self.saved is not None and not self.changed and self.saved[0] == self.marker


def _since(folder: Path, shards: StateShards, read: Callable[[], Sequence | None]) -> _Since:
    """The saved file `read` gives, looked at against the shards: their marker first (a
    write after this is seen next time), then their signatures, then the file."""
    marker = shards.marker().hex()
    now = shards.signatures()
    saved = read()
    return _Since(saved, marker, now, _changed_shards(folder, saved, marker, now))


def _piece(shards: StateShards, name: str) -> bytes:
    """One shard's states as a JSON object (each checked as the shard is read)."""
    return orjson.dumps(shards.states_in([name]))


def _joined(pieces: Iterable[bytes]) -> dict[str, dict] | None:
    """The states of every shard's piece; None unless each is a dict whose read flag and
    time have their types (the rest `listed_json` checks as it uses them)."""
    inner = [piece[1:-1] for piece in pieces if len(piece) > 2]  # each piece an object
    try:
        states = orjson.loads(b"{" + b",".join(inner) + b"}")
    except orjson.JSONDecodeError:
        return None
    values = list(states.values())
    if not set(map(type, values)) <= {dict}:
        return None
    reads = {type(state.get("read")) for state in values}
    times = {type(state.get("read_at")) for state in values}
    return states if reads <= {bool} and times <= {str, type(None)} else None


def _read_whole(path: Path) -> tuple[str, dict[str, tuple], Mapping[str, bytes]] | None:
    """(marker, signatures, pieces) of a saved file of whole states; None if not usable."""
    try:
        head, signatures, pieces = records.unpack(path.read_bytes(), lazy=True)
    except (OSError, ValueError, records.RecordError):
        return None
    marked = _marked(head, signatures, WHOLE_FORMAT)
    if marked is None or not isinstance(pieces, Mapping):
        return None
    return *marked, pieces


def save_now(folder: Path, shards: StateShards, papers: Iterable[Paper]) -> None:
    """Save the state of `papers`, which the shards hold now: call under the library's
    lock, after its last write of shards (a later write is then seen by its note, or by
    the marker and signatures saved here)."""
    if not shards.in_layout():
        return
    marker, now = shards.marker().hex(), shards.signatures()
    states = {p.id: (p.read, p.tags, p.note) for p in papers if p.read or p.tags or p.note}
    _save(folder / STATE_NAME, marker, now, States(states))


def _changed_shards(folder: Path, saved: Sequence | None, marker: str, now: dict) -> set[str]:
    """The shards to read again: those the log names since the saved marker (all of
    them when no way leads there), and any whose signature changed. `saved`: the saved
    marker and signatures first."""
    if saved is None:
        return set(now)
    before = saved[1]
    changed = {name for name in now.keys() | before.keys() if now.get(name) != before.get(name)}
    steps = changes.chain(_read_log(folder), saved[0], marker)
    if steps is None:
        return set(now) | set(before)
    return changed.union(*(step.ids for step in steps))


def note_write(folder: Path, before: bytes, after: bytes, shards: set[str]) -> None:
    """Note one write of state shards (under the library's lock), if a state is saved
    (for a search or for `list --json`).

    The note is appended, unsynced (derived data: a log lost or cut short in a crash
    reads as none, and the next search reads every shard); the log is written anew,
    with its last LOG_ENTRIES notes, when it outgrows LOG_BYTES or does not start well.
    """
    if not ((folder / STATE_NAME).exists() or (folder / WHOLE_NAME).exists()):
        return
    note = {"before": before.hex(), "after": after.hex(), "shards": sorted(shards)}
    path = folder / LOG_NAME
    frame = records.pack([note])[len(records.MAGIC) :]
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND)
    except FileNotFoundError:
        fd = None
    if fd is not None:
        try:
            if 0 < os.fstat(fd).st_size < LOG_BYTES and _starts_well(fd):
                os.write(fd, frame)
                return
        finally:
            os.close(fd)
    entries = _read_log(folder)[-(LOG_ENTRIES - 1) :]
    pieces = [{"before": e.before, "after": e.after, "shards": list(e.ids)} for e in entries]
    atomic_write(path, records.pack([{"format": FORMAT}, *pieces, note]), sync_folder=False)


def _starts_well(fd: int) -> bool:
    """Whether the log open at `fd` starts with its head record (of this FORMAT)."""
    return os.pread(fd, len(_LOG_START), 0) == _LOG_START


def _read_log(folder: Path) -> list[changes.Entry]:
    """The noted writes, oldest first ([] if missing or damaged: a damaged log, say one
    cut short in a crash, is deleted, so the next note starts it anew)."""
    path = folder / LOG_NAME
    try:
        head, *pieces = records.unpack(path.read_bytes())
    except OSError:
        return []
    except (ValueError, records.RecordError):
        with contextlib.suppress(OSError):
            path.unlink()
        return []
    entries = [_entry(piece) for piece in pieces]
    if head != {"format": FORMAT} or None in entries:
        return []
    return [entry for entry in entries if entry is not None]


def _entry(piece: object) -> changes.Entry | None:
    if not isinstance(piece, dict):
        return None
    before, after, shards = piece.get("before"), piece.get("after"), piece.get("shards")
    if type(before) is not str or type(after) is not str or not isinstance(shards, list):
        return None
    if not all(type(name) is str for name in shards):
        return None
    return changes.Entry(before, after, tuple(shards))


def _save(path: Path, marker: str, signatures: dict[str, tuple], states: States) -> None:
    read, tags, words = states.groups
    groups = {"read": read, "tags": tags, "words": words}
    _write(path, FORMAT, marker, signatures, states, groups)


def _write(path: Path, fmt: int, marker: str, signatures: dict[str, tuple], *parts) -> None:
    """A saved file: its head (format, marker), the shards' signatures, then `parts`."""
    head = {"format": fmt, "marker": marker}
    blob = records.pack([head, {k: list(v) for k, v in signatures.items()}, *parts])
    atomic_write(path, blob, sync_folder=False)


def _read(path: Path) -> Saved | None:
    """(marker, signatures, states) of a saved file; None if missing or not usable."""
    try:
        head, signatures, states, groups = records.unpack(path.read_bytes())
    except (OSError, ValueError, records.RecordError):
        return None
    marked = _marked(head, signatures, FORMAT)
    if marked is None or not isinstance(states, dict):
        return None
    if not _states_fit(list(states.values())) or not _groups_fit(groups):
        return None
    by = groups["read"], groups["tags"], groups["words"]
    return *marked, States(states, by)  # (each state a list: read, tags, note)


def _marked(head: object, signatures: object, fmt: int) -> tuple[str, dict[str, tuple]] | None:
    """(marker, signatures) of a saved file's first two records, if of format `fmt`."""
    if not (isinstance(head, dict) and head.keys() == {"format", "marker"}):
        return None
    marker = head["marker"]
    if head["format"] != fmt or type(marker) is not str or not isinstance(signatures, dict):
        return None
    sigs = {name: tuple(sig) for name, sig in signatures.items() if _signature(sig)}
    return (marker, sigs) if len(sigs) == len(signatures) else None


def _signature(value: object) -> bool:
    return isinstance(value, list) and len(value) == 3 and all(type(v) is int for v in value)


def _states_fit(states: list) -> bool:
    """Whether every saved state is [read (bool), tags (list of str), note (str)]: checked
    column by column (no Python call per state: a library holds tens of thousands)."""
    if not set(map(type, states)) <= {list} or not set(map(len, states)) <= {3}:
        return False
    if not states:
        return True
    reads, tags, notes = zip(*states, strict=True)
    if not (set(map(type, reads)) <= {bool} and set(map(type, notes)) <= {str}):
        return False
    return set(map(type, tags)) <= {list} and set(map(type, chain.from_iterable(tags))) <= {str}


def _groups_fit(groups: object) -> bool:
    """Whether saved groups are {"read": ids, "tags": {tag: ids}, "words": {word: ids}}."""
    if not (isinstance(groups, dict) and groups.keys() == {"read", "tags", "words"}):
        return False
    read, tags, words = groups["read"], groups["tags"], groups["words"]
    if not (isinstance(tags, dict) and isinstance(words, dict)):
        return False
    lists = [read, *tags.values(), *words.values()]
    return set(map(type, lists)) <= {list} and set(map(type, chain.from_iterable(lists))) <= {str}
