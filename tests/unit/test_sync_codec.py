"""How sync writes library files: as the library does, one record a line, and without
the machine's own generation token in what is committed."""

from __future__ import annotations

import orjson
import pytest

from readinglist.persistence.lines import lines_of
from readinglist.sync import codec
from readinglist.sync.codec import CORPUS, STATE, committed, decode, encode, merge_bytes

AWKWARD = 'é 漢 😀 "quoted" back\\slash\ttab\nnewline \x00\x1f \u2028 \x7f'


def records(n: int, start: int = 0) -> dict[str, dict]:
    return {
        f"{(start + i) * 7919:016x}": {
            "title": f"{AWKWARD} {start + i}",
            "year": 2000 + i,
            "authors": ["Ada Lovelace", "Émile Borel"],
            "key_fixed": False,
            "note": None,
            "stamps": {"*": ["2026-01-01T10:00:00.000000+00:00", "aa", "user"]},
        }
        for i in range(n)
    }


def as_the_library_writes(meta: dict, docs: dict, kind: str) -> bytes:
    table = codec.TABLES[kind]
    return lines_of({"_meta": {"1": meta}, table: docs}, table, by_id=kind == STATE)[0]


@pytest.mark.parametrize("kind", [CORPUS, STATE])
@pytest.mark.parametrize("n", [0, 1, 5, 300])  # 300: over BIG_FILE's record count
def test_encode_writes_what_the_library_writes_byte_for_byte(kind, n):
    docs = dict(reversed(records(n).items()))  # not in id order
    written = encode({"schema": 3, "generation": "f00d"}, docs, kind)
    assert written == as_the_library_writes({"schema": 3}, docs, kind)
    assert decode(written, kind) == ({"schema": 3}, docs)


def test_a_corpus_keeps_its_order_and_a_shard_is_in_id_order():
    docs = dict(reversed(records(4).items()))
    lines = encode({"schema": 3}, docs, CORPUS).splitlines()
    assert lines[0] == b'{"_meta":{"1":{"schema":3}},' and lines[1] == b'"papers":{'
    assert [orjson.loads(b"{" + line.rstrip(b",") + b"}").popitem()[0] for line in lines[2:-1]] == [
        *docs
    ]
    shard = encode({"schema": 3}, docs, STATE).splitlines()
    ids = [orjson.loads(b"{" + line.rstrip(b",") + b"}").popitem()[0] for line in shard[2:-1]]
    assert ids == sorted(docs)


def test_committed_drops_the_generation_token_and_changes_only_the_first_line():
    docs = records(3)
    raw = as_the_library_writes({"schema": 3, "generation": "9f" * 16}, docs, CORPUS)
    out = committed(raw, CORPUS)
    assert out.splitlines()[0] == b'{"_meta":{"1":{"schema":3}},'
    assert out.splitlines()[1:] == raw.splitlines()[1:]
    assert committed(out, CORPUS) == out


def test_committed_writes_a_file_of_an_earlier_release_one_record_a_line():
    docs = records(3)
    one_line = orjson.dumps({"papers": docs, "_meta": {"1": {"schema": 3, "generation": "x"}}})
    assert committed(one_line, CORPUS) == as_the_library_writes({"schema": 3}, docs, CORPUS)
    assert committed(b"", CORPUS) == b""


def test_two_sides_with_their_own_generation_tokens_merge_to_one_first_line():
    base = as_the_library_writes({"schema": 3}, records(6), CORPUS)
    ours_docs, theirs_docs = records(6), records(6)
    first, last = list(ours_docs)[0], list(ours_docs)[-1]
    ours_docs[first] = {**ours_docs[first], "title": "changed here"}
    theirs_docs[last] = {**theirs_docs[last], "title": "changed there"}
    ours = as_the_library_writes({"schema": 3, "generation": "aa" * 16}, ours_docs, CORPUS)
    theirs = as_the_library_writes({"schema": 3, "generation": "bb" * 16}, theirs_docs, CORPUS)
    merged, _ = merge_bytes(base, ours, theirs, CORPUS)
    other_way, _ = merge_bytes(base, theirs, ours, CORPUS)
    assert merged.splitlines()[0] == b'{"_meta":{"1":{"schema":3}},'
    assert merged.splitlines()[0] == other_way.splitlines()[0]
    changed = [a != b for a, b in zip(base.splitlines(), merged.splitlines(), strict=True)]
    assert sum(changed) == 2, "one line for each paper changed, nothing else"
    _, docs = decode(merged, CORPUS)
    assert docs[first]["title"] == "changed here" and docs[last]["title"] == "changed there"


def test_a_damaged_schema_still_merges():
    ours = encode({"schema": "three"}, {}, STATE)
    theirs = encode({"schema": 3}, {}, STATE)
    merged, _ = merge_bytes(None, ours, theirs, STATE)
    assert decode(merged, STATE)[0] == {"schema": 3}
