"""Dialogs move with the list's keys, preview what they store, and complete paths."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static
from tui_support import SIZE, reopen, settle, wait_for, wait_for_note, wait_for_screen

from readinglist.model import parse_tags
from readinglist.tui.screens.files import ImportDialog, complete_path
from readinglist.tui.screens.tags import TagDialog, UntagDialog

ATTENTION = "Attention Is All You Need"


def stored(library, title: str):
    return next(p for p in reopen(library).papers() if p.title == title)


async def test_j_k_g_G_move_in_the_untag_list(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        await wait_for_screen(app, pilot, UntagDialog)
        options = app.screen.query_one(OptionList)
        await pilot.press("j")
        assert options.highlighted == 1
        await pilot.press("k")
        assert options.highlighted == 0
        await pilot.press("G")
        assert options.highlighted == 1
        await pilot.press("g", "j", "enter")
        await wait_for_note(app, pilot, "Removed tag transformers")
        await settle(app, pilot)
        assert stored(library, ATTENTION).tags == ["nlp"]
        assert not isinstance(app.screen, UntagDialog)


async def test_the_tag_dialog_previews_the_tag_as_stored(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await wait_for_screen(app, pilot, TagDialog)
        await pilot.press(*"Adversarial Robustness")
        await pilot.pause()
        shown = str(app.screen.query_one("#tag-preview", Static).render())
        assert shown == "Adds #adversarial-robustness"
        await pilot.press("enter")
        await wait_for_note(app, pilot, "Tagged")
        await settle(app, pilot)
        assert "adversarial-robustness" in stored(library, ATTENTION).tags


def test_the_cli_and_the_app_make_the_same_tags_from_typed_words():
    assert parse_tags("Deep  Learning, nlp") == ["deep-learning", "nlp"]


def test_path_completion_completes_names_and_folders(tmp_path):
    (tmp_path / "papers.bib").write_text("")
    (tmp_path / "papers-2024").mkdir()
    (tmp_path / ".hidden").write_text("")
    typed = str(tmp_path / "pap")
    assert complete_path(typed) == str(tmp_path / "papers-2024") + "/"
    assert complete_path(str(tmp_path / "papers.")) == str(tmp_path / "papers.bib")
    assert complete_path(str(tmp_path) + "/") == str(tmp_path / "papers-2024") + "/"
    assert complete_path(str(tmp_path / ".h")) == str(tmp_path / ".hidden")
    assert complete_path(str(tmp_path / "nothing")) is None
    assert complete_path(str(tmp_path / "missing" / "x")) is None


async def test_tab_completes_the_path_in_the_import_dialog(app, tmp_path):
    (tmp_path / "listing.bib").write_text(
        "@article{x, title={Completed Path Paper}, year={2024}}\n", encoding="utf-8"
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await wait_for_screen(app, pilot, ImportDialog)
        field = app.screen.query_one(Input)
        field.value = str(tmp_path / "lis")
        field.cursor_position = len(field.value)
        await wait_for(pilot, lambda: field._suggestion, what="a suggestion")
        await pilot.press("tab")
        assert field.value == str(tmp_path / "listing.bib")
        await pilot.press("enter")
        await wait_for_note(app, pilot, "1 new")
        await settle(app, pilot)
        assert app.get_screen("main").view.view == "new"
