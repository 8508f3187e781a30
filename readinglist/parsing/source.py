"""Read an input file (or stdin) as text, with one-line errors that name it."""

from __future__ import annotations

import codecs
import os
import sys

from readinglist.errors import ParseError

# Deliberate fallback: text with a UTF-16 or UTF-32 byte-order mark is read too.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_SAMPLE = 8192
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 27}


def read_source(path: str) -> tuple[str, str]:
    """(text, source name) for a file path, or "-" for stdin."""
    if path == "-":
        return decode(_read_stdin(), "stdin"), "stdin"
    return decode(_read_file(path), path), os.path.basename(path) or path


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    try:
        return stream.read() if stream is not None else sys.stdin.read().encode()
    except (OSError, UnicodeError) as exc:
        raise ParseError("stdin", f"cannot read: {exc}") from None


def _read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise ParseError(path, "no such file") from None
    except IsADirectoryError:
        raise ParseError(path, "is a directory, not a file") from None
    except PermissionError:
        raise ParseError(path, "permission denied") from None
    except OSError as exc:
        raise ParseError(path, f"cannot read: {exc.strerror or exc}") from None
    except ValueError:  # a NUL byte in the name
        raise ParseError(path, "not a valid file name") from None


def decode(data: bytes, name: str) -> str:
    """The text of `data`: UTF-8 (BOM optional), or UTF-16/32 with a BOM."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and _looks_binary(data):
        raise ParseError(name, "binary file, not text")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        label = "UTF-8" if encoding in (None, "utf-8-sig") else encoding.upper()
        raise ParseError(name, f"not {label} text (bad byte at offset {exc.start})", line) from None
    if not text.strip(" \t\r\n\f\v\ufeff\0"):
        raise ParseError(name, "empty file")
    return text


def _looks_binary(data: bytes) -> bool:
    """NUL bytes anywhere, or many control bytes near the start."""
    if b"\0" in data:
        return True
    sample = data[:_BINARY_SAMPLE]
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls * 10 > len(sample)
