"""The sidebar: the views (Unread, Read, All) and the tags, each with a live count."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from readinglist.safe_text import safe_line
from readinglist.tui.session import Counts
from readinglist.tui.widgets.keyed_list import KeyedOptionList

VIEW_NAMES = {"unread": "Unread", "read": "Read", "all": "All", "new": "Just imported"}
VIEWS = ("unread", "read", "all")


def _label(name: str, count: int | str, style: str = "") -> Table:
    grid = Table.grid(expand=True, padding=(0, 1, 0, 0))  # a space before the count
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(Text(name, style=style), Text(str(count), style="dim"))
    return grid


def tag_label(tag: str, count: int) -> Table:
    """`#tag` on the left, its count right-aligned (the name is cut, never the count)."""
    return _label(f"#{safe_line(tag)}", count)


class Sidebar(KeyedOptionList):
    """Moving onto a view or a tag filters the paper list (a tag shows read papers too)."""

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

    def show_counts(
        self, counts: Counts, view: str, tag: str | None, imported: int | None = None
    ) -> None:
        """Rebuild the entries with new counts, keeping the highlight on the current choice.

        `imported` counts the papers of the last import ("Just imported"; None: none yet).
        """
        self._chosen = (view, tag)
        shown = (counts.unread, counts.read, tuple(counts.tags.items()), view, tag, imported)
        if shown == self._shown:
            return
        self._shown = shown
        numbers = {"unread": counts.unread, "read": counts.read, "all": counts.all}
        if imported is not None:
            numbers["new"] = imported
        options: list[Option | None] = [
            Option(_label(VIEW_NAMES[name], n), id=f"view:{name}") for name, n in numbers.items()
        ]
        if counts.tags:
            options.append(Option(Text("Tags", style="bold"), id="heading", disabled=True))
        options += [Option(tag_label(t, n), id=f"tag:{t}") for t, n in counts.tags.items()]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            self.highlighted = self._index_of(view, tag)

    def show_views(self, view: str) -> None:
        """The views without their counts (the library is still being read)."""
        self._chosen, self._shown = (view, None), ()
        options = [Option(_label(VIEW_NAMES[name], ""), id=f"view:{name}") for name in VIEWS]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            self.highlighted = self._index_of(view, None)

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
