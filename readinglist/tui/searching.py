"""The search behind the app: the index, built and queried on worker threads, and the
main screen's search state.

The UI thread only records changes; the thread that next searches applies
them first, under a lock, so the index is never read while it changes.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.timer import Timer

from readinglist.model import Paper

if TYPE_CHECKING:  # loaded by the index's thread, after the first paint
    from readinglist.search import SearchIndex, SearchResult
    from readinglist.search.cache import Stamp


class Searcher:
    """A SearchIndex with its pending changes."""

    def __init__(self) -> None:
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self._pending: deque[tuple[list[Paper], list[str]]] = deque()
        self.generation = 0

    @property
    def ready(self) -> bool:
        return self._index is not None

    def start_build(self) -> int:
        """Call on the UI thread before `build`: later changes wait for the new index."""
        with self._lock:  # a search may be applying the pending changes
            self.generation += 1
            self._pending = deque()
            return self.generation

    def build(
        self,
        papers: list[Paper],
        generation: int,
        folder: Path | None = None,
        stamp: Stamp | None = None,
    ) -> bool:
        """Index `papers`, or load the index saved in `folder` while it still fits them.

        `stamp` is the generation token of the corpus the papers were read from.
        Slow: run it in a thread. False when a newer build started meanwhile.
        """
        from readinglist.persistence.library import freeze_long_lived
        from readinglist.search.cache import load_or_build

        index, _ = load_or_build(papers, folder, stamp)
        index.warm()
        with self._lock:
            if generation != self.generation:
                return False
            self._index = index
            self._flush()
        freeze_long_lived()  # the index and the papers live on: collections skip them
        return True

    def changed(self, papers: Iterable[Paper] = (), removed: Iterable[str] = ()) -> None:
        """Record changed or new papers and deleted ids (UI thread, cheap)."""
        self._pending.append((list(papers), list(removed)))

    def search(self, text: str, limit: int | None = None) -> SearchResult | None:
        """The best `limit` matches, best first (None: all; None until the index is built)."""
        with self._lock:
            if self._index is None:
                return None
            self._flush()
            return self._index.search(text, limit)

    def _flush(self) -> None:
        index = self._index
        while index is not None and self._pending:
            papers, removed = self._pending.popleft()
            for pid in removed:
                index.remove(pid)
            for paper in papers:
                index.update(paper)


@dataclass
class SearchState:
    """What the main screen holds of its search: the result shown and what comes next.

    `sort_before` is the sort to go back to when the query is cleared (a search sorts
    by relevance); `to_top` puts the cursor on the first row when the next result
    arrives; `timer` is the search waiting to run (a burst of keys, the rest of the
    matches after the first page).
    """

    result: SearchResult | None = None
    elsewhere: int = 0  # matches outside the view when a scoped search found none
    sort_before: str = "added"
    to_top: bool = False
    timer: Timer | None = None

    def ranked(self, query: str) -> list[str] | None:
        """The ranked ids to list while `query` is typed (None: not searching)."""
        return self.result.ids if self.result is not None and query.strip() else None

    def first_page_only(self) -> bool:
        """Whether the result holds the first page of the matches, the rest to come."""
        return self.result is not None and len(self.result.ids) < self.result.total

    def show(self, result: SearchResult, elsewhere: int) -> bool:
        """Take in a result; whether it goes to the top of the list."""
        self.result, self.elsewhere = result, elsewhere
        top, self.to_top = self.to_top, False
        return top

    def wait(self, timer: Timer) -> None:
        """Run `timer`'s search instead of the one waiting."""
        self.stop()
        self.timer = timer

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.stop()
