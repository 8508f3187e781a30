"""Messages that cross the app: results coming back from background threads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from readinglist.progress import Step
    from readinglist.search import SearchResult


@dataclass
class JobDone(Message):
    """A library job finished on the store thread; `done` or `failed` runs on the UI thread."""

    done: Callable[[object], None] | None
    failed: Callable[[Exception], None] | None
    result: object = None
    error: Exception | None = None


@dataclass
class SearchDone(Message):
    """A search finished (the result carries an error for a malformed qualifier)."""

    query: str
    result: SearchResult
    elsewhere: int = 0  # when nothing matched within the view: the matches outside it


@dataclass
class IndexReady(Message):
    """The search index has been built for the papers of generation `generation`."""

    generation: int


@dataclass
class WorkStep(Message):
    """How far the long work (import, export, enrich) has got, from its thread."""

    step: Step
    work: object  # the Progress it belongs to: a late step of ended work is dropped
