"""Editable text widgets that cannot put a terminal control on the screen.

Textual draws what an Input or TextArea holds as it is: a pasted ESC, C1 or bidi
character would reach the terminal raw. These hold only text that went through the
sanitiser (`readinglist.safe_text.safe`): whatever is loaded, typed or pasted shows its
controls as visible escapes (`\\x1b`, `<U+202E>`). The text area is in safe_text_area.py.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, LoadingIndicator

from readinglist.safe_text import safe


class SanitisedValue:
    """Mixed into an Input: what is typed, pasted or set goes through the sanitiser."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(safe(text, one_line=True), start, end)  # type: ignore[misc]

    def validate_value(self, value: str) -> str:
        return safe(value, one_line=True)  # a value set in code is cleaned the same way


class SafeInput(SanitisedValue, Input):
    """A one-line input whose value never holds a terminal control."""


class SafeCommandInput(SanitisedValue, CommandInput):
    """The command palette's input, sanitised like every other."""


class SafeCommandPalette(CommandPalette):
    """Textual's command palette with a sanitised input (its compose, one class changed)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield SafeCommandInput(placeholder=self._placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield CommandList()
                yield LoadingIndicator()
