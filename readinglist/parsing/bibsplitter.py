"""bibtexparser's splitter, passing over a braced field value in one step.

The splitter walks a file mark by mark (braces, quotes, commas, `=`, newlines, block
starts), a few Python steps each. Inside a value in braces only the braces count
(commas, quotes and `=` there are text) and the newlines (line numbers), and a block
start at a line start ends the entry early. So when a value opens with `{` and the
matching `}` comes before any such block start, the splitter is put where it would
be after walking there: at that `}`, its lines counted. Anything else (a value in
quotes, no matching brace, a block start inside) is walked as before, so the blocks,
lines and errors are the splitter's own (tested against it on the real bibliographies
and on random files). A 1 KB abstract is one step instead of a few dozen.

The step uses the splitter's own state (`_markiter`, `_current_line`, ...): a release of
bibtexparser without the method or the patterns it relies on gets the plain splitter.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator

from bibtexparser import splitter as _splitter

# The splitter's marks: braces not preceded by a backslash (its `(?<!\\)`, checked after
# the brace, which lets the regular expression engine look for braces alone).
_BRACES = re.compile(r"[{}](?<![\\][{}])")
_OPENING_BRACE = re.compile(r"[ \t]*\{")  # a value in braces, right after its `=`
# Where the splitter starts a block whatever its state (its `_BLOCK_START` at a line start,
# `_is_at_line_start`): an open entry ends there.
LINE_BLOCK_START = re.compile(r"^[^\S\n]*@\w*[ \t]*[{(]", re.MULTILINE)


class Splitter(_splitter.Splitter):
    """bibtexparser's splitter, with braced field values passed over in one step."""

    # (its own attributes, which it types by their first values)
    _current_char_index: int
    _markiter: Iterator[re.Match[str]] | None  # type: ignore[assignment]

    def _move_to_comma_or_closing_delimiter(
        self, currently_quote_escaped: bool = False, num_open_curls: int = 0
    ) -> int:
        if not currently_quote_escaped and not num_open_curls and self._unaccepted_mark is None:
            self._pass_braced_value()
        return super()._move_to_comma_or_closing_delimiter(currently_quote_escaped, num_open_curls)

    def _pass_braced_value(self) -> None:
        """After a field's `=`: move past the value if it is in braces (see the module)."""
        text = self.bibstr
        opening = _OPENING_BRACE.match(text, self._current_char_index + 1)
        if opening is None:
            return
        start = opening.end()
        end = closing_brace(text, start)
        if end < 0 or LINE_BLOCK_START.search(text, start, end):
            return
        # The newlines the splitter would count: those not after a backslash.
        self._current_line += text.count("\n", start, end) - text.count("\\\n", start, end)
        self._current_char_index = end
        marks = (
            _splitter._PAREN_BLOCK_MARK_PATTERN
            if self._closing_delimiter == ")"
            else _splitter._MARK_PATTERN
        )
        self._markiter = marks.finditer(text, end + 1)


def closing_brace(text: str, start: int) -> int:
    """The index of the `}` that closes the `{` just before `start` (-1 if none), braces
    after a backslash not counted, as the splitter counts them."""
    end = text.find("}", start)
    if end < 0:
        return -1
    if text.find("\\", start, end) < 0:  # no backslash: count braces with str methods
        while text.count("{", start, end) > text.count("}", start, end):
            end = text.find("}", end + 1)
            if end < 0:
                return -1
        if text.find("\\", start, end) < 0:
            return end
    depth = 1
    for brace in _BRACES.finditer(text, start):
        depth += 1 if brace.group() == "{" else -1
        if not depth:
            return brace.start()
    return -1


def _fits(splitter: type) -> bool:
    """Whether bibtexparser's splitter has what `Splitter` builds on."""
    method = getattr(splitter, "_move_to_comma_or_closing_delimiter", None)
    patterns = ("_MARK_PATTERN", "_PAREN_BLOCK_MARK_PATTERN")
    if method is None or not all(hasattr(_splitter, name) for name in patterns):
        return False
    wanted = ["self", "currently_quote_escaped", "num_open_curls"]
    return list(inspect.signature(method).parameters) == wanted


if not _fits(_splitter.Splitter):  # another bibtexparser: walk every mark
    Splitter = _splitter.Splitter  # type: ignore[assignment, misc]
