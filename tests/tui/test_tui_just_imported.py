"""The "Just imported" view outlives the app: the last import (from the app or the
command line) is there at the next start; a damaged note of it is no import."""

from __future__ import annotations

from textual.widgets import Input
from tui_support import SIZE, logging_notes, rows, settle, wait_for_note, wait_for_screen

from readinglist.cli import main as cli
from readinglist.persistence import last_import
from readinglist.persistence.library import Library
from readinglist.tui.app import ReadingListApp
from readinglist.tui.screens.files import ImportDialog
from readinglist.tui.widgets.sidebar import Sidebar

NEW = "We show that sparse mixtures of experts scale language models cheaply"


def listing(tmp_path):
    path = tmp_path / "abstracts.txt"
    path.write_text(f"Abstract: {NEW}.\n", encoding="utf-8")
    return path


def sidebar_ids(app) -> list[str]:
    sidebar = app.get_screen("main").query_one(Sidebar)
    return [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]


async def open_just_imported(app, pilot) -> None:
    sidebar = app.get_screen("main").query_one(Sidebar)
    sidebar.focus()
    await pilot.press("g", *["j"] * sidebar_ids(app).index("view:new"))
    await settle(app, pilot)


async def test_an_import_in_the_app_is_just_imported_at_the_next_start(library, tmp_path):
    app = logging_notes(ReadingListApp(Library(library.root)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await wait_for_screen(app, pilot, ImportDialog)
        app.screen.query_one(Input).value = str(listing(tmp_path))
        await pilot.press("enter")
        await wait_for_note(app, pilot, "1 new")
        await settle(app, pilot)
        assert rows(app) == [NEW]
    again = ReadingListApp(Library(library.root))
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.get_screen("main").view.view == "unread"  # it opens where it always does
        assert "view:new" in sidebar_ids(again)
        await open_just_imported(again, pilot)
        assert rows(again) == [NEW]


async def test_a_command_line_import_is_just_imported_in_the_app(library, tmp_path, capsys):
    assert cli(["--library", str(library.root), "import", str(listing(tmp_path))]) == 0
    app = ReadingListApp(Library(library.root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_just_imported(app, pilot)
        assert rows(app) == [NEW]


async def test_a_dry_run_or_a_damaged_note_is_no_import(library, tmp_path, capsys):
    cli(["--library", str(library.root), "import", "--dry-run", str(listing(tmp_path))])
    assert not (library.root / last_import.FILE).exists()
    (library.root / last_import.FILE).write_bytes(b'{"ids": [1, 2')
    app = ReadingListApp(Library(library.root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "view:new" not in sidebar_ids(app)
        assert len(rows(app)) == 7


def test_recall_keeps_only_stored_ids(tmp_path):
    last_import.remember(tmp_path, ["a", "b", "a", "c"])
    assert last_import.recall(tmp_path, {"a", "c"}) == ["a", "c"]
    (tmp_path / last_import.FILE).write_text('{"ids": "abc"}')
    assert last_import.recall(tmp_path, {"a"}) == []
    last_import.remember(tmp_path / "missing", ["a"])  # no library folder: nothing written
    assert not (tmp_path / "missing").exists()
