"""Hugging Face "Daily Papers" page text: title, abstract, optional metadata.

Each paper is a title line, then an abstract line, then optionally an author
count ("• 6 authors"), a "·" line and a date line ("May 9, 2021", "Mar 14",
either may be followed by an upvote count: "May 2 3"). Blank lines and page
chrome are skipped. Titles and abstracts are told apart by position only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing.common import clean, new_paper
from readinglist.parsing.dates import month_number, resolve

CHROME = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    }
)
DOT = "·"
_SHORT = 40  # metadata lines are never longer than this
_AUTHORS = re.compile(r"(?:• *)?(\d{1,6}) +authors?")
_DATE_LINE = re.compile(r"([A-Za-z]{3,9})\.? +(\d{1,2})(?:, *(\d{4}))?(?: +(\d{1,9}))?")

# Stages of a paper once its abstract is read; metadata must come in order.
ABSTRACT_READ, AUTHORS_READ, DOT_READ, COMPLETE = range(4)


@dataclass
class _Draft:
    """A paper being read: where its title was, what is known so far."""

    line: int
    title: str
    abstract: str | None = None
    stage: int = ABSTRACT_READ
    meta: dict = field(default_factory=dict)


def classify(line: str) -> str | None:
    """ "chrome", "authors", "dot" or "date" for a non-paper line, else None."""
    if len(line) > _SHORT:
        return None
    if line in CHROME:
        return "chrome"
    if line == DOT:
        return "dot"
    if _AUTHORS.fullmatch(line):
        return "authors"
    match = _DATE_LINE.fullmatch(line)
    if match and month_number(match[1]):
        return "date"
    return None


class _Reader:
    """Reads the lines of one page, keeping the paper in progress."""

    def __init__(self, source: str, today: dt.date, year: int | None) -> None:
        self.source, self.today, self.year = source, today, year
        self.papers: list[Paper] = []
        self.draft: _Draft | None = None
        self.after_chrome = False
        self.dates: dict[str, dict] = {}

    def error(self, lineno: int, message: str) -> ParseError:
        return ParseError(self.source, message, lineno)

    def feed(self, lineno: int, line: str) -> None:
        draft = self.draft
        if draft is not None and draft.abstract is None:
            self.abstract(lineno, line)
            return
        kind = classify(line)
        if kind == "chrome":
            self.after_chrome = True
        elif kind is None:
            self.title(lineno, line)
        elif draft is not None and draft.stage != COMPLETE:
            self.metadata(lineno, line, kind)
        elif kind == "date" and (self.after_chrome or not self.papers):
            return  # the page's own date line
        else:
            raise self.error(lineno, f"unexpected {kind} line {line!r}: expected a title")

    def abstract(self, lineno: int, line: str) -> None:
        kind = classify(line)
        if kind in ("authors", "dot", "date"):
            raise self.error(
                lineno, f"expected the abstract of {self.draft.title!r}, found {kind} line {line!r}"
            )
        self.draft.abstract = line

    def title(self, lineno: int, line: str) -> None:
        self.finish()
        self.after_chrome = False
        self.draft = _Draft(lineno, line)

    def metadata(self, lineno: int, line: str, kind: str) -> None:
        draft = self.draft
        if kind == "authors" and draft.stage == ABSTRACT_READ:
            draft.meta["author_count"] = int(_AUTHORS.fullmatch(line)[1])
            draft.stage = AUTHORS_READ
        elif kind == "dot" and draft.stage in (ABSTRACT_READ, AUTHORS_READ):
            draft.stage = DOT_READ
        elif kind == "date":
            if line not in self.dates:
                self.dates[line] = self.date(lineno, line)
            draft.meta.update(self.dates[line])
            draft.stage = COMPLETE
        else:
            raise self.error(lineno, f"unexpected {kind} line {line!r}")

    def date(self, lineno: int, line: str) -> dict:
        match = _DATE_LINE.fullmatch(line)
        year = int(match[3]) if match[3] else None
        try:
            when = resolve(
                month_number(match[1]),
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
        draft = self.draft
        if draft is None:
            return
        if draft.abstract is None:
            raise self.error(draft.line, f"title {draft.title!r} has no abstract")
        self.papers.append(new_paper(draft.title, draft.abstract, self.source, **draft.meta))
        self.draft = None


def parse(
    text: str, *, source: str, today: dt.date | None = None, year: int | None = None
) -> list[Paper]:
    """The papers on a Daily Papers page; raises ParseError naming the line."""
    reader = _Reader(source, today or dt.date.today(), year)
    for lineno, raw in enumerate(clean(text).split("\n"), 1):
        line = raw.strip()
        if line:
            reader.feed(lineno, line)
    reader.finish()
    return reader.papers
