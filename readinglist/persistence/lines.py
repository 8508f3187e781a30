"""Library files written one record a line, in id order, `_meta` first.

The corpus and every state shard are written this way; each is still one JSON
document (TinyDB's), so any release reads it, and a change of one paper changes
one line of one file (so the library diffs and merges line by line). The corpus
keeps the order papers were added in; state shards are in id order::

    {"_meta":{"1":{"schema":3,"generation":"9f2c..."}},
    "papers":{
    "0a1b2c3d4e5f6a7b":{"title":...},
    "0a1b2c3d4e5f6a7c":{"title":...}
    }}

A record changed in place (persistence/splice.py) may end in spaces, up to the
length of the line it replaced: JSON whitespace, so the file holds the same records
(`unpadded` gives the bytes a whole write of them gives).
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

META_TABLE = "_meta"
OPEN = b'{"' + META_TABLE.encode() + b'":'
CLOSE = b"\n}}\n"


CHUNK_LINES = 1000  # records joined into one piece of a file written in pieces


def lines_of(
    data: dict, table: str, by_id: bool = False
) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """`data` (TinyDB's tables) as one-record-a-line bytes, and each record's span.

    `_meta` comes first, then any other table whole on one line, then `table` one
    record a line: in the table's own order (the order papers were added, which a
    sort keeps for papers added together), or `by_id`. Either order is stable: a
    changed record keeps its line's place. Records keep their own field order (a
    BibTeX entry's other fields stay in file order). A span is (offset, length) of
    `"id":{...}`.
    """
    spans: dict[str, tuple[int, int]] = {}
    return b"".join(line_pieces(data, table, spans, by_id)), spans


def line_pieces(
    data: dict, table: str, spans: dict[str, tuple[int, int]], by_id: bool = False
) -> Iterator[bytes]:
    """The bytes of `lines_of` in pieces of CHUNK_LINES records (`spans` filled as they
    come), so a file of 100,000 records is written without being whole in memory."""
    parts = [OPEN, orjson.dumps(data.get(META_TABLE, {})), b",\n"]
    for name, docs in data.items():
        if name not in (META_TABLE, table):
            parts += [orjson.dumps(name), b":", orjson.dumps(docs), b",\n"]
    parts += [orjson.dumps(table), b":{\n"]
    at = sum(map(len, parts))
    docs = data.get(table, {})
    for i, pid in enumerate(sorted(docs) if by_id else docs):
        line = orjson.dumps(pid) + b":" + orjson.dumps(docs[pid])
        if i:
            parts.append(b",\n")
            at += 2
        parts.append(line)
        spans[pid] = (at, len(line))
        at += len(line)
        if len(parts) >= 2 * CHUNK_LINES:
            yield b"".join(parts)
            parts = []
    parts.append(CLOSE)
    yield b"".join(parts)


def is_lined(raw: bytes) -> bool:
    """Whether a library file is written one record a line (`lines_of`)."""
    return raw.startswith(OPEN)


def spans_in(raw: bytes, table: str) -> dict[str, tuple[int, int]] | None:
    """The span of each record of a file `lines_of` wrote (None if it is not such a file)."""
    if not is_lined(raw):
        return None
    head = orjson.dumps(table) + b":{\n"
    start = raw.find(b"\n" + head)
    if start < 0:
        return None
    at = start + 1 + len(head)
    spans: dict[str, tuple[int, int]] = {}
    end = len(raw) - len(CLOSE)
    while at < end:
        stop = raw.find(b"\n", at)
        stop = end if stop < 0 or stop > end else stop
        line_end = stop - 1 if raw[stop - 1 : stop] == b"," else stop
        colon = raw.find(b'":', at, line_end)
        if raw[at : at + 1] != b'"' or colon < 0:
            return None
        spans[raw[at + 1 : colon].decode("utf-8", "replace")] = (at, line_end - at)
        at = stop + 1
    return spans


def unpadded(raw: bytes) -> bytes:
    """A lined file without the spaces a change in place left after a shorter record:
    the bytes `lines_of` writes for the same records (each line ends in a record's
    closing brace; a real newline is never inside a JSON string)."""
    if not is_lined(raw) or (b" ,\n" not in raw and not raw.endswith(b" " + CLOSE)):
        return raw
    parts, at = [], 0
    while (found := raw.find(b" ,\n", at)) >= 0:
        start = found
        while start > at and raw[start - 1] == 0x20:  # (a few lines: no copy of the rest)
            start -= 1
        parts.append(raw[at:start])
        at = found + 1
    tail = raw[at:]
    if tail.endswith(b" " + CLOSE):
        tail = tail[: -len(CLOSE)].rstrip(b" ") + CLOSE
    return b"".join([*parts, tail])
