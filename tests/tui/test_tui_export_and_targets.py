"""The export dialog (file names, an empty path, replacing a file) and the papers an
action targets (the selection in list order, else the highlighted one)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input, Select
from tui_support import SIZE, settle

from readinglist.export_formats import EXPORT_TABLE
from readinglist.model import Paper
from readinglist.tui.screens.confirm import ConfirmDialog
from readinglist.tui.screens.files import ExportDialog, with_extension
from readinglist.tui.widgets.paper_list import PaperList


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


async def test_every_export_format_can_be_chosen_and_names_its_file(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        field, choice = dialog.query_one(Input), dialog.query_one(Select)
        for spec in EXPORT_TABLE:
            field.value = str(tmp_path / "out.txt")
            choice.value = spec.name
            await pilot.pause()
            assert app.screen is dialog, spec.name
            assert field.value == str(tmp_path / f"out.{spec.extension}"), spec.name


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
