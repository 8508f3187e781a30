"""Import files into a library: one report per file, each file all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from readinglist import parsing
from readinglist.errors import ParseError
from readinglist.library import ImportReport, Library
from readinglist.model import Paper
from readinglist.paths import bundled_seeds
from readinglist.text import safe_line, truncate
from readinglist.validation import paper_problem


def import_files(
    library: Library,
    paths: Iterable[str],
    *,
    fmt: str = "auto",
    tags: Iterable[str] = (),
    year: int | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> Iterator[ImportReport | ParseError]:
    """Import each path in turn, yielding its report or the error that stopped it."""
    tags = list(tags)
    for path in paths:
        try:
            papers = parsing.load(path, fmt, today=today, year=year)
        except ParseError as error:
            yield error
            continue
        problem = first_problem(papers)
        if problem:
            yield ParseError("stdin" if path == "-" else path, problem)
            continue
        source = "stdin" if path == "-" else path.rsplit("/", 1)[-1]
        yield library.import_papers(papers, source=source, tags=tags, dry_run=dry_run)


def first_problem(papers: list[Paper]) -> str | None:
    """The first value of a wrong type or out of range among parsed papers, or None."""
    for number, paper in enumerate(papers, 1):
        if problem := paper_problem(paper, with_id=False):  # a bad id is replaced
            return f"paper {number} ({truncate(safe_line(str(paper.title)), 40)}): {problem}"
    return None


def import_samples(library: Library) -> int:
    """Import the bundled sample listings; return how many papers the library then holds."""
    for outcome in import_files(library, [str(p) for p in bundled_seeds()]):
        if isinstance(outcome, ParseError):
            raise outcome
    return len(library.papers())
