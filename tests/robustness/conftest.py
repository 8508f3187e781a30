"""Shared pieces of the robustness tests: papers, small libraries, the crash soak module."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from readinglist.model import Paper, paper_id
from readinglist.persistence.library import Library

BENCH = Path(__file__).resolve().parents[2] / "bench"


def make_paper(title: str, abstract: str = "", **fields) -> Paper:
    """A paper with its content id."""
    abstract = abstract or f"We study {title} in depth, with care, and report what we found."
    return Paper(id=paper_id(title, abstract), title=title, abstract=abstract, **fields)


def numbered_papers(count: int, label: str = "paper") -> list[Paper]:
    """`count` papers whose titles and abstracts are far apart (none merges with another)."""
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda"]
    papers = []
    for i in range(count):
        picked = " ".join(words[(i * k) % len(words)] for k in (1, 3, 7))
        title = f"{label.title()} {picked} {i:05d}"
        abstract = f"Abstract {i} of {label}: {picked} " + " ".join(str(i * j) for j in range(12))
        papers.append(Paper(id=paper_id(title, abstract), title=title, abstract=abstract))
    return papers


def load_bench(name: str):
    """Import a script from bench/ as a module."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(name="make_paper")
def make_paper_fixture():
    """`make_paper(title, abstract="", **fields)`."""
    return make_paper


@pytest.fixture(name="numbered_papers")
def numbered_papers_fixture():
    """`numbered_papers(count, label="paper")`."""
    return numbered_papers


@pytest.fixture(scope="session")
def crash_soak():
    """bench/crash_soak.py as a module."""
    return load_bench("crash_soak")


@pytest.fixture
def small_library(tmp_path) -> Library:
    """A library of 40 papers, a few of them read, tagged or with a note."""
    papers = numbered_papers(40)
    for paper in papers[::5]:
        paper.read, paper.read_at = True, "2025-01-01T00:00:00+00:00"
    for paper in papers[::7]:
        paper.tags = ["keep"]
    papers[3].note = "remember this"
    lib = Library(tmp_path / "library")
    lib.import_papers(papers, source="base.json")
    return lib
