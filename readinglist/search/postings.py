"""Sets of paper positions as bit masks (Python ints), and token postings."""

from __future__ import annotations

import re
from array import array
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableMapping
from functools import partial
from itertools import repeat
from operator import setitem
from typing import Any

from readinglist.search.rows import Unavailable

MASK_MIN = 256  # a token in this many papers keeps a bit mask instead of an array
DENSE_SHARE = 32  # ... and in a bulk build, in at least 1/32 of them (a mask is smaller)
BYTE_WISE = 512  # longer lists of positions are set one byte a position, in C
_NONZERO = re.compile(rb"[^\x00]")
_BITS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]


def to_mask(positions: Iterable[int]) -> int:
    """The bit mask with the given positions set."""
    positions = positions if isinstance(positions, (array, list, set)) else list(positions)
    if not positions:
        return 0
    if len(positions) > BYTE_WISE:
        return _byte_wise(positions)
    buf = bytearray((max(positions) >> 3) + 1)
    for pos in positions:
        buf[pos >> 3] |= 1 << (pos & 7)
    return int.from_bytes(buf, "little")


def _byte_wise(positions: Collection[int]) -> int:
    """`to_mask` of many positions: a byte set per position (no Python loop), then
    every eighth byte from offset j gives bit j of the mask's bytes."""
    flags = bytearray(max(positions) + 8)
    deque(map(setitem, repeat(flags), positions, repeat(1)), maxlen=0)  # (faster than a bound
    # __setitem__: a builtin called with its arguments as they are, no tuple made for each)
    mask = 0
    for bit in range(8):
        mask |= int.from_bytes(flags[bit::8], "little") << bit
    return mask


def positions(mask: int) -> Iterator[int]:
    """The set positions of a mask, in increasing order."""
    data = mask.to_bytes((mask.bit_length() + 7) >> 3, "little")
    for match in _NONZERO.finditer(data):
        base = match.start() << 3
        for bit in _BITS[data[match.start()]]:
            yield base + bit


class Decoded(MutableMapping[Any, Any]):
    """key -> value, each decoded from its saved bytes (in `source`) when first asked for.

    A saved index holds thousands of arrays and masks; a query looks at a few.
    """

    def __init__(self, source: Mapping[Any, Any], decode: Callable[[Any], Any]) -> None:
        self._source = source
        self._decode = decode
        self._values: dict = {}  # decoded, or set since
        self._gone: set = set()  # removed since

    def __getitem__(self, key):
        if key in self._values:
            return self._values[key]
        if key in self._gone or key not in self._source:
            raise KeyError(key)
        value = self._values[key] = self._decode(self._source[key])
        return value

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def undecoded(self, key):
        """The value `key` came with, if it was never decoded nor set since (else None)."""
        if key in self._values or key in self._gone:
            return None
        return self._source.get(key)

    def __contains__(self, key) -> bool:
        return key in self._values or (key not in self._gone and key in self._source)

    def __setitem__(self, key, value) -> None:
        self._values[key] = value
        self._gone.discard(key)

    def __delitem__(self, key) -> None:
        if key not in self:
            raise KeyError(key)
        self._values.pop(key, None)
        self._gone.add(key)

    def __iter__(self):
        yield from self._values
        yield from (k for k in self._source if k not in self._values and k not in self._gone)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def saved_positions(papers: int) -> Callable[[bytes], array]:
    """A decoder of saved positions (u32) below `papers`; Unavailable for any other bytes."""

    def decode(raw: bytes) -> array:
        if len(raw) & 3:
            raise Unavailable("positions")
        found = array("I", raw)
        if found and max(found) >= papers:
            raise Unavailable("positions")
        return found

    return decode


def saved_mask(papers: int) -> Callable[[bytes], int]:
    """A decoder of a saved mask of `papers` positions; Unavailable for any other bytes."""
    size, spare = (papers + 7) >> 3, papers & 7

    def decode(raw: bytes) -> int:
        if len(raw) > size or (spare and len(raw) == size and raw[-1] >> spare):
            raise Unavailable("mask")
        return int.from_bytes(raw, "little")

    return decode


class Postings:
    """token -> papers: arrays of positions for rare tokens, masks for frequent ones."""

    def __init__(self) -> None:
        self.rare: MutableMapping[str, array] = {}
        self.masks: MutableMapping[str, int] = {}

    def __contains__(self, token: str) -> bool:
        return token in self.rare or token in self.masks

    def tokens(self) -> set[str]:
        """Every token with papers."""
        return self.rare.keys() | self.masks.keys()

    def add(self, token: str, pos: int) -> bool:
        """Record the token at `pos`; True if the token is new."""
        if token in self.masks:
            self.masks[token] |= 1 << pos
            return False
        arr = self.rare.get(token)
        if arr is None:
            self.rare[token] = array("I", (pos,))
            return True
        arr.append(pos)
        if len(arr) >= 4 * MASK_MIN:
            self.masks[token] = to_mask(self.rare.pop(token))
        return False

    @classmethod
    def build(cls, texts: Iterable[tuple[int, Collection[str]]], papers: int) -> Postings:
        """The postings of many texts at once: (position, distinct tokens), positions
        increasing, among `papers` positions. A token in at least MASK_MIN papers and
        1/DENSE_SHARE of them gets a mask, any other an array (whichever is smaller)."""
        found: defaultdict[str, array] = defaultdict(partial(array, "I"))
        held, append = found.__getitem__, array.append
        for pos, tokens in texts:  # in C: the array of each token, then its append
            deque(map(append, map(held, tokens), repeat(pos)), maxlen=0)
        postings = cls()
        dense = max(MASK_MIN, papers // DENSE_SHARE)
        rare, masks = postings.rare, postings.masks
        for token, at in found.items():
            if len(at) >= dense:
                masks[token] = to_mask(at)
            else:
                rare[token] = at
        return postings

    def mask(self, tokens: Iterable[str]) -> int:
        """Papers holding any of the tokens."""
        result, rare = 0, list[int]()
        for token in tokens:
            if token in self.masks:
                result |= self.masks[token]
            elif token in self.rare:
                rare.extend(self.rare[token])
        return result | to_mask(rare) if rare else result

    def dump(self) -> dict:
        """Plain values for saving: str keys, each array as it is (not copied: read it,
        never change it) and each mask as bytes."""
        return {
            "rare": dict(self.rare),
            "masks": {
                t: m.to_bytes((m.bit_length() + 7) >> 3, "little") for t, m in self.masks.items()
            },
        }

    @classmethod
    def load(cls, data: dict, lazy: int | None = None) -> Postings:
        """Rebuild from `dump()` output; `lazy` (the number of positions): each array and
        mask is decoded, and checked, when first used."""
        postings = cls()
        if lazy is not None:
            postings.rare = Decoded(data["rare"], saved_positions(lazy))
            postings.masks = Decoded(data["masks"], saved_mask(lazy))
            return postings
        for token, raw in data["rare"].items():
            arr = array("I")
            arr.frombytes(memoryview(raw).cast("B"))  # (saved bytes, or `dump`'s arrays)
            postings.rare[token] = arr
        postings.masks = {t: int.from_bytes(b, "little") for t, b in data["masks"].items()}
        return postings
