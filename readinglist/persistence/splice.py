"""A change of a few papers' records written by splicing their lines into the corpus.

`papers.json` is written one record a line (lines.py) and the directory knows where
each line is, so changing one paper's fields (`edit ID`, the first `cite ID` fixing
a provisional key) need not read 100,000 records: the new file is line 1 (a new
generation token) and the changed lines, with the rest copied from the old file by
the kernel (`os.copy_file_range`), never parsed nor held in memory. What it writes is
byte for byte what a whole write of the same records gives, in the same order of
steps (the manifest names the new generation first, then the file is replaced
atomically), so every reader and cache sees an ordinary corpus write.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import tempfile
from array import array
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import orjson

from readinglist.persistence import storage
from readinglist.persistence.directory import Directory
from readinglist.persistence.lines import CLOSE, OPEN

Piece = bytes | tuple[int, int]  # new bytes, or (offset, length) of the old file
_BLOCK = 1 << 20


def meta_line(meta: dict) -> bytes:
    """Line 1 of a lined corpus holding `meta` (as `lines_of` writes it)."""
    return OPEN + orjson.dumps({"1": meta}) + b",\n"


def record_line(pid: str, record: dict) -> bytes:
    """The line of one record (as `lines_of` writes it, without the separator)."""
    return orjson.dumps(pid) + b":" + orjson.dumps(record)


def plan(
    old: BinaryIO, directory: Directory, head: bytes, lines: Mapping[str, bytes], generation: str
) -> tuple[list[Piece], Directory] | None:
    """The pieces of the corpus `old` with line 1 replaced by `head` (naming `generation`)
    and each paper's line by `lines`, and the directory of the result (None: `old` is
    not the file the directory describes)."""
    if os.fstat(old.fileno()).st_size != directory.size or not _ends_closed(old, directory):
        return None
    old.seek(0)
    first = old.readline(1 << 16)
    if not first.startswith(OPEN) or _generation(first[len(OPEN) : -2]) != directory.generation:
        return None
    changes: list[tuple[int, int, bytes]] = [(0, len(first), head)]
    for pid, line in lines.items():
        offset, length = directory.span(pid)
        name = orjson.dumps(pid) + b":"
        old.seek(offset)
        if not length or old.read(len(name)) != name:
            return None
        changes.append((offset, length, line))
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
    return pieces, _moved(directory, changes, size, generation)


def write(path: Path, old: BinaryIO, pieces: list[Piece]) -> None:
    """Write `pieces` as `path` through a synced temp file and an atomic replace (as
    `storage.atomic_write`, a symlink written through); the old file's ranges are
    copied from `old`."""
    if os.path.islink(path):
        path = Path(os.path.realpath(path))
    fd, temp = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=storage.TEMP_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                if isinstance(piece, bytes):
                    storage.write_bytes(handle, piece)
                else:
                    _copy(old.fileno(), handle.fileno(), *piece)
            storage.fsync(handle.fileno())
        storage.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    storage.fsync_folder(path.parent)


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


def _ends_closed(old: BinaryIO, directory: Directory) -> bool:
    old.seek(directory.size - len(CLOSE))
    return old.read(len(CLOSE)) == CLOSE


def _moved(
    directory: Directory, changes: list[tuple[int, int, bytes]], size: int, generation: str
) -> Directory:
    """`directory` with every line after a changed one moved by what the change added."""
    starts = [offset for offset, _, _ in changes]
    shifts, total = [], 0
    for _, length, line in changes:
        total += len(line) - length
        shifts.append(total)
    new_length = {offset: len(line) for offset, _, line in changes}
    spans = array("Q", directory.spans)
    for i in range(0, len(spans), 2):
        offset = spans[i]
        if offset in new_length:
            spans[i + 1] = new_length[offset]
        before = bisect.bisect_left(starts, offset)  # changed lines before this one
        if before:
            spans[i] = offset + shifts[before - 1]
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
