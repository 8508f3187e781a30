"""Hostile text on every screen of the app: no raw escape or C1 character is ever drawn."""

from __future__ import annotations

from dataclasses import replace

from hostile import HOSTILE, raw_escapes
from textual import events
from tui_support import SIZE, make, screen_text, settle

from readinglist.persistence.library import Library
from readinglist.tui.app import ReadingListApp
from readinglist.tui.screens.cite import CiteDialog
from readinglist.tui.screens.confirm import ConfirmDialog
from readinglist.tui.screens.note import NoteDialog
from readinglist.tui.screens.tags import TagDialog, UntagDialog
from readinglist.tui.widgets.paper_list import PaperList
from readinglist.tui.widgets.safe_text_area import SafeTextArea

ALL = " ".join(HOSTILE[:6])  # every hostile string in one field, for the dialogs


def hostile_papers():
    """One paper per hostile string in every field, the newest holding them all."""
    papers = []
    for i, text in enumerate([*HOSTILE, ALL]):
        paper = make(
            f"Hostile {i} {text}",
            f"Abstract {i}: {text}\n{text}",
            f"2025-02-0{i + 1}T10:00:00+00:00",
            note=f"note {text}",
            tags=["plain", f"tag{i}-{text[:40]}"],
            authors=[f"Mallory {text[:30]}"],
            journal=text[:50],
            sources=[f"src {text[:30]}"],
            url=f"https://example.org/{text[:20]}",
            key=f"key{i}{text[:10]}",
        )
        papers.append(paper)
    return papers


def hostile_app(tmp_path) -> ReadingListApp:
    library = Library(tmp_path / "library")
    library.put(hostile_papers())  # as a damaged or older library may hold them
    return ReadingListApp(Library(library.root))


def assert_clean(app, where: str) -> str:
    text = screen_text(app)
    assert raw_escapes(text) == [], where
    return text


async def paste(app, pilot, text: str) -> None:
    app.screen.focused.post_message(events.Paste(text))
    await pilot.pause()


async def visit_dialogs(app, pilot) -> None:
    """Open every dialog that shows the highlighted paper, check it, close it."""
    for key, screen in (
        ("n", NoteDialog),
        ("t", TagDialog),
        ("T", UntagDialog),
        ("d", ConfirmDialog),
        ("C", CiteDialog),
    ):
        await pilot.press(key)
        await settle(app, pilot)
        assert isinstance(app.screen, screen), key
        assert_clean(app, screen.__name__)
        if screen is TagDialog:
            await paste(app, pilot, ALL)
            assert_clean(app, "pasted into the tag input")
        await pilot.press("escape")
        await settle(app, pilot)


async def test_every_screen_draws_hostile_text_harmlessly(tmp_path, monkeypatch):
    app = hostile_app(tmp_path)
    monkeypatch.setattr(app, "open_url", lambda url, **kw: None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(app.get_screen("main").query_one(PaperList).ids) == len(HOSTILE) + 1
        await visit_dialogs(app, pilot)
        for index in range(len(HOSTILE) + 1):
            assert_clean(app, f"paper {index}: list, detail, sidebar")
            await pilot.press("o", "c")  # toasts: opening the link, the citation copied
            await settle(app, pilot)
            assert_clean(app, f"paper {index}: toasts")
            await pilot.press("j")
            await settle(app, pilot)
        await pilot.press("slash")
        for text in HOSTILE[:6]:
            await paste(app, pilot, text)
            await settle(app, pilot)
            assert_clean(app, "pasted into the search bar")
        await pilot.press("escape", "ctrl+p")
        await settle(app, pilot)
        await paste(app, pilot, HOSTILE[1])
        await settle(app, pilot)  # the palette's search has finished
        assert_clean(app, "the command palette")


async def test_the_palette_and_the_file_dialogs_escape_what_is_pasted(tmp_path):
    app = hostile_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in ("i", "e"):
            await pilot.press(key)
            await settle(app, pilot)
            await paste(app, pilot, HOSTILE[1] + "/")
            await pilot.press("enter")
            await settle(app, pilot)
            text = assert_clean(app, f"{key}: the file dialog and its error")
            assert "\\x1b[2J" in text
            await pilot.press("escape")
            await settle(app, pilot)


async def test_the_note_editor_shows_controls_as_escapes_and_keeps_them(tmp_path):
    app = hostile_app(tmp_path)
    library = app.library
    note = "see section 3 \x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07 then \x1b[2J"
    first = hostile_papers()[-1]  # the newest: the list opens on it
    library.put([replace(first, note=note)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        area = app.screen.query_one(SafeTextArea)
        assert (
            area.text
            == "see section 3 \\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07 then \\x1b[2J"
        )
        assert_clean(app, "the note editor")
        await pilot.press("ctrl+s")  # not edited: the stored note stays byte for byte
        await settle(app, pilot)
        assert Library(library.root).get(first.id).note == note
        await pilot.press("n")
        await settle(app, pilot)
        await paste(app, pilot, " more \x9b31m\x1bP dcs")
        assert_clean(app, "pasted into the note editor")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = Library(library.root).get(first.id).note
        assert saved.endswith("more \\x9b31m\\x1bP dcs") and raw_escapes(saved) == []


async def test_a_hostile_id_in_the_library_is_shown_escaped_in_place(tmp_path):
    library = Library(tmp_path / "library")
    library.put(hostile_papers()[:2])
    path = library.root / "papers.json"
    bad = "abcdef\x1b]52;c;ZXZpbA==\x07\x1b[2J"
    path.write_text(
        path.read_text().replace(hostile_papers()[0].id, bad.encode("unicode_escape").decode())
    )
    app = ReadingListApp(Library(library.root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = assert_clean(app, "cannot open the library")
        assert "Cannot open the library" in text
        assert app.is_running and app.open_error is not None
