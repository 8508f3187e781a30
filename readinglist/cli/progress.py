"""Progress of long commands (import, enrich) on stderr, only when stderr is a terminal.

In a pipe or a file nothing extra is written. The bar is drawn by `rich.progress`
(rich comes with Textual) in `readinglist.tui.terminal_progress`, loaded only then,
and erased when the work ends; text from files is shown literally, never as markup.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from readinglist.progress import Progress


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
    from readinglist.tui.terminal_progress import drawn

    with drawn() as progress:
        yield progress
