"""Every command of the main screen: one table for its key, footer, palette and help."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class Command:
    """One thing the user can do.

    `key` is how the help screen shows the key ("" for a command of the palette only),
    `keys` the Textual key names when they differ; `label` names it in the footer
    ("" keeps it out), `narrow` keeps it there when the terminal is narrow;
    `needs_paper`: only while a paper is highlighted or selected (else shown disabled).
    """

    key: str
    name: str
    help: str
    action: str
    label: str = ""
    keys: str = ""
    narrow: bool = False
    needs_paper: bool = False

    def binding(self) -> Binding:
        return Binding(self.keys or self.key, self.action, self.label or self.name,
                       show=bool(self.label))  # fmt: skip


COMMANDS: tuple[Command, ...] = (
    Command("/", "Search", "Search as you type (enter or esc: back to the list)", "focus_search",
            "Search", "slash", narrow=True),
    Command("?", "Keys", "Every key, on one screen", "help", "Keys", "question_mark", narrow=True),
    Command("r", "Read / unread", "Mark the paper (or the selected) read or unread", "toggle_read",
            "Read", narrow=True, needs_paper=True),
    Command("t", "Add tags", "Tag the paper (or the selected ones), with completion", "add_tags",
            "Tag", narrow=True, needs_paper=True),
    Command("T", "Remove a tag", "Remove one of the paper's tags", "remove_tag"),
    Command("n", "Edit note", "Write a note on the paper", "edit_note", "Note",
            needs_paper=True),
    Command("c", "Copy citation", "Copy the citation in the default style", "copy_citation",
            "Cite", narrow=True, needs_paper=True),
    Command("C", "Cite as…", "Search 2,850 styles, preview, copy", "choose_citation",
            needs_paper=True),
    Command("I", "Cite in text", "Copy (Vaswani et al., 2017), default style", "copy_in_text",
            needs_paper=True),
    Command("space", "Select", "Select / deselect (r, t, c, d act on all selected)", "select",
            needs_paper=True),
    Command("s", "Sort", "Cycle the sort: relevance, added, date, title, upvotes", "cycle_sort",
            "Sort"),
    Command("u", "Undo", "Undo the last change (read, tag, note, delete)", "undo", "Undo",
            narrow=True),
    Command("1", "View: Unread", "Show the unread papers", "show_view('unread')", keys="1"),
    Command("2", "View: Read", "Show the read papers", "show_view('read')", keys="2"),
    Command("3", "View: All", "Show every paper", "show_view('all')", keys="3"),
    Command("#", "Go to a tag…", "Show the papers with a tag (type to complete)", "jump_to_tag",
            "Tag view", "number_sign"),
    Command("b", "Sidebar", "Show or hide the sidebar of views and tags", "toggle_sidebar"),
    Command("a", "Search everything / this view",
            "Search the whole library or only the view (shown in the status line)",
            "toggle_scope"),
    Command("E", "Complete from the web",
            "Fill names, ids, dates from HF, arXiv, Crossref (or the selected)", "enrich",
            needs_paper=True),
    Command("", "Complete missing metadata",
            "Complete every paper lacking names or an id", "enrich_missing"),
    Command("o", "Open link", "Open the paper's arXiv/DOI/URL link in the browser", "open_link",
            needs_paper=True),
    Command("d", "Delete", "Delete the paper (or the selected), after asking", "delete",
            needs_paper=True),
    Command("i", "Import a file", "Import HF Daily Papers, abstracts, BibTeX, JSON", "import_file"),
    Command("p", "Import the clipboard", "Import what is on the clipboard (a copied listing)",
            "import_clipboard"),
    Command("e", "Export", "Export the papers in the list to a file", "export"),
    Command("L", "Load the sample papers", "Import the bundled sample papers", "load_samples",
            "Load samples"),
    Command("S", "Sync now", "Sync with other machines through git (readinglist sync)",
            "sync_now"),
)  # fmt: skip

NAVIGATION: tuple[tuple[str, str], ...] = (
    ("j k ↓ ↑", "Move in the list (or scroll the detail pane)"),
    ("pgup pgdn", "Move a page"),
    ("g G home end", "First / last paper"),
    ("tab shift+tab", "Move between sidebar, list and detail"),
    ("enter", "From the search bar or sidebar: back to the list"),
    (
        "esc",
        "Stop long work; back to the list; again: clear selection, query",
    ),
    ("ctrl+p", "Command palette: every action, theme, export, import"),
    ("q", "Quit"),
)

NARROW_ACTIONS = frozenset(c.action for c in COMMANDS if c.narrow) | {"quit"}
"""What the footer keeps when the terminal is narrow (the palette key is always shown)."""

FOOTER_FIRST = ("quit", "help")
"""Footer keys shown before the others, so that a cut footer still shows them."""


def bindings() -> list[Binding]:
    """The main screen's bindings, in the table's order."""
    return [c.binding() for c in COMMANDS if c.key]


class PaperCommands(Provider):
    """The main screen's actions in the command palette (only those possible now)."""

    def _available(self) -> list[Command]:
        screen = self.screen
        available = [c for c in COMMANDS if _has(screen, c)]
        return [c for c in available if screen.check_action(command_name(c), ())]

    def _hit_text(self, command: Command) -> str:
        return f"{command.name}  ({command.key})" if command.key else command.name

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


def command_name(command: Command) -> str:
    """The action's name without its arguments."""
    return command.action.partition("(")[0]


def _has(screen, command: Command) -> bool:
    return hasattr(screen, f"action_{command_name(command)}")
