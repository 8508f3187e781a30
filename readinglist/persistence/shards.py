"""User state (read flag, tags, note) in many small TinyDB files, one per id prefix.

Layout of the state folder::

    layout.json     {"prefix": 3}: how many id characters name a shard
    abc.json        the state of every paper whose id starts with "abc"
    .changes        8 random bytes and a mark ("w" while a writer writes shards, "."
                    after), rewritten in place by every writer

A mark rewrites one shard of about 25 papers at 100,000, so its cost does not grow
with the library. A reader learns whether any shard changed from one small read of
`.changes`, instead of checking all 4,096 files. Libraries written with 256 shards
(two characters, no layout file) are read as they are and moved to 4,096 shards by
their next writer.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import orjson

from readinglist.errors import LibraryError
from readinglist.model import EMPTY_STATE
from readinglist.persistence.storage import (
    AtomicJSONStorage,
    RecordTable,
    atomic_write,
    change_together,
    fsync_folder,
)
from readinglist.validation import record_label, state_problem

PREFIX = 3  # 4,096 shards
FIRST_PREFIX = 2  # the layout of libraries written before `layout.json` existed
LAYOUT_FILE = "layout.json"
CHANGES_FILE = ".changes"
_HEX = re.compile("[0-9a-f]+")
_WRITING, _DONE = b"w", b"."
UNKNOWN: dict = {}  # `state_of` when the shards are in another layout (read them all)


class StateShards:
    """Reads and writes of the state folder; writers hold the library's lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.prefix = PREFIX  # until read: `read_all` and `updates` look at the disk
        self._tables: dict[str, RecordTable[AtomicJSONStorage]] = {}
        self._docs: dict[str, dict[str, dict]] = {}  # each shard as last read or written
        self._seen: bytes | None = None  # `.changes` when the shards were last looked at
        self._tidy = False  # whether shards of an older layout were looked for
        # Told of every write that went through: the marker before and after, the shards.
        self.on_write: Callable[[bytes, bytes, set[str]], None] | None = None

    def read_all(self) -> dict[str, dict]:
        """The state of every paper that has one, by id."""
        changes = self._changes()  # first: a write after this is seen next time
        states = self._read_layout(self._layout())
        moved = self._layout()
        if moved != self.prefix:  # moved while read: old shards may be gone
            states = self._read_layout(moved)
        self._seen = changes
        return states

    def _read_layout(self, prefix: int) -> dict[str, dict]:
        if prefix != self.prefix:
            self.prefix, self._tables, self._docs = prefix, {}, {}
        present = self._present(prefix)
        for name in self._docs.keys() - present:  # gone since last read: nothing stored
            self._docs[name] = {}
        states: dict[str, dict] = {}
        for name in sorted(present):
            states.update(self._read(name))
        return states

    def _present(self, prefix: int) -> set[str]:
        """The shards of `prefix` characters on disk (one folder listing, not a stat each)."""
        return self._shard_names()[prefix]

    def _to_look_at(self) -> set[str]:
        """The shards a change may be in: those on disk and those last read with papers."""
        return self._present(self.prefix) | {name for name, docs in self._docs.items() if docs}

    def updates(self, writer: bool = False) -> dict[str, dict] | None:
        """The state of each paper whose state changed on disk since last looked at.

        Empty when nothing changed; None when the layout itself changed (read all again).
        A `writer` (holding the lock) also looks when the last writer died mid-write.
        """
        changes = self._changes()
        crashed = writer and changes.endswith(_WRITING)
        if changes == self._seen and not crashed:
            return {}
        if self._layout() != self.prefix:
            return None
        found = self._scan(sorted(self._to_look_at()))
        self._seen = changes
        if crashed:
            self.announce()  # readers missed what the dead writer wrote
        return found

    def catch_up(self, ids: Iterable[str]) -> dict[str, dict]:
        """`updates` for the shards of `ids` only: what a writer is about to change.

        `.changes` can lag the shards (a sync tool that delivers it first); a change
        computed from a stale state would undo what another process stored.
        """
        return self._scan({pid[: self.prefix] for pid in ids})

    def marker(self) -> bytes:
        """`.changes` as on disk now: every writer of shards renews it after writing."""
        return self._changes()

    def in_layout(self) -> bool:
        """Whether the shards on disk are in this release's layout (else read them all)."""
        return self._layout() == PREFIX

    def signatures(self) -> dict[str, tuple]:
        """Each shard's file signature (as `storage.signature`), from one folder listing."""
        found: dict[str, tuple] = {}
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    stem, suffix = os.path.splitext(entry.name)
                    if suffix == ".json" and len(stem) == PREFIX and _HEX.fullmatch(stem):
                        with contextlib.suppress(FileNotFoundError):  # gone meanwhile
                            st = entry.stat()
                            found[stem] = (st.st_ino, st.st_size, st.st_mtime_ns)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise LibraryError(f"{self.folder}: cannot read ({exc.strerror})") from None
        return found

    def states_in(self, names: Iterable[str]) -> dict[str, dict]:
        """The state of every paper in the shards `names` (each checked as it is read)."""
        states: dict[str, dict] = {}
        for name in sorted(names):
            states.update(self._read(name))
        return states

    def state_of(self, pid: str) -> dict | None:
        """The state of one paper as on disk now, reading its shard only.

        None when it has none; UNKNOWN when the shards are not in this layout yet.
        """
        if self._layout() != PREFIX:
            return UNKNOWN
        self.catch_up([pid])
        state = self.stored(pid)
        return None if state is EMPTY_STATE else state

    def stored(self, pid: str) -> dict:
        """The state on disk for `pid` when last read (the empty state if none)."""
        return self._docs.get(pid[: self.prefix], {}).get(pid, EMPTY_STATE)

    def _scan(self, names: Iterable[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for name in names:
            if self._table(name).storage.changed():
                before, after = self._docs.get(name, {}), self._read(name)
                for pid in before.keys() | after.keys():
                    if before.get(pid) != after.get(pid):
                        found[pid] = after.get(pid) or {**EMPTY_STATE, "tags": []}
        return found

    def write(self, states: Mapping[str, dict | None]) -> None:
        """Store the state of papers by id (None or the empty state: drop it)."""
        if not states:
            return
        self.upgrade()
        before = self._changes()  # (under the lock: no other writer changes it meanwhile)
        writing = self.announce(mark=_WRITING, current=before)
        shards = _by_shard(states, self.prefix)
        try:
            change_together([(self._table(name), _updater(docs)) for name, docs in shards.items()])
            for name in shards:
                self._docs[name] = self._table(name).raw()
            fsync_folder(self.folder)  # once for all the shards (4,096 at an import)
        finally:  # a failed write may have written some shards: readers look again
            after = self.announce(current=writing)
        if self.on_write is not None:
            self.on_write(before, after, set(shards))

    def announce(
        self, remember: bool = True, mark: bytes = _DONE, current: bytes | None = None
    ) -> bytes:
        """Tell readers that shards changed (after the writes, so they see them); return
        the new marker.

        `remember`: take the new marker as seen, for what this process holds is what it
        wrote (not so after a restore: then it reads the shards again, like any reader).
        `mark` _WRITING, before the writes, lets the next writer know if this one died.
        `current`: the marker as this writer last read or wrote it (else it is read).
        """
        current = self._changes() if current is None else current
        changes = os.urandom(8) + mark
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / CHANGES_FILE, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, changes, 0)
        finally:
            os.close(fd)
        if remember and current == self._seen:  # nobody else wrote since we looked
            self._seen = changes
        return changes

    def upgrade(self) -> None:
        """Move an older layout to PREFIX characters, or finish a move that was cut short.

        Crash-safe: the new shards are complete before `layout.json` names them, and
        the old ones are deleted only after. Leftovers of an interrupted move are
        overwritten or deleted by the next writer.
        """
        if self.prefix != PREFIX:
            self._move()
            self._tidy = False
        if not self._tidy:
            self._remove_old_shards()
            if self._named_layout() != PREFIX:  # new, lost (a sync, a clean-up) or wrong
                self._write_layout()
            self._tidy = True

    def moving(self) -> bool:
        """Whether the next state write moves the state to a new layout."""
        return self.prefix != PREFIX

    def _move(self) -> None:
        states = self.read_all()  # as on disk, in whichever layout it is now
        if self.prefix == PREFIX:
            return
        by_shard = _by_shard(states, PREFIX)
        self.folder.mkdir(parents=True, exist_ok=True)
        present = self._shard_names()
        leftovers = present[PREFIX] if present[self.prefix] else set()  # else: nothing to move
        for name in _names(PREFIX):
            if name in by_shard:
                storage = AtomicJSONStorage(self._path(name), sync_folder=False, table="state")
                storage.write({"state": by_shard[name]})
            elif name in leftovers:  # of a move cut short: stale
                os.unlink(self._path(name))
        fsync_folder(self.folder)  # the new shards are all there before layout.json
        self._write_layout()
        self.announce()
        self.read_all()

    def _write_layout(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(self.folder / LAYOUT_FILE, orjson.dumps({"prefix": PREFIX}))

    def _remove_old_shards(self) -> None:
        """Delete shards of another layout (left when a move was cut short)."""
        for length, names in self._shard_names().items():
            for name in names if length != PREFIX else ():
                os.unlink(self._path(name))

    def _read(self, name: str) -> dict[str, dict]:
        docs = self._table(name).raw()
        for pid, doc in docs.items():
            if problem := state_problem(pid, doc):
                path = self._path(name)
                raise LibraryError(
                    f"{path}: {record_label(pid)}: {problem}; "
                    "run `readinglist restore` to go back to a backup"
                )
        self._docs[name] = docs
        return docs

    def _table(self, name: str) -> RecordTable[AtomicJSONStorage]:
        if name not in self._tables:
            # The folder is synced once for all the shards of a write (see `write`).
            storage = AtomicJSONStorage(self._path(name), sync_folder=False, table="state")
            self._tables[name] = RecordTable(storage, "state")
        return self._tables[name]

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def _layout(self) -> int:
        """The layout of the shards on disk."""
        prefix = self._named_layout()
        if prefix is None:  # new, written before layouts, or the file was lost
            return FIRST_PREFIX if self._shard_names()[FIRST_PREFIX] else PREFIX
        if prefix != PREFIX:  # trust the shards over a file that names an older layout
            names = self._shard_names()
            return PREFIX if names[PREFIX] and not names[prefix] else prefix
        return prefix

    def _named_layout(self) -> int | None:
        """The layout `layout.json` names (None without one)."""
        path = self.folder / LAYOUT_FILE
        try:
            layout = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except orjson.JSONDecodeError:
            layout = None
        except OSError as exc:
            raise LibraryError(f"{path}: cannot read ({exc.strerror})") from None
        prefix = layout.get("prefix") if isinstance(layout, dict) else None
        if type(prefix) is not int or prefix < FIRST_PREFIX:
            raise LibraryError(f"{path}: damaged; run `readinglist restore` to go back to a backup")
        if prefix > PREFIX:
            raise LibraryError(f"{path}: written by a newer readinglist; upgrade readinglist")
        return prefix

    def _shard_names(self) -> defaultdict[int, set[str]]:
        try:
            return _shard_names(self.folder)
        except OSError as exc:
            raise LibraryError(f"{self.folder}: cannot read ({exc.strerror})") from None

    def _changes(self) -> bytes:
        path = self.folder / CHANGES_FILE
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return b""
        except OSError as exc:
            raise LibraryError(f"{path}: cannot read ({exc.strerror})") from None


def _shard_names(folder: Path) -> defaultdict[int, set[str]]:
    """The shards in `folder`, by the length of their names (none if it is missing)."""
    found: defaultdict[int, set[str]] = defaultdict(set)
    with contextlib.suppress(FileNotFoundError):
        for name in os.listdir(folder):  # (4,100 names at 100,000 papers: no splitext each)
            if name.endswith(".json") and _HEX.fullmatch(name, 0, len(name) - 5):
                found[len(name) - 5].add(name[:-5])
    return found


def _updater(docs: dict[str, dict | None]) -> Callable[[dict], None]:
    """What a shard's change does: each paper's state put in (None or empty: taken out)."""

    def updater(table: dict) -> None:
        for pid, doc in docs.items():
            if doc is None or doc == EMPTY_STATE:
                table.pop(pid, None)
            else:
                table[pid] = doc

    return updater


def _by_shard(states: Mapping[str, dict | None], prefix: int) -> dict[str, dict[str, dict | None]]:
    """`states` by the shard that holds them (ids cut to `prefix` characters)."""
    grouped: defaultdict[str, dict[str, dict | None]] = defaultdict(dict)
    for pid, state in states.items():
        grouped[pid[:prefix]][pid] = state
    return grouped


def _names(prefix: int) -> Iterable[str]:
    """Every shard name for ids cut to `prefix` hex characters."""
    return (f"{i:0{prefix}x}" for i in range(16**prefix))
