"""Seed papers (with a little user state) for the search tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality_cases import NAMES, STATE  # noqa: E402

from readinglist.model import Paper  # noqa: E402
from seeds import seed_papers  # noqa: E402


def seeded_library() -> list[Paper]:
    """The seed papers, some tagged, read and named as the quality cases expect."""
    papers = seed_papers()
    for paper in papers:
        for fragment, (tags, read) in STATE.items():
            if fragment in paper.title:
                paper.tags, paper.read = list(tags), read
        for fragment, (authors, journal) in NAMES.items():
            if fragment in paper.title:
                paper.authors, paper.journal = list(authors), journal
    return papers


@pytest.fixture(scope="session")
def seeds() -> list[Paper]:
    return seeded_library()
