"""Importing a file and exporting the list, from the app."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Select, Static

from readinglist.export_formats import BY_NAME, FORMATS
from readinglist.safe_text import counted
from readinglist.tui.screens.confirm import ConfirmDialog
from readinglist.tui.screens.tags import TagInput
from readinglist.tui.widgets.safe_text import SafeInput


class PathSuggester(Suggester):
    """Completes the file or folder name being typed (a folder gets its `/`)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


def complete_path(value: str, limit: int = 2000) -> str | None:
    """`value` completed to the first name in its folder that starts with what was typed.

    Hidden names only when a dot is typed; at most `limit` entries of a folder are read.
    """
    if not value.strip():
        return None
    folder, sep, start = value.rpartition(os.sep)
    where = Path(folder + sep if sep else ".").expanduser()
    try:
        with os.scandir(where) as entries:
            found = itertools.islice(
                (e for e in entries if e.name.startswith(start) and e.name != start), limit
            )
            names = sorted(
                e.name + (os.sep if e.is_dir() else "")
                for e in found
                if start.startswith(".") or not e.name.startswith(".")
            )
    except OSError:
        return None
    return value + names[0][len(start) :] if names else None


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
            yield TagInput(
                placeholder="~/Downloads/papers.txt", suggester=PathSuggester(), id="import-path"
            )
            yield Static("", id="import-error", classes="dialog-error")
            yield Static("enter import · tab complete the path · esc cancel", classes="dialog-keys")

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
            noun = counted(self._count, "paper")
            yield Static(f"The {noun} in the list, to a file.", classes="dialog-subject")
            yield Select([(f, f) for f in FORMATS], value="bibtex", allow_blank=False)
            yield SafeInput(str(Path.home() / "readinglist.bib"), id="export-path")
            yield Static("", id="export-error", classes="dialog-error")
            yield Static(
                "enter export · shift+tab choose the format · esc cancel", classes="dialog-keys"
            )

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        field = self.query_one("#export-path", Input)
        field.value = str(with_extension(field.value, BY_NAME[str(event.value)].extension))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        path = Path(typed).expanduser()
        if not typed:
            problem = "Type a file name"
        elif path.is_dir() or typed.endswith(("/", os.sep)):
            problem = f"{path}: a folder; add a file name"
        elif not path.parent.is_dir():
            problem = f"{path.parent}: no such folder"
        else:
            problem = ""
        self.query_one("#export-error", Static).update(Text(problem))
        if problem:
            return
        choice = ExportChoice(path, str(self.query_one(Select).value))
        if not path.exists():
            self.dismiss(choice)
            return

        def replace(yes: bool | None) -> None:
            if yes:
                self.dismiss(choice)

        question = Text.assemble(str(path), "\n\nexists already; its content will be lost.")
        self.app.push_screen(ConfirmDialog("Replace the file?", question, "Replace"), replace)

    def action_cancel(self) -> None:
        self.dismiss(None)


def with_extension(typed: str, extension: str) -> Path:
    """The typed path with the format's extension (a folder gets `readinglist.EXT`)."""
    typed = typed.strip()
    path = Path(typed).expanduser() if typed else Path.home()
    if not typed or typed.endswith(("/", os.sep)) or path.is_dir() or path.name in ("", ".", ".."):
        return path / f"readinglist.{extension}"
    return path.with_suffix(f".{extension}")
