"""Real bibliography entries (../shared/realworld/bibtex/) in APA and IEEE: a sample by
default, all of them under `slow`. No exception, no empty citation, no raw LaTeX."""

from __future__ import annotations

import random
import re

import pytest
from realworld import bibtex_corpus

from readinglist import parsing
from readinglist.citations import cite
from readinglist.errors import ParseError

FOLDER = bibtex_corpus()
SAMPLE = 300
SMALL_FILE = 1_000_000  # bytes: the default run reads the files below this size
RAW_LATEX = re.compile(r"[\\{}]")

pytestmark = pytest.mark.skipif(FOLDER is None, reason="no ../shared/realworld/bibtex")


def entries(limit_size: int | None) -> list:
    papers = []
    for path in sorted(FOLDER.glob("*.bib")) if FOLDER else []:
        if limit_size and path.stat().st_size > limit_size:
            continue
        try:
            papers += parsing.load(str(path), "bibtex")
        except ParseError:
            continue  # a file the importer refuses has no entries to cite
    return papers


def check(papers: list, style: str) -> list[str]:
    problems = []
    for paper in papers:
        try:
            out = cite([paper], style)
        except Exception as error:  # any exception is a failure to report
            problems.append(f"{paper.key or paper.title[:40]}: {type(error).__name__}: {error}")
            continue
        if not out.strip() or RAW_LATEX.search(out):
            problems.append(f"{paper.key or paper.title[:40]}: {out!r}")
    return problems


@pytest.fixture(scope="module")
def sample() -> list:
    papers = entries(SMALL_FILE)
    return random.Random(15).sample(papers, min(SAMPLE, len(papers)))


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_a_sample_of_real_entries_renders_cleanly(sample, style):
    assert sample
    assert check(sample, style) == []


@pytest.mark.slow
@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_every_real_entry_renders_cleanly(style):
    assert check(entries(None), style) == []
