"""The main screen's long work (an import, an export, completing papers from the web).

One piece at a time, shown in the work bar with its stage, counts and time left, and
stopped with esc while its stage can stop: before anything is stored, or between two
papers that are each their own change. The work runs on the store thread or in a
worker thread; its `Progress` reports back through `WorkStep` messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from readinglist.persistence.library import Library
from readinglist.progress import REPORT_EVERY, Cancelled, Progress, Step
from readinglist.tui.messages import WorkStep
from readinglist.tui.widgets.work_bar import WorkBar

if TYPE_CHECKING:
    from readinglist.tui.screens.main import MainScreen

T = TypeVar("T")
STEP_EVERY = REPORT_EVERY  # seconds between two steps shown of the same stage


class LongWork:
    """The work bar's controller: start, show each step, stop, end."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.progress: Progress | None = None
        self.name = ""

    @property
    def bar(self) -> WorkBar:
        return self.screen.query_one(WorkBar)

    @property
    def running(self) -> bool:
        return self.progress is not None

    def start(self, name: str) -> Progress | None:
        """A Progress for new work called `name`, or None (said why) while other work runs."""
        if self.progress is not None:
            self.screen.notify(
                f"{self.name} is still running (esc stops it)", severity="warning", timeout=3
            )
            return None
        post = self.screen.post_message  # safe from any thread

        def report(step: Step) -> None:
            post(WorkStep(step, progress))

        progress = Progress(report=report, every=STEP_EVERY)
        self.progress, self.name = progress, name
        self.bar.begin(f"{name}…")
        return progress

    def show(self, message: WorkStep) -> None:
        progress = self.progress
        if progress is not None and message.work is progress and not progress.stopping:
            self.bar.show_step(message.step)

    def stop(self) -> bool:
        """Ask the work to stop (esc); False when there is none or its stage cannot stop."""
        progress = self.progress
        if progress is None or not progress.step.stoppable or progress.stopping:
            return progress is not None and progress.stopping
        progress.stop()
        self.bar.stopping()
        return True

    def end(self) -> None:
        self.progress, self.name = None, ""
        self.bar.end()

    def submit(
        self,
        name: str,
        job: Callable[[Library, Progress], T],
        done: Callable[[T], None],
        stopped: str = "nothing was stored",
    ) -> None:
        """Run `job(library, progress)` on the store thread with the bar shown; `done(result)`
        once it is over. A stop says `{name} stopped: {stopped}`."""
        progress = self.start(name)
        if progress is None:
            return

        def finished(result: T) -> None:
            self.end()
            done(result)

        def failed(error: Exception) -> None:
            self.end()
            self.report_failure(name, error, stopped)

        self.screen.store.submit(lambda lib: job(lib, progress), done=finished, failed=failed)

    def report_failure(self, name: str, error: Exception, stopped: str) -> None:
        if isinstance(error, Cancelled):
            self.screen.notify(f"{name} stopped: {stopped}", timeout=5)
        else:
            self.screen.notify(str(error), title=name, severity="error", markup=False)
