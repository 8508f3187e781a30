"""Make untrusted text safe to print: no terminal escapes, no invisible direction tricks."""

from __future__ import annotations

import re
from collections.abc import Iterator

import orjson

# C0 controls except tab and newline, DEL, C1 controls, the Arabic letter mark, bidi
# overrides/isolates/marks, zero-width characters, the BOM and lone surrogates (which
# cannot even be printed).
UNSAFE_CHARACTERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
_UNSAFE_LINE = re.compile(f"[\t\n{UNSAFE_CHARACTERS}]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"<U+{code:04X}>"


def _line_char(match: re.Match) -> str:
    return " " if match.group() in "\n\t\r" else _visible(match)


def counted(n: int, noun: str) -> str:
    """`1 paper`, `3 papers`."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def safe(text: str, one_line: bool = False) -> str:
    """The one sanitiser for every string from a file or a service on its way to a terminal.

    Escape and control characters, C1 controls, bidi and zero-width characters are shown
    visibly (`\\x1b`, `<U+202E>`): nothing in the result can act on a terminal or hide
    what it says. Newlines and tabs are kept, or become spaces with `one_line`.
    """
    text = text if type(text) is str else str(text)
    if text.isprintable():  # none of UNSAFE_CHARACTERS, no tab or newline: as it is
        return text
    if one_line:
        return _UNSAFE_LINE.sub(_line_char, text)
    return _UNSAFE.sub(_visible, text)


def safe_line(text: str) -> str:
    """`safe(text, one_line=True)`: for a line, a cell, a label or a one-line message."""
    return safe(text, one_line=True)


def clipped(text: str, limit: int) -> tuple[str, int]:
    """The first `limit` characters of `text` (cut at a line end when one is near), and
    how many characters were left out: the bounded part of a huge value to show."""
    if len(text) <= limit:
        return text, 0
    cut = text.rfind("\n", limit // 2, limit)
    cut = limit if cut == -1 else cut
    return text[:cut], len(text) - cut


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
    (b"\xd8", b"\x9c"),
    (b"\xe2\x80", bytes([*range(0x8B, 0x90), *range(0xA8, 0xAF)])),
    (b"\xe2\x81", bytes([*range(0xA0, 0xA5), *range(0xA6, 0xAA)])),
    (b"\xef\xbb\xbf", None),
)


def _unsafe_spans(raw: bytes) -> Iterator[tuple[int, int]]:
    """Where unsafe characters stand in UTF-8 `raw` (found with bytes.find: fast)."""
    for lead, finals in _UNSAFE_UTF8:
        if lead[:1] not in raw:  # one byte: found or not at memchr speed (most are absent)
            continue
        start = raw.find(lead)
        while start != -1:
            end = start + len(lead)
            if finals is None:
                yield start, end
            elif raw[end : end + 1] and raw[end] in finals:
                yield start, end + 1
            start = raw.find(lead, end)
