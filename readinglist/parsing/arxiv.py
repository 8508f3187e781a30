"""Text copied from arXiv: a listing page (/list/cs.LG/new) or an abstract page (/abs/ID).

A listing entry starts with its id line (`[1] arXiv:2412.01234 [pdf, other]`)
and has `Title:`, `Authors:` (or an unlabelled line of names after the
title), `Comments:`, `Journal-ref:`, `Subjects:` lines and, on the `new`
pages, the abstract paragraph. An abstract page has the title and the names
on lines of their own after `[Submitted on ...]`, then `Abstract:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing.common import clean, collapse
from readinglist.parsing.dates import month_number
from readinglist.parsing.records import day, doi, record

# Labelled lines -> record field (None: read, not kept).
LABELS = {
    "title": "title",
    "authors": "authors",
    "author": "authors",
    "abstract": "abstract",
    "journal-ref": "journal",
    "doi": "doi",
    "comments": None,
    "subjects": None,
    "msc-class": None,
    "acm-class": None,
    "report-no": None,
    "cite as": None,
}
_ENTRY = re.compile(r"(?:\[\d+\]\s*)?arXiv:(\d{4}\.\d{4,5})(?:v\d+)?\b(.*)")
_CITE_AS = re.compile(r"Cite as:\s*arXiv:(\d{4}\.\d{4,5})", re.IGNORECASE)
_LABEL = re.compile(r"([A-Za-z][A-Za-z -]{1,14}):\s*(.*)")
_SUBMITTED = re.compile(r"\[Submitted on (\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})")
_SECTION = re.compile(
    r"(?:New submissions|Cross submissions|Cross-lists|Replacement submissions|Replacements)"
    r"\b.*|Showing .*|Total of \d+ entries.*|\S+ \(\d+\)|Access Paper:.*|View PDF.*",
    re.IGNORECASE,
)
_AND = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


@dataclass
class _Entry:
    """One paper's lines: labelled values, and the unlabelled lines after them."""

    arxiv: str | None
    line: int
    values: dict[str, str] = field(default_factory=dict)
    loose: list[str] = field(default_factory=list)
    published: str | None = None
    label: str | None = None  # the last label read


def parse(text: str, *, source: str, **_options) -> list[Paper]:
    """The papers of an arXiv listing or abstract page; ParseError if it names none."""
    lines = [line.strip() for line in clean(text).split("\n")]
    entries = _listing(lines)
    if not entries:
        entries = _abstract_page(lines)
    if not entries:
        raise ParseError(source, "no arXiv entries found (expected lines like 'arXiv:2412.01234')")
    return [_paper(entry, source) for entry in entries]


def _listing(lines: list[str]) -> list[_Entry]:
    """Entries of a listing page: each starts at an id line with a Title: line after it."""
    entries: list[_Entry] = []
    current = None
    for lineno, line in enumerate(lines, 1):
        match = _ENTRY.fullmatch(line)
        if match and not _is_cite_line(line):
            current = _Entry(match[1], lineno)
            entries.append(current)
        elif current is not None:
            _feed(current, line)
    return [entry for entry in entries if entry.values.get("title")]


def _is_cite_line(line: str) -> bool:
    return line.lower().startswith(("cite as", "(or arxiv"))


def _feed(entry: _Entry, line: str) -> None:
    """Take one line of an entry: a labelled value, a names line, or abstract text."""
    if not line or _SECTION.fullmatch(line):
        return
    labelled = _LABEL.fullmatch(line)
    key = labelled[1].strip().lower() if labelled else None
    if labelled and key in LABELS:
        entry.values[key] = labelled[2]
        entry.label = key
    elif entry.label == "abstract":
        entry.values["abstract"] += " " + line
    elif "title" in entry.values and "authors" not in entry.values:
        entry.values["authors"] = line  # the names, unlabelled, right after the title
    else:
        entry.loose.append(line)


def _abstract_page(lines: list[str]) -> list[_Entry]:
    """The one paper of an abstract page: title and names follow `[Submitted on ...]`."""
    text = "\n".join(lines)
    cited = _CITE_AS.search(text) or re.search(r"^arXiv:(\d{4}\.\d{4,5})", text, re.MULTILINE)
    found = ((i, when) for i, line in enumerate(lines) if (when := _SUBMITTED.match(line)))
    submitted, when = next(found, (None, None))
    if cited is None or submitted is None or when is None:
        return []
    entry = _Entry(cited[1], submitted + 1)
    entry.published = day(int(when[3]), month_number(when[2]), int(when[1]))
    rest = [line for line in lines[submitted + 1 :] if line]
    for line in rest:
        _feed(entry, line)
    if "title" not in entry.values and len(entry.loose) >= 2:
        entry.values["title"], entry.values["authors"] = entry.loose[:2]
        entry.loose = entry.loose[2:]
    return [entry] if entry.values.get("title") else []


def _paper(entry: _Entry, source: str) -> Paper:
    values = {key: collapse(value) for key, value in entry.values.items()}
    abstract = values.get("abstract") or " ".join(entry.loose)
    year = 2000 + int(entry.arxiv[:2]) if entry.arxiv else None
    fields = {
        "title": values["title"],
        "abstract": abstract,
        "authors": [name for name in _AND.split(values.get("authors", "")) if name],
        "arxiv": entry.arxiv,
        "journal": values.get("journal-ref"),
        "doi": _doi(values.get("doi")),
        "published": entry.published,
        "year": int(entry.published[:4]) if entry.published else year,
    }
    return record(source, **fields)


def _doi(text: str | None) -> str | None:
    found = doi(text)
    return None if found is None or found.lower().startswith("10.48550/") else found
