"""Shared pieces of the robustness tests: papers, small libraries, the crash soak module."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.model import Paper, paper_id
from readinglist.persistence.library import Library
from readinglist.persistence.shards import StateShards

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


BIBTEX = r"""
@string{jc = "Journal of Crystals"}
@article{hopper2019,
  author = {Hopper, Grace and Turing, Alan},
  title = {{BERT} for {Naive} crystals},
  journal = jc, year = 2019, volume = 3, pages = {1--9}, doi = {10.1/abc},
  keywords = {crystals, growth},
  abstract = {We grow crystals with care.},
}
@inproceedings{lovelace,
  author = {Ada Lovelace and others},
  title = {Engines of analysis},
  booktitle = {Proceedings of Engines}, year = {1843}, month = oct,
  note = {A note field kept as it is},
}
"""


def _listed_papers() -> list[Paper]:
    papers = numbered_papers(30)
    for i, paper in enumerate(papers):
        paper.year = 2015 + i % 8 if i % 6 else None
        paper.year_inferred = i % 4 == 1
        paper.published = (
            f"{paper.year}-0{1 + i % 9}-1{i % 10}" if paper.year and i % 5 == 0 else None
        )
        paper.upvotes = i % 11 if i % 3 else None
        paper.added = f"2025-01-0{1 + i % 3}T00:00:00+00:00"  # many ties: the order counts
        paper.authors = ["Grace Hopper", "Alan Turing"][: i % 3]
    extra = [
        ("一个很长的中文标题关于晶体的生长和它们的结构以及更多的东西在这里", "wide"),
        ("A title with an escape \x1b[31m in it and a tab\there", "escape"),
        ("Ünïcödé accents and a very long title " + "that goes on " * 12, "long"),
        ("Combining marks: e\u0301e\u0301e\u0301 " * 6, "combining"),
    ]
    for title, word in extra:
        abstract = f"An abstract about {word}."
        papers.append(Paper(id=paper_id(title, abstract), title=title, abstract=abstract))
    papers[-1].aliases = ["0123456789abcdef"]
    return papers


@pytest.fixture
def listed_root(tmp_path, capsys) -> Path:
    """A library of 36 papers (wide, escaped, long and combining titles, two BibTeX
    entries with venues), some read, tagged, with a note, a key fixed, the index saved."""
    lib = tmp_path / "library"
    data = tmp_path / "base.json"
    data.write_text(json.dumps([p.to_json() for p in _listed_papers()]))
    bib = tmp_path / "refs.bib"
    bib.write_text(BIBTEX)
    base = ["--library", str(lib)]
    assert main([*base, "import", str(data)]) == 0
    assert main([*base, "import", str(bib)]) == 0
    ids = [p.id for p in Library(lib).papers()]
    for pid in ids[::4]:
        main([*base, "read", pid])
    for pid in ids[::5]:
        main([*base, "tag", pid, "keep", "other"])
    main([*base, "tag", ids[2], "zeta/long-tag-name-that-is-long", "a.b_c"])
    main([*base, "note", ids[3], "remember", "this"])
    main([*base, "cite", ids[6]])  # fixes one provisional key
    main([*base, "search", "alpha"])  # the state saved beside the index
    capsys.readouterr()
    return lib


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
def bench_generate():
    """bench/generate.py as a module."""
    return load_bench("generate")


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


WHOLE_READS = (Library._load_corpus, StateShards.read_all)


@pytest.fixture
def no_whole_reads(monkeypatch):
    """`no_whole_reads(*methods)`: make any call of these methods fail the test; by
    default the whole reads, of the corpus and of every state shard (WHOLE_READS)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the whole library was read")

    def install(*methods: Callable) -> None:
        for method in methods or WHOLE_READS:
            owner_name, name = method.__qualname__.rsplit(".", 1)
            owner = getattr(sys.modules[method.__module__], owner_name)
            monkeypatch.setattr(owner, name, refuse)

    return install


@pytest.fixture
def shards_read(monkeypatch):
    """`shards_read(method)`: a list of the state shards read from then on through
    `method` (by default `StateShards.states_in`, how a saved state reads the shards it
    brings up to date; `StateShards._read`: every way of reading one), by name."""

    def watch(method: Callable = StateShards.states_in) -> list[str]:
        read: list[str] = []

        def watched(self, shards):  # one shard's name, or names
            read.extend([shards] if isinstance(shards, str) else shards)
            return method(self, shards)

        monkeypatch.setattr(StateShards, method.__name__, watched)
        return read

    return watch
