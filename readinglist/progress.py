"""How far long work has got, and a way to stop it (for the app's bar and the CLI's).

No Textual and no terminal here: the work calls `stage` and `advance`; whoever shows
it passes `report`, which gets a `Step` from the working thread (at most every
`every` seconds, and at each new stage). `stop` (from any thread) asks the work to
end: the next `advance` or `check` of a stage that can stop raises `Cancelled`.
A stage that cannot stop (the write itself) runs to its end.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from readinglist.errors import ReadingListError

REPORT_EVERY = 0.1  # seconds between two reports of the same stage
clock = time.monotonic  # (a test steadies the time left with a clock of its own)


class Cancelled(ReadingListError):
    """The user stopped the work before it stored anything."""


@dataclass(frozen=True)
class Step:
    """Where the work is: what it does, how many of how many, the time left."""

    what: str
    done: int = 0
    total: int | None = None  # None: a step whose length is not known
    left: float | None = None  # seconds, once there is a pace to go by
    stoppable: bool = True

    @property
    def counts(self) -> str:
        """`1,200/5,000`, or nothing when there is no count."""
        return f"{self.done:,}/{self.total:,}" if self.total else ""


class Progress:
    """Reports a piece of work's stages and counts; can be asked to stop."""

    def __init__(
        self, report: Callable[[Step], None] | None = None, every: float = REPORT_EVERY
    ) -> None:
        self._report, self._every = report, every
        self._stop = threading.Event()
        self._step = Step("")
        self._started = self._reported = clock()

    @property
    def step(self) -> Step:
        return self._step

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Ask the work to stop at its next chance (safe from any thread)."""
        self._stop.set()

    def stage(self, what: str, total: int | None = None, stoppable: bool = True) -> None:
        """A new part of the work begins (reported at once)."""
        self.check()
        self._started = clock()
        self._step = Step(what, 0, total, None, stoppable)
        self._send()

    def advance(self, count: int = 1, what: str | None = None) -> None:
        """`count` more items of this stage are done (`what`: it is now called so)."""
        self.check()
        step = self._step
        done = step.done + count
        what = step.what if what is None else what
        self._step = Step(what, done, step.total, self._left(done), step.stoppable)
        if clock() - self._reported >= self._every or done == step.total:
            self._send()

    def counted(self, items: Iterable, what: str, total: int) -> Iterator:
        """`items`, with a stage of `total` that advances as each is taken."""
        self.stage(what, total)
        for item in items:
            yield item
            self.advance()

    def check(self) -> None:
        """Raise Cancelled if a stop was asked and the current stage can stop."""
        if self._stop.is_set() and self._step.stoppable:
            raise Cancelled("stopped: nothing was stored")

    def _left(self, done: int) -> float | None:
        total = self._step.total
        if not total or done <= 0:
            return None
        spent = clock() - self._started
        return spent / done * max(total - done, 0)

    def _send(self) -> None:
        self._reported = clock()
        if self._report is not None:
            self._report(self._step)


def duration(seconds: float) -> str:
    """`12s`, `3m05s`: a time left as people read it."""
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
