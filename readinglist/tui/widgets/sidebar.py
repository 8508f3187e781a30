"""The sidebar: the views (Unread, Read, All) and the tags, each with a live count."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from readinglist.text import safe_line
from readinglist.tui.session import Counts

VIEW_NAMES = {"unread": "Unread", "read": "Read", "all": "All"}


def _label(name: str, count: int, style: str = "") -> Table:
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(Text(name, style=style), Text(str(count), style="dim"))
    return grid


class Sidebar(OptionList):
    """Moving onto a view or a tag filters the paper list (a tag shows read papers too)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """The user moved to a view or a tag."""

        view: str
        tag: str | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Views"
        self._chosen: tuple[str, str | None] = ("unread", None)
        self._shown: tuple = ()

    def show_counts(self, counts: Counts, view: str, tag: str | None) -> None:
        """Rebuild the entries with new counts, keeping the highlight on the current choice."""
        self._chosen = (view, tag)
        shown = (counts.unread, counts.read, tuple(counts.tags.items()), view, tag)
        if shown == self._shown:
            return
        self._shown = shown
        options: list[Option | None] = [
            Option(_label(VIEW_NAMES[name], getattr(counts, name)), id=f"view:{name}")
            for name in VIEW_NAMES
        ]
        if counts.tags:
            options.append(Option(Text("Tags", style="bold"), id="heading", disabled=True))
        options += [
            Option(_label(f"#{safe_line(t)}", n), id=f"tag:{t}") for t, n in counts.tags.items()
        ]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            self.highlighted = self._index_of(view, tag)

    def _index_of(self, view: str, tag: str | None) -> int:
        wanted = f"tag:{tag}" if tag else f"view:{view}"
        try:
            return self.get_option_index(wanted)
        except OptionDoesNotExist:  # the tag has gone: fall back to the view
            return self.get_option_index(f"view:{view}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        kind, _, name = (event.option.id or "").partition(":")
        chosen = (name, None) if kind == "view" else ("all", name) if kind == "tag" else None
        if chosen and chosen != self._chosen:
            self._chosen = chosen
            self.post_message(self.Chosen(*chosen))
