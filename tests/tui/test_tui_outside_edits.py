"""Edits another process makes while the app runs are shown, and undo keeps them."""

from __future__ import annotations

from tui_support import SIZE, reopen, settle, wait_for_note, wait_for_screen

from readinglist.model import Paper
from readinglist.tui.screens.tags import UntagDialog

ATTENTION = "Attention Is All You Need"
ROBUST = "Robust Training Under Label Noise"


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
