"""Choosing a citation style: search every installed style by name or title, a live
preview of the highlighted one, the last styles used first; enter copies and closes.

The list has the keys of every list (j k g G); a letter typed there starts a search.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from readinglist import citations
from readinglist.citations import catalog
from readinglist.model import Paper
from readinglist.safe_text import counted, safe_line
from readinglist.tui.widgets.keyed_list import KeyedOptionList
from readinglist.tui.widgets.safe_text_area import SafeTextArea

MATCHES = 60  # styles listed for a search
NAME_WIDTH = 10  # the column of style names; a longer name has its title on the next line
KEYS = (
    "j k move · enter copy · ctrl+t copy in-text · ctrl+d make default · "
    "/ or type to search · esc close"
)


class StyleList(KeyedOptionList):
    """The styles: j k g G move; any other character starts a search with it."""

    @dataclass
    class Typed(Message):
        """A key meant for the search box: a character, "" to focus it, None to erase."""

        character: str | None

    def on_key(self, event) -> None:
        if event.key in ("j", "k", "g", "G"):
            return  # the list's own bindings
        if event.key == "slash":
            typed: str | None = ""
        elif event.key == "backspace":
            typed = None
        elif event.is_printable and event.character:
            typed = event.character
        else:
            return
        event.stop()
        event.prevent_default()
        self.post_message(self.Typed(typed))


class CiteDialog(ModalScreen[str | None]):
    """A search box and styles on the left, the citation on the right.

    Returns the style copied (None when closed without copying).
    """

    # enter, ctrl+t and esc close the dialog as soon as the app reads the key (priority),
    # so a key sent right after them (`Enter r` in one write) reaches the list beneath.
    BINDINGS = [
        Binding("escape", "close", "Close", priority=True),
        Binding("enter", "copy", "Copy", priority=True),
        Binding("ctrl+d", "make_default", "Make default", priority=True),  # over the Input's
        Binding("ctrl+t", "copy_in_text", "Copy in-text", priority=True),
        Binding("down", "move(1)", "Next style", show=False),
        Binding("up", "move(-1)", "Previous style", show=False),
    ]

    @dataclass
    class Copy(Message):
        """Copy this citation text (the app reports where it went)."""

        text: str
        style: str
        ids: list[str]

    @dataclass
    class MakeDefault(Message):
        """Use this style for `c` from now on."""

        style: str

    def __init__(
        self,
        papers: list[Paper],
        keys: dict[str, str],
        default: str,
        recent: list[str] | None = None,
        index_dir=None,
    ) -> None:
        super().__init__()
        self._papers, self._keys, self._default = papers, keys, default
        self._recent = [s for s in (recent or []) if s != default][:5]
        self._index_dir = index_dir
        self._index: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="cite-dialog") as dialog:
            dialog.border_title = f"Cite {counted(len(self._papers), 'paper')}"
            with Horizontal():
                with Vertical(id="style-pane"):
                    yield Input(
                        placeholder="search 2,850 styles", id="style-search", select_on_focus=False
                    )
                    yield StyleList(*self._options(""), id="styles")
                yield SafeTextArea("", read_only=True, soft_wrap=True, id="preview")
            yield Static(KEYS, classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#styles", OptionList).focus()
        self._highlight(self._default)
        self._load_index()

    # ----- the list of styles ----------------------------------------------------------

    def _options(self, query: str) -> list[Option]:
        names = self._names(query)
        return [Option(self._label(name), id=name) for name in names]

    def _names(self, query: str) -> list[str]:
        """The default, the recent styles and the short names; else the search's matches."""
        if not query.strip():
            first = [self._default, *self._recent]
            return list(dict.fromkeys([*first, *citations.STYLES]))
        word = query.strip().lower()
        own = [s for s in citations.STYLES if s.startswith(word)]
        found = [name for name, _ in catalog.search(query, self._index, limit=MATCHES)]
        return list(dict.fromkeys([*own, *found]))

    def _label(self, name: str) -> RenderableType:
        """The style's name in one column, its title (and default or recent) in the next."""
        title = citations.OWN_TITLES.get(name) or self._index.get(catalog.resolve(name)) or ""
        about = Text(safe_line(title) if title.lower() != name else "", style="dim")
        mark = "default" if name == self._default else "recent" if name in self._recent else ""
        if mark:  # the gap ends the title's span: an SVG renderer drops a span's first spaces
            about.append("  ", style="dim")
            about.append(mark, style="bold" if mark == "default" else "italic")
        return style_row(safe_line(name), about)

    @work(thread=True, exclusive=True, group="style-index", description="style index")
    def _load_index(self) -> None:
        index = catalog.style_index(self._index_dir)
        self.app.call_from_thread(self._index_loaded, index)

    def _index_loaded(self, index: dict[str, str]) -> None:
        self._index = index
        self._refill(self.query_one("#style-search", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refill(event.value)

    def on_style_list_typed(self, event: StyleList.Typed) -> None:
        """A key typed in the list goes to the search box, which takes the focus."""
        search = self.query_one("#style-search", Input)
        search.focus()
        if event.character is None:
            search.action_delete_left()
        elif event.character:
            search.insert_text_at_cursor(event.character)

    def _refill(self, query: str) -> None:
        styles = self.query_one("#styles", OptionList)
        keep = self.style_name
        styles.clear_options()
        styles.add_options(self._options(query))
        self._highlight(keep if not query.strip() else None)

    def _highlight(self, name: str | None) -> None:
        styles = self.query_one("#styles", OptionList)
        if styles.option_count == 0:
            self.query_one("#preview", SafeTextArea).load_text("No style matches.")
            return
        try:
            index = styles.get_option_index(name) if name else 0
        except LookupError:  # not in the list
            index = 0
        styles.highlighted = index
        self._preview(self.style_name)

    def action_move(self, step: int) -> None:
        styles = self.query_one("#styles", OptionList)
        if styles.option_count:
            current = styles.highlighted or 0
            styles.highlighted = max(0, min(styles.option_count - 1, current + step))

    @property
    def style_name(self) -> str:
        option = self.query_one("#styles", OptionList).highlighted_option
        return option.id if option and option.id else self._default

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(self.style_name)

    # ----- preview and copying ----------------------------------------------------------

    def text(self, in_text: bool = False) -> str:
        return citations.cite(self._papers, self.style_name, self._keys, in_text=in_text)

    @work(thread=True, exclusive=True, group="cite-preview", description="citation preview")
    def _preview(self, style: str) -> None:
        try:
            text = citations.cite(self._papers, style, self._keys)
        except ValueError as error:
            text = str(error)
        self.app.call_from_thread(self._show, style, text)

    def _show(self, style: str, text: str) -> None:
        if style == self.style_name:
            self.query_one("#preview", SafeTextArea).load_text(text)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_copy()  # a click on a style

    def action_copy(self) -> None:
        self._copy(in_text=False)

    def action_copy_in_text(self) -> None:
        self._copy(in_text=True)

    def _copy(self, in_text: bool) -> None:
        """Copy the citation and close: the app copies it, so the next key is the list's."""
        if not self.query_one("#styles", OptionList).option_count:
            return
        style = self.style_name
        self.app.post_message(self.Copy(self.text(in_text), style, [p.id for p in self._papers]))
        self.dismiss(style)

    def action_make_default(self) -> None:
        self._default = self.style_name
        self._refill(self.query_one("#style-search", Input).value)
        self.post_message(self.MakeDefault(self._default))

    def action_close(self) -> None:
        self.dismiss(None)


def style_row(name: str, about: Text) -> RenderableType:
    """One option: the name and its title side by side (a long name: the title below it)."""
    if len(name) > NAME_WIDTH:
        return Text.assemble(name, "\n  ", about)
    row = Table.grid(padding=(0, 1, 0, 0), expand=True)
    row.add_column(width=NAME_WIDTH, no_wrap=True)
    row.add_column(ratio=1)
    row.add_row(name, about)
    return row
