"""Progress of long work: stages, counts, time left, throttled reports, stopping."""

from __future__ import annotations

import itertools

import pytest

from readinglist import progress as progress_module
from readinglist.importer import import_files
from readinglist.model import Paper
from readinglist.persistence.library import Library
from readinglist.progress import Cancelled, Progress, Step, duration


@pytest.fixture
def ticking(monkeypatch):
    """A clock that moves one second each time it is read."""
    ticks = itertools.count()
    monkeypatch.setattr(progress_module, "clock", lambda: float(next(ticks)))


def test_a_stage_reports_its_counts_and_the_time_left(ticking):
    seen: list[Step] = []
    work = Progress(seen.append, every=0)
    for _ in work.counted(range(4), "Checking", 4):
        pass
    assert [(s.what, s.done, s.total) for s in seen] == [("Checking", n, 4) for n in range(5)]
    assert seen[0].left is None and seen[2].left is not None and seen[-1].left == 0
    assert seen[2].counts == "2/4" and Step("x").counts == ""


def test_reports_are_throttled_but_the_last_item_is_always_reported():
    seen: list[Step] = []
    work = Progress(seen.append, every=3600)
    for _ in work.counted(range(1000), "Checking", 1000):
        pass
    assert [s.done for s in seen] == [0, 1000]


def test_a_stop_raises_in_a_stage_that_can_stop_and_not_in_one_that_cannot():
    work = Progress()
    work.stage("Checking", 10)
    work.advance()
    work.stop()
    with pytest.raises(Cancelled):
        work.advance()
    writing = Progress()
    writing.stage("Storing", stoppable=False)
    writing.stop()
    writing.advance()  # runs to its end
    writing.check()


def test_the_switch_to_a_stage_that_cannot_stop_is_the_last_chance():
    work = Progress()
    work.stage("Checking", 2)
    work.stop()
    with pytest.raises(Cancelled):
        work.stage("Storing", stoppable=False)


def test_a_stopped_import_stores_nothing(tmp_path):
    library = Library(tmp_path / "lib")
    library.put([Paper(id="0" * 16, title="Kept")])
    listing = tmp_path / "a.txt"
    listing.write_text("Abstract: We study sparse kernels at scale for graphs.\n", encoding="utf-8")
    stopped = Progress(lambda step: stopped.stop() if step.what.startswith("Checking") else None)
    with pytest.raises(Cancelled):
        list(import_files(library, [str(listing)], progress=stopped))
    assert [p.title for p in Library(library.root).papers()] == ["Kept"]


def test_durations_read_as_people_say_them():
    assert (duration(4.4), duration(59.6), duration(185)) == ("4s", "1m00s", "3m05s")
