"""Import files into a library: one report per file.

A BibTeX file's bad blocks are skipped and listed in its report's `skipped`
(with `strict`, the file is all-or-nothing instead, as every other format is).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from readinglist import parsing
from readinglist.errors import ParseError
from readinglist.library import ImportReport, Library
from readinglist.paths import bundled_seeds


def import_files(
    library: Library,
    paths: Iterable[str],
    *,
    fmt: str = "auto",
    tags: Iterable[str] = (),
    year: int | None = None,
    today: date | None = None,
    dry_run: bool = False,
    strict: bool = False,
    encoding: str | None = None,
) -> Iterator[ImportReport | ParseError]:
    """Import each path in turn, yielding its report or the error that stopped it."""
    tags = list(tags)
    for path in paths:
        skipped: list[ParseError] = []
        try:
            papers = parsing.load(
                path, fmt, today=today, year=year, warnings=skipped, strict=strict,
                encoding=encoding,
            )  # fmt: skip
        except ParseError as error:
            error.skipped = skipped
            yield error
            continue
        source = "stdin" if path == "-" else path.rsplit("/", 1)[-1]
        report = library.import_papers(papers, source=source, tags=tags, dry_run=dry_run)
        report.skipped = skipped
        yield report


def import_samples(library: Library) -> int:
    """Import the bundled sample listings; return how many papers the library then holds."""
    for outcome in import_files(library, [str(p) for p in bundled_seeds()]):
        if isinstance(outcome, ParseError):
            raise outcome
    return len(library.papers())
