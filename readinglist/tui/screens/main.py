"""The main screen: search bar, sidebar, paper list, detail pane and footer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input

from readinglist.model import Paper
from readinglist.persistence.library import FirstPage, open_library
from readinglist.safe_text import counted, safe_line
from readinglist.tui.commands import bindings
from readinglist.tui.completing import Completion
from readinglist.tui.long_work import LongWork
from readinglist.tui.messages import IndexReady, SearchDone, WorkStep
from readinglist.tui.screens.navigation import Navigation
from readinglist.tui.searching import Searcher, SearchState
from readinglist.tui.session import SORTS, Change, Session, View
from readinglist.tui.store import Store
from readinglist.tui.triage import PaperActions, delegate_actions
from readinglist.tui.widgets.detail import DetailPane
from readinglist.tui.widgets.footer import KeyFooter
from readinglist.tui.widgets.paper_list import PaperList
from readinglist.tui.widgets.search_bar import SearchBar, SearchInput
from readinglist.tui.widgets.sidebar import Sidebar
from readinglist.tui.widgets.work_bar import WorkBar

if TYPE_CHECKING:
    from readinglist.search.cache import Stamp
    from readinglist.tui.app import ReadingListApp

FEW_GONE = 64  # papers leaving the list that are looked up one by one (in C), not passed over
SEARCH_DELAY = 0.02  # coalesces a paste or a burst of keys; well under a keystroke's gap
FIRST_PAGE = 200  # each keystroke ranks this many; the rest once typing pauses
FULL_DELAY = 0.25
PANES = ("#sidebar", "#papers", "#detail")
PAGE_MOVES = {"j": 1, "down": 1, "k": -1, "up": -1, "g": None, "home": None}  # None: to row 1


INDEX_DELAY = 0.3  # seconds between showing papers and indexing them


@delegate_actions("papers", PaperActions)
@delegate_actions("navigation", Navigation)
class MainScreen(Screen):
    """Where the user triages: every paper action is a key on this screen.

    The paper actions (`papers`, a PaperActions) are a plain object the screen owns:
    the commands it implements become this screen's actions.
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        *bindings(),
        Binding("escape", "back", "Back", show=False),
        Binding("tab", "cycle_focus(1)", "Next pane", show=False),
        Binding("shift+tab", "cycle_focus(-1)", "Previous pane", show=False),
    ]

    def __init__(self, session: Session, store: Store) -> None:
        super().__init__()
        self.session, self.store = session, store
        self.searcher = Searcher()
        self.view = View()
        self.searching = SearchState()
        self.loaded = False
        self.first_page: FirstPage | None = None  # shown until the whole library is loaded
        self._key_state: tuple = ()
        self.long_work = LongWork(self)
        self.completion = Completion(self)
        self.papers = PaperActions(session, self.view, store, self.searcher, self)
        self.navigation = Navigation(self)

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search-bar")
        with Horizontal(id="body"):
            yield Sidebar(id="sidebar")
            yield PaperList(id="papers")
            yield DetailPane(id="detail")
        yield WorkBar(id="work")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.paper_list.empty_message = Text("Opening the library…")
        self.paper_list.focus()
        self.search_input.leave_to = self.paper_list

    def on_resize(self) -> None:
        footer = self.query_one(KeyFooter)
        footer.compact = footer.narrow = self.size.width < 110

    # ----- parts -----------------------------------------------------------------------

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def search_input(self) -> SearchInput:
        return self.query_one(SearchInput)

    def current_paper(self) -> Paper | None:
        pid = self.paper_list.current
        if pid is None:
            return None
        return self.session.papers.get(pid) or self.paper_list.papers.get(pid)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.papers.possible(action)

    def in_thread(self, work: Callable[[], None], name: str, exclusive: bool = False) -> None:
        """Run `work` on a worker thread (the paper actions' slow parts)."""
        self.run_worker(work, thread=True, group=name, exclusive=exclusive, description=name)

    def action_help(self) -> None:
        from readinglist.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    # ----- loading ---------------------------------------------------------------------

    def show_first_page(self, page: FirstPage) -> None:
        """Show the first papers of the view before the rest of the library is read (the
        sidebar's counts and the other views wait for it; keys wait too, see key_hold.py)."""
        self.first_page = page
        papers = {paper.id: paper for paper in page.papers}
        self.paper_list.show(list(papers), papers, top=True)
        self.query_one(Sidebar).show_views(self.view.view)
        self.detail.show(self.current_paper())
        self.show_status()
        self._refresh_keys()  # the paper keys work (they wait for the library, key_hold.py)

    def moves_on_first_page(self, key: str) -> bool:
        """Whether `key` moves the cursor within the first page, while it is shown alone."""
        plist = self.paper_list
        if self.loaded or self.first_page is None or self.focused is not plist:
            return False
        if key not in PAGE_MOVES:
            return False
        step = PAGE_MOVES[key]
        return step is None or 0 <= plist.cursor + step < len(plist.ids)

    def load(self, prepared: Session, top: bool = False) -> None:
        """Show a fresh set of papers (first load, import, or another process's edit)."""
        self.session.adopt(prepared)
        self.loaded, self.first_page = True, None
        self.paper_list.empty_message = self.empty_message()
        self.refill(top=top)
        # Paint the papers first: loading a saved index holds the interpreter for a while.
        self.set_timer(INDEX_DELAY, self.build_index)

    def take_papers(self, papers: list[Paper], removed: Sequence[str] = ()) -> None:
        """Show papers the library changed by itself (a fill, fixed keys), cursor kept."""
        self.session.take(papers, removed)
        self.searcher.changed(papers, list(removed))
        self.refill()

    def build_index(self) -> None:
        generation, session = self.searcher.start_build(), self.session
        papers = list(session.papers.values())
        self._build_index(papers, generation, session.index_folder, session.stamp)

    @work(thread=True, exclusive=True, group="index", description="index")
    def _build_index(
        self, papers: list[Paper], generation: int, folder: Path | None, stamp: Stamp | None
    ) -> None:
        if self.searcher.build(papers, generation, folder, stamp):
            self.post_message(IndexReady(generation))

    def on_index_ready(self, message: IndexReady) -> None:
        if self.view.query.strip():
            self.search(FIRST_PAGE)

    def empty_message(self) -> Text:
        if self.session.papers:
            return self._nothing_here()
        root = self.store.library.root
        return Text.assemble(
            ("This library is empty.\n\n", "bold"),
            "Import papers (Hugging Face Daily Papers text, abstracts, BibTeX, JSON):\n",
            (f"  readinglist --library {root} import FILE\n\n", "bold"),
            "or press ", ("i", "bold"), " to import a file here, or ",
            ("L", "bold"), " to load the sample papers.",
        )  # fmt: skip

    def _nothing_here(self) -> Text:
        if self.view.searching:
            return self._no_match()
        if self.view.view == "unread" and self.view.tag is None:
            return Text("Inbox zero: every paper is read. The Read and All views hold them.")
        return Text("No papers here.")

    # ----- showing ---------------------------------------------------------------------

    def _no_match(self) -> Text:
        """Nothing matches here; and whether the whole library has matches (press a)."""
        view = self.view
        if not view.scoped:
            return Text("No paper matches the search. esc twice clears it.")
        if view.tag_filter:
            which = f"No paper tagged #{view.tag_filter}"
        else:
            which = {"unread": "No unread paper", "read": "No read paper"}.get(
                view.view, "No just-imported paper"
            )
        elsewhere, result = self.searching.elsewhere, self.searching.result
        if view.only is not None and result is not None:
            elsewhere = result.total
        if elsewhere:
            return Text(f"{which} matches; {elsewhere} in All — press a")
        return Text(f"{which} matches, nor any other. esc twice clears the search.")

    def refill(self, keep: str | None = None, top: bool = False) -> None:
        """Recompute the list from the view, keeping the cursor on `keep` (or the current).

        `top`: the user asked for another list (a query, a sort, a view): cursor on row 1.
        """
        ranked = self.searching.ranked(self.view.query)
        self._show(self.session.visible(self.view, ranked), keep, top)

    def _show(self, ids: list[str], keep: str | None = None, top: bool = False) -> None:
        ranked = self.searching.ranked(self.view.query) is not None
        plist = self.paper_list
        plist.empty_message = self.empty_message() if self.loaded else plist.empty_message
        plist.spans = self._spans() if ranked else None
        self.detail.spans = plist.spans
        plist.show(ids, self.session.papers, keep=None if top else keep or plist.current, top=top)
        imported = len(self.view.imported) if self.view.imported else None
        sidebar = self.query_one(Sidebar)
        sidebar.show_counts(self.session.counts(), self.view.view, self.view.tag, imported)
        self.detail.show(self.current_paper())
        self.show_status()
        self._refresh_keys()

    def refill_after(self, change: Change) -> None:
        """After a change: drop the papers that left the view (no pass over the library,
        nor over the list for a few: a paper marked read leaves at once at 100,000)."""
        papers, view, plist = self.session.papers, self.view, self.paper_list
        changed = {p.id for p in change.after} | set(change.removed)
        gone = {pid for pid in changed if pid not in papers or not view.keeps(papers[pid])}
        ids = _without(plist.ids, gone)
        keep = plist.current
        if keep in gone:  # the cursor stays on its row, on the paper that took its place
            keep = ids[min(plist.cursor, len(ids) - 1)] if ids else None
        self._show(ids, keep)

    def _spans(self):
        from readinglist.search import highlight_spans

        result = self.searching.result
        return lambda text: highlight_spans(text, result)

    def show_status(self) -> None:
        if self.first_page is not None:
            total = counted(self.first_page.total, "paper")
            self.query_one(SearchBar).show_status(Text(f"reading {total}…", no_wrap=True))
            return
        shown = len(self.paper_list.ids)
        where = self.navigation.scope_name() if self.view.searching else self.navigation.where()
        result, query = self.searching.result, self.view.query.strip()
        if result is not None and query and self.searching.first_page_only():
            shown = result.total  # the first page is listed, every match is counted
        parts = [counted(shown, "paper"), where, f"by {self.view.sort}"]
        selected = len(self.paper_list.selected)
        if selected:
            parts.append(f"{selected} selected")
        from readinglist.sync.syncing import sync_label  # (not before the first page)

        if synced := sync_label(self.store.library.root):
            parts.append(synced)
        status = Text(" · ".join(parts), no_wrap=True, overflow="ellipsis")
        if result is not None and result.error and query:
            status = Text(result.error, style="bold")
        elif query and result is None:
            count = len(self.session.papers)
            status = Text("searching…" if self.searcher.ready else f"indexing {count} papers…")
        self.query_one(SearchBar).show_status(status)

    def action_sync_now(self) -> None:
        """Sync in the store's thread, through a library object of its own, so what the
        sync brings arrives as any outside change does."""
        from readinglist.sync.syncing import sync

        self.notify("Syncing…", timeout=2)
        self.store.submit(
            lambda lib: sync(open_library(lib.root)).lines(),
            done=self._synced,
            failed=self._sync_failed,
        )

    def _synced(self, lines: list[str]) -> None:
        self.notify("\n".join(safe_line(line) for line in lines), markup=False, timeout=6)
        self.show_status()

    def _sync_failed(self, error: Exception) -> None:
        self.notify(safe_line(str(error)), title="Sync", severity="error", markup=False)
        self.show_status()

    def on_paper_list_highlighted(self, message: PaperList.Highlighted) -> None:
        self.detail.show(self.current_paper())
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Update the footer when what is possible changed (it rebuilds itself: not per key)."""
        state = (
            self.paper_list.has_targets,
            bool(self.session.history),
            bool(self.session.papers),
            bool(self.paper_list.ids),
            self.loaded,
        )
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    def on_paper_list_selection_changed(self, message: PaperList.SelectionChanged) -> None:
        self.show_status()

    def on_sidebar_chosen(self, message: Sidebar.Chosen) -> None:
        self.choose(message.view, message.tag)

    def choose(self, view: str, tag: str | None) -> None:
        """Show a view or a tag (from the sidebar, a view key or the tag dialog)."""
        self.view.view, self.view.tag = view, tag
        self.paper_list.clear_selection()
        self.research()

    def research(self) -> None:
        """What the list shows changed: search again (if searching), cursor on the top row."""
        if self.view.searching and self.searcher.ready:
            self.searching.to_top = True
            self.search(FIRST_PAGE)  # the list changes when the view's matches arrive
        else:
            self.refill(top=True)

    @on(Sidebar.OptionSelected, "#sidebar")
    def _sidebar_enter(self) -> None:
        self.paper_list.focus()

    # ----- search ----------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        searching = bool(event.value.strip())
        state = self.searching
        if searching and not self.view.query.strip():
            state.sort_before, self.view.sort = self.view.sort, "relevance"
        elif not searching and self.view.sort == "relevance":
            self.view.sort = state.sort_before
        self.view.query = event.value
        state.stop()
        state.to_top = True
        if not searching:
            state.result = None
            self.refill(top=True)
            return
        state.wait(self.set_timer(SEARCH_DELAY, lambda: self.search(FIRST_PAGE)))

    def search(self, limit: int | None) -> None:
        """Search for the query within the sidebar's view: the first page, or all (None).

        Sorted other than by relevance, the first page would not be the first rows: all.
        """
        self.searching.stop()
        limit = limit if self.view.sort == "relevance" else None
        view = self.view
        self.run_search(view.scoped_query(), limit, view.query if view.scoped else None)

    @work(thread=True, exclusive=True, group="search", description="search")
    def run_search(self, text: str, limit: int | None, unscoped: str | None = None) -> None:
        """Rank the best `limit` matches (the first page: see FIRST_PAGE), or all (None).

        When none match within the view, `unscoped` (the bare query) counts those outside.
        """
        result = self.searcher.search(text, limit)
        if result is None:
            return
        elsewhere = 0
        if unscoped is not None and not result.total and not result.error:
            everywhere = self.searcher.search(unscoped, 1)
            elsewhere = everywhere.total if everywhere is not None else 0
        self.post_message(SearchDone(text, result, elsewhere))

    def on_search_done(self, message: SearchDone) -> None:
        if message.query != self.view.scoped_query():
            return
        top = self.searching.show(message.result, message.elsewhere)
        self.refill(top=top)
        if self.searching.first_page_only():
            self.searching.wait(self.set_timer(FULL_DELAY, lambda: self.search(None)))

    @on(Input.Submitted, "#search")
    @on(SearchInput.Leave)
    def _leave_search(self) -> None:
        self.paper_list.focus()

    # ----- moving around ---------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.search_input.focus()

    def action_cycle_focus(self, step: int) -> None:
        panes = [w for w in map(self.query_one, PANES) if w.display and w.focusable]
        focused = self.focused
        index = panes.index(focused) if focused in panes else (0 if step > 0 else 1)
        panes[(index + step) % len(panes)].focus()

    def on_work_step(self, message: WorkStep) -> None:
        self.long_work.show(message)

    def action_enrich(self) -> None:
        papers = self.session.papers
        self.completion.start([papers[pid] for pid in self.paper_list.targets])

    def action_enrich_missing(self) -> None:
        from readinglist.sources.fill import needs_metadata

        self.completion.start([p for p in self.session.papers.values() if needs_metadata(p)])

    def action_back(self) -> None:
        plist = self.paper_list
        if self.long_work.stop():
            return
        if self.focused is not plist:
            plist.focus()
        elif plist.selected:
            plist.clear_selection()
        elif self.view.query:
            self.search_input.value = ""

    def remember_sort(self) -> None:
        """Keep the sort for the next start (relevance belongs to a search: not kept)."""
        if self.view.sort != "relevance":
            cast("ReadingListApp", self.app).remember("sort", self.view.sort)

    def action_cycle_sort(self) -> None:
        sorts = SORTS if self.view.query.strip() else SORTS[1:]
        current = sorts.index(self.view.sort) if self.view.sort in sorts else -1
        self.view.sort = sorts[(current + 1) % len(sorts)]
        self.refill(top=True)
        self.notify(f"Sorted by {self.view.sort}", timeout=2)
        self.remember_sort()


def _without(ids: list[str], gone: set[str]) -> list[str]:
    """A new list of `ids` without those in `gone` (a few found by `list.index`, in C)."""
    if len(gone) > FEW_GONE:
        return [pid for pid in ids if pid not in gone]
    kept = list(ids)
    for pid in gone:
        with contextlib.suppress(ValueError):
            del kept[kept.index(pid)]
    return kept
