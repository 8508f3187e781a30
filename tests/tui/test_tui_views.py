"""Views at any width, search scope, where the highlight goes, pasting, preferences."""

from __future__ import annotations

from tui_support import SIZE, rows, screen_text, settle, wait_for, wait_for_note, wait_for_screen

from readinglist import clipboard
from readinglist.tui.app import ReadingListApp
from readinglist.tui.screens.confirm import ConfirmDialog
from readinglist.tui.screens.jump import TagJumpDialog
from readinglist.tui.widgets.paper_list import PaperList
from readinglist.tui.widgets.sidebar import Sidebar

NARROW = (80, 24)
SCALING = "Scaling Laws for Neural Language Models"
ROBUST = "Robust Training Under Label Noise"
ATTENTION = "Attention Is All You Need"
BERT = "BERT: Pre-training of Deep Bidirectional Transformers"
PASTED = """@article{one, title={Pasted Paper One}, author={Ada Lovelace}, year={2024}}
@article{two, title={Pasted Paper Two}, author={Alan Turing}, year={2023}}
"""


def main(app):
    return app.get_screen("main")


def plist(app) -> PaperList:
    return main(app).query_one(PaperList)


def status(app) -> str:
    return str(main(app).query_one("#status").render())


def current_title(app) -> str:
    return plist(app).papers[plist(app).current].title


async def test_number_keys_switch_views_when_the_sidebar_is_hidden(app):
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        assert not main(app).query_one(Sidebar).display
        await pilot.press("2")
        await settle(app, pilot)
        assert rows(app) == [SCALING]
        assert "Read" in status(app)
        await pilot.press("3")
        await settle(app, pilot)
        assert len(rows(app)) == 8 and "All" in status(app)
        await pilot.press("1")
        await settle(app, pilot)
        assert len(rows(app)) == 7 and SCALING not in rows(app)


async def test_hash_goes_to_a_tag_with_completion(app):
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await pilot.press("number_sign")
        await wait_for_screen(app, pilot, TagJumpDialog)
        await pilot.press(*"rob", "tab", "enter")
        await settle(app, pilot)
        assert main(app).view.tag == "robustness"
        assert rows(app) == [ROBUST]
        assert "#robustness" in status(app)


async def test_b_shows_and_hides_the_sidebar_at_any_width(app):
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        sidebar = main(app).query_one(Sidebar)
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.display and app.focused is sidebar
        await pilot.press("b")
        await pilot.pause()
        assert not sidebar.display and app.focused is plist(app)
    async with ReadingListApp(app.library).run_test(size=SIZE) as pilot:
        other = pilot.app
        await settle(other, pilot)
        sidebar = main(other).query_one(Sidebar)
        assert sidebar.display
        await pilot.press("b")
        await pilot.pause()
        assert not sidebar.display


async def test_the_narrow_footer_keeps_quit_keys_and_the_palette(app):
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        for shown in ("q Quit", "? Keys", "^p palette"):
            assert shown in footer, footer


async def test_the_palette_switches_views(app):
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"view: read")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert rows(app) == [SCALING]


async def test_a_scoped_search_that_finds_nothing_says_where_the_matches_are(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"scaling laws")
        await settle(app, pilot)
        assert rows(app) == []
        assert "No unread paper matches; 1 in All — press a" in screen_text(app)
        await pilot.press("enter", "a")
        await settle(app, pilot)
        assert rows(app) == [SCALING]
        assert "everything" in status(app)
        await pilot.press("a")
        await settle(app, pilot)
        assert rows(app) == [] and "Unread" in status(app)


async def test_is_read_in_the_query_is_not_narrowed_by_the_unread_view(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"is:read")
        await settle(app, pilot)
        assert rows(app) == [SCALING]


async def test_a_new_query_puts_the_cursor_on_the_top_hit(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert current_title(app) == ATTENTION
        await pilot.press("slash", *"transformers", "enter")
        await settle(app, pilot)
        assert rows(app) == [BERT, ATTENTION]  # the highlighted paper is a hit, not the top
        assert plist(app).cursor == 0 and current_title(app) == BERT


async def test_a_sort_change_puts_cursor_and_scroll_on_the_first_row(app):
    async with app.run_test(size=(80, 14)) as pilot:
        await settle(app, pilot)
        await pilot.press("G")
        assert plist(app).scroll_y > 0
        await pilot.press("s")
        await settle(app, pilot)
        assert plist(app).cursor == 0 and plist(app).scroll_y == 0


async def test_undoing_a_delete_brings_the_paper_back_where_it_was(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j")
        deleted = current_title(app)
        await pilot.press("d")
        await wait_for_screen(app, pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for_note(app, pilot, "Deleted")
        await settle(app, pilot)
        await pilot.press("G", "u")
        await wait_for_note(app, pilot, "Undone")
        await settle(app, pilot)
        assert plist(app).cursor == 2 and current_title(app) == deleted


async def test_p_imports_the_clipboard_and_shows_the_new_papers(app, monkeypatch):
    pasted = clipboard.PasteResult(PASTED, "xclip", "Read the clipboard via xclip")
    monkeypatch.setattr(clipboard, "paste", lambda: pasted)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await wait_for_note(app, pilot, "2 new")
        await settle(app, pilot)
        assert sorted(rows(app)) == ["Pasted Paper One", "Pasted Paper Two"]
        assert main(app).view.view == "new" and "Just imported" in status(app)
        assert plist(app).cursor == 0
        await pilot.press("3")
        await settle(app, pilot)
        assert len(rows(app)) == 10


async def test_p_says_so_when_no_clipboard_can_be_read(app, monkeypatch):
    nothing = clipboard.PasteResult(None, "", "No clipboard to read: install xclip")
    monkeypatch.setattr(clipboard, "paste", lambda: nothing)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await wait_for_note(app, pilot, "No clipboard to read")
        assert len(rows(app)) == 7


async def test_the_theme_and_the_sort_are_restored_at_the_next_start(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        app.theme = "nord"
        await wait_for(pilot, lambda: library.settings().get("theme") == "nord", what="saved")
        await settle(app, pilot)
        sort = main(app).view.sort
    assert library.settings()["sort"] == sort != "added"
    again = ReadingListApp(library)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.theme == "nord" and main(again).view.sort == sort
