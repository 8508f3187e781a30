"""The paper list: a Line API widget that renders only the rows on screen.

It holds a list of paper ids and looks each paper up when its row is drawn,
so refilling it after a search or a filter costs the same at 100,000 papers
as at 10.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from readinglist.listing import year_label
from readinglist.model import Paper
from readinglist.safe_text import safe_line, truncate

Spans = Callable[[str], list[tuple[int, int]]]


class PaperList(ScrollView, can_focus=True):
    """Papers, one per row: read marker, title, tags, year, upvotes."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("space", "toggle_select", "Select"),
    ]

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--cursor-blurred",
        "paper-list--selected",
        "paper-list--read",
        "paper-list--unread-marker",
        "paper-list--derived",
        "paper-list--match",
        "paper-list--tag",
        "paper-list--meta",
        "paper-list--empty",
    }

    DEFAULT_CSS = """
    PaperList {
        background: $surface;
        & > .paper-list--cursor { background: $block-cursor-background;
            color: $block-cursor-foreground; text-style: $block-cursor-text-style; }
        & > .paper-list--cursor-blurred { background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground; }
        & > .paper-list--selected { background: $accent 25%; }
        & > .paper-list--read { color: $foreground-muted; }
        & > .paper-list--unread-marker { color: $accent; text-style: bold; }
        & > .paper-list--derived { text-style: italic; }
        & > .paper-list--match { color: $text-warning; text-style: bold underline; }
        & > .paper-list--tag { color: $text-secondary; }
        & > .paper-list--meta { color: $foreground-muted; }
        & > .paper-list--empty { color: $foreground-muted; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another paper (None: the list is empty)."""

        paper_list: PaperList
        paper_id: str | None

        @property
        def control(self) -> PaperList:
            return self.paper_list

    @dataclass
    class SelectionChanged(Message):
        """Papers were selected or deselected with space (or a click)."""

        paper_list: PaperList
        count: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ids: list[str] = []
        self.papers: dict[str, Paper] = {}
        self.selected: set[str] = set()
        self.empty_message = Text("")
        self.spans: Spans | None = None
        self._last_posted: str | None = None
        self._plain = False
        self._rows: dict[str, int] | None = None  # id -> row, built when a selection needs it

    # ----- state ---------------------------------------------------------------------

    @property
    def current(self) -> str | None:
        """The id of the highlighted paper."""
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    @property
    def has_targets(self) -> bool:
        """Whether an action has papers to act on (cheap: for footers and check_action)."""
        return bool(self.selected) or self.current is not None

    @property
    def target_set(self) -> set[str]:
        """The selected papers, else the highlighted one, in no order."""
        if self.selected:
            return self.selected
        return {self.current} if self.current else set()

    @property
    def targets(self) -> list[str]:
        """The selected papers in list order, else the highlighted one."""
        if self.selected:
            rows = self._row_index()
            return sorted(self.selected, key=rows.__getitem__)
        return [self.current] if self.current else []

    def _row_index(self) -> dict[str, int]:
        if self._rows is None:
            self._rows = {pid: row for row, pid in enumerate(self.ids)}
        return self._rows

    def show(
        self, ids: list[str], papers: dict[str, Paper], keep: str | None = None, top: bool = False
    ) -> None:
        """Show `ids`; the cursor stays on `keep` if it is still listed, else at its row.

        `top`: the cursor and the scroll go to the first row.
        """
        row = 0 if top else self.cursor
        if top:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.ids, self.papers, self._rows = ids, papers, None
        if self.selected:
            rows = self._row_index()
            self.selected = {pid for pid in self.selected if pid in rows}
        if keep is not None:
            row = self._find(keep, row)
        self.virtual_size = Size(self.size.width, len(ids))
        self._move(min(row, max(len(ids) - 1, 0)))
        self.refresh()

    def _find(self, pid: str, near: int) -> int:
        """The row of `pid` (looked for at `near` first), else `near`."""
        ids = self.ids
        if 0 <= near < len(ids) and ids[near] == pid:
            return near
        if self._rows is not None:
            return self._rows.get(pid, near)
        try:
            return ids.index(pid)
        except ValueError:
            return near

    def clear_selection(self) -> None:
        if self.selected:
            self.selected.clear()
            self.post_message(self.SelectionChanged(self, 0))
            self.refresh()

    def watch_cursor(self, row: int) -> None:
        self._keep_visible(row)
        self.refresh()
        current = self.current
        if current != self._last_posted:
            self._last_posted = current
            self.post_message(self.Highlighted(self, current))

    def _move(self, row: int) -> None:
        self.cursor = max(0, min(row, len(self.ids) - 1))

    def _keep_visible(self, row: int) -> None:
        height = self.scrollable_content_region.height
        if row < self.scroll_y:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif height and row >= self.scroll_y + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    # ----- actions -------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_page(self, direction: int) -> None:
        step = max(self.scrollable_content_region.height - 1, 1)
        self._move(self.cursor + direction * step)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.ids) - 1)

    def action_toggle_select(self) -> None:
        current = self.current
        if current is None:
            return
        self.selected.symmetric_difference_update({current})
        self.post_message(self.SelectionChanged(self, len(self.selected)))
        self._move(self.cursor + 1)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y + int(self.scroll_y) < len(self.ids):
            self.cursor = offset.y + int(self.scroll_y)
        self.focus()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.ids))
        self._keep_visible(self.cursor)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ----- rendering -----------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = int(self.scroll_y) + y
        if not self.ids:
            return self._empty_line(y, width)
        if row >= len(self.ids):
            return Strip.blank(width, self.rich_style)
        text = self.row_text(self.papers[self.ids[row]], width, on_cursor=row == self.cursor)
        return self._strip(text, width, self._row_style(row))

    def _row_style(self, row: int) -> Style:
        style = self.rich_style
        pid = self.ids[row]
        if pid in self.selected:
            style += self.get_component_rich_style("paper-list--selected")
        if row == self.cursor:
            name = "paper-list--cursor" if self.has_focus else "paper-list--cursor-blurred"
            style += self.get_component_rich_style(name)
        return style

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, style), width).crop(0, width)

    def _part_style(self, name: str) -> Style:
        if self._plain:
            return Style()
        return self.get_component_rich_style(f"paper-list--{name}", partial=True)

    def row_text(self, paper: Paper, width: int, on_cursor: bool = False) -> Text:
        """One row: selection and read markers, title, then tags, year and upvotes.

        On the cursor row the cursor's colours win (no muted or tag colours).
        """
        self._plain = on_cursor
        right = self._right_side(paper, width)
        marker = self._marker(paper)
        room = max(width - marker.cell_len - right.cell_len - 1, 8)
        title = self._title(paper, room)
        title.pad_right(room - title.cell_len)
        row = Text.assemble(marker, title, " ", right, no_wrap=True, end="")
        if paper.read:
            row.stylize_before(self._part_style("read"))
        return row

    def _marker(self, paper: Paper) -> Text:
        chosen = "▌" if paper.id in self.selected else " "
        if paper.read:
            return Text(f"{chosen}✓ ")
        return Text.assemble(chosen, ("•", self._part_style("unread-marker")), " ")

    def _title(self, paper: Paper, room: int) -> Text:
        plain = truncate(safe_line(paper.title[: room + 1]), room)  # a huge title: cut first
        title = Text(plain, no_wrap=True, end="")
        if paper.title_derived:
            title.stylize(self.get_component_rich_style("paper-list--derived", partial=True))
        if self.spans is not None:
            match = self.get_component_rich_style("paper-list--match", partial=True)
            for start, end in self.spans(plain):
                title.stylize(match, start, end)
        return title

    def _right_side(self, paper: Paper, width: int) -> Text:
        tag_style, meta = self._part_style("tag"), self._part_style("meta")
        room = max(width // 5, 8)
        tags = safe_line(" ".join(f"#{t}" for t in paper.tags)[: room + 1])
        tags = truncate(tags, room) if width >= 50 else ""
        votes = f"▲{paper.upvotes}" if paper.upvotes is not None else ""
        return Text.assemble(
            (tags, tag_style), " " if tags else "", (f"{year_label(paper):>5}", meta),
            (f" {votes:>5}", meta), end="",
        )  # fmt: skip

    def _empty_line(self, y: int, width: int) -> Strip:
        style = self.get_component_rich_style("paper-list--empty", partial=True)
        lines = self.empty_message.wrap(self.app.console, max(width - 4, 10))
        if 1 <= y <= len(lines):
            line = Text("  ", end="") + lines[y - 1]
            line.stylize_before(style)
            return self._strip(line, width, self.rich_style)
        return Strip.blank(width, self.rich_style)
