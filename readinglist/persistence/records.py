"""A cache file format whose reader cannot crash on any input: checksummed, framed records.

A file is MAGIC, then records, each a frame::

    kind (1 byte)   b"J" JSON (orjson), b"B" raw bytes, b"M" a dict of str -> bytes
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

import struct
import sys
import zlib
from array import array
from collections.abc import Iterator

import orjson

MAGIC = b"RLREC\x01\r\n"
_FRAME = struct.Struct("<cII")
_COUNT = struct.Struct("<I")


class RecordError(ValueError):
    """A cache file is damaged, cut short, or not of this format."""


def pack(values: list) -> bytes:
    """The file holding `values`, one record each."""
    return MAGIC + b"".join(_frame(value) for value in values)


def _frame(value) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        kind, payload = b"B", bytes(value)
    elif isinstance(value, dict) and value and all(type(v) is bytes for v in value.values()):
        kind, payload = b"M", _pack_map(value)
    else:
        kind, payload = b"J", orjson.dumps(value)
    return _FRAME.pack(kind, len(payload), zlib.crc32(payload)) + payload


def _pack_map(value: dict[str, bytes]) -> bytes:
    keys = orjson.dumps(list(value))
    lengths = array("I", map(len, value.values()))
    if sys.byteorder != "little":
        lengths.byteswap()
    return _COUNT.pack(len(keys)) + keys + lengths.tobytes() + b"".join(value.values())


def unpack(blob: bytes) -> Iterator:
    """The records of a file made by `pack`, each checked as it is read (lazily)."""
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
        yield _decode(kind, payload)


def _decode(kind: bytes, payload: memoryview):
    try:
        if kind == b"J":
            return orjson.loads(payload)
        if kind == b"B":
            return bytes(payload)
        if kind == b"M":
            return _unpack_map(payload)
    except (orjson.JSONDecodeError, struct.error, ValueError, TypeError) as exc:
        raise RecordError(f"damaged record ({exc})") from None
    raise RecordError("unknown record kind")


def _unpack_map(payload: memoryview) -> dict[str, bytes]:
    (size,) = _COUNT.unpack_from(payload, 0)
    at = _COUNT.size + size
    keys = orjson.loads(payload[_COUNT.size : at])
    if not isinstance(keys, list) or not all(type(k) is str for k in keys):
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
    data = bytes(payload[at:])
    out, start = {}, 0
    for key, length in zip(keys, lengths, strict=True):
        out[key] = data[start : start + length]
        start += length
    return out
