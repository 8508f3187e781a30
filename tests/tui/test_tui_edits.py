"""The app and the command line make the same change the same way: same stored records."""

from __future__ import annotations

import itertools
import shutil

import orjson
from tui_support import SIZE, reopen, settle

from readinglist import cli
from readinglist.persistence.library import Library
from readinglist.tui.app import ReadingListApp

EDIT_TIME = "2025-03-01T09:00:00.123456+00:00"


def stored_files(root) -> dict[str, dict]:
    """Every record of the library as stored: the corpus and the state shards, by file.

    (The corpus's generation token is new, and random, at each write of it.)
    """
    files = [root / "papers.json", *sorted((root / "state").glob("*.json"))]
    found = {path.name: orjson.loads(path.read_bytes()) for path in files}
    for meta in found["papers.json"]["_meta"].values():
        meta.pop("generation", None)
    return found


async def _edit_in_the_app(app: ReadingListApp) -> list[list[str]]:
    """Read, tag, untag, annotate and delete in the app; return the same edits as CLI arguments."""
    done: list[list[str]] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        triage = app.get_screen("main")

        def current() -> str:
            return triage.paper_list.current

        pid = current()
        await pilot.press("r")
        await settle(app, pilot)
        done.append(["read", pid])
        pid = current()
        await pilot.press("t", *"mine, later", "enter")
        await settle(app, pilot)
        done.append(["tag", pid, "mine", "later"])
        pid = current()
        first_tag = sorted(app.session.papers[pid].tags)[0]
        await pilot.press("T")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        done.append(["untag", pid, first_tag])
        await pilot.press("n", *"worth it", "ctrl+s")
        await settle(app, pilot)
        done.append(["note", pid, "worth", "it"])
        await pilot.press("r")
        await settle(app, pilot)
        done.append(["read", pid])
        await pilot.press("u")  # undo is an edit too
        await settle(app, pilot)
        done.append(["unread", pid])
        pid = current()
        await pilot.press("d", "y")
        await settle(app, pilot)
        done.append(["rm", pid])
    return done


async def test_the_app_and_the_cli_store_the_same_records_for_the_same_edits(
    library, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr("readinglist.edits.now_utc", lambda: EDIT_TIME)
    library.replica()  # both copies are the same library copy
    twin = tmp_path / "twin"
    shutil.copytree(library.root, twin)
    steps = await _edit_in_the_app(ReadingListApp(library))
    for step in steps:
        assert cli.main(["--library", str(twin), *step]) == 0
    capsys.readouterr()
    by_app, by_cli = stored_files(library.root), stored_files(twin)
    assert by_app == by_cli
    read = next(p for p in reopen(library).papers() if p.id == steps[0][1])
    assert read.read_at == EDIT_TIME
    assert read.changed()["read_at"] == [EDIT_TIME, library.replica(), "user"]


async def test_what_the_app_shows_is_what_it_stored_to_the_microsecond(library, monkeypatch):
    ticks = (f"2025-03-01T09:00:00.{n:06d}+00:00" for n in itertools.count(1))
    monkeypatch.setattr("readinglist.edits.now_utc", lambda: next(ticks))
    app = ReadingListApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pid = app.get_screen("main").paper_list.current
        await pilot.press("r")
        await settle(app, pilot)
        shown = app.session.papers[pid]
        stored = Library(library.root).get(pid)
        assert shown.read_at == stored.read_at and shown.read_at is not None
        assert shown.changed() == stored.changed()
        assert shown.stored_state() == stored.stored_state()
