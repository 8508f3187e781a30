"""The text area of the note and cite dialogs, showing what it holds without controls.

Apart from safe_text.py: TextArea's modules (documents, syntax, themes) are imported
with the dialogs that use it, not before the app's first paint.
"""

from __future__ import annotations

from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from readinglist.safe_text import safe


class SafeTextArea(TextArea):
    """A text area whose document never holds a terminal control (newlines, tabs kept)."""

    def __init__(self, text: str = "", **options) -> None:
        super().__init__(safe(text), **options)

    def load_text(self, text: str) -> None:
        super().load_text(safe(text))

    def edit(self, edit: Edit) -> EditResult:
        edit.text = safe(edit.text)
        return super().edit(edit)
