"""Fixtures for the app's tests: a small fixed library in a temp folder, a frozen clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import NOW, logging_notes, sample_papers

from readinglist.model import Paper
from readinglist.persistence.library import Library
from readinglist.tui.app import ReadingListApp


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Read times, import times and the times of edits are always NOW."""
    monkeypatch.setattr("readinglist.model.now_iso", lambda: NOW)
    monkeypatch.setattr("readinglist.edits.now_utc", lambda: NOW)
    monkeypatch.setattr("readinglist.persistence.library.now_iso", lambda: NOW)


@pytest.fixture
def papers() -> list[Paper]:
    return sample_papers()


@pytest.fixture
def library(tmp_path: Path, papers: list[Paper]) -> Library:
    lib = Library(tmp_path / "library")
    lib.put(papers)
    return Library(lib.root)


@pytest.fixture
def app(library: Library) -> ReadingListApp:
    return logging_notes(ReadingListApp(library))
