"""Progress of long commands (import, enrich) on stderr, only when stderr is a terminal.

In a pipe or a file nothing extra is written. The bar is drawn by `rich.progress`
(rich comes with Textual) and erased when the work ends; text from files is shown
literally, never as markup.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from readinglist.progress import Progress, Step
from readinglist.text import safe_line

REFRESHES = 8  # redraws per second


def on_terminal() -> bool:
    """Whether progress should be drawn: stderr is a terminal."""
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


@contextlib.contextmanager
def shown(enabled: bool | None = None) -> Iterator[Progress]:
    """A Progress drawn on stderr while the block runs (when `enabled`, by default when
    stderr is a terminal); off a terminal one that reports nothing."""
    if not (on_terminal() if enabled is None else enabled):
        yield Progress()
        return
    from rich.console import Console
    from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    console = Console(file=sys.stderr, highlight=False)
    stdout_here = sys.stdout.isatty()  # lines printed meanwhile go above the bar
    bar = Bar(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.fields[counts]}", markup=False),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        refresh_per_second=REFRESHES,
        redirect_stdout=stdout_here,
        redirect_stderr=True,  # warnings printed meanwhile too
    )
    task = bar.add_task("", total=None, counts="")

    def report(step: Step) -> None:
        bar.update(
            task,
            description=safe_line(step.what),
            total=step.total,
            completed=step.done,
            counts=step.counts,
            refresh=step.done == 0,  # a new stage is drawn at once
        )

    with bar:
        yield Progress(report)
