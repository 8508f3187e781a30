"""A big BibTeX file split into blocks a slice at a time, so its blocks never all sit in memory.

bibtexparser's splitter starts a new block at every `@type{` or `@type(` that opens a
line (after optional blanks), whatever came before it: an unclosed entry ends there.
So a file cut just before such lines splits into the same blocks as the whole file,
with one difference this module guards: a slice's last block that is still open
meets the end of the slice (the whole file would have met the next block). That
raises `SliceCut`, and the caller reads the file as one slice instead.

What needs the whole file at once — `@string` macros, `crossref`/`xdata` parents,
which may stand anywhere — raises `SliceCut` in the first slice that has it (they
are rare in big files, and a file's `@string`s usually come first). Lines are given in
the file's numbering, as the splitter counts them (a newline after a backslash is
not counted). Duplicate keys across slices are the caller's to find: each slice
is a library of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from bibtexparser.library import Library
from bibtexparser.model import Block, Entry

from readinglist.parsing.bibsplitter import LINE_BLOCK_START, Splitter

SLICE_CHARS = 4_000_000
LINK_FIELDS = ("crossref", "xdata")
_END_OF_SLICE = "Unexpectedly reached end of file"


class SliceCut(Exception):
    """A slice ended inside an open block, or holds what other slices need: read the file
    whole."""


def cuts(text: str) -> list[int]:
    """Where to cut `text` into slices of about SLICE_CHARS characters: line starts of blocks.

    A small file is one slice.
    """
    size = SLICE_CHARS
    if len(text) <= 2 * size:
        return []
    found, at = [], size
    while at < len(text):
        match = LINE_BLOCK_START.search(text, at)
        if match is None:
            break
        found.append(match.start())
        at = match.start() + size
    return found


def split(text: str, at: list[int]) -> Iterator[Library]:
    """The splitter's libraries of `text` cut at `at`, lines numbered as in the whole."""
    line = 0
    for start, end in zip([0, *at], [*at, len(text)], strict=True):
        library = _SliceSplitter(text[start:end], line).split()
        if at and needs_whole(library, last=end == len(text)):
            raise SliceCut
        line += text.count("\n", start, end) - text.count("\\\n", start, end)
        yield library


class _SliceSplitter(Splitter):
    """The splitter (bibsplitter.py) counting lines from `first_line` (the slice's in the file)."""

    def __init__(self, text: str, first_line: int) -> None:
        super().__init__(text)
        self._current_line = self._implicit_comment_start_line = first_line - 1


def needs_whole(library: Library, *, last: bool) -> bool:
    """Whether a slice's blocks read alone could differ from the whole file's: it has
    `@string`s or crossref/xdata links, or ends in an open block though the file goes on."""
    if library.strings or any(_linked(entry) for entry in library.entries):
        return True
    return not last and any(_open_at_end(block) for block in library.failed_blocks)


def _linked(entry: Entry) -> bool:
    return any(field.key.lower() in LINK_FIELDS for field in entry.fields)


def _open_at_end(block: Block) -> bool:
    return _END_OF_SLICE in str(getattr(getattr(block, "error", None), "abort_reason", ""))
