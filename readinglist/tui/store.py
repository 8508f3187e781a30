"""The library seen from the app: one background thread runs every read and write, in order.

Writing to a large library takes most of a second, so no library call runs on
the UI thread, but one: the first page at start, before the store's first job (see
`ReadingListApp.on_mount`), read with a bound that does not grow with the library:
settings.json, the manifest, directory.bin (ids and spans: ~6 MB at 100,000 papers),
then, for at most the 1,000 papers a sort keeps there, their state shard, and the
corpus lines of the screenful shown (~50 ms at 100,000). Jobs run one at a time in the
order they were given; each result comes back to the app as a `JobDone` message.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from textual.message_pump import MessagePump

from readinglist.errors import LibraryError
from readinglist.persistence.library import Library
from readinglist.tui.messages import JobDone

Job = Callable[[Library], object]
T = TypeVar("T")


class Store:
    """Runs library jobs on one thread; posts each result back to `target`."""

    def __init__(self, library: Library, target: MessagePump) -> None:
        self.library = library
        self._target = target
        self._jobs: queue.Queue[tuple | None] = queue.Queue()
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False
        self.unsaved: list[str] = []  # changes that failed once the app could not say so
        self._thread = threading.Thread(target=self._serve, name="readinglist-store")
        self._thread.start()

    @property
    def busy(self) -> bool:
        """Whether jobs are queued, running, or waiting for their result to be shown."""
        return self._pending > 0

    def submit(
        self,
        job: Callable[[Library], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        what: str = "",
    ) -> bool:
        """Queue `job(library)`; `done(result)` or `failed(error)` later runs on the UI thread.

        `what` says what a write changes, in case it fails after the app has closed.
        Returns False (and drops the job) once the store has closed.
        """
        with self._lock:
            if self._closed:
                return False
            self._pending += 1
            self._jobs.put((job, done, failed, what))
        return True

    def call(self, job: Job) -> object:
        """Run `job(library)` in turn with the others and return its result (or raise its
        error) to the calling worker thread, which waits for it. Never from the UI thread."""
        answer: Future = Future()

        def run(library: Library) -> object:
            try:
                answer.set_result(job(library))
            except Exception as error:
                answer.set_exception(error)
            return None

        if not self.submit(run):
            raise LibraryError("the app has closed the library")
        return answer.result()

    def finished(self) -> None:
        """Called by the app once a job's result has been handled."""
        with self._lock:
            self._pending -= 1

    def close(self, wait: bool = False) -> None:
        """Stop after the queued jobs (every queued write is still made)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._jobs.put(None)
        if wait:
            self._thread.join()

    def _serve(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, done, failed, what = item
            try:
                message = JobDone(done, failed, result=job(self.library))
            except Exception as error:  # reported to the user by `failed`
                message = JobDone(done, failed, error=error)
            try:
                posted = self._target.post_message(message)
            except RuntimeError:  # the app has closed its event loop
                posted = False
            if not posted:
                self.finished()
                if message.error is not None and what:
                    self.unsaved.append(f"{what}: {message.error}")
