"""`M` records read lazily (SlicedMap): the same keys and values as read whole."""

from __future__ import annotations

import pytest

from readinglist.persistence import records


def test_a_sliced_map_holds_what_the_whole_map_holds():
    value = {f"k{i}": bytes([i % 256]) * (i % 7) for i in range(300)}
    blob = records.pack([value, {"x": b"1"}])
    whole, _ = records.unpack(blob)
    sliced, small = records.unpack(blob, lazy_maps=True)
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
        list(records.unpack(blob[:-cut], lazy_maps=True))
