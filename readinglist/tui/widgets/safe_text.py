"""Editable text widgets that cannot put a terminal control on the screen.

Textual draws what an Input or TextArea holds as it is: a pasted ESC, C1 or bidi
character would reach the terminal raw. These hold only text that went through the
sanitiser (`readinglist.text.safe`): whatever is loaded, typed or pasted shows its
controls as visible escapes (`\\x1b`, `<U+202E>`).
"""

from __future__ import annotations

from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from readinglist.text import safe


class SafeInput(Input):
    """A one-line input whose value never holds a terminal control."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(safe(text, one_line=True), start, end)

    def validate_value(self, value: str) -> str:
        return safe(value, one_line=True)  # a value set in code is cleaned the same way


class SafeTextArea(TextArea):
    """A text area whose document never holds a terminal control (newlines, tabs kept)."""

    def __init__(self, text: str = "", **options) -> None:
        super().__init__(safe(text), **options)

    def load_text(self, text: str) -> None:
        super().load_text(safe(text))

    def edit(self, edit: Edit) -> EditResult:
        edit.text = safe(edit.text)
        return super().edit(edit)
