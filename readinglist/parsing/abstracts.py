"""One abstract per line, optionally prefixed "Abstract:"; titles are derived."""

from __future__ import annotations

import re

from readinglist.model import Paper
from readinglist.parsing.common import clean, collapse, new_paper
from readinglist.parsing.titles import derive_title

_PREFIX = re.compile(r"\s*abstract\s*:", re.IGNORECASE)


def strip_prefix(line: str) -> str:
    """`line` without a leading "Abstract:" label."""
    match = _PREFIX.match(line)
    return line[match.end() :] if match else line


def parse(text: str, *, source: str, **_options) -> list[Paper]:
    """A paper for every non-blank line; the title is derived from the abstract."""
    papers = []
    for line in clean(text).split("\n"):
        abstract = collapse(strip_prefix(line))
        if abstract:
            papers.append(new_paper(derive_title(abstract), abstract, source, title_derived=True))
    return papers
