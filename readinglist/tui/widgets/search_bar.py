"""The search bar: the query input and a one-line summary of what the list shows."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from readinglist.tui.widgets.safe_text import SafeInput

PLACEHOLDER = '/ search: words, "a phrase", -word, tag:x, year:>=2024, is:unread'


class SearchInput(SafeInput):
    """The query; `enter` or `esc` goes back to the list (`leave_to`).

    The focus moves as the key is handled, and keys that arrived with it (tmux or a
    paste sending `enter a` in one write) are passed on to the list, not typed here.
    """

    BINDINGS = [Binding("escape", "leave", "Back to list")]

    leave_to: Widget | None = None
    _left = False  # enter or esc was handled: keys queued behind it are not ours

    @dataclass
    class Leave(Message):
        """The user is done typing (esc)."""

    async def _on_key(self, event: events.Key) -> None:
        if self._left and self.screen.focused is not self:
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))  # to the focus
            return
        if event.key in ("enter", "escape"):  # handled now, not once it reaches the app
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                self._leave()
                await self.action_submit()
            else:
                self.action_leave()
            return
        await super()._on_key(event)

    def _on_focus(self, event: events.Focus) -> None:
        self._left = False
        super()._on_focus(event)

    def action_leave(self) -> None:
        self._leave()
        self.post_message(self.Leave())

    def _leave(self) -> None:
        if self.leave_to is not None:
            self._left = True
            self.screen.set_focus(self.leave_to)


class SearchBar(Horizontal):
    """Query input on the left, status (count, view, sort) on the right."""

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder=PLACEHOLDER, id="search")
        yield Static(id="status")

    def show_status(self, text: Text) -> None:
        self.query_one("#status", Static).update(text)
