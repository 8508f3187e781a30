"""A cache file format whose reader cannot crash on any input: checksummed, framed records.

A file is MAGIC, then records, each a frame::

    kind (1 byte)   b"J" JSON (orjson), b"B" raw bytes, b"M" a dict of str -> bytes,
                    b"V" raw bytes read in place (`Viewed`)
    length (u32)    of the payload
    crc32 (u32)     of the payload, checked when the record is read
    payload

An `M` payload is the keys as a JSON list, their byte lengths as an `array("I")`, and
the values one after another: a posting list of 100,000 tokens costs one JSON parse,
not 100,000. Nothing here runs code or builds objects other than str, int, float,
bool, None, list, dict and bytes, so any damage (a flipped byte, a cut, a crafted
record) ends in `RecordError`, never in a crash: the caller rebuilds from the corpus.
"""

from __future__ import annotations

import os
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import accumulate
from typing import BinaryIO

import orjson

MAGIC = b"RLREC\x01\r\n"
_FRAME = struct.Struct("<cII")
_COUNT = struct.Struct("<I")
RUN = 1 << 16  # bytes: smaller pieces of a payload are written joined (`_runs`)
Bytes = bytes | bytearray | memoryview | array  # (what a file can be written from)


class RecordError(ValueError):
    """A cache file is damaged, cut short, or not of this format."""


def pack(values: list) -> bytes:
    """The file holding `values`, one record each."""
    return b"".join(frames(values))


def frames(values: Iterable) -> Iterator[Bytes]:
    """The bytes of `pack(values)`: each record's frame, then its payload in pieces (a
    file written as they come): a record's bytes, bytearray or `Viewed` pieces and the
    values of an `M` record are not copied, but for small pieces joined in runs (`_runs`)."""
    yield MAGIC
    for value in values:
        kind, pieces = _payload(value)
        sizes = [memoryview(piece).nbytes for piece in pieces]
        crc = 0
        for piece in pieces:
            crc = zlib.crc32(piece, crc)
        yield _FRAME.pack(kind, sum(sizes), crc)
        yield from _runs(pieces, sizes)


def _runs(pieces: list[Bytes], sizes: list[int]) -> Iterator[Bytes]:
    """The pieces (of these byte sizes), those under RUN bytes joined into runs of about
    RUN bytes: a file write each, not one per posting array. A piece that is large or
    alone is as it is."""
    run: list[Bytes] = []
    size = 0
    for piece, length in zip(pieces, sizes, strict=True):
        if length >= RUN:
            if run:
                yield b"".join(run)
                run, size = [], 0
            yield piece
            continue
        run.append(piece)
        size += length
        if size >= RUN:
            yield b"".join(run)
            run, size = [], 0
    if run:
        yield run[0] if len(run) == 1 else b"".join(run)


class Viewed:
    """Bytes saved as a `V` record: read lazily, a view of the file's bytes, not a copy
    (for a large blob a reader slices a few pieces of). Marks the bytes, copies none:
    given in pieces (bytes-like: arrays too), the record holds them one after another."""

    __slots__ = ("pieces",)

    def __init__(self, *pieces: Bytes) -> None:
        self.pieces = pieces


def _payload(value) -> tuple[bytes, list[Bytes]]:
    """A record's kind and its payload, in pieces written one after another."""
    if isinstance(value, Viewed):
        return b"V", list(value.pieces)
    if isinstance(value, (bytes, bytearray)):
        return b"B", [value]
    if isinstance(value, memoryview):
        return b"B", [bytes(value)]  # (of any shape: its bytes)
    if isinstance(value, dict) and value and all(type(v) is bytes for v in value.values()):
        return b"M", _map_pieces(value)
    return b"J", [orjson.dumps(value)]


def _map_pieces(value: dict[str, bytes]) -> list[Bytes]:
    keys = orjson.dumps(list(value))
    lengths = array("I", map(len, value.values()))
    if sys.byteorder != "little":
        lengths.byteswap()
    return [_COUNT.pack(len(keys)), keys, lengths.tobytes(), *value.values()]


def unpack(blob: bytes, lazy: bool = False) -> Iterator:
    """The records of a file made by `pack`, each checked as it is read (lazily).

    `lazy`: an `M` record is a `SlicedMap`, whose values are cut from the record when
    asked for (a map of 100,000 keys costs one dict of indexes, not 100,000 bytes), and
    a `V` record a memoryview of `blob` (not a copy).
    """
    view = memoryview(blob)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise RecordError("not a readinglist cache file")
    at = len(MAGIC)
    while at < len(view):
        if at + _FRAME.size > len(view):
            raise RecordError("cut short")
        kind, size, crc = _FRAME.unpack_from(view, at)
        at += _FRAME.size
        payload = view[at : at + size]
        if len(payload) != size:
            raise RecordError("cut short")
        if zlib.crc32(payload) != crc:
            raise RecordError("checksum mismatch")
        at += size
        yield _decode(kind, payload, lazy)


def unpack_chosen(handle: BinaryIO, chosen: Callable[[int], bool]) -> Iterator:
    """`unpack` of a file open for reading, but a record that `chosen(i)` (its number,
    the first is 0) refuses is passed over unread and unchecked: None in its place.

    What a reader needs of a large file (a listing: the rows of a saved index, not its
    postings) costs what it reads.
    """
    size_of_file = os.fstat(handle.fileno()).st_size
    if handle.read(len(MAGIC)) != MAGIC:
        raise RecordError("not a readinglist cache file")
    at, number = len(MAGIC), 0
    while at < size_of_file:
        frame = handle.read(_FRAME.size)
        if len(frame) != _FRAME.size:
            raise RecordError("cut short")
        kind, size, crc = _FRAME.unpack(frame)
        at += _FRAME.size + size
        if at > size_of_file:
            raise RecordError("cut short")
        if not chosen(number):
            handle.seek(at)
            yield None
        else:
            payload = handle.read(size)
            if len(payload) != size:
                raise RecordError("cut short")
            if zlib.crc32(payload) != crc:
                raise RecordError("checksum mismatch")
            yield _decode(kind, memoryview(payload))
        number += 1


def _decode(kind: bytes, payload: memoryview, lazy: bool = False):
    try:
        if kind == b"J":
            return orjson.loads(payload)
        if kind == b"B":
            return bytes(payload)
        if kind == b"V":
            return payload if lazy else bytes(payload)
        if kind == b"M":
            return _sliced_map(payload) if lazy else _unpack_map(payload)
    except (orjson.JSONDecodeError, struct.error, ValueError, TypeError) as exc:
        raise RecordError(f"damaged record ({exc})") from None
    raise RecordError("unknown record kind")


class SlicedMap(Mapping[str, bytes]):
    """An `M` record's keys, each value cut from the record's payload when asked for;
    `extend` adds the keys of a further chunk of the same map."""

    def __init__(self, keys: list[str], lengths: array, data: memoryview) -> None:
        self._at = dict(zip(keys, range(len(keys)), strict=True))
        self._chunks = [(self._at, array("Q", accumulate(lengths, initial=0)), data)]

    def extend(self, other: SlicedMap) -> None:
        self._chunks += other._chunks

    def __getitem__(self, key: str) -> bytes:
        for at, starts, data in self._chunks:
            i = at.get(key)
            if i is not None:
                return bytes(data[starts[i] : starts[i + 1]])
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return any(key in at for at, _, _ in self._chunks)

    def __iter__(self) -> Iterator[str]:
        for at, _, _ in self._chunks:
            yield from at

    def __len__(self) -> int:
        return sum(len(at) for at, _, _ in self._chunks)


def _sliced_map(payload: memoryview) -> SlicedMap:
    keys, lengths, at = _map_parts(payload)
    return SlicedMap(keys, lengths, payload[at:])


def _map_parts(payload: memoryview) -> tuple[list[str], array, int]:
    """An `M` payload's keys, their values' lengths, and where the values start."""
    (size,) = _COUNT.unpack_from(payload, 0)
    at = _COUNT.size + size
    keys = orjson.loads(payload[_COUNT.size : at])
    if not isinstance(keys, list) or not set(map(type, keys)) <= {str}:
        raise RecordError("damaged keys")
    lengths = array("I")
    lengths.frombytes(payload[at : at + lengths.itemsize * len(keys)])
    if len(lengths) != len(keys):
        raise RecordError("cut short")
    if sys.byteorder != "little":
        lengths.byteswap()
    at += lengths.itemsize * len(keys)
    if at + sum(lengths) != len(payload):
        raise RecordError("lengths do not add up")
    return keys, lengths, at


def _unpack_map(payload: memoryview) -> dict[str, bytes]:
    keys, lengths, at = _map_parts(payload)
    data = bytes(payload[at:])
    out, start = {}, 0
    for key, length in zip(keys, lengths, strict=True):
        out[key] = data[start : start + length]
        start += length
    return out
