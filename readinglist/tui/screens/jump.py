"""Going to a tag by name: type to narrow, tab completes, enter goes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from readinglist.safe_text import safe_line
from readinglist.tui.screens.tags import TagInput, TagSuggester
from readinglist.tui.widgets.sidebar import tag_label


class TagJumpDialog(ModalScreen[str | None]):
    """The tags in use with their counts; returns the tag to show, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(self, tags: dict[str, int]) -> None:
        super().__init__()
        self._tags = tags

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="jump-dialog") as dialog:
            dialog.border_title = "Go to a tag"
            yield TagInput(placeholder="tag", suggester=TagSuggester(list(self._tags)))
            yield OptionList(*self._options(""), id="jump-tags")
            yield Static("enter go · tab complete · ↓ ↑ choose · esc cancel", classes="dialog-keys")

    def _options(self, typed: str) -> list[Option]:
        word = typed.strip().lower().lstrip("#")
        starts = [t for t in self._tags if t.startswith(word)]
        inside = [t for t in self._tags if word in t and t not in starts]
        return [Option(tag_label(t, self._tags[t]), id=t) for t in starts + inside]

    def on_input_changed(self, event: Input.Changed) -> None:
        tags = self.query_one(OptionList)
        tags.set_options(self._options(event.value))
        tags.highlighted = 0 if tags.option_count else None

    def on_mount(self) -> None:
        tags = self.query_one(OptionList)
        tags.highlighted = 0 if tags.option_count else None
        tags.can_focus = False  # typing stays in the input; ↓ ↑ move the highlight
        self.query_one(TagInput).focus()

    def action_move(self, step: int) -> None:
        tags = self.query_one(OptionList)
        if tags.option_count:
            tags.highlighted = ((tags.highlighted or 0) + step) % tags.option_count

    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip().lower().lstrip("#")
        option = self.query_one(OptionList).highlighted_option
        if typed in self._tags:
            self.dismiss(typed)
        elif option is not None and option.id:
            self.dismiss(option.id)
        else:
            self.notify(f"No tag {safe_line(typed)!r}", severity="warning")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
