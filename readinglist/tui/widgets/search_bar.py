"""The search bar: the query input and a one-line summary of what the list shows."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from readinglist.tui.widgets.safe_text import SafeInput

PLACEHOLDER = '/ search: words, "a phrase", -word, tag:x, year:>=2024, is:unread'


class SearchInput(SafeInput):
    """The query; `enter` or `esc` goes back to the list."""

    BINDINGS = [Binding("escape", "leave", "Back to list")]

    @dataclass
    class Leave(Message):
        """The user is done typing (esc)."""

    def action_leave(self) -> None:
        self.post_message(self.Leave())


class SearchBar(Horizontal):
    """Query input on the left, status (count, view, sort) on the right."""

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder=PLACEHOLDER, id="search")
        yield Static(id="status")

    def show_status(self, text: Text) -> None:
        self.query_one("#status", Static).update(text)
