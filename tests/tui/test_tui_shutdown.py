"""The app stores every change it showed when it is told to stop (SIGTERM, SIGHUP, quit)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from readinglist.library import Library
from tests.tui.tui_support import sample_papers

_APP = """
import asyncio, os, signal, sys, time
from pathlib import Path
from readinglist.library import Library
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
