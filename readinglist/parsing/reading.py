"""Reading a text or a file in a named format, or in the one it looks like (`auto`)."""

from __future__ import annotations

import datetime as dt

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing.common import Parsed
from readinglist.parsing.detection import detect, looks_like
from readinglist.parsing.formats import BY_NAME, FORMAT_TABLE, FORMATS
from readinglist.parsing.source import read_source

_LOOKS = {
    **{f.name: f.label for f in FORMAT_TABLE},
    "json": "JSON",
    "markup": "XML or HTML",
}


def read(
    text: str,
    fmt: str = "auto",
    *,
    source: str,
    today: dt.date | None = None,
    year: int | None = None,
    strict: bool = False,
    macros: dict[str, str] | None = None,
) -> Parsed:
    """The papers in `text` and notes on what was skipped; ParseError if it is unusable.

    `today` and `year` resolve dates without a year ("Mar 14"). A named format
    refuses a text that clearly is another one. BibTeX skips a bad entry and
    notes it, unless `strict`, when the first bad entry refuses the text. The
    error of a text with no papers carries the notes made before it (`notes`).
    `macros` are BibTeX @strings defined by the other files of the same command.
    """
    if fmt == "auto":
        fmt = detect(text, source)
        if fmt not in BY_NAME:
            raise ParseError(source, f"looks like {_LOOKS[fmt]}, which cannot be imported")
    elif fmt not in BY_NAME:
        raise ParseError(source, f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    else:
        _refuse_other(text, fmt, source)
    form = BY_NAME[fmt]
    lenient = {"strict": strict, "macros": macros} if form.lenient else {}
    found = form.read(text, source=source, today=today, year=year, **lenient)
    parsed = found if isinstance(found, Parsed) else Parsed(found)
    if not parsed.papers:
        error = ParseError(source, f"no papers found (read as {fmt})")
        error.notes = parsed.notes
        raise error
    return parsed


def _refuse_other(text: str, fmt: str, source: str) -> None:
    """Raise ParseError when `text` clearly is not in format `fmt`."""
    clear = looks_like(text)
    if clear is None or clear == fmt or {clear, fmt} <= {"json", "csl-json"}:
        return  # the JSON readers say themselves what a JSON text looks like
    advice = "save the page's text" if clear == "markup" else f"use --format {clear}"
    raise ParseError(source, f"looks like {_LOOKS[clear]}, not {BY_NAME[fmt].label} ({advice})")


def parse(
    text: str,
    fmt: str = "auto",
    *,
    source: str,
    today: dt.date | None = None,
    year: int | None = None,
) -> list[Paper]:
    """The papers in `text`; raises ParseError if any part of it is unusable."""
    return read(text, fmt, source=source, today=today, year=year).papers


def shared_macros(paths: list[str], encoding: str | None = None) -> dict[str, str]:
    """The BibTeX @string macros of all `paths` (a first pass over a command's files,
    so a macro defined in one file resolves in every other whatever their order)."""
    from readinglist.parsing.bibvalues import file_macros

    macros: dict[str, str] = {}
    for path in paths:
        if path == "-":
            continue
        try:
            text, _ = read_source(path, encoding=encoding)
        except ParseError:
            continue  # the second pass reports it
        macros.update(file_macros(text))
    return macros


def read_file(
    path: str,
    fmt: str = "auto",
    *,
    today: dt.date | None = None,
    year: int | None = None,
    strict: bool = False,
    encoding: str | None = None,
    macros: dict[str, str] | None = None,
) -> Parsed:
    """The papers in the file at `path` ("-" for stdin) and notes; see `read`.

    `encoding` overrides the detection; how a file that is not UTF-8 was read is noted.
    """
    found: list[ParseError] = []
    text, source = read_source(path, encoding=encoding, notes=found)
    notes = [str(note) for note in found]
    try:
        parsed = read(
            text, fmt, source=source, today=today, year=year, strict=strict, macros=macros
        )
    except ParseError as error:
        error.notes = notes + error.notes
        raise
    parsed.notes[:0] = notes
    return parsed


def load(
    path: str, fmt: str = "auto", *, today: dt.date | None = None, year: int | None = None
) -> list[Paper]:
    """The papers in the file at `path` ("-" for stdin), all or none."""
    return read_file(path, fmt, today=today, year=year).papers
