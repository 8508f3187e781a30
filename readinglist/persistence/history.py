"""The last changes made from the command line, kept so `readinglist undo` can take them back.

A small file in the library folder (`undo-history.json`, mode 0600) holds the last
KEEP changes: for each, the command line that made it, the edit (an `edits` value)
and, for every paper it changed, the fields it changed as they were before and after
(with their stamps; whole papers for a delete). Undo is the edit's own revert
(`edits.Undo`, `edits.Restore` for a delete), so a field someone changed since keeps
its new value. The history belongs to this machine: it names the machine that wrote it
(a copy of the library folder on another machine has nothing to undo), backups leave
it out and restoring one keeps it.
"""

from __future__ import annotations

import dataclasses
import json
import platform
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path

from readinglist import edits
from readinglist.errors import LibraryError
from readinglist.model import STAMPED_FIELDS, Paper
from readinglist.persistence.storage import atomic_write

HISTORY_FILE = "undo-history.json"
KEEP = 20
LOCK_FILE = ".lock"  # the library's own lock: history and library change one at a time
LOCK_TIMEOUT = 15.0
_VERSION = 1
_VALUE_FIELDS = frozenset(STAMPED_FIELDS)
_MERGED = frozenset({"tags"})  # taken back three ways: a tag changed since is no conflict
_PAPER_FIELDS = tuple(f.name for f in fields(Paper))


@dataclass(frozen=True)
class Entry:
    """One change made from the command line.

    `before`/`after`: per paper, the fields the change changed (with their stamps), as
    they were before it and as it left them; for a delete, `before` holds whole papers.
    """

    command: str
    edit: edits.Edit
    before: dict[str, dict]
    after: dict[str, dict]

    def removed(self) -> list[Paper]:
        """The papers a delete removed, whole, as they were."""
        return [_paper(values) for values in self.before.values()]

    def steps(self, current: dict[str, Paper]) -> dict[str, tuple[Paper, Paper]]:
        """`edits.Undo` steps (before, after) for the papers still in `current`."""
        return {
            pid: (replace(current[pid], **self.before[pid]), replace(current[pid], **after))
            for pid, after in self.after.items()
            if pid in current
        }

    def changed_since(self, current: Paper) -> list[str]:
        """The fields of `current` someone changed after this change (undo keeps them)."""
        after = self.after.get(current.id, {})
        return [
            name
            for name, value in after.items()
            if name in _VALUE_FIELDS and name not in _MERGED and getattr(current, name) != value
        ]


def entry_for(command: str, edit: edits.Edit, before: list[Paper], after: list[Paper]) -> Entry:
    """The history entry of `edit`, which turned papers `before` into `after`."""
    if edit.removes:
        return Entry(command, edit, {p.id: _whole(p) for p in before}, {})
    olds = {p.id: p for p in before}
    was, now = {}, {}
    for new in after:
        old = olds.get(new.id)
        if old is None:
            continue
        names = _changed(old, new, edit)
        was[new.id] = {name: getattr(old, name) for name in names}
        now[new.id] = {name: getattr(new, name) for name in names}
    return Entry(command, edit, was, now)


def _changed(old: Paper, new: Paper, edit: edits.Edit) -> list[str]:
    """The fields `edit` changed from `old` to `new`, and their stamps.

    Only the fields the edit itself changes count: a field another process changed
    between reading `old` and storing `new` is not this change's to undo.
    """
    own = edit.apply(old)
    return [
        name
        for name in _PAPER_FIELDS
        if name != "id"
        and getattr(old, name) != getattr(new, name)
        and (name not in _VALUE_FIELDS or getattr(own, name) != getattr(old, name))
    ]


# ----- the file -------------------------------------------------------------------------


def record(root: Path, entry: Entry) -> None:
    """Add `entry` as the latest change, keeping the last KEEP."""
    with _locked(root):
        _write(root, [*_read(root), _encode_entry(entry)][-KEEP:])


def latest(root: Path) -> Entry | None:
    """The latest change not undone yet, or None."""
    with _locked(root):
        entries = _read(root)
    return _decode_entry(root, entries[-1]) if entries else None


def drop_latest(root: Path) -> None:
    """Forget the latest change (it was undone, or nothing of it is left to undo)."""
    with _locked(root):
        entries = _read(root)
        if entries:
            _write(root, entries[:-1])


def _machine() -> str:
    return platform.node()


def _read(root: Path) -> list[dict]:
    path = root / HISTORY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        raise LibraryError(f"{path}: damaged undo history; delete it to go on") from None
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        raise LibraryError(f"{path}: undo history of another version; delete it to go on")
    if data.get("machine") != _machine():
        return []  # written on another machine (a synced folder): not this one's to undo
    changes = data.get("changes")
    if not isinstance(changes, list):
        raise LibraryError(f"{path}: damaged undo history; delete it to go on")
    return changes


def _write(root: Path, entries: list[dict]) -> None:
    data = {"version": _VERSION, "machine": _machine(), "changes": entries}
    atomic_write(root / HISTORY_FILE, json.dumps(data, ensure_ascii=False).encode("utf-8"))


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    from filelock import FileLock, Timeout  # (only writers pay its import: ~15-60 ms)

    lock = FileLock(str(root / LOCK_FILE), timeout=LOCK_TIMEOUT, mode=0o600)
    try:
        with lock:
            yield
    except Timeout:
        raise LibraryError(f"{root / LOCK_FILE}: library is locked by another process") from None


# ----- encoding edits and papers as JSON ----------------------------------------------------


def _encode_entry(entry: Entry) -> dict:
    return {
        "command": entry.command,
        "edit": _encode(entry.edit),
        "before": _encode(entry.before),
        "after": _encode(entry.after),
    }


def _decode_entry(root: Path, data: object) -> Entry:
    try:
        assert isinstance(data, dict)
        edit = _decode(data["edit"])
        before, after = _decode(data["before"]), _decode(data["after"])
        if not (isinstance(edit, edits.Edit) and isinstance(data["command"], str)):
            raise TypeError("not an edit")
        if not (_changes(before) and _changes(after)):
            raise TypeError("not changes")
        return Entry(data["command"], edit, before, after)
    except (AssertionError, KeyError, TypeError, ValueError, AttributeError):
        path = root / HISTORY_FILE
        raise LibraryError(f"{path}: damaged undo history; delete it to go on") from None


def _changes(value: object) -> bool:
    """Whether `value` maps ids to {field: value} of known fields."""
    return isinstance(value, dict) and all(
        isinstance(pid, str) and isinstance(values, dict) and values.keys() <= _NAMES
        for pid, values in value.items()
    )


_NAMES = frozenset(_PAPER_FIELDS)


def _classes() -> dict[str, type]:
    """The value classes a history may hold: every edit, its stamp, papers."""
    found: dict[str, type] = {"Paper": Paper}
    for value in vars(edits).values():
        if isinstance(value, type) and dataclasses.is_dataclass(value):
            found[value.__name__] = value
    return found


def _encode(value):
    """`value` as JSON: dataclasses, tuples and dicts tagged so they come back as they were."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = (f.name for f in fields(value) if f.init)
        return {"$": type(value).__name__, **{n: _encode(getattr(value, n)) for n in names}}
    if isinstance(value, tuple):
        return {"$": "tuple", "items": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$": "dict", "items": {str(k): _encode(v) for k, v in value.items()}}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("$")
    if kind == "tuple":
        return tuple(_decode(v) for v in value["items"])
    if kind == "dict":
        return {k: _decode(v) for k, v in value["items"].items()}
    cls = _classes()[kind]
    known = {f.name for f in fields(cls) if f.init}
    return cls(**{k: _decode(v) for k, v in value.items() if k in known})


def _whole(paper: Paper) -> dict:
    return {name: getattr(paper, name) for name in _PAPER_FIELDS}


def _paper(values: dict) -> Paper:
    return Paper(**{k: v for k, v in values.items() if k in _PAPER_FIELDS})
