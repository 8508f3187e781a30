"""The search index behind the app: built and queried on worker threads.

The UI thread only records changes; the thread that next searches applies
them first, under a lock, so the index is never read while it changes.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from pathlib import Path

from readinglist.model import Paper
from readinglist.search import SearchIndex, SearchResult
from readinglist.search.cache import Stamp, load_or_build


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
        index, _ = load_or_build(papers, folder, stamp)
        index.warm()
        with self._lock:
            if generation != self.generation:
                return False
            self._index = index
            self._flush()
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
