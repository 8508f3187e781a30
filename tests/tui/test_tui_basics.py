"""Opening the app: what the main screen shows, first run, empty libraries, layout."""

from __future__ import annotations

from textual.widgets import Static
from tui_support import SIZE, detail_text, rows, screen_text, settle

from readinglist.persistence.library import Library
from readinglist.tui.app import ReadingListApp
from readinglist.tui.widgets.detail import DetailPane
from readinglist.tui.widgets.paper_list import PaperList
from readinglist.tui.widgets.sidebar import Sidebar


async def test_opens_on_the_unread_inbox_with_counts(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(rows(app)) == 7
        assert rows(app)[0] == "Attention Is All You Need"
        text = screen_text(app)
        assert "Unread" in text and "7" in text
        assert "#nlp" in text and "#robustness" in text
        assert "7 papers · Unread · by added" in text
        assert "Ashish Vaswani, Noam Shazeer, Niki Parmar" in detail_text(app)
        assert app.screen.focused is app.screen.query_one(PaperList)


async def test_list_marks_inferred_years_upvotes_and_read_state(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "2024?" in text
        assert "▲120" in text
        await pilot.press("3")  # no such key: nothing happens
        app.get_screen("main").query_one(Sidebar).highlighted = 2  # All
        await settle(app, pilot)
        assert "✓ Scaling Laws for Neural Language Models" in screen_text(app)


async def test_paper_text_is_shown_literally_never_as_markup_or_escapes(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j")
        text = screen_text(app)
        assert "[bold]Markup[/] in a [@click=app.quit]title[/]" in text
        assert app.is_running
        await pilot.press("j")
        text = screen_text(app)
        assert "\x1b" not in text and "\x9b" not in text
        assert "Escapes \\x1b[2J\\x1b]52;c;ZXZpbA==\\x07 and \\x9b31m controls" in text


async def test_detail_pane_shows_every_field(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        detail = app.get_screen("main").query_one(DetailPane)
        text = detail_text(app)
        for expected in (
            "Date     2017-06-12",
            "Upvotes  ▲ 120",
            "arXiv    1706.03762",
            "https://arxiv.org/abs/1706.03762",
            "Sources  daily.txt",
            "#nlp #transformers",
            "Status   unread",
            "Added    2025-02-08 10:00 UTC",
            "Cite key vaswani2017attention",
            "We propose the Transformer",
        ):
            assert expected in text, expected
        await pilot.press("j")
        assert detail.paper.title == "Robust Training Under Label Noise"
        text = detail_text(app)
        assert "4 authors" in text and "2024-03-02 (year inferred)" in text


async def test_derived_titles_are_marked(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "j")
        assert "(title derived from the abstract)" in screen_text(app)


async def test_first_run_at_the_default_location_imports_the_samples(tmp_path):
    library = Library(tmp_path / "default")
    app = ReadingListApp(library, first_run_samples=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        count = len(Library(library.root).papers())
        assert count > 100
        assert len(rows(app)) == count
        (welcome,) = [n.message for n in app._notifications if "sample papers" in n.message]
        assert welcome == (
            f"Imported {count} sample papers, tagged 'sample'; "
            "`readinglist rm --tag sample --yes` removes them"
        )
        assert all("sample" in p.tags for p in Library(library.root).papers())


async def test_a_new_library_elsewhere_starts_empty_and_explains(tmp_path):
    library = Library(tmp_path / "mine")
    app = ReadingListApp(library, first_run_samples=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not library.exists()
        assert "This library is empty." in screen_text(app)
        message = app.get_screen("main").query_one(PaperList).empty_message.plain
        assert f"readinglist --library {library.root} import FILE" in message
        assert "L to load the sample papers" in message
        await pilot.press("L")
        await settle(app, pilot)
        assert len(Library(library.root).papers()) > 100
        assert rows(app)


async def test_narrow_terminal_hides_the_sidebar_and_puts_the_detail_below(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.get_screen("main")
        assert not screen.query_one(Sidebar).display
        plist, detail = screen.query_one(PaperList), screen.query_one(DetailPane)
        assert detail.region.y > plist.region.y
        assert "Attention Is All You Need" in screen_text(app)
        await pilot.resize_terminal(160, 45)
        await settle(app, pilot)
        assert screen.query_one(Sidebar).display
        assert detail.region.x > plist.region.x


async def test_every_builtin_theme_renders(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for name in sorted(app.available_themes):
            app.theme = name
            await pilot.pause()
            assert "Attention Is All You Need" in screen_text(app), name


async def test_status_line_names_the_view(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        status = app.get_screen("main").query_one("#status", Static)
        assert "Unread" in str(status.render())


async def test_the_detail_pane_is_drawn_again_only_when_what_it_shows_changed(app):
    from dataclasses import replace

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        detail = app.get_screen("main").query_one(DetailPane)
        body = detail.query_one("#detail-body", Static)
        drawn: list = []
        real = body.update
        body.update = lambda content="": drawn.append(content) or real(content)  # type: ignore[method-assign]
        detail.show(detail.paper)  # the same paper, the same highlights: as it is
        assert drawn == []
        detail.show(replace(detail.paper, note="a new note"))  # the paper changed
        assert len(drawn) == 1 and "a new note" in detail_text(app)
        detail.spans = lambda text: [(0, 3)]  # a search highlights words
        detail.show(detail.paper)
        detail.show(detail.paper)
        assert len(drawn) == 2
        detail.spans = lambda text: [(0, 4)]  # other words
        detail.show(detail.paper)
        assert len(drawn) == 3
