"""Hugging Face "Daily Papers" page text: papers found by the shape of their block.

A paper is a title line, then its abstract paragraph, then optionally
metadata lines in this order: an author count ("• 6 authors"), a "·" line
and a date ("May 9, 2021", "Mar 14"; either may be followed by an upvote
count: "May 2 3"). Site chrome (see `hflines`) and blank lines are skipped
wherever they stand. Lines right before metadata are that paper's title and
abstract; a run of text lines with no metadata after it is read as title and
abstract pairs from its end, a pair being one whose second line reads as a
paragraph, and a line that belongs to no pair is skipped. (Text with no chrome
and no metadata at all is read as alternating titles and abstracts.) Every
skipped line is reported. Titles and abstracts are told apart by position only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing.common import Parsed, clean, counted, new_paper
from readinglist.parsing.dates import month_number, resolve
from readinglist.parsing.hflines import (
    AUTHORS,
    DATE_LINE,
    classify,
    is_chrome,
    is_prose,
    metadata,
)

__all__ = ["classify", "parse", "read"]

# Stages of a paper once its abstract is read; metadata must come in order.
ABSTRACT_READ, AUTHORS_READ, DOT_READ, COMPLETE = range(4)
_QUOTED = 3  # skipped lines quoted in the note


@dataclass
class _Draft:
    """A paper whose title and abstract are read, taking its metadata lines."""

    title: str
    abstract: str
    stage: int = ABSTRACT_READ
    meta: dict = field(default_factory=dict)


@dataclass
class _Skipped:
    """Lines left out: chrome by count, other text with its line numbers."""

    chrome: int = 0
    text: list[tuple[int, str]] = field(default_factory=list)

    def notes(self, source: str) -> list[str]:
        notes = []
        if self.chrome:
            notes.append(f"{source}: skipped {counted(self.chrome, 'line')} of page navigation")
        if self.text:
            shown = ", ".join(repr(line[:60]) for _, line in self.text[:_QUOTED])
            more = ", ..." if len(self.text) > _QUOTED else ""
            notes.append(
                f"{source}:{self.text[0][0]}: skipped {counted(len(self.text), 'line')} "
                f"not part of any paper ({shown}{more})"
            )
        return notes


class _Reader:
    """Reads the lines of one page: pending text lines, then a paper's metadata."""

    def __init__(self, source: str, today: dt.date, year: int | None) -> None:
        self.source, self.today, self.year = source, today, year
        self.papers: list[Paper] = []
        self.pending: list[tuple[int, str]] = []
        self.draft: _Draft | None = None
        self.skipped = _Skipped()
        self.dates: dict[str, dict] = {}

    def error(self, lineno: int, message: str) -> ParseError:
        return ParseError(self.source, message, lineno)

    def text(self, lineno: int, line: str) -> None:
        self.finish()
        self.pending.append((lineno, line))

    def metadata(self, lineno: int, line: str, kind: str) -> None:
        draft = self.draft or self.start(lineno, line, kind)
        if draft is None:
            return
        if (
            kind == "authors"
            and draft.stage == ABSTRACT_READ
            and (count := AUTHORS.fullmatch(line))
        ):
            draft.meta["author_count"] = int(count[1])
            draft.stage = AUTHORS_READ
        elif kind == "dot" and draft.stage in (ABSTRACT_READ, AUTHORS_READ):
            draft.stage = DOT_READ
        elif kind == "date" and draft.stage != COMPLETE:
            if line not in self.dates:
                self.dates[line] = self.date(lineno, line)
            draft.meta.update(self.dates[line])
            draft.stage = COMPLETE
        else:
            raise self.error(lineno, f"unexpected {kind} line {line!r}")

    def start(self, lineno: int, line: str, kind: str) -> _Draft | None:
        """Open the paper whose metadata begins here; None for the page's own date."""
        if len(self.pending) >= 2 and not self.page_date(kind):
            (_, title), (_, abstract) = self.pending[-2:]
            del self.pending[-2:]
            self.pairs()
            self.draft = _Draft(title, abstract)
            return self.draft
        if kind == "date":  # the page's date, after its heading
            self.pairs()
            self.skipped.chrome += 1
            return None
        if self.pending:
            title = self.pending[-1][1]
            raise self.error(
                lineno, f"expected the abstract of {title!r}, found {kind} line {line!r}"
            )
        raise self.error(lineno, f"unexpected {kind} line {line!r}: expected a title")

    def page_date(self, kind: str) -> bool:
        """Whether a date after text that reads as no abstract, on a page with chrome, is
        the page's own date (the lines before it are then navigation, not a paper)."""
        return kind == "date" and self.skipped.chrome > 0 and not is_prose(self.pending[-1][1])

    def pairs(self) -> None:
        """Read pending lines that have no metadata as title and abstract pairs, from the end."""
        lines, found = self.pending, []
        i = len(lines) - 1
        while i >= 0:
            if i >= 1 and is_prose(lines[i][1]):
                found.append(new_paper(lines[i - 1][1], lines[i][1], self.source))
                i -= 2
            else:
                self.skipped.text.insert(0, lines[i])
                i -= 1
        self.papers += reversed(found)
        self.pending = []

    def alternating(self) -> None:
        """Text with no chrome or metadata at all: every two lines are a title and abstract."""
        lines = self.pending
        if len(lines) % 2:
            lineno, title = lines[-1]
            raise self.error(lineno, f"title {title!r} has no abstract")
        pairs = zip(lines[::2], lines[1::2], strict=True)
        self.papers = [
            new_paper(title, abstract, self.source) for (_, title), (_, abstract) in pairs
        ]
        self.pending = []

    def date(self, lineno: int, line: str) -> dict:
        match = DATE_LINE.fullmatch(line)
        month = month_number(match[1]) if match else None
        if match is None or month is None:
            raise self.error(lineno, f"no such date: {line!r}")
        year = int(match[3]) if match[3] else None
        try:
            when = resolve(
                month,
                int(match[2]),
                year,
                today=self.today,
                default_year=self.year,
            )
        except ValueError:
            raise self.error(lineno, f"no such date: {line!r}") from None
        meta = {"published": when.published, "year": when.year, "year_inferred": when.year_inferred}
        if match[4]:
            meta["upvotes"] = int(match[4])
        return meta

    def finish(self) -> None:
        """Store the paper whose metadata was being read."""
        draft = self.draft
        if draft is not None:
            self.papers.append(new_paper(draft.title, draft.abstract, self.source, **draft.meta))
            self.draft = None

    def end(self) -> Parsed:
        self.finish()
        if self.papers or self.skipped.chrome:
            self.pairs()
        else:
            self.alternating()
        self.skipped.text.sort()
        return Parsed(self.papers, self.skipped.notes(self.source))


def read(
    text: str, *, source: str, today: dt.date | None = None, year: int | None = None
) -> Parsed:
    """The papers on a Daily Papers page and what was skipped; ParseError names a bad line."""
    reader = _Reader(source, today or dt.date.today(), year)
    after_submitter = False
    for lineno, raw in enumerate(clean(text).split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        kind = metadata(line)
        if kind is not None:
            reader.metadata(lineno, line, kind)
        elif is_chrome(line) or (after_submitter and " " not in line):
            reader.skipped.chrome += 1
        else:
            reader.text(lineno, line)
        after_submitter = line.casefold() == "submitted by"
    return reader.end()


def parse(
    text: str, *, source: str, today: dt.date | None = None, year: int | None = None
) -> list[Paper]:
    """The papers on a Daily Papers page; raises ParseError naming the line."""
    return read(text, source=source, today=today, year=year).papers
