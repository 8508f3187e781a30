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
CLOCK_EVERY = 32  # advances between two looks at the clock
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
        self._what, self._done, self._stoppable = "", 0, True
        self._total: int | None = None
        self._since = 0  # advances since the clock was last read
        self._started = self._reported = clock()

    @property
    def step(self) -> Step:
        """Where the work is now."""
        left = self._left()
        return Step(self._what, self._done, self._total, left, self._stoppable)

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
        self._what, self._done, self._total, self._stoppable = what, 0, total, stoppable
        self._send()

    def advance(self, count: int = 1, what: str | None = None) -> None:
        """`count` more items of this stage are done (`what`: it is now called so).

        Cheap enough for every paper of an import: the clock is read once in a while.
        """
        self.check()
        self._done += count
        self._since += 1
        if what is not None:
            self._what = what
        elif self._since < CLOCK_EVERY and self._every > 0 and self._done != self._total:
            return
        self._since = 0
        if clock() - self._reported >= self._every or self._done == self._total:
            self._send()

    def counted(self, items: Iterable, what: str, total: int) -> Iterator:
        """`items`, with a stage of `total` that advances as each is taken."""
        self.stage(what, total)
        for item in items:
            yield item
            self.advance()

    def check(self) -> None:
        """Raise Cancelled if a stop was asked and the current stage can stop."""
        if self._stoppable and self._stop.is_set():
            raise Cancelled("stopped: nothing was stored")

    def _left(self) -> float | None:
        total, done = self._total, self._done
        if not total or done <= 0:
            return None
        spent = clock() - self._started
        return spent / done * max(total - done, 0)

    def _send(self) -> None:
        self._reported = clock()
        if self._report is not None:
            self._report(self.step)


def duration(seconds: float) -> str:
    """`12s`, `3m05s`: a time left as people read it."""
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
