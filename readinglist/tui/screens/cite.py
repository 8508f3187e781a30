"""Choosing a citation style: a live preview, copy with enter, the text stays on screen."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from readinglist import citations
from readinglist.model import Paper
from readinglist.text import counted
from readinglist.tui.widgets.keyed_list import KeyedOptionList
from readinglist.tui.widgets.safe_text import SafeTextArea


class CiteDialog(ModalScreen[str | None]):
    """Styles on the left, the citation text on the right. Returns the last style copied."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("d", "make_default", "Make default"),
    ]

    @dataclass
    class Copy(Message):
        """Copy this citation text (the app reports where it went)."""

        text: str
        style: str

    @dataclass
    class MakeDefault(Message):
        """Use this style for `c` from now on."""

        style: str

    def __init__(self, papers: list[Paper], keys: dict[str, str], default: str) -> None:
        super().__init__()
        self._papers, self._keys, self._default = papers, keys, default
        self._copied: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="cite-dialog") as dialog:
            count = len(self._papers)
            dialog.border_title = f"Cite {counted(count, 'paper')}"
            with Horizontal():
                yield KeyedOptionList(*self._options(), id="styles")
                yield SafeTextArea("", read_only=True, soft_wrap=True, id="preview")
            yield Static(
                "enter copy · d make default · tab to the text to select by hand · esc close",
                classes="dialog-keys",
            )

    def _options(self) -> list[Option]:
        return [
            Option(Text(s + ("  (default)" if s == self._default else "")), id=s)
            for s in citations.STYLES
        ]

    def on_mount(self) -> None:
        styles = self.query_one("#styles", OptionList)
        styles.highlighted = citations.STYLES.index(self._default)
        styles.focus()

    @property
    def style_name(self) -> str:
        option = self.query_one("#styles", OptionList).highlighted_option
        return option.id if option and option.id else self._default

    def text(self) -> str:
        return citations.cite(self._papers, self.style_name, self._keys)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#preview", SafeTextArea).load_text(self.text())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._copied = self.style_name
        self.post_message(self.Copy(self.text(), self.style_name))

    def action_make_default(self) -> None:
        self._default = self.style_name
        styles = self.query_one("#styles", OptionList)
        for option in self._options():
            styles.replace_option_prompt(option.id or "", option.prompt)
        self.post_message(self.MakeDefault(self._default))

    def action_close(self) -> None:
        self.dismiss(self._copied)
