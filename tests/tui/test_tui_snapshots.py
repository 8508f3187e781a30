"""How each screen looks: fixed size, fixed clock, fixed papers, steady cursors.

Update after an intended change with `pytest tests/tui --snapshot-update`.
"""

from __future__ import annotations

from tui_support import no_blink, settle, wait_for

SIZE = (120, 36)


def prepare(*keys: str):
    """A run_before that waits for the library, presses `keys`, and steadies cursors."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)
        # A cursor stays shown only if its widget has taken the focus when blinking stops.
        await wait_for(pilot, lambda: app.focused is None or app.focused.has_focus, what="focus")
        no_blink(app)
        await pilot.pause()

    return run_before


def test_main_screen(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare("j"))


def test_main_screen_narrow(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=prepare())


def test_search_in_progress(snap_compare, app):
    keys = ("slash", *"robust train")
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(*keys))


def test_selection_and_read_papers(snap_compare, app):
    keys = ("shift+tab", "j", "j", "tab", "space", "space")
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(*keys))


def test_tag_dialog(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare("t", "n"))


def test_untag_dialog(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare("T"))


def test_note_dialog(snap_compare, app):
    keys = ("G", "k", "n")
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(*keys))


def test_citation_dialog(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare("C", "down", "down"))


def test_delete_confirmation(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare("d"))


def test_help_screen(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare("question_mark"))


def test_narrow_screen_after_a_view_key(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=prepare("3"))


def test_narrow_screen_with_the_sidebar(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=prepare("b"))


def test_scoped_search_hint(snap_compare, app):
    keys = ("slash", *"scaling laws", "enter")
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(*keys))
