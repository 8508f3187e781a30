"""Read an input file (or stdin) as text, with one-line errors that name it."""

from __future__ import annotations

import codecs
import os
import re
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


# What a file may say about its own encoding near its start: JabRef ("% Encoding: X",
# "@comment{jabref-meta: encoding:X;}"), TeX editors ("% !TeX encoding = X"), Emacs
# ("-*- coding: X -*-").
_DECLARED = re.compile(
    rb"(?:%\s*encoding\s*:|jabref-meta:\s*encoding\s*:|!tex\s+encoding\s*=|coding\s*:)"
    rb"\s*([A-Za-z0-9_.:-]+)",
    re.IGNORECASE,
)
_DECLARATION_SPAN = 4096
_EMACS_EOL = re.compile(r"-(?:unix|dos|mac)$")
_SOMETHING = re.compile("[^ \t\r\n\f\v\ufeff\0]")  # not blank: not only these


def read_source(
    path: str, *, encoding: str | None = None, notes: list[ParseError] | None = None
) -> tuple[str, str]:
    """(text, source name) for a file path, or "-" for stdin.

    `encoding` overrides the detection; how a non-UTF-8 file was read is added to `notes`.
    """
    if path == "-":
        return decode(_read_stdin(), "stdin", encoding=encoding, notes=notes), "stdin"
    name = os.path.basename(path) or path
    return decode(_read_file(path), path, encoding=encoding, notes=notes, label=name), name


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


def decode(
    data: bytes,
    name: str,
    *,
    encoding: str | None = None,
    notes: list[ParseError] | None = None,
    label: str | None = None,
) -> str:
    """The text of `data`: UTF-8 (BOM optional), or UTF-16/32 with a BOM; else the
    encoding the file declares, else charset-normalizer's guess (said in `notes`).
    `encoding` (say from `--encoding`) is used instead when given."""
    if encoding is not None:
        return _decode_as(data, name, _codec(encoding) or _unknown_encoding(name, encoding))
    found = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if found is None and _looks_binary(data):
        raise ParseError(name, "binary file, not text")
    try:
        text = data.decode(found or "utf-8")
    except UnicodeDecodeError as exc:
        if found not in (None, "utf-8-sig"):
            raise _not_text(data, exc, name, found.upper()) from None
        text = _fallback(data, exc, name, notes, label or name)
    return _not_empty(text, name)


def _fallback(
    data: bytes, exc: UnicodeDecodeError, name: str, notes: list | None, label: str
) -> str:
    """Not UTF-8: the declared encoding, else a guess; raises if neither reads it."""
    declared = _declared(data)
    if declared is not None:
        with_declared = _try(data, declared)
        if with_declared is not None:
            _note(notes, label, f"not UTF-8; read as {declared} (declared in the file)")
            return with_declared
    guess = _guess(data)
    if guess is None:
        raise _not_text(data, exc, name, "UTF-8")
    _note(notes, label, f"not UTF-8; read as {guess} (guessed)")
    return data.decode(guess)


def _declared(data: bytes) -> str | None:
    match = _DECLARED.search(data[:_DECLARATION_SPAN])
    if match is None:
        return None
    return _codec(_EMACS_EOL.sub("", match[1].decode("ascii", "replace")))


def _codec(encoding: str) -> str | None:
    """Python's name for `encoding` ("latin-9" is latin9), or None."""
    for candidate in (encoding, encoding.replace("-", ""), encoding.replace("-", "_")):
        try:
            return codecs.lookup(candidate).name
        except LookupError:
            continue
    return None


def _unknown_encoding(name: str, encoding: str) -> str:
    raise ParseError(name, f"unknown encoding {encoding!r}")


def _guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(data).best()
    return None if best is None else _codec(best.encoding)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    try:
        return _not_empty(data.decode(encoding), name)
    except UnicodeDecodeError as exc:
        raise _not_text(data, exc, name, encoding) from None


def _not_text(data: bytes, exc: UnicodeDecodeError, name: str, label: str) -> ParseError:
    line = data.count(b"\n", 0, exc.start) + 1
    return ParseError(name, f"not {label} text (bad byte at offset {exc.start})", line)


def _not_empty(text: str, name: str) -> str:
    if _SOMETHING.search(text) is None:  # (stops at the first character: no copy made)
        raise ParseError(name, "empty file")
    return text


def _note(notes: list[ParseError] | None, label: str, message: str) -> None:
    if notes is not None:
        notes.append(ParseError(label, message))


def _looks_binary(data: bytes) -> bool:
    """NUL bytes anywhere, or many control bytes near the start."""
    if b"\0" in data:
        return True
    sample = data[:_BINARY_SAMPLE]
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls * 10 > len(sample)
