"""Import files into a library: one report per file, each file all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from readinglist import parsing
from readinglist.errors import ParseError
from readinglist.persistence.library import ImportReport, Library
from readinglist.persistence.paths import bundled_seeds
from readinglist.progress import Progress


@dataclass(frozen=True)
class ImportNote:
    """A line to show about an import that went ahead: what the parser skipped."""

    message: str


SKIPPED = " — skipped"  # how a note about a block left out of the import ends


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
    progress: Progress | None = None,
) -> Iterator[ImportReport | ImportNote | ParseError]:
    """Import each path in turn, yielding its notes and report, or the error that stopped it.

    `progress` hears of each stage; a stop asked before a file's papers are stored
    raises `progress.Cancelled` with that file left out (earlier files stay imported).
    """
    tags, paths = list(tags), list(paths)
    progress = progress or Progress()
    macros = parsing.shared_macros(paths, encoding) if len(paths) > 1 else None
    for path in paths:
        source = "stdin" if path == "-" else path.rsplit("/", 1)[-1]
        progress.stage(f"Reading {source}")
        try:
            parsed = parsing.read_file(
                path, fmt, today=today, year=year, strict=strict, encoding=encoding,
                macros=macros,
            )  # fmt: skip
        except ParseError as error:
            yield from map(ImportNote, error.notes)
            yield error
            continue
        try:
            report = library.import_papers(
                parsed.handed_over(), source=source, tags=tags, dry_run=dry_run,
                progress=progress, handed_over=True, named=parsed.named,
            )  # fmt: skip
        except ParseError as error:  # a value of a wrong type or out of range: nothing stored
            yield error
            continue
        yield from map(ImportNote, parsed.notes)
        report.skipped = sum(1 for note in parsed.notes if note.endswith(SKIPPED))
        yield report


def import_text(
    library: Library,
    text: str,
    *,
    source: str = "clipboard",
    fmt: str = "auto",
    tags: Iterable[str] = (),
    year: int | None = None,
    today: date | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> Iterator[ImportReport | ImportNote | ParseError]:
    """Import a text (what was on the clipboard) as one file named `source`."""
    progress = progress or Progress()
    progress.stage(f"Reading {source}")
    try:
        parsed = parsing.read(text, fmt, source=source, today=today, year=year, strict=strict)
        report = library.import_papers(
            parsed.handed_over(), source=source, tags=tags, dry_run=dry_run,
            progress=progress, handed_over=True, named=parsed.named,
        )  # fmt: skip
    except ParseError as error:
        yield from map(ImportNote, getattr(error, "notes", ()))
        yield error
        return
    yield from map(ImportNote, parsed.notes)
    report.skipped = sum(1 for note in parsed.notes if note.endswith(SKIPPED))
    yield report


SAMPLE_TAG = "sample"
REMOVE_SAMPLES = f"readinglist rm --tag {SAMPLE_TAG} --yes"


def samples_note(count: int) -> str:
    """What the app says after importing the samples: how to remove them again."""
    return f"Imported {count} sample papers, tagged '{SAMPLE_TAG}'; `{REMOVE_SAMPLES}` removes them"


def import_samples(library: Library, progress: Progress | None = None) -> int:
    """Import the bundled sample listings, tagged `sample`; return the library's paper count."""
    seeds = [str(p) for p in bundled_seeds()]
    for outcome in import_files(library, seeds, tags=[SAMPLE_TAG], progress=progress):
        if isinstance(outcome, ParseError):
            raise outcome
    return len(library.papers())
