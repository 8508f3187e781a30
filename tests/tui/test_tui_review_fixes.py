"""Edits from other processes, undo that keeps them, damaged settings, export paths, lists."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input, Select
from tui_support import SIZE, reopen, rows, settle, wait_for_note, wait_for_screen

from readinglist.library import Library
from readinglist.model import Paper
from readinglist.tui.screens.cite import CiteDialog
from readinglist.tui.screens.confirm import ConfirmDialog
from readinglist.tui.screens.files import ExportDialog, with_extension
from readinglist.tui.screens.tags import UntagDialog
from readinglist.tui.widgets.paper_list import PaperList

ATTENTION = "Attention Is All You Need"
ROBUST = "Robust Training Under Label Noise"


def main(app):
    return app.get_screen("main")


def stored(library, title: str) -> Paper:
    return next(p for p in reopen(library).papers() if p.title == title)


def shown(app, title: str) -> Paper:
    return next(p for p in app.session.papers.values() if p.title == title)


def tag_elsewhere(library, title: str, tag: str) -> None:
    """Add a tag as the command line would, from another process."""
    other = reopen(library)
    other.add_tags([stored(other, title).id], [tag])


async def test_an_outside_edit_read_by_our_own_write_still_shows(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tag_elsewhere(library, ROBUST, "from-cli")
        await pilot.press("r")  # our write reads the outside edit from disk first
        await settle(app, pilot)
        app.poll()
        await settle(app, pilot)
        assert "from-cli" in shown(app, ROBUST).tags
        assert "from-cli" in app.session.counts().tags


async def test_undoing_a_read_toggle_keeps_tags_added_from_the_command_line(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert stored(library, ATTENTION).read
        tag_elsewhere(library, ATTENTION, "from-cli")
        await pilot.press("u")
        await settle(app, pilot)
        paper = stored(library, ATTENTION)
        assert not paper.read and paper.read_at is None
        assert paper.tags == ["nlp", "transformers", "from-cli"]


async def test_undoing_a_tag_takes_back_only_that_tag(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t", *"mine", "enter")
        await settle(app, pilot)
        tag_elsewhere(library, ATTENTION, "from-cli")
        app.poll()
        await settle(app, pilot)
        assert shown(app, ATTENTION).tags == ["nlp", "transformers", "mine", "from-cli"]
        await pilot.press("u")  # the history survives the reload
        await settle(app, pilot)
        assert stored(library, ATTENTION).tags == ["nlp", "transformers", "from-cli"]
        assert shown(app, ATTENTION).tags == ["nlp", "transformers", "from-cli"]


async def test_undoing_an_untag_puts_the_tag_back_in_its_place(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        await wait_for_screen(app, pilot, UntagDialog)
        await pilot.press("enter")  # the first tag: nlp
        await wait_for_note(app, pilot, "Removed tag nlp")
        await settle(app, pilot)
        assert stored(library, ATTENTION).tags == ["transformers"]
        tag_elsewhere(library, ATTENTION, "from-cli")
        await pilot.press("u")
        await wait_for_note(app, pilot, "Undone: Removed tag nlp")
        await settle(app, pilot)
        assert stored(library, ATTENTION).tags == ["nlp", "transformers", "from-cli"]


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
        warnings = [n for n in app._notifications if "settings" in n.message]
        assert len(warnings) == 1
        assert "bibtex" in warnings[0].message


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


def test_export_names_get_the_format_extension(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert with_extension("", "csv") == tmp_path / "readinglist.csv"
    assert with_extension("/", "bib") == Path("/readinglist.bib")
    assert with_extension("~/", "bib") == tmp_path / "readinglist.bib"
    assert with_extension("~/out.bib", "md") == tmp_path / "out.md"
    assert with_extension(str(tmp_path), "ris") == tmp_path / "readinglist.ris"


async def test_export_dialog_survives_an_empty_path_and_asks_before_replacing(app, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        field = dialog.query_one(Input)
        field.value = ""
        dialog.query_one(Select).value = "csv"
        await pilot.pause()
        assert field.value.endswith("readinglist.csv")
        field.value = ""
        await pilot.press("enter")
        assert app.screen is dialog
        field.value = str(target)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert app.screen is dialog
        assert target.read_text() == "keep me"
        await pilot.press("enter", "y")
        await settle(app, pilot)
        assert target.read_text().startswith("id,") or "Attention" in target.read_text()


class ListApp(App):
    def compose(self) -> ComposeResult:
        yield PaperList()


async def test_targets_follow_list_order_and_drop_papers_that_left():
    papers = {f"{i:04d}": Paper(id=f"{i:04d}", title=f"Paper {i}") for i in range(1000)}
    ids = list(papers)
    app = ListApp()
    async with app.run_test(size=(80, 20)):
        plist = app.query_one(PaperList)
        plist.show(ids, papers)
        plist.selected = {"0900", "0005", "0500"}
        assert plist.targets == ["0005", "0500", "0900"]
        assert plist.has_targets and plist.target_set == {"0005", "0500", "0900"}
        plist.show(ids[::-1][:600], papers)  # 0999 … 0400: 0005 left the list
        assert plist.targets == ["0900", "0500"]
        plist.selected.clear()
        plist.show(ids, papers, keep="0700")
        assert plist.current == "0700"
        assert plist.targets == ["0700"]
