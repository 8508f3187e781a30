"""Hostile strings every surface must show literally and harmlessly, and the check for it."""

from __future__ import annotations

HOSTILE = [
    "[bold]loud[/bold] [@click=app.quit]quit[/] [link=file:///etc/passwd]x[/link] [/]",
    "\x1b[2J\x1b[H cleared \x1b]52;c;ZXZpbA==\x07 clipboard \x1b]8;;http://evil\x1b\\link",
    "c1 \x9b31m red \x9d0;title\x9c \x85 next-line \x90dcs\x9c",
    "controls \x00 \x07 \x08 \x0b \x0c \x0d \x7f end",
    "zero\u200bwidth\u200d joiner \ufeff bom \u2060 word-joiner",
    "rtl \u202eevil.exe\u202c \u2067isolate\u2069 \u200f mark",
    "W" * 10_000,
]
# What must never reach a terminal raw: ESC and every C1 control (the bar), and
# the invisible direction and zero-width characters the sanitiser escapes too.
RAW_ESCAPES = {"\x1b", *map(chr, range(0x80, 0xA0))}
INVISIBLE = {
    "\u200b",
    "\u200d",
    "\u200f",
    "\u202c",
    "\u202e",
    "\u2060",
    "\u2067",
    "\u2069",
    "\ufeff",
}


def raw_escapes(text: str) -> list[str]:
    """The escape, C1 and invisible characters in `text` (as U+XXXX), each once."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if ch in RAW_ESCAPES or ch in INVISIBLE})
