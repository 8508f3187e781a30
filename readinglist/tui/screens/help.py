"""The help screen: every key of the app."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from readinglist.tui.commands import COMMANDS, NAVIGATION, Command

DIALOG_KEYS = (
    ("tab", "In the tag dialog: complete the tag being typed"),
    ("ctrl+s", "In the note dialog: save"),
    ("j k / type", "In the citation dialog: move in the styles / search them by name or title"),
    ("enter / ctrl+t", "In the citation dialog: copy the reference / the in-text form, close"),
    ("ctrl+d", "In the citation dialog: make the style the default"),
    ("y / n", "In a confirmation: yes / no"),
)


def key_table(title: str, rows) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=None, expand=True)
    table.add_column("key", style="bold", no_wrap=True, min_width=14)
    table.add_column("action", ratio=1)
    for key, text in rows:
        table.add_row(Text(key), Text(text))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, grouped: papers, moving around, dialogs."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]  # wide: two columns

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc to close"
            with Horizontal(id="help-columns"):
                yield Static(key_table("Papers", [_row(c) for c in COMMANDS]))
                with Vertical():
                    yield Static(key_table("Moving around", NAVIGATION))
                    yield Static(key_table("Dialogs", DIALOG_KEYS))

    def action_close(self) -> None:
        self.dismiss(None)


def _row(command: Command) -> tuple[str, str]:
    """A key and what it does; a command of the palette only is named there."""
    if command.key:
        return command.key, command.help
    return "ctrl+p", f"{command.name}: {command.help.lower()}"
