"""The command line's progress bar, drawn by `rich.progress` on stderr (a terminal).

It lives with the app because only this package draws on the terminal with Rich;
`readinglist.cli.progress` loads it only when stderr is a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as Bar

from readinglist.progress import Progress, Step
from readinglist.safe_text import safe_line

REFRESHES = 8  # redraws per second


@contextmanager
def drawn() -> Iterator[Progress]:
    """A Progress whose steps are drawn on stderr until the block ends (then erased)."""
    stdout_here = sys.stdout.isatty()  # lines printed meanwhile go above the bar
    bar = Bar(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.fields[counts]}", markup=False),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr, highlight=False),
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
