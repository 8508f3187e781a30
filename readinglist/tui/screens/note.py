"""Editing a paper's note."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class NoteDialog(ModalScreen[str | None]):
    """A multi-line note; `ctrl+s` saves, `esc` cancels. Returns the text, or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, subject: Text, note: str) -> None:
        super().__init__()
        self._subject, self._note = subject, note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog") as dialog:
            dialog.border_title = "Note"
            yield Static(self._subject, classes="dialog-subject")
            yield TextArea(self._note, soft_wrap=True, id="note-text")
            yield Static(
                "ctrl+s save · esc cancel · an empty note clears it", classes="dialog-keys"
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
