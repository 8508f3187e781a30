"""The citation dialog: list keys, type-to-search from the list, enter copies and closes,
names and titles in columns, and BibTeX citations fix provisional cite keys."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Input, OptionList
from tui_support import SIZE, reopen, rows, screen_text, settle, wait_for, wait_for_screen

from readinglist.persistence.library import Library
from readinglist.tui.screens.cite import CiteDialog

ATTENTION = "Attention Is All You Need"


def stored(library, title: str):
    return next(p for p in reopen(library).papers() if p.title == title)


async def open_dialog(app, pilot) -> OptionList:
    await settle(app, pilot)
    await pilot.press("C")
    await wait_for_screen(app, pilot, CiteDialog)
    return app.screen.query_one("#styles", OptionList)


async def test_j_k_g_G_move_in_the_style_list(app):
    async with app.run_test(size=SIZE) as pilot:
        styles = await open_dialog(app, pilot)
        assert app.screen.focused is styles
        assert styles.highlighted_option.id == "bibtex"
        await pilot.press("j", "j")
        assert styles.highlighted_option.id == "apa"
        await pilot.press("k")
        assert styles.highlighted_option.id == "biblatex"
        await pilot.press("G")
        assert styles.highlighted == styles.option_count - 1
        await pilot.press("g")
        assert styles.highlighted == 0
        assert app.screen.query_one("#style-search", Input).value == ""


async def test_a_letter_typed_in_the_list_searches_and_slash_focuses_the_box(app):
    async with app.run_test(size=SIZE) as pilot:
        styles = await open_dialog(app, pilot)
        search = app.screen.query_one("#style-search", Input)
        await pilot.press("i", "e")
        assert search.value == "ie"
        assert app.screen.focused is search
        await pilot.press("tab")  # back to the list: j moves again
        assert app.screen.focused is styles
        await pilot.press("backspace")  # erases in the box
        assert search.value == "i"
        await pilot.press("tab", "slash")
        assert app.screen.focused is search
        assert search.value == "i"


async def test_enter_copies_closes_and_the_next_key_acts_on_the_list(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        await pilot.press("j", "j")
        await settle(app, pilot)
        await pilot.press("enter", "r")  # no key lost to the closing dialog
        await settle(app, pilot)
        assert not isinstance(app.screen, CiteDialog)
        assert app.clipboard.startswith("Vaswani, A.")
        assert stored(library, ATTENTION).read
        assert ATTENTION not in rows(app)  # it left the Unread view


async def test_enter_in_the_search_box_copies_and_closes(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        await pilot.press(*"ieee")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, CiteDialog)
        assert app.clipboard.startswith("[1]")


async def test_escape_closes_without_copying(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, CiteDialog)
        assert app.clipboard == ""


async def test_style_names_and_titles_sit_in_two_columns(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        text = screen_text(app)
        apa = next(line for line in text.splitlines() if "APA Style" in line)
        bibtex = next(line for line in text.splitlines() if "BibTeX entry" in line)
        assert "apa        APA Style 7th edition" in apa
        assert "bibtex     BibTeX entry  default" in bibtex
        assert apa.index("APA Style") == bibtex.index("BibTeX entry")


async def test_a_bibtex_copy_fixes_a_provisional_key(tmp_path, papers):
    provisional = [replace(p, key="", key_fixed=False) for p in papers]
    Library(tmp_path / "lib").put(provisional)
    from tui_support import logging_notes

    from readinglist.tui.app import ReadingListApp

    library = Library(tmp_path / "lib")
    app = logging_notes(ReadingListApp(library))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not stored(library, ATTENTION).key_fixed
        await pilot.press("c")  # the default style is bibtex: the key is written out
        await settle(app, pilot)
        await wait_for(pilot, lambda: stored(library, ATTENTION).key_fixed, what="key fixed")
        paper = stored(library, ATTENTION)
        assert paper.key and paper.key in app.clipboard
        assert app.session.papers[paper.id].key_fixed  # the app shows what is stored
        others = [p for p in reopen(library).papers() if p.title != ATTENTION]
        assert not any(p.key_fixed for p in others)


async def test_an_apa_copy_leaves_the_key_provisional(tmp_path, papers):
    Library(tmp_path / "lib").put([replace(p, key="", key_fixed=False) for p in papers])
    from tui_support import logging_notes

    from readinglist.tui.app import ReadingListApp

    library = Library(tmp_path / "lib")
    library.set_setting("citation_style", "apa")
    app = logging_notes(ReadingListApp(library))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert app.clipboard.startswith("Vaswani")
        assert not stored(library, ATTENTION).key_fixed


async def test_a_key_sent_with_enter_reaches_the_list_not_the_dialog(app, library):
    from textual import events

    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        await pilot.press("j", "j")  # apa
        await settle(app, pilot)
        for key, character in (("enter", "\r"), ("r", "r")):  # one write, as tmux sends them
            app.post_message(events.Key(key, character))
        await settle(app, pilot)
        assert not isinstance(app.screen, CiteDialog)
        assert app.clipboard.startswith("Vaswani, A.")  # apa, not a style found by "r"
        assert stored(library, ATTENTION).read


async def test_a_key_sent_with_escape_reaches_the_list(app, library):
    from textual import events

    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        for key, character in (("escape", "\x1b"), ("r", "r")):
            app.post_message(events.Key(key, character))
        await settle(app, pilot)
        assert not isinstance(app.screen, CiteDialog)
        assert stored(library, ATTENTION).read
