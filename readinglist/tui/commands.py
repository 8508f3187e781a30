"""Every action of the main screen, for the command palette and the help screen."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class Command:
    """One thing the user can do: its key (if any), name, help, and screen action."""

    key: str
    name: str
    help: str
    action: str


COMMANDS: tuple[Command, ...] = (
    Command("/", "Search", "Search as you type (enter or esc: back to the list)", "focus_search"),
    Command("r", "Read / unread", "Mark the paper (or the selected) read or unread", "toggle_read"),
    Command("t", "Add tags", "Tag the paper (or the selected ones), with completion", "add_tags"),
    Command("T", "Remove a tag", "Remove one of the paper's tags", "remove_tag"),
    Command("n", "Edit note", "Write a note on the paper", "edit_note"),
    Command("c", "Copy citation", "Copy the citation in the default style", "copy_citation"),
    Command("C", "Cite as…", "Search 2,850 styles, preview, copy", "choose_citation"),
    Command("I", "Cite in text", "Copy (Vaswani et al., 2017), default style", "copy_in_text"),
    Command("space", "Select", "Select / deselect (r, t, c, d act on all selected)", "select"),
    Command("s", "Sort", "Cycle the sort: relevance, added, date, title, upvotes", "cycle_sort"),
    Command("u", "Undo", "Undo the last change (read, tag, note, delete)", "undo"),
    Command("o", "Open link", "Open the paper's arXiv/DOI/URL link in the browser", "open_link"),
    Command("d", "Delete", "Delete the paper (or the selected), after asking", "delete"),
    Command("i", "Import a file", "Import HF Daily Papers, abstracts, BibTeX, JSON", "import_file"),
    Command("e", "Export", "Export the papers in the list to a file", "export"),
    Command("L", "Load the sample papers", "Import the bundled sample papers", "load_samples"),
    Command("?", "Keys", "Every key, on one screen", "help"),
)  # fmt: skip

NAVIGATION: tuple[tuple[str, str], ...] = (
    ("j k ↓ ↑", "Move in the list (or scroll the detail pane)"),
    ("pgup pgdn", "Move a page"),
    ("g G home end", "First / last paper"),
    ("tab shift+tab", "Move between sidebar, list and detail"),
    ("enter", "From the search bar or sidebar: back to the list"),
    ("esc", "Back to the list; again: clear the selection, then the query"),
    ("ctrl+p", "Command palette: every action, theme, export, import"),
    ("q", "Quit"),
)


class PaperCommands(Provider):
    """The main screen's actions in the command palette (only those possible now)."""

    def _available(self) -> list[Command]:
        screen = self.screen
        return [c for c in COMMANDS if screen.check_action(c.action, ()) and _has(screen, c)]

    def _hit_text(self, command: Command) -> str:
        return f"{command.name}  ({command.key})"

    async def discover(self) -> Hits:
        for command in self._available():
            run = partial(self.app.run_action, command.action, self.screen)
            yield DiscoveryHit(self._hit_text(command), run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._available():
            text = self._hit_text(command)
            score = max(matcher.match(text), matcher.match(command.help) * 0.5)
            if score > 0:
                run = partial(self.app.run_action, command.action, self.screen)
                yield Hit(score, matcher.highlight(text), run, help=command.help)


def _has(screen, command: Command) -> bool:
    return hasattr(screen, f"action_{command.action}")
