"""Keys that arrive together with the one leaving the search bar (tmux `send-keys Enter a`,
a fast typist, a paste) act on the list, not on the query."""

from __future__ import annotations

from textual import events
from tui_support import SIZE, rows, screen_text, settle

SCALING = "Scaling Laws for Neural Language Models"


async def send_together(app, *keys: tuple[str, str | None]) -> None:
    """Post key events in one go, as a terminal's single write delivers them."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


async def test_enter_then_a_at_once_leaves_the_query_and_searches_everything(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"scaling laws")
        await settle(app, pilot)
        assert rows(app) == []  # a read paper: not in Unread
        await send_together(app, ("enter", "\r"), ("a", "a"))
        await settle(app, pilot)
        main = app.get_screen("main")
        assert main.search_input.value == "scaling laws"
        assert rows(app) == [SCALING]
        assert main.focused is main.paper_list
        assert "everything" in screen_text(app)


async def test_escape_then_keys_at_once_reach_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"attention")
        await settle(app, pilot)
        await send_together(app, ("escape", "\x1b"), ("3", "3"))
        await settle(app, pilot)
        main = app.get_screen("main")
        assert main.search_input.value == "attention"
        assert main.view.view == "all"


async def test_typing_after_coming_back_to_the_search_bar_types_again(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"scal", "enter")
        await settle(app, pilot)
        await pilot.press("slash", *"ing")
        await settle(app, pilot)
        assert app.get_screen("main").search_input.value == "ing"  # / selects the old query
