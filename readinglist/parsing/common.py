"""Helpers shared by the parsers: text clean-up, whitespace, new papers, results."""

from __future__ import annotations

from dataclasses import dataclass, field

from readinglist.model import Paper, paper_id


@dataclass
class Parsed:
    """What a parser read: the papers, and notes on what it skipped (one line each).

    `named`: every entry carried a readinglist id (an export's): entries with different
    ids are papers the exporting library kept apart.
    """

    papers: list[Paper]
    notes: list[str] = field(default_factory=list)
    named: bool = False

    def handed_over(self) -> list[Paper]:
        """The papers, no longer held here (an import can then free each read paper
        once it has made the record it stores: a big file's papers are not kept twice)."""
        papers, self.papers = self.papers, []
        return papers


def clean(text: str) -> str:
    """`text` without byte-order marks or NULs, with universal newlines."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\0" in text:
        text = text.replace("\0", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def collapse(text: str) -> str:
    """`text` with each run of whitespace made one space, stripped."""
    # Space is the only printable whitespace, so this skips already-clean text fast.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def new_paper(title: str, abstract: str, source: str, **fields) -> Paper:
    """A paper with collapsed text, its content id and `source` as its source."""
    title, abstract = collapse(title), collapse(abstract)
    return Paper(
        id=paper_id(title, abstract), title=title, abstract=abstract, sources=[source], **fields
    )


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """'1 line', '9 lines'."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
