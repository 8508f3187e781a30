"""Text in, papers out: one module per input format, one table of formats, detection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing import abstracts, arxiv, csljson, hf, jsonfmt, ris
from readinglist.parsing.common import Parsed
from readinglist.parsing.detect import detect, looks_like
from readinglist.parsing.source import read_source


def _bibtex(text: str, **options) -> Parsed:
    # Imported on first use: bibtexparser and pylatexenc take ~70 ms to load.
    from readinglist.parsing import bibtex

    warnings: list[ParseError] = []
    papers = bibtex.parse(text, warnings=warnings, **options)
    return Parsed(papers, [str(warning) for warning in warnings])


@dataclass(frozen=True)
class Format:
    """An input format: its name, what it is called, how it is told, its reader."""

    name: str
    label: str
    hint: str  # what `auto` looks for
    reader: Callable[..., list[Paper] | Parsed]


FORMAT_TABLE: tuple[Format, ...] = (
    Format("hf", "a Daily Papers page", "titles, abstracts, '• 6 authors' / '·' / date lines",
           hf.read),
    Format("abstracts", "a list of abstracts", "lines of prose, optionally 'Abstract:'",
           abstracts.parse),
    Format("bibtex", "BibTeX", "@article{key, ... entries", _bibtex),
    Format("json", "readinglist's JSON export", "a JSON array of objects with 'identifiers'",
           jsonfmt.parse),
    Format("csl-json", "CSL-JSON", "a JSON array of objects with 'type' and CSL keys",
           csljson.parse),
    Format("ris", "RIS", "'TY  - ' ... 'ER  - ' records", ris.parse),
    Format("arxiv", "arXiv listing text", "'arXiv:2412.01234' lines with 'Title:', "
           "'Authors:' or 'Subjects:' lines", arxiv.parse),
)  # fmt: skip
FORMATS = tuple(f.name for f in FORMAT_TABLE)
_BY_NAME = {f.name: f for f in FORMAT_TABLE}
_LOOKS = {
    **{f.name: f.label for f in FORMAT_TABLE},
    "json": "JSON",
    "markup": "XML or HTML",
}
_LENIENT = frozenset({"bibtex"})  # formats that skip a bad part (or, strict, refuse the text)

__all__ = [
    "FORMATS",
    "FORMAT_TABLE",
    "ParseError",
    "Parsed",
    "detect",
    "load",
    "parse",
    "read",
    "read_file",
    "shared_macros",
    "read_source",
]


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
        if fmt not in _BY_NAME:
            raise ParseError(source, f"looks like {_LOOKS[fmt]}, which cannot be imported")
    elif fmt not in _BY_NAME:
        raise ParseError(source, f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    else:
        _refuse_other(text, fmt, source)
    lenient = {"strict": strict, "macros": macros} if fmt in _LENIENT else {}
    found = _BY_NAME[fmt].reader(text, source=source, today=today, year=year, **lenient)
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
    raise ParseError(source, f"looks like {_LOOKS[clear]}, not {_BY_NAME[fmt].label} ({advice})")


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
