"""Long work in the app: an import shows its stage, counts and time left in the work bar,
esc stops it while nothing is stored, and a stage that writes runs to its end."""

from __future__ import annotations

import random
import threading

import pytest
from textual.widgets import Input, Label, ProgressBar
from textual.widgets._progress_bar import Bar
from tui_support import SIZE, make, reopen, rows, settle, wait_for, wait_for_note, wait_for_screen

from readinglist import exporting
from readinglist.progress import Progress
from readinglist.tui.screens.files import ExportDialog, ImportDialog
from readinglist.tui.widgets.work_bar import WorkBar

WORDS = [
    "sparse",
    "dense",
    "graph",
    "neural",
    "robust",
    "kernel",
    "bayesian",
    "causal",
    "spectral",
    "adaptive",
    "latent",
    "contrastive",
    "federated",
    "quantum",
    "diffusion",
    "transformer",
    "memory",
    "planning",
    "vision",
    "speech",
    "retrieval",
    "reward",
    "policy",
    "manifold",
    "tensor",
    "wavelet",
    "boosting",
    "pruning",
]


def many_papers(n: int) -> list:
    """`n` papers no two of which the library takes for the same one."""
    rng = random.Random(3)
    papers = []
    for i in range(n):
        title = " ".join(rng.sample(WORDS, 7)) + f" {i}"
        abstract = " ".join(rng.choice(WORDS) for _ in range(30)) + f" study {i}."
        papers.append(make(title, abstract, "2025-01-01T00:00:00+00:00"))
    return papers


@pytest.fixture
def listing(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(exporting.to_json(many_papers(300)), encoding="utf-8")
    return path


@pytest.fixture
def every_step(monkeypatch):
    """The bar shows every step (not one each 0.1 s), so a test can wait for one."""
    monkeypatch.setattr("readinglist.tui.long_work.STEP_EVERY", 0)


class Gate:
    """Holds the working thread at one point until the test lets it go."""

    def __init__(self) -> None:
        self.reached, self.go = threading.Event(), threading.Event()

    def hold(self) -> None:
        self.reached.set()
        assert self.go.wait(20), "the test never let the work go on"


def gate_advance(monkeypatch, at: int) -> Gate:
    """Hold an import's duplicate check once `at` papers are checked (and shown)."""
    gate, advance = Gate(), Progress.advance

    def held(self, count=1, what=None):
        if self.step.what.startswith("Checking") and self.step.done == at:
            gate.hold()
        advance(self, count, what)

    monkeypatch.setattr(Progress, "advance", held)
    return gate


def gate_stage(monkeypatch, name: str) -> Gate:
    """Hold the work once the stage called `name…` has begun (and is shown)."""
    gate, stage = Gate(), Progress.stage

    def held(self, what, total=None, stoppable=True):
        stage(self, what, total, stoppable)
        if what.startswith(name):
            gate.hold()

    monkeypatch.setattr(Progress, "stage", held)
    return gate


def bar_text(app) -> str:
    bar = app.get_screen("main").query_one(WorkBar)
    return " ".join(str(label.render()) for label in bar.query(Label))


def bar_shown(app) -> bool:
    return app.get_screen("main").query_one(WorkBar).has_class("-working")


async def start_import(app, pilot, path) -> None:
    await settle(app, pilot)
    await pilot.press("i")
    await wait_for_screen(app, pilot, ImportDialog)
    app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")


async def test_an_import_shows_its_stage_counts_and_time_left(
    app, listing, every_step, monkeypatch
):
    gate = gate_advance(monkeypatch, 120)
    async with app.run_test(size=SIZE) as pilot:
        await start_import(app, pilot, listing)
        await wait_for(pilot, gate.reached.is_set, what="the import to reach paper 120")
        await wait_for(pilot, lambda: "120/300" in bar_text(app), what="120/300 shown")
        text = bar_text(app)
        assert "Checking 300 papers from many.json against the library" in text
        assert "s left" in text and "esc stop" in text
        bar = app.get_screen("main").query_one(ProgressBar)
        assert (bar.total, bar.progress) == (300, 120)
        gate.go.set()
        await wait_for_note(app, pilot, "300 new")
        await settle(app, pilot)
        assert not bar_shown(app)
        assert len(rows(app)) == 300  # the Just imported view


async def test_esc_stops_an_import_and_nothing_is_stored(app, library, listing, every_step,
                                                         monkeypatch):  # fmt: skip
    gate = gate_advance(monkeypatch, 50)
    before = {p.id: p for p in reopen(library).papers()}
    async with app.run_test(size=SIZE) as pilot:
        await start_import(app, pilot, listing)
        await wait_for(pilot, gate.reached.is_set, what="the import to reach paper 50")
        await wait_for(pilot, lambda: "50/300" in bar_text(app), what="50/300 shown")
        await pilot.press("escape")
        assert "stopping…" in bar_text(app)
        gate.go.set()
        await wait_for_note(app, pilot, "Importing many.json stopped: nothing was stored")
        await settle(app, pilot)
        assert not bar_shown(app)
        assert {p.id: p for p in reopen(library).papers()} == before
        assert len(rows(app)) == 7  # still the Unread view it showed
        assert not any("new" in note for note in app.notes_log)


async def test_esc_while_the_import_writes_lets_it_finish(app, library, listing, every_step,
                                                          monkeypatch):  # fmt: skip
    gate = gate_stage(monkeypatch, "Storing")
    async with app.run_test(size=SIZE) as pilot:
        await start_import(app, pilot, listing)
        await wait_for(pilot, gate.reached.is_set, what="the import to begin its write")
        await wait_for(pilot, lambda: "Storing 300 papers" in bar_text(app), what="Storing")
        assert "finishing" in bar_text(app) and "esc stop" not in bar_text(app)
        await pilot.press("escape")
        assert "stopping…" not in bar_text(app)
        gate.go.set()
        await wait_for_note(app, pilot, "300 new")
        await settle(app, pilot)
        assert len(reopen(library).papers()) == 308
        assert not bar_shown(app)


async def test_a_second_import_waits_for_the_first(app, listing, every_step, monkeypatch):
    gate = gate_advance(monkeypatch, 10)
    async with app.run_test(size=SIZE) as pilot:
        await start_import(app, pilot, listing)
        await wait_for(pilot, gate.reached.is_set, what="the first import to run")
        await pilot.press("L")  # not offered on a library with papers: nothing happens
        await pilot.press("i")
        await wait_for_screen(app, pilot, ImportDialog)
        app.screen.query_one(Input).value = str(listing)
        await pilot.press("enter")
        await wait_for_note(app, pilot, "Importing many.json is still running (esc stops it)")
        gate.go.set()
        await wait_for_note(app, pilot, "300 new")
        await settle(app, pilot)


async def test_esc_stops_an_export_before_the_file_is_written(app, tmp_path, every_step,
                                                              monkeypatch):  # fmt: skip
    gate = gate_stage(monkeypatch, "Writing")
    target = tmp_path / "out.bib"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await wait_for_screen(app, pilot, ExportDialog)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, gate.reached.is_set, what="the export to make its text")
        await wait_for(pilot, lambda: "Writing 7 papers as bibtex" in bar_text(app), what="bar")
        await pilot.press("escape")
        gate.go.set()
        await wait_for_note(app, pilot, "Export stopped: no file was written")
        await settle(app, pilot)
        assert not target.exists()
        assert not bar_shown(app)


def test_import_in_progress_snapshot(snap_compare, app, listing, every_step, monkeypatch):
    """The work bar during an import: stage, bar, counts, time left (on a steady clock)."""
    from itertools import count

    from tui_support import no_blink

    ticks = count()
    monkeypatch.setattr("readinglist.progress.clock", lambda: next(ticks) * 0.01)
    gate = gate_advance(monkeypatch, 120)

    async def run_before(pilot) -> None:
        await start_import(app, pilot, listing)
        await wait_for(pilot, gate.reached.is_set, what="paper 120")
        await wait_for(pilot, lambda: "120/300" in bar_text(app), what="120/300 shown")
        # Textual moves the drawn bar towards the progress in steps; draw it where it is.
        progress = app.get_screen("main").query_one(WorkBar).query_one(ProgressBar)
        progress.query_one(Bar).percentage = progress.percentage
        no_blink(app)
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
    finally:
        gate.go.set()
