"""The app stores every change it showed when it is told to stop (SIGTERM, SIGHUP, quit)."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from tui_support import SIZE, sample_papers, settle

from readinglist.persistence.library import Library

_APP = """
import asyncio, os, signal, sys, time
from pathlib import Path
from readinglist.persistence.library import Library
from readinglist.tui.app import run_app

slow_store = Library._store

def slowly(self, *args, **kwargs):  # a large library: each write takes a while
    time.sleep(0.25)
    return slow_store(self, *args, **kwargs)

Library._store = slowly
how, count = sys.argv[2], int(sys.argv[3])

async def burst(pilot):
    app = pilot.app
    while not (app.store and app.get_screen("main").loaded):
        await asyncio.sleep(0.02)
    for _ in range(count):
        await pilot.press("d", "y")
    await pilot.pause()
    print("shown", flush=True)
    if how == "quit":
        await pilot.press("q")
    else:
        os.kill(os.getpid(), getattr(signal, how))
    while app.is_running:  # until the signal, or the key, has stopped the app
        await asyncio.sleep(0.05)

code = run_app(Library(Path(sys.argv[1])), headless=True, auto_pilot=burst)
print("exited", code, flush=True)
"""


@pytest.mark.parametrize(("how", "count"), [("SIGTERM", 6), ("SIGHUP", 3)])
def test_a_burst_of_deletes_is_all_stored_when_the_app_is_stopped_right_after(tmp_path, how, count):
    lib = Library(tmp_path / "library")
    lib.import_papers(sample_papers(), source="samples.json")
    before = len(lib.papers())
    done = subprocess.run(
        [sys.executable, "-c", _APP, str(lib.root), how, str(count)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "shown" in done.stdout and "exited 0" in done.stdout
    assert len(Library(lib.root).papers()) == before - count


class _Closed:
    """An app that has closed its event loop: results can no longer be posted to it."""

    def post_message(self, message) -> bool:
        return False


def test_a_change_that_fails_after_the_app_closed_is_shown_at_the_next_start(library):
    from readinglist.tui.app import UNSAVED_FILE, ReadingListApp, note_unsaved
    from readinglist.tui.store import Store

    def failing(lib):
        raise OSError(28, "No space left on device")

    store = Store(library, _Closed())
    store.submit(failing, what="Deleted \x1b[2J3 papers")
    store.submit(lambda lib: None, what="Marked read")
    store.close(wait=True)
    assert store.unsaved == ["Deleted \x1b[2J3 papers: [Errno 28] No space left on device"]
    note_unsaved(library.root, store.unsaved)

    async def run() -> list[str]:
        app = ReadingListApp(Library(library.root))
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            return [str(n.message) for n in app._notifications]

    shown = asyncio.run(run())
    assert any("Deleted" in text and "No space left" in text for text in shown)
    assert not any("\x1b" in text for text in shown)
    assert not (library.root / UNSAVED_FILE).exists()
