"""The detail pane: everything about the highlighted paper, abstract in full."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from readinglist.links import RefusedLink, openable_link
from readinglist.listing import year_label
from readinglist.model import Paper
from readinglist.safe_text import clipped, counted, safe, safe_line

Spans = Callable[[str], list[tuple[int, int]]]
MAX_AUTHORS = 12
# A note or abstract is drawn up to this many characters: a hostile 10 MB one would take
# the pane tens of seconds at every highlight. The note editor (n) shows the rest.
SHOWN_CHARS = 20_000
SHOWN_LINE = 2_000  # a one-line field (title, journal, ...) is cut here
_STYLES = ("title", "label", "match", "tag", "muted")  # the pane's component styles


def when(stamp: str | None) -> str:
    """An ISO time as `2025-01-02 10:30 UTC` (as stored when unparseable)."""
    if not stamp:
        return ""
    day, _, clock = stamp.partition("T")
    if not clock:
        return day
    zone = clock[8:]
    return f"{day} {clock[:5]}" + (" UTC" if zone in ("+00:00", "Z") else f" {zone}")


def authors_line(paper: Paper) -> str:
    """The names (the first dozen and a count), else `N authors`."""
    names = [safe_line(n[:SHOWN_LINE]) for n in paper.authors[: MAX_AUTHORS + 1]]
    if len(paper.authors) > MAX_AUTHORS:
        more = len(paper.authors) - MAX_AUTHORS
        return ", ".join(names[:MAX_AUTHORS]) + f" and {more} more"
    if names:
        return ", ".join(names)
    count = paper.author_count
    return "" if count is None else counted(count, "author")


def date_line(paper: Paper) -> str:
    if paper.published and paper.year_inferred:
        return f"{paper.published} (year inferred)"
    if paper.published:
        return paper.published
    label = year_label(paper)
    return f"{label} (year inferred)" if paper.year_inferred else label


class DetailPane(VerticalScroll, can_focus=True):
    """Scrollable details of one paper."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    COMPONENT_CLASSES = {f"detail-pane--{name}" for name in _STYLES}

    DEFAULT_CSS = """
    DetailPane {
        & > .detail-pane--title { text-style: bold; color: $text-primary; }
        & > .detail-pane--label { color: $foreground-muted; }
        & > .detail-pane--match { color: $text-warning; text-style: bold underline; }
        & > .detail-pane--tag { color: $text-secondary; }
        & > .detail-pane--muted { color: $foreground-muted; text-style: italic; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paper: Paper | None = None
        self.spans: Spans | None = None
        self.placeholder = "No paper highlighted."
        self._marks: list[tuple] = []  # the highlights of the content made last
        self._shown: tuple | None = None  # what the pane was last drawn from

    def compose(self):
        yield Static(id="detail-body")

    def show(self, paper: Paper | None) -> None:
        """Show `paper` (None: the placeholder), scrolled to the top when it changed.

        Drawn again only when what it shows changed: a keystroke of a search often keeps
        the paper and its highlights, and a long abstract takes milliseconds to lay out.
        """
        if paper is None or self.paper is None or paper.id != self.paper.id:
            self.scroll_home(animate=False)
        self.paper = paper
        content = self.content()
        styles = tuple(map(self._style, _STYLES))
        shown = (paper, self.placeholder, tuple(self._marks), styles)
        if shown != self._shown:
            self._shown = shown
            self.query_one("#detail-body", Static).update(content)

    def on_mount(self) -> None:
        self.show(self.paper)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"detail-pane--{name}", partial=True)

    def content(self) -> RenderableType:
        """What the pane shows for the current paper."""
        paper, self._marks = self.paper, []
        if paper is None:
            return Text(self.placeholder, style=self._style("muted"))
        parts: list[RenderableType] = [self._title(paper), Text(""), self._fields(paper)]
        if paper.note:
            parts += [Text(""), Text("Note", style=self._style("label")), self._note(paper)]
        parts += [Text(""), self._abstract(paper)]
        return Group(*parts)

    def _highlighted(self, text: str, style: Style | None = None) -> Text:
        result = Text(text, style=style or "")
        if self.spans is not None:
            marks = tuple(self.spans(text))
            self._marks.append(marks)  # (what `show` compares)
            for start, end in marks:
                result.stylize(self._style("match"), start, end)
        return result

    def _title(self, paper: Paper) -> Text:
        title = self._highlighted(_line(paper.title), self._style("title"))
        if paper.title_derived:
            title.stylize("italic")
            title.append("\n(title derived from the abstract)", style=self._style("muted"))
        return title

    def _fields(self, paper: Paper) -> Table:
        grid = Table.grid(padding=(0, 1), pad_edge=False)
        grid.add_column(style=self._style("label"), no_wrap=True)
        grid.add_column(ratio=1)
        for name, value in self._rows(paper):
            if value:
                grid.add_row(name, value)
        return grid

    def _rows(self, paper: Paper) -> list[tuple[str, Text | str]]:
        tags = Text(_line(" ".join(f"#{t}" for t in paper.tags)), style=self._style("tag"))
        state = f"read {when(paper.read_at)}".strip() if paper.read else "unread"
        return [
            ("Authors", Text(authors_line(paper))),
            ("Date", Text(date_line(paper))),
            ("Upvotes", "" if paper.upvotes is None else Text(f"▲ {paper.upvotes}")),
            ("Journal", Text(_line(paper.journal or ""))),
            ("arXiv", Text(_line(paper.arxiv or ""))),
            ("DOI", Text(_line(paper.doi or ""))),
            ("Link", Text(link_line(paper))),
            ("Sources", Text(_line(", ".join(paper.sources)))),
            ("Tags", tags if paper.tags else Text("none", style=self._style("muted"))),
            ("Status", Text(state)),
            ("Added", Text(when(paper.added))),
            ("Cite key", Text(_line(paper.key))),
        ]

    def _abstract(self, paper: Paper) -> Text:
        abstract, left_out = clipped(paper.abstract, SHOWN_CHARS)
        if not abstract.strip():
            return Text("No abstract.", style=self._style("muted"))
        text = self._highlighted(safe(abstract.strip()))
        if left_out:
            text.append(f"\n… {left_out:,} more characters", style=self._style("muted"))
        return text

    def _note(self, paper: Paper) -> Text:
        note, left_out = clipped(paper.note, SHOWN_CHARS)
        text = Text(safe(note))
        if left_out:
            more = f"\n… {left_out:,} more characters: n shows the whole note"
            text.append(more, style=self._style("muted"))
        return text


def _line(text: str) -> str:
    """A one-line field, sanitised, cut at SHOWN_LINE characters."""
    return safe_line(text[:SHOWN_LINE]) + ("…" if len(text) > SHOWN_LINE else "")


def link_line(paper: Paper) -> str:
    """The link `o` opens, or why it opens none."""
    try:
        link = openable_link(paper)
    except RefusedLink as refused:
        return str(refused)
    return link or "none (o cannot open it)"
