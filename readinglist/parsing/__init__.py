"""Text in, papers out: one module per input format, plus format detection."""

from __future__ import annotations

import datetime as dt

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing import abstracts, hf, jsonfmt
from readinglist.parsing.detect import detect
from readinglist.parsing.source import read_source


def _bibtex(text: str, **options) -> list[Paper]:
    # Imported on first use: bibtexparser and pylatexenc take ~70 ms to load.
    from readinglist.parsing import bibtex

    return bibtex.parse(text, **options)


FORMATS = ("hf", "abstracts", "bibtex", "json")
_PARSERS = {
    "hf": hf.parse,
    "abstracts": abstracts.parse,
    "bibtex": _bibtex,
    "json": jsonfmt.parse,
}

_LENIENT = frozenset({"bibtex"})

__all__ = ["FORMATS", "ParseError", "detect", "load", "parse", "read_source"]


def parse(
    text: str,
    fmt: str = "auto",
    *,
    source: str,
    today: dt.date | None = None,
    year: int | None = None,
    warnings: list[ParseError] | None = None,
    strict: bool = False,
) -> list[Paper]:
    """The papers in `text`; raises ParseError if it is unusable.

    `today` and `year` resolve dates without a year ("Mar 14"). A format that
    recovers from bad parts (BibTeX) skips them and adds each to `warnings`,
    unless `strict`, when the first one is raised.
    """
    if fmt == "auto":
        fmt = detect(text, source)
    if fmt not in _PARSERS:
        raise ParseError(source, f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    lenient = {"warnings": warnings, "strict": strict} if fmt in _LENIENT else {}
    papers = _PARSERS[fmt](text, source=source, today=today, year=year, **lenient)
    if not papers:
        raise ParseError(source, f"no papers found (read as {fmt})")
    return papers


def load(
    path: str,
    fmt: str = "auto",
    *,
    today: dt.date | None = None,
    year: int | None = None,
    warnings: list[ParseError] | None = None,
    strict: bool = False,
    encoding: str | None = None,
) -> list[Paper]:
    """The papers in the file at `path` ("-" for stdin); see `parse` for the rest.

    How a file that is not UTF-8 was read is added to `warnings` too.
    """
    text, source = read_source(path, encoding=encoding, notes=warnings)
    return parse(text, fmt, source=source, today=today, year=year, warnings=warnings, strict=strict)
