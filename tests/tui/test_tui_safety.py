"""The app's safety nets: links `o` refuses, huge notes drawn in bounded time, errors in place."""

from __future__ import annotations

import json
import webbrowser

from textual.app import App
from tui_support import SIZE, detail_text, make, screen_text, settle

from readinglist.persistence.library import Library
from readinglist.tui import app as app_module
from readinglist.tui.app import ReadingListApp, run_app
from readinglist.tui.screens import note as note_module
from readinglist.tui.screens.note import EDIT_LIMIT, NoteDialog
from readinglist.tui.widgets import detail as detail_module
from readinglist.tui.widgets.detail import SHOWN_CHARS
from readinglist.tui.widgets.safe_text_area import SafeTextArea

HUGE = ("a hostile note line of filler text " * 3 + "\n") * (10_000_000 // 106)


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def library_of(tmp_path, *papers) -> Library:
    library = Library(tmp_path / "library")
    library.put(list(papers))
    return Library(library.root)


async def test_o_refuses_links_that_are_not_web_addresses(tmp_path, monkeypatch):
    urls = ["javascript:alert(document.cookie)", "file:///etc/passwd", "--gpu-launcher=xcalc"]
    papers = [
        make(f"Paper {i}", f"Abstract {i}.", f"2025-02-0{9 - i}T10:00:00+00:00", url=url)
        for i, url in enumerate([*urls, "https://example.org/fine"])
    ]
    app = ReadingListApp(library_of(tmp_path, *papers))
    opened = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.BackgroundBrowser("firefox"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for url in urls:
            await pilot.press("o")
            await settle(app, pilot)
            assert f"{url}: not opened" in notes(app)[-1]
            assert "not opened" in detail_text(app)
            await pilot.press("j")
        await pilot.press("o")
        assert opened == ["https://example.org/fine"]


async def test_a_10_mb_note_is_drawn_clipped_when_highlighted(tmp_path, monkeypatch):
    big = make("Huge note", "Its note is ten megabytes.", "2025-02-01T10:00:00+00:00", note=HUGE)
    small = make("Small", "A small paper.", "2025-02-02T10:00:00+00:00")
    app = ReadingListApp(library_of(tmp_path, big, small))
    sanitised: list[int] = []
    real_safe = detail_module.safe
    monkeypatch.setattr(
        detail_module, "safe", lambda t, **o: sanitised.append(len(t)) or real_safe(t, **o)
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")  # the highlight moves onto the huge note
        await settle(app, pilot)
        assert app.get_screen("main").detail.paper.title == "Huge note"
        assert sanitised and max(sanitised) <= SHOWN_CHARS
        text = detail_text(app)
        assert len(text) < 3 * SHOWN_CHARS
        assert "more characters: n shows the whole note" in text


async def test_the_note_editor_opens_a_huge_note_read_only_at_its_start(tmp_path, monkeypatch):
    limit = EDIT_LIMIT // 10  # the same behaviour, drawn faster
    monkeypatch.setattr(note_module, "EDIT_LIMIT", limit)
    note = ("x" * 79 + "\n") * (limit * 3 // 2 // 80) + "end"
    big = make("Long note", "Its note is long.", "2025-02-01T10:00:00+00:00", note=note)
    library = library_of(tmp_path, big)
    app = ReadingListApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteDialog)
        area = app.screen.query_one(SafeTextArea)
        assert len(area.text) <= limit < len(note) and area.read_only
        assert "ctrl+o show all" in screen_text(app)
        await pilot.press("ctrl+s")  # nothing edited (nor editable): the note is kept
        await settle(app, pilot)
        assert Library(library.root).get(big.id).note == note
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("ctrl+o", "y", "ctrl+s")
        await settle(app, pilot)
        assert Library(library.root).get(big.id).note == note + "y"


def test_a_wrong_type_in_the_library_is_shown_in_place_and_exits_non_zero(tmp_path, monkeypatch):
    paper = make("Keyed", "A paper whose key is a number.", "2025-02-01T10:00:00+00:00")
    library = library_of(tmp_path, paper)
    path = library.root / "papers.json"
    data = json.loads(path.read_text())
    data["papers"][paper.id]["key"] = 7
    path.write_text(json.dumps(data))
    seen = []

    async def quit_when_shown(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        seen.append(screen_text(app))
        await pilot.press("c", "n", "o", "q")

    def headless_run(self, **options):
        return App.run(self, headless=True, auto_pilot=quit_when_shown, size=SIZE)

    monkeypatch.setattr(app_module.ReadingListApp, "run", headless_run)
    assert run_app(Library(library.root)) == 1
    assert "Cannot open the library" in seen[0]
    assert f"paper {paper.id}: key must be a string" in seen[0]
