"""Postings built in bulk hold what papers added one by one hold, as masks where a mask
is smaller (a token in at least MASK_MIN papers and 1/DENSE_SHARE of them), arrays
elsewhere; masks made from many positions equal masks made bit by bit."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.search import postings
from readinglist.search.postings import DENSE_SHARE, MASK_MIN, Postings, positions, to_mask
from readinglist.search.tokens import tokens


def _bit_by_bit(found) -> int:
    mask = 0
    for pos in found:
        mask |= 1 << pos
    return mask


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 5000), max_size=1500))
def test_a_mask_of_any_positions_has_exactly_those_bits(found):
    ordered = sorted(found)
    assert to_mask(ordered) == _bit_by_bit(ordered)
    assert list(positions(to_mask(ordered))) == ordered


def test_many_positions_take_the_byte_wise_way_and_agree():
    rng = random.Random(5)
    for size in (postings.BYTE_WISE + 1, 3000, 40000):
        found = sorted(rng.sample(range(100_000), size))
        assert to_mask(found) == _bit_by_bit(found)
        assert to_mask(set(found)) == _bit_by_bit(found)


def _texts(count: int, rng: random.Random) -> list[set[str]]:
    common = [f"w{i}" for i in range(40)]
    return [
        {rng.choice(common) for _ in range(rng.randint(0, 12))} | {f"rare{rng.randint(0, 900)}"}
        for _ in range(count)
    ]


def test_a_bulk_build_holds_what_one_by_one_adds_hold():
    rng = random.Random(11)
    texts = _texts(20_000, rng)
    built = Postings.build(enumerate(texts), len(texts))
    added = Postings()
    for pos, found in enumerate(texts):
        for token in found:
            added.add(token, pos)
    assert built.tokens() == added.tokens()
    for token in added.tokens():
        assert built.mask([token]) == added.mask([token]), token
    dense = max(MASK_MIN, len(texts) // DENSE_SHARE)
    for token in built.tokens():
        count = built.mask([token]).bit_count()
        assert (token in built.masks) == (count >= dense), token
        if token in built.rare:
            assert list(built.rare[token]) == sorted(built.rare[token])


def test_ascii_tokens_are_folded_as_before():
    assert tokens("Deep-Learning_for GANs (v2.0), 3D!") == [
        "deep",
        "learning",
        "for",
        "gans",
        "v2",
        "0",
        "3d",
    ]
    assert tokens("Café au lait") == ["cafe", "au", "lait"]
