"""Editing a paper's note.

The note is untrusted text: the editor shows it through the sanitiser, so a control
character appears as its visible escape (`\\x1b`, `<U+202E>`) and never reaches the
terminal. Saving without an edit keeps the stored note exactly as it was; saving an
edited note stores what the editor shows, escapes as typed text. A note longer than
EDIT_LIMIT characters opens read-only at its start (drawing it all takes seconds);
`ctrl+o` shows all of it, editable.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from readinglist.safe_text import clipped
from readinglist.tui.widgets.safe_text_area import SafeTextArea

EDIT_LIMIT = 100_000
KEYS = "ctrl+s save · esc cancel · an empty note clears it"


class NoteDialog(ModalScreen[str | None]):
    """A multi-line note; `ctrl+s` saves, `esc` cancels. Returns the new text, or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+o", "show_all", "Show all", show=False),
    ]

    def __init__(self, subject: Text, note: str) -> None:
        super().__init__()
        self._subject, self._note = subject, note
        self._start, self._left_out = clipped(note, EDIT_LIMIT)
        self._shown = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog") as dialog:
            dialog.border_title = "Note"
            yield Static(self._subject, classes="dialog-subject")
            yield SafeTextArea(self._start, soft_wrap=True, read_only=self.partial, id="note-text")
            yield Static(self._keys(), id="note-keys", classes="dialog-keys")

    @property
    def partial(self) -> bool:
        """Whether the editor shows only the start of a long note (read-only)."""
        return self._left_out > 0

    def _keys(self) -> str:
        if self.partial:
            shown, whole = f"{len(self._start):,}", f"{len(self._note):,}"
            return f"{shown} of {whole} characters, read-only · ctrl+o show all · esc close"
        return KEYS

    def on_mount(self) -> None:
        area = self.query_one(SafeTextArea)
        self._shown = area.text
        area.focus()
        area.move_cursor(area.document.end)

    def action_show_all(self) -> None:
        if not self.partial:
            return
        area = self.query_one(SafeTextArea)
        area.load_text(self._note)
        area.read_only, self._left_out = False, 0
        area.move_cursor(area.document.end)
        self._shown = area.text
        self.query_one("#note-keys", Static).update(KEYS)

    def action_save(self) -> None:
        text = self.query_one(SafeTextArea).text
        if self.partial or text == self._shown:
            self.dismiss(None)  # nothing edited: the stored note stays as it is
            return
        self.dismiss(text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
