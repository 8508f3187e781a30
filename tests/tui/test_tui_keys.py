"""Every key of the main screen: press it, check the library on disk and the screen."""

from __future__ import annotations

import asyncio
import re

import pytest
from textual.widgets import Input, OptionList, TextArea
from tui_support import (
    NOW,
    SIZE,
    detail_text,
    notes,
    reopen,
    rows,
    screen_text,
    settle,
    wait_for_note,
    wait_for_screen,
)

from readinglist.tui.screens.cite import CiteDialog
from readinglist.tui.screens.confirm import ConfirmDialog
from readinglist.tui.screens.help import HelpScreen
from readinglist.tui.screens.note import NoteDialog
from readinglist.tui.screens.tags import TagDialog, UntagDialog
from readinglist.tui.widgets.detail import DetailPane
from readinglist.tui.widgets.paper_list import PaperList
from readinglist.tui.widgets.sidebar import Sidebar

ATTENTION = "Attention Is All You Need"
ROBUST = "Robust Training Under Label Noise"


def main(app):
    return app.get_screen("main")


def plist(app) -> PaperList:
    return main(app).query_one(PaperList)


def current_title(app) -> str:
    return plist(app).papers[plist(app).current].title


def stored(library, title: str):
    return next(p for p in reopen(library).papers() if p.title == title)


async def test_moving_in_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        assert current_title(app) == ROBUST
        await pilot.press("down", "down")
        assert plist(app).cursor == 3
        await pilot.press("k", "up")
        assert plist(app).cursor == 1
        await pilot.press("G")
        assert plist(app).cursor == 6
        await pilot.press("g")
        assert plist(app).cursor == 0
        await pilot.press("pagedown")
        assert plist(app).cursor == 6
        await pilot.press("pageup")
        assert plist(app).cursor == 0
        assert main(app).query_one(DetailPane).paper.title == ATTENTION


async def test_tab_moves_between_sidebar_list_and_detail(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = main(app)
        await pilot.press("tab")
        assert screen.focused is screen.query_one(DetailPane)
        await pilot.press("tab")
        assert screen.focused is screen.query_one(Sidebar)
        await pilot.press("tab")
        assert screen.focused is screen.query_one(PaperList)
        await pilot.press("shift+tab")
        assert screen.focused is screen.query_one(Sidebar)


async def test_sidebar_views_and_tags_filter_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("shift+tab")
        await pilot.press("j")  # Read
        assert rows(app) == ["Scaling Laws for Neural Language Models"]
        await pilot.press("j")  # All
        assert len(rows(app)) == 8
        await pilot.press("j")  # the Tags heading is skipped: #nlp
        assert sorted(rows(app)) == [
            ATTENTION,
            "BERT: Pre-training of Deep Bidirectional Transformers",
            "Scaling Laws for Neural Language Models",
        ]
        assert "3 papers · #nlp" in screen_text(app)
        await pilot.press("enter")
        assert main(app).focused is plist(app)


async def test_search_filters_and_ranks_as_you_type_and_esc_clears(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        assert isinstance(main(app).focused, Input)
        await pilot.press(*"robust")
        await settle(app, pilot)
        assert rows(app) == [ROBUST, "A derived title from the abstract"]
        assert "by relevance" in screen_text(app)
        await pilot.press("enter")
        assert main(app).focused is plist(app)
        await pilot.press("slash", "escape")
        assert main(app).focused is plist(app)
        assert len(rows(app)) == 2
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(rows(app)) == 7
        assert main(app).query_one(Input).value == ""
        assert "by added" in screen_text(app)


async def test_a_malformed_qualifier_is_explained_not_raised(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"year:abc")
        await settle(app, pilot)
        assert "year:abc — expected" in screen_text(app)
        assert app.is_running


async def test_r_marks_read_and_moves_to_the_next_paper(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert ATTENTION not in rows(app)
        assert current_title(app) == ROBUST
        paper = stored(library, ATTENTION)
        assert paper.read and paper.read_at == NOW
        assert "Marked read" in notes(app)
        text = screen_text(app)
        assert "6 papers · Unread" in text
        await pilot.press("r", "r")
        await settle(app, pilot)
        assert len(rows(app)) == 4
        assert sum(not p.read for p in reopen(library).papers()) == 4


async def test_r_in_the_all_view_toggles_back(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main(app).view.view = "all"
        main(app).refill()
        await pilot.press("G", "k", "k")
        assert current_title(app) == "Scaling Laws for Neural Language Models"
        await pilot.press("r")
        await settle(app, pilot)
        assert not stored(library, "Scaling Laws for Neural Language Models").read
        assert "Marked unread" in notes(app)
        await pilot.press("r")
        await settle(app, pilot)
        assert stored(library, "Scaling Laws for Neural Language Models").read


async def test_t_adds_tags_with_completion(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "t")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"transf")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.press(*", to-read")
        assert app.screen.query_one(Input).value == "transformers, to-read"
        await pilot.press("enter")
        await settle(app, pilot)
        assert stored(library, ROBUST).tags == ["robustness", "transformers", "to-read"]
        assert "Tagged 1 paper: transformers, to-read" in notes(app)
        assert "#to-read" in screen_text(app)


async def test_t_rejects_a_bad_tag_and_esc_cancels(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t", *"bad!tag", "enter")
        assert isinstance(app.screen, TagDialog)
        assert "bad tag" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert stored(library, ATTENTION).tags == ["nlp", "transformers"]


async def test_T_removes_a_tag_picked_from_the_papers_tags(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        await wait_for_screen(app, pilot, UntagDialog)
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "nlp",
            "transformers",
        ]
        await pilot.press("down", "enter")
        await wait_for_note(app, pilot, "Removed tag transformers from 1 paper")
        await settle(app, pilot)
        assert stored(library, ATTENTION).tags == ["nlp"]


async def test_n_edits_the_note(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"Key paper.", "enter", *"Second line.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert stored(library, ATTENTION).note == "Key paper.\nSecond line."
        assert "Key paper.\nSecond line." in detail_text(app)
        await pilot.press("n", "escape")
        await settle(app, pilot)
        assert stored(library, ATTENTION).note == "Key paper.\nSecond line."


async def test_c_copies_the_default_style_and_says_where(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert app.clipboard.startswith("@misc{") or app.clipboard.startswith("@article{")
        assert "Attention Is All You Need" in app.clipboard
        message = notes(app)[-1]
        assert message.startswith("Sent via OSC 52")
        assert app.clipboard.splitlines()[0] in message
        assert (library.root / "last-citation.txt").read_text().startswith("@")


async def test_C_previews_styles_copies_and_keeps_the_text(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        assert isinstance(app.screen, CiteDialog)
        preview = app.screen.query_one("#preview", TextArea)
        assert preview.text.startswith("@")
        await pilot.press("down", "down")  # bibtex -> biblatex -> apa
        await settle(app, pilot)
        assert "Vaswani, A." in preview.text
        await pilot.press("ctrl+d")
        await settle(app, pilot)
        assert reopen(library).settings()["citation_style"] == "apa"
        shown = preview.text
        await pilot.press("enter")  # copies and closes
        await settle(app, pilot)
        assert not isinstance(app.screen, CiteDialog)
        assert app.clipboard == shown
        app.copy_to_clipboard("")
        await pilot.press("c")
        await settle(app, pilot)
        assert "Vaswani, A." in app.clipboard


async def test_C_searches_every_style_by_title_and_remembers_the_last_used(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        await pilot.press(*"nature")  # typed in the list: the search box takes it
        await settle(app, pilot)
        assert app.screen.query_one("#style-search", Input).value == "nature"
        styles = app.screen.query_one("#styles", OptionList)
        assert styles.highlighted_option.id == "nature"
        preview = app.screen.query_one("#preview", TextArea)
        assert preview.text.startswith("1. Vaswani, A.")
        await pilot.press("ctrl+t")  # the in-text form: a superscript number in Nature
        await settle(app, pilot)
        assert app.clipboard == "1"
        assert not isinstance(app.screen, CiteDialog)
        assert reopen(library).settings()["recent_styles"][0] == "nature"
        await pilot.press("C")
        await settle(app, pilot)
        styles = app.screen.query_one("#styles", OptionList)
        assert [styles.get_option_at_index(i).id for i in range(2)] == ["bibtex", "nature"]
        await pilot.press(*"zzqqxxyy")
        await settle(app, pilot)
        assert styles.option_count == 0
        assert app.screen.query_one("#preview", TextArea).text == "No style matches."


async def test_I_copies_the_in_text_citation(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("I")
        await settle(app, pilot)
        assert app.clipboard.startswith("\\cite{")
        reopen(library).set_setting("citation_style", "apa")
        await pilot.press("I")
        await settle(app, pilot)
        assert re.fullmatch(r"\(.+, \d{4}\)", app.clipboard), app.clipboard


async def test_space_selects_and_r_t_c_act_on_all_selected(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space")
        assert len(plist(app).selected) == 2
        assert "2 selected" in screen_text(app)
        await pilot.press("c")
        await settle(app, pilot)
        assert ATTENTION in app.clipboard and ROBUST in app.clipboard
        await pilot.press("t", *"batch", "enter")
        await settle(app, pilot)
        assert "Tagged 2 papers: batch" in notes(app)
        assert "batch" in stored(library, ATTENTION).tags
        assert "batch" in stored(library, ROBUST).tags
        await pilot.press("space", "space")
        await pilot.press("r")
        await settle(app, pilot)
        assert "Marked 2 papers read" in notes(app)
        assert len(rows(app)) == 5
        await pilot.press("u")
        await settle(app, pilot)
        assert len(rows(app)) == 7
        await pilot.press("u")
        await settle(app, pilot)
        assert "batch" not in stored(library, ATTENTION).tags


async def test_s_cycles_the_sort(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        assert main(app).view.sort == "date"
        assert rows(app)[0] == ROBUST
        await pilot.press("s")
        assert rows(app)[0].startswith("[bold]Markup")  # punctuation sorts first
        await pilot.press("s")
        assert rows(app)[0] == ATTENTION  # 120 upvotes
        await pilot.press("s")
        assert main(app).view.sort == "added"
        await pilot.press("slash", *"training", "enter")
        await settle(app, pilot)
        assert main(app).view.sort == "relevance"
        await pilot.press("s", "s", "s", "s", "s")
        assert main(app).view.sort == "relevance"


def _values(library) -> dict[str, dict]:
    """Every paper's values (an undo is itself a change: the fields it puts back get its stamp)."""
    return {p.id: p.to_json(changed=False) for p in reopen(library).papers()}


async def test_u_undoes_back_to_the_start_of_the_session(app, library):
    before = _values(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.press("t", *"x", "enter")
        await pilot.press("n", *"note", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert len(reopen(library).papers()) == 7
        for _ in range(4):
            await pilot.press("u")
            await settle(app, pilot)
        assert _values(library) == before
        await pilot.press("u")
        assert "Nothing to undo" in notes(app)[-1]
        assert rows(app)[0] == ATTENTION


async def test_d_asks_then_deletes_and_u_restores(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert len(reopen(library).papers()) == 8
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert ATTENTION not in [p.title for p in reopen(library).papers()]
        assert ATTENTION not in rows(app)
        assert "Deleted 1 paper (u to undo)" in notes(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert stored(library, ATTENTION).tags == ["nlp", "transformers"]
        assert current_title(app) == ATTENTION


async def test_o_opens_the_link_or_says_there_is_none(app, monkeypatch):
    import webbrowser

    opened = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.BackgroundBrowser("firefox"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        assert opened == ["https://arxiv.org/abs/1706.03762"]
        await pilot.press("j", "j", "j", "j", "o")
        assert len(opened) == 1
        assert "has no link" in notes(app)[-1]


@pytest.mark.parametrize("browser", [None, "lynx"])
async def test_o_without_a_usable_browser_says_so_and_shows_the_link(app, monkeypatch, browser):
    import webbrowser

    def get():
        if browser is None:
            raise webbrowser.Error("could not locate runnable browser")
        return webbrowser.GenericBrowser(browser)  # a console browser would take the screen

    opened = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(webbrowser, "get", get)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        assert opened == []
        assert notes(app)[-1] == "No usable web browser: https://arxiv.org/abs/1706.03762"


async def test_question_mark_lists_every_key(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        screen = main(app)
        keys = [b.key for b in screen.BINDINGS] + [b.key for b in PaperList.BINDINGS]
        for key in keys:
            for name in key.split(","):
                shown = {"slash": "/", "question_mark": "?", "escape": "esc", "number_sign": "#"}
                shown = shown.get(name, name)
                shown = {"down": "↓", "up": "↑", "pagedown": "pgdn", "pageup": "pgup"}.get(
                    shown, shown
                )
                assert shown in text, name
        await pilot.press("escape")
        assert app.screen is screen


async def test_ctrl_p_palette_runs_paper_actions(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"read / unread")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert stored(library, ATTENTION).read


async def test_q_quits(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_mouse_click_highlights_a_row(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await pilot.click(PaperList, offset=(5, 3))
        assert plist(app).cursor == 2
        assert main(app).query_one(DetailPane).paper.title.startswith("[bold]Markup")


async def test_changes_from_another_process_show_up(app, library):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        other = reopen(library)
        other.set_read([other.papers()[0].id], True)
        other.add_tags([other.papers()[1].id], ["from-cli"])
        for _ in range(40):
            await settle(app, pilot)
            if "from-cli" in app.session.counts().tags:
                break
            await asyncio.sleep(0.1)
        assert "from-cli" in app.session.counts().tags
        assert len(rows(app)) == 6


async def test_search_finds_authors_by_name_and_by_qualifier(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"vaswani")
        await settle(app, pilot)
        assert rows(app) == [ATTENTION]
        main(app).query_one(Input).value = ""
        await settle(app, pilot)
        await pilot.press(*'author:"kaiming he"')
        await settle(app, pilot)
        assert len(rows(app)) == 1 and "Residual" in rows(app)[0]
