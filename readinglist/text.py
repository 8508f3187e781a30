"""Make untrusted text safe to print: no terminal escapes, no invisible direction tricks."""

from __future__ import annotations

import re
from collections.abc import Iterator

import orjson

# C0 controls except tab and newline, DEL, C1 controls, bidi overrides/isolates,
# zero-width characters and the BOM.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_UNSAFE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"<U+{code:04X}>"


def counted(n: int, noun: str) -> str:
    """`1 paper`, `3 papers`."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def safe(text: str) -> str:
    """`text` with escape and control characters shown visibly (newlines and tabs kept)."""
    return _UNSAFE.sub(_visible, text)


def safe_line(text: str) -> str:
    """`text` on one line: controls shown visibly, newlines and tabs as spaces."""
    return _UNSAFE_LINE.sub(_line_char, text)


def _line_char(match: re.Match) -> str:
    return " " if match.group() in "\n\t\r" else _visible(match)


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` characters, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def json_bytes(data) -> bytes:
    """Indented UTF-8 JSON in which no character can act on a terminal.

    orjson escapes C0 controls; DEL, C1 controls and invisible direction or
    zero-width characters are escaped here too (`\\u009b`): still the same JSON value.
    """
    raw = orjson.dumps(data, option=orjson.OPT_INDENT_2)
    if raw.isascii() and b"\x7f" not in raw:
        return raw
    spans = sorted(_unsafe_spans(raw))
    if not spans:
        return raw
    pieces, done = [], 0
    for start, end in spans:
        pieces += [raw[done:start], b"\\u%04x" % ord(raw[start:end].decode("utf-8"))]
        done = end
    return b"".join([*pieces, raw[done:]])


# The characters of _UNSAFE that orjson leaves raw, as UTF-8 (it escapes C0 controls):
# a leading byte sequence and the final bytes that make it unsafe (None: any).
_UNSAFE_UTF8 = (
    (b"\x7f", None),
    (b"\xc2", bytes(range(0x80, 0xA0))),
    (b"\xe2\x80", bytes([*range(0x8B, 0x90), *range(0xA8, 0xAF)])),
    (b"\xe2\x81", bytes([*range(0xA0, 0xA5), *range(0xA6, 0xAA)])),
    (b"\xef\xbb\xbf", None),
)


def _unsafe_spans(raw: bytes) -> Iterator[tuple[int, int]]:
    """Where unsafe characters stand in UTF-8 `raw` (found with bytes.find: fast)."""
    for lead, finals in _UNSAFE_UTF8:
        start = raw.find(lead)
        while start != -1:
            end = start + len(lead)
            if finals is None:
                yield start, end
            elif raw[end : end + 1] and raw[end] in finals:
                yield start, end + 1
            start = raw.find(lead, end)
