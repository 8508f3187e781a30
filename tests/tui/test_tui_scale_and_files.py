"""A list of 100,000 papers stays quick; importing and exporting from the app."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Select
from tui_support import SIZE, reopen, rows, screen_text, settle, wait_for_note

from readinglist.model import Paper
from readinglist.tui.screens.files import ExportDialog, ImportDialog
from readinglist.tui.session import Session, View
from readinglist.tui.widgets.paper_list import PaperList

N = 100_000


class ListApp(App):
    def compose(self) -> ComposeResult:
        yield PaperList()


def many_papers() -> list[Paper]:
    return [
        Paper(id=f"{i:016x}", title=f"Paper {i}", added=f"2025-01-01T00:00:{i % 60:02d}+00:00",
              read=i % 3 == 0, tags=["even"] if i % 2 == 0 else [])
        for i in range(N)
    ]  # fmt: skip


async def test_a_hundred_thousand_papers_refill_in_a_blink():
    session = Session()
    session.load(many_papers(), sort="added")
    app = ListApp()
    async with app.run_test(size=(100, 30)) as pilot:
        plist = app.query_one(PaperList)
        for view in (View("unread"), View("all", tag="even"), View("read"), View("all")):
            plist.show(session.visible(view), session.papers)
            await pilot.pause()
        assert len(plist.ids) == N
        plist.focus()
        await pilot.press("G")
        assert plist.cursor == N - 1
        assert plist.scroll_y > N - 40


async def test_import_a_file_from_the_app(app, library, tmp_path):
    listing = tmp_path / "abstracts.txt"
    listing.write_text(
        "Abstract: We show that sparse mixtures of experts scale language models cheaply.\n"
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        assert isinstance(app.screen, ImportDialog)
        await pilot.press(*str(tmp_path / "missing.txt"), "enter")
        assert isinstance(app.screen, ImportDialog)
        app.screen.query_one(Input).value = str(listing)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(reopen(library).papers()) == 9
        assert rows(app) == [  # the papers just imported are shown
            "We show that sparse mixtures of experts scale language models cheaply"
        ]
        assert any("1 new" in n for n in app.notes_log)
        await pilot.press("1")
        await settle(app, pilot)
        assert len(rows(app)) == 8


async def test_export_the_list_from_the_app(app, tmp_path):
    target = tmp_path / "out.bib"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(Select).value == "bibtex"
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        text = target.read_text()
        assert sum(line.startswith("@") for line in text.splitlines()) == 7
        await wait_for_note(app, pilot, f"Exported 7 papers to {target}")  # (toasts time out)


async def test_a_keystroke_lists_the_first_page_then_every_match_once_typing_pauses(
    tmp_path, monkeypatch
):
    from readinglist.persistence.library import Library
    from readinglist.tui.app import ReadingListApp
    from readinglist.tui.screens import main as main_screen
    from readinglist.tui.widgets.search_bar import SearchBar

    monkeypatch.setattr(main_screen, "FIRST_PAGE", 50)
    monkeypatch.setattr(main_screen, "FULL_DELAY", 0.05)
    library = Library(tmp_path / "lib")
    library.put(
        Paper(id=f"{i:016x}", title=f"Sparse coding study {i}", added=f"2025-01-{i % 28 + 1:02d}")
        for i in range(80)
    )
    app = ReadingListApp(Library(library.root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.get_screen("main")
        shown = []
        original = main.show_status

        def spy() -> None:
            original()
            status = str(main.query_one(SearchBar).query_one("#status").render())
            shown.append((len(main.paper_list.ids), status.split(" · ")[0]))

        monkeypatch.setattr(main, "show_status", spy)
        await pilot.press("slash", *"sparse")
        for _ in range(100):
            await settle(app, pilot)
            if shown and shown[-1][0] == 80:
                break
            await pilot.pause(0.05)
        assert (50, "80 papers") in shown  # the first page listed, every match counted
        assert shown[-1] == (80, "80 papers")
        assert "80 papers" in screen_text(app)


async def test_search_ranks_within_the_sidebar_view(tmp_path, monkeypatch):
    """The first page is the best matches in the view, not the best overall filtered after."""
    from readinglist.persistence.library import Library
    from readinglist.tui.app import ReadingListApp
    from readinglist.tui.screens import main as main_screen

    monkeypatch.setattr(main_screen, "FIRST_PAGE", 5)
    monkeypatch.setattr(main_screen, "FULL_DELAY", 60)  # only the first page comes
    library = Library(tmp_path / "lib")
    library.put(  # the unread papers are the oldest: the best five overall are all read
        Paper(id=f"{i:016x}", title=f"Sparse coding study {i}", year=2000 + i, read=i >= 4)
        for i in range(24)
    )
    app = ReadingListApp(Library(library.root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"sparse")
        await settle(app, pilot)
        assert sorted(rows(app)) == [f"Sparse coding study {i}" for i in range(4)]
        await pilot.press("slash", "ctrl+u", *"study 13")
        await settle(app, pilot)
        assert "No unread paper matches; 1 in All — press a" in screen_text(app)
        main = app.get_screen("main")
        main.post_message(main_screen.Sidebar.Chosen("all", None))
        await settle(app, pilot)
        assert rows(app) == ["Sparse coding study 13"]
