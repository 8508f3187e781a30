"""Completing papers from the web in the app (`E`; "Complete missing metadata").

The same domain code as `readinglist enrich`: `enriching.enrich`, whose writes go
through the store thread (each filled paper its own change, the lock never held while
the network is asked). The lookups run in a daemon thread, not a Textual worker: the
services' pace and timeouts can keep a lookup going for many seconds, and quitting
must not wait for it (nothing is lost: what was filled is stored, the rest untouched).
Each filled paper is shown as soon as it is stored; esc stops after the current one.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter

from readinglist.model import Paper
from readinglist.progress import Cancelled, Progress
from readinglist.safe_text import counted, safe_line, truncate


class Completion:
    """Runs one completion at a time for the main screen."""

    def __init__(self, screen) -> None:
        self.screen = screen

    def start(self, papers: list[Paper]) -> None:
        if not papers:
            self.screen.notify("Every paper here has author names and an identifier", timeout=3)
            return
        progress = self.screen.long_work.start(f"Completing {counted(len(papers), 'paper')}")
        if progress is not None:
            thread = threading.Thread(
                target=self._run, args=(papers, progress), name="readinglist-enrich", daemon=True
            )
            thread.start()

    def _run(self, papers: list[Paper], progress: Progress) -> None:
        """In the thread: look each paper up, store it, show it; then say what was done."""
        from readinglist import enriching
        from readinglist.sources import DEFAULT_SOURCES, open_client

        store, app = self.screen.store, self.screen.app
        meter = _Meter(self.screen, progress, len(papers))
        try:
            settings = store.call(lambda lib: lib.settings())
            with open_client(store.library.root, settings) as client:
                enriching.enrich(
                    store.library, papers, client, DEFAULT_SOURCES, progress=meter, write=store.call
                )
        except Cancelled:
            pass
        except Exception as error:  # the library or the client: said, nothing lost
            _call(app, self._failed, error)
            return
        _call(app, self._done, meter.results, len(papers))

    def _done(self, results: list, asked: int) -> None:
        from readinglist.enriching import summary

        self.screen.long_work.end()
        head, failures = summary(results)
        if len(results) < asked:
            text = f"Stopped after {len(results)} of {counted(asked, 'paper')}: {head}"
        else:
            text = f"Completed {counted(asked, 'paper')}: {head}"
        failed = bool(failures) and not any(r.outcome in ("filled", "merged") for r in results)
        severity = "warning" if failed else "information"
        self.screen.notify("\n".join([text, *failures]), severity=severity, timeout=8)

    def _failed(self, error: Exception) -> None:
        self.screen.long_work.end()
        self.screen.notify(str(error), title="Completing papers", severity="error", markup=False)


class _Meter:
    """Hears of each paper once stored: shows it in the list, moves the bar on."""

    def __init__(self, screen, progress: Progress, total: int) -> None:
        self.screen, self.progress = screen, progress
        self.results: list = []
        self.counts: Counter[str] = Counter()
        progress.stage(f"Completing {counted(total, 'paper')}", total)

    def __call__(self, result) -> None:
        self.results.append(result)
        self.counts[result.outcome] += 1
        if result.outcome in ("filled", "merged"):
            self._show(result)
        counts = ", ".join(f"{n} {o}" for o, n in sorted(self.counts.items()))
        title = truncate(safe_line(result.title), 40)
        self.progress.advance(what=f"Completing: {counts} — {title}")

    def _show(self, result) -> None:
        pid = result.merged_into or result.id
        paper = self.screen.store.call(lambda lib: lib.get(pid))
        removed = [result.id] if result.merged_into else []
        _call(self.screen.app, self.screen.take_papers, [paper], removed)


def _call(app, callback, *args) -> None:
    """`callback(*args)` on the UI thread, unless the app has closed meanwhile."""
    with contextlib.suppress(RuntimeError):  # the app is gone: what was stored stays stored
        app.call_from_thread(callback, *args)
