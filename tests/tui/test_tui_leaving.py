"""Papers that leave the view after a change (marked read in Unread) leave the list,
the rest keep their order, and the cursor stays on its row."""

from __future__ import annotations

from tui_support import SIZE, settle

from readinglist.tui.app import ReadingListApp
from readinglist.tui.screens import main


async def test_a_paper_marked_read_leaves_unread_and_the_cursor_keeps_its_row(library):
    app = ReadingListApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        plist = app.get_screen("main").paper_list
        before = list(plist.ids)
        assert len(before) >= 3
        await pilot.press("down")
        await settle(app, pilot)
        marked = plist.current
        await pilot.press("r")
        await settle(app, pilot)
        assert plist.ids == [pid for pid in before if pid != marked]
        assert (plist.cursor, plist.current) == (1, before[2])
        await pilot.press("space", "space", "r")  # two selected (space moves on): both leave
        await settle(app, pilot)
        assert plist.ids == [pid for pid in before if pid not in {marked, *before[2:4]}]


def test_the_papers_left_are_the_same_whether_few_or_many_leave():
    ids = [f"{n:04x}" for n in range(500)]
    for gone in ({"0003"}, {"0000", "01f3", "nope"}, {f"{n:04x}" for n in range(0, 500, 3)}):
        assert main._without(ids, gone) == [pid for pid in ids if pid not in gone]
    assert main._without(ids, set()) == ids and main._without(ids, set()) is not ids
