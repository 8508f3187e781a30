"""The app's library calls: on the store thread, dialogs built on the UI thread, damaged
settings reported once, imports sorted off the UI thread."""

from __future__ import annotations

import threading

from textual.widgets import Input
from tui_support import SIZE, notes, rows, settle

from readinglist.persistence.library import Library
from readinglist.tui.screens.cite import CiteDialog


def main(app):
    return app.get_screen("main")


async def test_a_damaged_settings_file_cites_as_bibtex_and_says_so_once(app, library):
    (library.root / "settings.json").write_text("{not json", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert app.is_running
        assert app.clipboard.startswith("@")
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        assert isinstance(app.screen, CiteDialog)
        warnings = [n for n in notes(app) if "settings" in n]  # every toast, expired or not
        assert len(warnings) == 1
        assert "bibtex" in warnings[0]


async def test_the_citation_dialog_is_built_on_the_ui_thread(app, monkeypatch):
    threads = []
    init = CiteDialog.__init__

    def recording(self, *args, **kwargs):
        threads.append(threading.current_thread())
        init(self, *args, **kwargs)

    monkeypatch.setattr(CiteDialog, "__init__", recording)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        assert isinstance(app.screen, CiteDialog)
        assert threads == [threading.main_thread()]


async def test_citations_read_keys_and_settings_on_the_store_thread(app, monkeypatch):
    """Cite keys are the library's (stored, not recomputed per citation), read where
    every library call of the app runs: the store thread, never the UI or a worker."""
    threads: list[str] = []
    for name in ("cite_keys", "preferences"):
        real = getattr(Library, name)

        def recording(self, *args, _real=real, **kwargs):
            threads.append(threading.current_thread().name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Library, name, recording)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        threads.clear()  # (the settings and the first page are read before the first paint)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("I")
        await settle(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        assert isinstance(app.screen, CiteDialog)
        paper = app.session.papers[main(app).paper_list.current]
        assert paper.key and app.screen._keys[paper.id] == paper.key
    assert len(threads) >= 6
    assert set(threads) == {"readinglist-store"}


async def test_an_import_keeps_the_sort_and_sorts_off_the_ui_thread(app, tmp_path):
    listing = tmp_path / "abstracts.txt"
    listing.write_text("Abstract: Zebra finches learn songs from sparse mixtures of tutors.\n")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "s")
        assert main(app).view.sort == "title"
        await pilot.press("i")
        app.screen.query_one(Input).value = str(listing)
        await pilot.press("enter")
        await settle(app, pilot)
        assert main(app).view.sort == "title"
        assert list(app.session._orders) == ["title"]
        assert rows(app) == ["Zebra finches learn songs from sparse mixtures of tutors"]
        await pilot.press("1")  # back to the unread papers
        await settle(app, pilot)
        titles = rows(app)
        assert titles == sorted(titles, key=str.casefold)
        assert len(titles) == 8  # seven unread and the new one
