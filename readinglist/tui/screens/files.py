"""Importing a file and exporting the list, from the app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from readinglist.exporting import FORMATS

EXTENSIONS = {"json": "json", "bibtex": "bib", "csv": "csv", "markdown": "md", "ris": "ris"}


class ImportDialog(ModalScreen[Path | None]):
    """A file to import (HF Daily Papers text, abstracts, BibTeX or JSON)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-dialog") as dialog:
            dialog.border_title = "Import a file"
            yield Static(
                "Hugging Face Daily Papers text, abstracts (one per line), BibTeX or JSON.",
                classes="dialog-subject",
            )
            yield Input(placeholder="~/Downloads/papers.txt", id="import-path")
            yield Static("", id="import-error", classes="dialog-error")
            yield Static("enter import · esc cancel", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip() or not path.is_file():
            message = f"{event.value.strip() or 'Type a path'}: no such file"
            self.query_one("#import-error", Static).update(Text(message))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass
class ExportChoice:
    """Where to export, and in which format."""

    path: Path
    fmt: str


class ExportDialog(ModalScreen[ExportChoice | None]):
    """Export the papers in the list to a file."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, count: int) -> None:
        super().__init__()
        self._count = count

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog") as dialog:
            dialog.border_title = "Export"
            noun = "1 paper" if self._count == 1 else f"{self._count} papers"
            yield Static(f"The {noun} in the list, to a file.", classes="dialog-subject")
            yield Select([(f, f) for f in FORMATS], value="bibtex", allow_blank=False)
            yield Input(str(Path.home() / "readinglist.bib"), id="export-path")
            yield Static("", id="export-error", classes="dialog-error")
            yield Static(
                "enter export · shift+tab choose the format · esc cancel", classes="dialog-keys"
            )

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        field = self.query_one("#export-path", Input)
        path = Path(field.value)
        field.value = str(path.with_suffix("." + EXTENSIONS[str(event.value)]))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip() or not path.parent.is_dir():
            self.query_one("#export-error", Static).update(Text(f"{path.parent}: no such folder"))
            return
        self.dismiss(ExportChoice(path, str(self.query_one(Select).value)))

    def action_cancel(self) -> None:
        self.dismiss(None)
