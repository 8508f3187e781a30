"""A change of a few papers' records written by splicing their lines into the corpus.

`papers.json` is written one record a line (lines.py) and the directory knows where
each line is, so changing one paper's fields (`edit ID`, the first `cite ID` fixing
a provisional key) need not read 100,000 records. Two ways, neither parsing nor
holding the other records:

- in place (`patch_plan`, `patch`), when every changed line is no longer than the
  line it replaces (the first `cite ID` drops `"key_fixed":false`): the line is
  written over the old one, padded with spaces, and line 1 gets the new generation
  token; nothing else of the file is touched, whatever its size. The library notes
  the writes in its journal first (journal.py), then names the new generation in the
  manifest (the commit), then writes: a kill at any point leaves the old library or,
  through the journal, the new one, and a reader that meets a write under way reads
  the file with the journal's writes made (`storage.patched`). Only for a file no other name
  links to (a backup's files never change);
- else a new file: line 1 (a new generation token) and the changed lines, with the
  rest copied from the old file by the kernel (`os.copy_file_range`), replaced
  atomically after the manifest names the new generation, as a whole write does;
  what it writes is byte for byte what a whole write of the same records gives, but
  for the spaces earlier writes in place left after shorter lines (`lines.unpadded`).

Either way every reader and cache sees an ordinary corpus write of a new generation.
"""

from __future__ import annotations

import bisect
import contextlib
import os
from array import array
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import BinaryIO

import orjson

from readinglist.persistence import storage
from readinglist.persistence.directory import Directory, Names
from readinglist.persistence.lines import CLOSE, OPEN
from readinglist.persistence.storage import Write

Piece = bytes | tuple[int, int]  # new bytes, or (offset, length) of the old file
_BLOCK = 1 << 20
_SEARCHED = 1 << 22  # bytes searched at a time for a line
_SEPARATOR = b",\n"  # between two lines of records


def meta_line(meta: dict) -> bytes:
    """Line 1 of a lined corpus holding `meta` (as `lines_of` writes it)."""
    return OPEN + orjson.dumps({"1": meta}) + b",\n"


def record_line(pid: str, record: dict) -> bytes:
    """The line of one record (as `lines_of` writes it, without the separator)."""
    return orjson.dumps(pid) + b":" + orjson.dumps(record)


def plan(
    old: BinaryIO,
    directory: Directory,
    head: bytes,
    lines: Mapping[str, bytes],
    generation: str,
    removed: Collection[str] = (),
    added: Mapping[str, tuple[bytes, dict]] | None = None,
) -> tuple[list[Piece], Directory] | None:
    """The pieces of the corpus `old` with line 1 replaced by `head` (naming `generation`),
    each paper's line by `lines`, the lines of `removed` taken out and those of `added`
    (id: line and record) put at the end, and the directory of the result (None: `old`
    is not the file the directory describes)."""
    added = added or {}
    if added and removed:
        return None  # (not needed together; the separators would have to be worked out)
    if any(_holds_line(old, pid) for pid in added):
        return None  # the directory missed a paper the file holds
    first = _first_line(old, directory)
    if first is None:
        return None
    changes: list[tuple[int, int, bytes]] = [(0, len(first), head)]
    for pid, line in lines.items():
        if not _is_line_of(old, directory, pid) or pid in removed:
            return None
        changes.append((*directory.span(pid), line))
    if not all(_is_line_of(old, directory, pid) for pid in removed):
        return None
    changes += _cuts(directory, set(removed))
    end = directory.size - len(CLOSE)  # after the last line
    appended = _appended(directory, [line for line, _ in added.values()])
    if appended:
        changes.append((end, 0, appended))
    changes.sort()
    pieces: list[Piece] = []
    at = 0
    for offset, length, line in changes:
        if offset < at:
            return None  # two spans overlap: the directory is not this file's
        if offset > at:
            pieces.append((at, offset - at))
        pieces.append(line)
        at = offset + length
    pieces.append((at, directory.size - at))
    size = sum(len(p) if isinstance(p, bytes) else p[1] for p in pieces)
    moved = _moved(directory, changes, size, generation)
    if added:
        at = size - len(CLOSE) - len(appended)  # where the first line added starts
        moved = _with(moved, added, at + (len(_SEPARATOR) if len(directory.ids) else 0))
    return pieces, (_without(moved, set(removed)) if removed else moved)


def patch_plan(
    old: BinaryIO, directory: Directory, head: bytes, lines: Mapping[str, bytes]
) -> list[Write] | None:
    """The writes that change `old` in place into the corpus with line 1 `head` and
    each paper's line as in `lines`: a line no longer than the one it replaces, padded
    with spaces to its length (JSON whitespace: the records read the same), so that no
    other byte of the file moves; line 1 last. None when it cannot be done so: a line
    would grow, line 1 would change length, the file is not the one the directory
    describes, or another name links to it (a backup: its files never change)."""
    if os.fstat(old.fileno()).st_nlink != 1:
        return None
    first = _first_line(old, directory)
    if first is None or len(first) != len(head):
        return None
    writes: list[Write] = []
    for pid, line in lines.items():
        offset, length = directory.span(pid)
        if not _is_line_of(old, directory, pid) or len(line) > length:
            return None
        writes.append((offset, line + b" " * (length - len(line))))
    writes.sort()
    return [*writes, (0, head)]


def patch(path: Path, writes: list[Write]) -> None:
    """Make `writes` to the file at `path` in place, in order, syncing before the last
    (line 1, which names the new generation: on disk only once the lines it names are)
    and after it. The caller noted them in the journal first: a write cut short is done
    again from there."""
    *lines, first = writes
    with open(path, "r+b") as handle:
        for offset, data in lines:
            storage.write_at(handle.fileno(), data, offset)
        storage.fsync(handle.fileno())
        storage.write_at(handle.fileno(), first[1], first[0])
        storage.fsync(handle.fileno())


def renamed(directory: Directory, generation: str) -> Directory:
    """`directory` as the file patched in place leaves it: the same lines, at the same
    places (no orders: the caller gives them), of a new generation."""
    return directory.same_lines(generation, stored=directory.stored)


def write(path: Path, old: BinaryIO, pieces: list[Piece]) -> None:
    """Write `pieces` as `path` (`storage.atomic_write`); the old file's ranges are
    copied from `old`."""

    def fill(handle: BinaryIO) -> None:
        for piece in pieces:
            if isinstance(piece, bytes):
                storage.write_bytes(handle, piece)
            else:
                handle.flush()
                _copy(old.fileno(), handle.fileno(), *piece)

    storage.atomic_write(path, fill)


def _copy(source: int, target: int, offset: int, length: int) -> None:
    """Append `length` bytes of `source` from `offset` to `target` (kernel-side if it can)."""
    with contextlib.suppress(OSError, AttributeError):
        while length:
            copied = os.copy_file_range(source, target, length, offset)
            if not copied:
                break
            offset, length = offset + copied, length - copied
    while length:  # no copy_file_range here (or it stopped): read and write
        block = os.pread(source, min(length, _BLOCK), offset)
        if not block:
            raise OSError(5, "corpus shorter than its directory says")
        os.write(target, block)
        offset, length = offset + len(block), length - len(block)


def _is_line_of(old: BinaryIO, directory: Directory, pid: str) -> bool:
    offset, length = directory.span(pid)
    name = orjson.dumps(pid) + b":"
    old.seek(offset)
    return bool(length) and old.read(len(name)) == name


def _holds_line(old: BinaryIO, pid: str) -> bool:
    """Whether the file has a line of paper `pid` (read a block at a time: a paper the
    directory does not list must not be added twice)."""
    name = b"\n" + orjson.dumps(pid) + b":"
    old.seek(0)
    tail = b""
    while block := old.read(_SEARCHED):
        if name in tail + block[: len(name)] or name in block:
            return True
        tail = block[-len(name) :]
    return False


def _cuts(directory: Directory, removed: set[str]) -> list[tuple[int, int, bytes]]:
    """What to take out of the file for the lines of `removed`: each line with the
    separator after it; the file's last line has none, so when it goes, the separator
    after the last line kept goes instead."""
    if not removed:
        return []
    end = directory.size - len(CLOSE)  # where the last line ends
    cuts = []
    for pid in removed:
        offset, length = directory.span(pid)
        last = offset + length == end
        cuts.append((offset, length + (0 if last else len(_SEPARATOR)), b""))
    if any(offset + length == end for offset, length, _ in cuts):
        kept = [
            directory.spans[i] + directory.spans[i + 1]
            for i in range(0, len(directory.spans), 2)
            if directory.spans[i] not in {offset for offset, _, _ in cuts}
        ]
        if kept:
            cuts.append((max(kept), len(_SEPARATOR), b""))
    return cuts


def _appended(directory: Directory, lines: list[bytes]) -> bytes:
    """The bytes that put `lines` after the last line (a separator before each, but
    before the first in a file with no record)."""
    if not lines:
        return b""
    joined = _SEPARATOR.join(lines)
    return _SEPARATOR + joined if len(directory.ids) else joined


def _with(directory: Directory, added: Mapping[str, tuple[bytes, dict]], at: int) -> Directory:
    """`directory` with the papers `added` (their lines one after another from `at`)."""
    ids = sorted(added)
    spans = {}
    for pid, (line, _) in added.items():
        spans[pid] = (at, len(line))
        at += len(line) + len(_SEPARATOR)
    ops = _ops(len(directory.ids), [], [directory.ids.bisect(pid) for pid in ids])
    place = _places(ops, len(directory.ids))
    new_place = dict(zip(ids, _inserted_places(ops), strict=True))
    aliases: dict[str, int] = {}
    keys: dict[str, int] = {}
    for pid, (_, record) in added.items():
        aliases.update((alias, new_place[pid]) for alias in record.get("aliases") or ())
        keys.update((key.casefold(), new_place[pid]) for key in record.get("key_aliases") or ())
        keys[record["key"].casefold()] = new_place[pid]
    return Directory(
        directory.generation,
        _names_by(directory.ids, ops, ids),
        _values_by(directory.spans, 2, ops, [spans[pid] for pid in ids]),
        _named_with(directory.alias_names, directory.alias_targets, place, aliases),
        _named_with(directory.key_names, directory.key_targets, place, keys),
        complete=directory.complete,
        size=directory.size,
    )


def _without(directory: Directory, removed: set[str]) -> Directory:
    """`directory` without the papers `removed` (their aliases and keys with them)."""
    gone = sorted(i for pid in removed if (i := directory.ids.find(pid)) is not None)
    ops = _ops(len(directory.ids), gone, [])
    place = _places(ops, len(directory.ids))
    return Directory(
        directory.generation,
        _names_by(directory.ids, ops, []),
        _values_by(directory.spans, 2, ops, []),
        _named_without(directory.alias_names, directory.alias_targets, place),
        _named_without(directory.key_names, directory.key_targets, place),
        complete=directory.complete,
        size=directory.size,
    )


# A sorted list edited in a few places is described by ops: a run (a, b) of the old
# positions kept, or the number of a new item put there. Applied to the names' blob
# and to arrays by slices, so that 100,000 names are never decoded.
Op = tuple[int, int] | int


def _ops(n: int, drop: list[int], insert_before: list[int]) -> list[Op]:
    """The ops keeping positions 0..n-1 but `drop`, with new item k put before old
    position `insert_before[k]` (n: at the end); `insert_before` is sorted."""
    events = sorted([(p, 0, k) for k, p in enumerate(insert_before)] + [(p, 1, 0) for p in drop])
    ops: list[Op] = []
    at = 0
    for position, dropping, k in events:
        if position > at:
            ops.append((at, position))
            at = position
        if dropping:
            at = position + 1
        else:
            ops.append(k)
    if at < n:
        ops.append((at, n))
    return ops


def _names_by(names: Names, ops: list[Op], new: list[str]) -> Names:
    parts, starts, total = [], array("I"), 0
    for op in ops:
        if isinstance(op, tuple):
            low, high = names.starts[op[0]], names.starts[op[1]]
            parts.append(names.blob[low:high])
            starts.extend(start - low + total for start in names.starts[op[0] : op[1]])
            total += high - low
        else:
            raw = new[op].encode("utf-8")
            parts.append(raw)
            starts.append(total)
            total += len(raw)
    starts.append(total)
    return Names(b"".join(parts), starts)


def _values_by(values: array, width: int, ops: list[Op], new: list) -> array:
    out = array(values.typecode)
    for op in ops:
        if isinstance(op, tuple):
            out.extend(values[op[0] * width : op[1] * width])
        else:
            out.extend(new[op] if width > 1 else [new[op]])
    return out


def _places(ops: list[Op], n: int) -> array:
    """Each old position's new one (-1: dropped)."""
    place = array("q", [-1]) * n
    at = 0
    for op in ops:
        if isinstance(op, tuple):
            place[op[0] : op[1]] = array("q", range(at, at + op[1] - op[0]))
            at += op[1] - op[0]
        else:
            at += 1
    return place


def _inserted_places(ops: list[Op]) -> list[int]:
    """The new position of each new item, in item order."""
    found, at = {}, 0
    for op in ops:
        if isinstance(op, tuple):
            at += op[1] - op[0]
        else:
            found[op] = at
            at += 1
    return [found[k] for k in sorted(found)]


def _named_without(names: Names, targets: array, place: array) -> tuple[Names, array]:
    """Names pointing at papers, without those of dropped papers, renumbered."""
    drop = [i for i, target in enumerate(targets) if place[target] < 0]
    ops = _ops(len(names), drop, [])
    kept = _values_by(targets, 1, ops, [])
    return _names_by(names, ops, []), array("I", (place[t] for t in kept))


def _named_with(
    names: Names, targets: array, place: array, new: dict[str, int]
) -> tuple[Names, array]:
    """Names pointing at papers, renumbered, with the `new` ones (name: new position)."""
    renumbered = array("I", (place[t] for t in targets))
    ordered = sorted(new)
    ops = _ops(len(names), [], [names.bisect(name) for name in ordered])
    return _names_by(names, ops, ordered), _values_by(
        renumbered, 1, ops, [new[name] for name in ordered]
    )


def _first_line(old: BinaryIO, directory: Directory) -> bytes | None:
    """Line 1 of `old` if it is the file `directory` describes (size, end, generation)."""
    if os.fstat(old.fileno()).st_size != directory.size or not _ends_closed(old, directory):
        return None
    old.seek(0)
    first = old.readline(1 << 16)
    if not first.startswith(OPEN) or _generation(first[len(OPEN) : -2]) != directory.generation:
        return None
    return first


def _ends_closed(old: BinaryIO, directory: Directory) -> bool:
    old.seek(directory.size - len(CLOSE))
    return old.read(len(CLOSE)) == CLOSE


def _moved(
    directory: Directory, changes: list[tuple[int, int, bytes]], size: int, generation: str
) -> Directory:
    """`directory` with every line after a changed one moved by what the change added."""
    starts = [offset for offset, _, _ in changes]
    moves, total = [0], 0  # moves[b]: how far a line after b changed lines moves
    for _, length, line in changes:
        total += len(line) - length
        moves.append(total)
    offsets = directory.spans[0::2]
    lengths = directory.spans[1::2]
    for offset, _, line in changes:  # (a few; the head and cuts start no paper's line)
        with contextlib.suppress(ValueError):
            lengths[offsets.index(offset)] = len(line)
    if any(moves):  # one C-level pass over the offsets, no span decoded twice
        where = bisect.bisect_left
        offsets = array("Q", [o + moves[where(starts, o)] for o in offsets])
    spans = array("Q", bytes(8 * len(directory.spans)))
    spans[0::2], spans[1::2] = offsets, lengths
    return Directory(
        generation,
        directory.ids,
        spans,
        (directory.alias_names, directory.alias_targets),
        (directory.key_names, directory.key_targets),
        complete=directory.complete,
        size=size,
    )


def _generation(meta: bytes) -> str | None:
    try:
        found = orjson.loads(meta)["1"]["generation"]
    except (orjson.JSONDecodeError, TypeError, KeyError):
        return None
    return found if isinstance(found, str) else None
