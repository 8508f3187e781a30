"""The app and sync: "Sync now" in the palette and on `S`, the status line, changes pulled."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from tui_support import SIZE, settle, wait_for, wait_for_note

from readinglist.persistence.library import Library
from readinglist.sync import syncing
from readinglist.tui.widgets.search_bar import SearchBar

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
ATTENTION = "Attention Is All You Need"


@pytest.fixture
def other(tmp_path, library, monkeypatch):
    """A second machine sharing the app's library through a bare repository."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    syncing.init(Library(library.root), str(remote))
    machine = Library(tmp_path / "other")
    syncing.init(machine, str(remote))
    return machine


def status_text(app) -> str:
    return str(app.get_screen("main").query_one(SearchBar).query_one("#status").render())


async def test_sync_now_brings_the_other_machines_change_and_says_when(app, other):
    paper = next(p for p in other.papers() if p.title == ATTENTION)
    other.add_tags([paper.id], ["from-the-desktop"])
    syncing.sync(other)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "synced" in status_text(app)
        await pilot.press("S")
        await wait_for_note(app, pilot, "received: tagged 1")
        await settle(app, pilot)
        app.poll()
        await settle(app, pilot)
        shown = next(p for p in app.session.papers.values() if p.title == ATTENTION)
        assert "from-the-desktop" in shown.tags
        await wait_for(pilot, lambda: "synced" in status_text(app), what="status")
        assert "changes to sync" not in status_text(app)


async def test_sync_now_on_a_library_not_set_up_says_how(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "synced" not in status_text(app)
        await pilot.press("S")
        await wait_for_note(app, pilot, "sync init")
