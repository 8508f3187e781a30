"""`M` records read lazily (SlicedMap): the same keys and values as read whole."""

from __future__ import annotations

from array import array

import pytest

from readinglist.persistence import records


def test_a_sliced_map_holds_what_the_whole_map_holds():
    value = {f"k{i}": bytes([i % 256]) * (i % 7) for i in range(300)}
    blob = records.pack([value, {"x": b"1"}])
    whole, _ = records.unpack(blob)
    sliced, small = records.unpack(blob, lazy=True)
    assert isinstance(sliced, records.SlicedMap)
    assert dict(sliced.items()) == whole == value
    assert "k5" in sliced and "nope" not in sliced and len(sliced) == 300
    sliced.extend(small)
    assert sliced["x"] == b"1" and len(sliced) == 301 and list(sliced)[-1] == "x"
    with pytest.raises(KeyError):
        sliced["nope"]


@pytest.mark.parametrize("cut", [1, 9, 20])
def test_a_damaged_sliced_map_is_refused_like_a_whole_one(cut):
    blob = records.pack([{"a": b"xy", "b": b"z"}])
    with pytest.raises(records.RecordError):
        list(records.unpack(blob[:-cut], lazy=True))


def test_a_viewed_blob_is_read_in_place_when_lazy_and_as_bytes_otherwise():
    blob = records.pack([records.Viewed(b"abc\x00def"), b"plain"])
    viewed, plain = records.unpack(blob, lazy=True)
    assert isinstance(viewed, memoryview) and bytes(viewed) == b"abc\x00def"
    assert type(plain) is bytes and plain == b"plain"
    assert [type(v) for v in records.unpack(blob)] == [bytes, bytes]
    assert list(records.unpack(blob)) == [b"abc\x00def", b"plain"]
    with pytest.raises(records.RecordError):
        list(records.unpack(blob[:12] + b"\xff" + blob[13:], lazy=True))


def test_a_blob_is_written_as_it_is_not_copied_and_reads_back_the_same():
    rows, raw = bytearray(b"[1,2]" * 1000), b"\x00\x01" * 500
    pieces = list(records.frames([records.Viewed(rows), raw, memoryview(b"abcd")[1:3]]))
    assert any(piece is rows for piece in pieces) and any(piece is raw for piece in pieces)
    blob = b"".join(pieces)
    assert blob == records.pack([records.Viewed(bytes(rows)), raw, b"bc"])
    assert list(records.unpack(blob)) == [bytes(rows), raw, b"bc"]


def test_a_record_given_in_pieces_is_their_bytes_written_in_few_writes():
    """Arrays and bytes one after another, as a saved index's postings are: the same file
    as their join, large pieces written as they are, small ones joined in runs."""
    small = [array("I", range(n, n + 5)) for n in range(3000)] + [b"\x01\x02\x03\x04"] * 10
    large = array("I", range(40_000))  # over RUN bytes
    given = [*small[:1500], large, *small[1500:]]
    joined = b"".join(memoryview(piece).cast("B") for piece in given)
    pieces = list(records.frames([records.Viewed(*given), {"k": b"v" * 70_000, "j": b"w"}]))
    assert b"".join(pieces) == records.pack(
        [records.Viewed(joined), {"k": b"v" * 70_000, "j": b"w"}]
    )
    assert any(piece is large for piece in pieces)
    assert len(pieces) < 2 + 2 * (len(joined) // records.RUN + 3)  # not one per array
    viewed, mapped = records.unpack(b"".join(pieces))
    assert viewed == joined and mapped == {"k": b"v" * 70_000, "j": b"w"}
