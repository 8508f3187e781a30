"""The app's first page: painted from the directory before the whole library is read, and
keys pressed before the library is in, held and then applied in the order typed."""

from __future__ import annotations

import shutil
import threading

import pytest
from textual import events
from tui_support import SIZE, detail_text, logging_notes, rows, screen_text, settle, wait_for

import readinglist.tui.app as app_module
from readinglist.errors import LibraryError
from readinglist.persistence.directory import DIRECTORY_FILE
from readinglist.persistence.library import Library
from readinglist.tui.app import ReadingListApp
from readinglist.tui.key_hold import KeyHold
from readinglist.tui.widgets.search_bar import SearchInput


@pytest.fixture
def gate(monkeypatch) -> threading.Event:
    """The whole library is read only once the gate opens (the first page comes first)."""
    opened = threading.Event()
    snapshot = app_module.snapshot

    def gated(library, sort="added"):
        assert opened.wait(20), "the test never opened the gate"
        return snapshot(library, sort)

    monkeypatch.setattr(app_module, "snapshot", gated)
    return opened


def _read_all(library: Library) -> None:
    Library(library.root).papers()  # a whole read writes the directory (first page) too


async def _first_page(app: ReadingListApp, pilot) -> None:
    main = app.get_screen("main")
    await wait_for(pilot, lambda: main.first_page is not None, what="the first page")
    await pilot.pause()


async def _keys_after_load(library: Library, keys: list[str]) -> set[str]:
    """The papers read after pressing `keys` on an app that has loaded everything."""
    app = ReadingListApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(*keys)
        await settle(app, pilot)
    return {p.id for p in Library(library.root).papers() if p.read}


async def test_the_first_page_shows_before_the_library_is_read(library, gate):
    _read_all(library)
    app = logging_notes(ReadingListApp(library))
    async with app.run_test(size=SIZE) as pilot:
        await _first_page(app, pilot)
        main = app.get_screen("main")
        assert not main.loaded and main.session.papers == {}
        first = rows(app)
        text = screen_text(app)
        assert first[0] == "Attention Is All You Need" and "reading 8 papers…" in text
        assert "Ashish Vaswani" in detail_text(app)
        gate.set()
        await settle(app, pilot)
        assert rows(app) == first  # the same papers in the same order, now all of them
        assert "7 papers · Unread · by added" in screen_text(app)


async def test_keys_before_the_load_act_as_they_would_after_it(library, gate, tmp_path):
    _read_all(library)
    control = tmp_path / "control"
    shutil.copytree(library.root, control)
    keys = ["j", "r", "j", "r", "k"]
    gate.set()  # the control reads at once
    expected = await _keys_after_load(Library(control), keys)
    gate.clear()
    before = {p.id for p in Library(library.root).papers() if p.read}
    app = ReadingListApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await _first_page(app, pilot)
        main = app.get_screen("main")
        await pilot.press("j")  # a move within the first page: at once
        assert main.paper_list.cursor == 1 and "Label Noise" in detail_text(app)
        await pilot.press(*keys[1:])  # held: they need the whole library
        assert main.paper_list.cursor == 1 and not main.session.history
        assert {p.id for p in Library(library.root).papers() if p.read} == before
        gate.set()
        await settle(app, pilot)
    assert len(expected) == 3  # Scaling Laws was read already, and two more
    assert {p.id for p in Library(library.root).papers() if p.read} == expected


async def test_keys_wait_when_there_is_no_first_page(library, gate):
    _read_all(library)
    (library.root / DIRECTORY_FILE).unlink()  # only the whole library can tell
    app = ReadingListApp(library)
    async with app.run_test(size=SIZE) as pilot:
        main = app.get_screen("main")
        await pilot.press("r")
        assert main.first_page is None and not main.loaded
        gate.set()
        await settle(app, pilot)
        read = [p.title for p in Library(library.root).papers() if p.read]
        assert "Attention Is All You Need" in read


async def test_a_search_typed_before_the_load_reaches_the_search_bar(library, gate):
    _read_all(library)
    app = ReadingListApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await _first_page(app, pilot)
        await pilot.press("slash", *"bert")
        gate.set()
        await settle(app, pilot)
        assert app.get_screen("main").query_one(SearchInput).value == "bert"
        await wait_for(pilot, lambda: rows(app)[:1] == [
            "BERT: Pre-training of Deep Bidirectional Transformers"
        ], what="the search result")  # fmt: skip


async def test_a_library_that_cannot_be_read_clears_the_first_page(library, monkeypatch):
    _read_all(library)

    def broken(library, sort="added"):
        raise LibraryError(f"{library.root}/papers.json: damaged record")

    monkeypatch.setattr(app_module, "snapshot", broken)
    app = ReadingListApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.open_error is not None, what="the error")
        await pilot.pause()
        assert rows(app) == [] and "Cannot open the library" in screen_text(app)


def test_held_keys_come_again_one_at_a_time_in_order_and_later_ones_after_them():
    posted: list = []
    hold = KeyHold()

    def post(event) -> bool:
        posted.append(event)
        return True

    first, second = events.Key("r", "r"), events.Key("j", "j")
    assert hold.holds(first) and hold.holds(second, passes=True)  # a move waits behind r
    hold.release(post)
    assert [e.key for e in posted] == ["r"] and hold.pending
    assert hold.holds(events.Key("k", "k"))  # typed while they replay: after them
    hold.next(post)  # r not handled yet: nothing more
    assert hold.is_replay(posted[0]) and not hold.is_replay(first)
    for _ in range(2):
        hold.handled(posted[-1], post)
    hold.handled(posted[-1], post)
    assert [e.key for e in posted] == ["r", "j", "k"] and not hold.pending
    assert not hold.holds(events.Key("x", "x"))
    assert not KeyHold().holds(events.Key("j", "j"), passes=True)
    closing = KeyHold()
    closing.holds(events.Key("r", "r"))
    closing.release(lambda event: False)
    assert not closing.pending
