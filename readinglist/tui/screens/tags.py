"""Adding tags (with completion from the tags in use) and removing one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from readinglist.model import parse_tags
from readinglist.safe_text import safe_line
from readinglist.tui.widgets.keyed_list import KeyedOptionList
from readinglist.tui.widgets.safe_text import SafeInput

SHOWN_TAGS = 12


def last_item(value: str) -> str:
    """The comma-separated item being typed."""
    return value.rpartition(",")[2].lstrip().lower()


class TagSuggester(Suggester):
    """Completes the last comma-separated item from the tags in use."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        word = last_item(value)
        if not word:
            return None
        for tag in self.tags:
            if tag.startswith(word) and tag != word:
                return value + tag[len(word) :]
        return None


class TagInput(SafeInput):
    """`tab` takes the suggested completion (and stays in the input)."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def action_complete(self) -> None:
        if self._suggestion and self.cursor_at_end:
            self.action_cursor_right()
        else:
            self.screen.focus_next()


def preview(value: str) -> Text:
    """The tags exactly as they will be stored ("deep learning" -> #deep-learning)."""
    try:
        tags = parse_tags(value)
    except ValueError as error:
        return Text(safe_line(str(error)))
    if not tags:
        return Text("")
    return Text("Adds " + " ".join(f"#{safe_line(t)}" for t in tags), style="bold")


class TagDialog(ModalScreen[list[str] | None]):
    """Comma-separated tags to add; returns them normalised, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, subject: Text, tags: list[str]) -> None:
        super().__init__()
        self._subject, self._tags = subject, tags

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="tag-dialog") as dialog:
            dialog.border_title = "Add tags"
            yield Static(self._subject, classes="dialog-subject")
            yield TagInput(placeholder="tag, another-tag", suggester=TagSuggester(self._tags))
            yield Static(self._known(""), id="known-tags", classes="dialog-hint")
            yield Static("", id="tag-preview", classes="dialog-hint")
            yield Static("", id="tag-error", classes="dialog-error")
            yield Static(
                "enter add · tab complete · esc cancel · letters, digits, - _ / .",
                classes="dialog-keys",
            )

    def _known(self, value: str) -> Text:
        word = last_item(value)
        matching = [t for t in self._tags if t.startswith(word)] if word else self._tags
        if not self._tags:
            return Text("No tags yet: the first ones you type start the list.")
        if not matching:
            return Text("New tag")
        shown = ", ".join(safe_line(t) for t in matching[:SHOWN_TAGS])
        more = f" (+{len(matching) - SHOWN_TAGS} more)" if len(matching) > SHOWN_TAGS else ""
        return Text(f"In use: {shown}{more}")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#known-tags", Static).update(self._known(event.value))
        self.query_one("#tag-preview", Static).update(preview(event.value))
        self.query_one("#tag-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            tags = parse_tags(event.value)
        except ValueError as error:
            self.query_one("#tag-error", Static).update(Text(safe_line(str(error))))
            return
        if not tags:
            self.query_one("#tag-error", Static).update("Type a tag, or esc to cancel.")
            return
        self.dismiss(tags)

    def action_cancel(self) -> None:
        self.dismiss(None)


class UntagDialog(ModalScreen[str | None]):
    """Pick one of the papers' tags to remove."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, subject: Text, tags: list[str]) -> None:
        super().__init__()
        self._subject, self._tags = subject, tags

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="untag-dialog") as dialog:
            dialog.border_title = "Remove a tag"
            yield Static(self._subject, classes="dialog-subject")
            yield KeyedOptionList(*[Option(Text(f"#{safe_line(t)}"), id=t) for t in self._tags])
            yield Static("enter remove · esc cancel", classes="dialog-keys")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
