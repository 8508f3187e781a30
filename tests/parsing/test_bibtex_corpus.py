"""Conformance over a corpus of real bibliography files (skipped when it is absent).

Each file: no entry lost (each one is a paper or a reported skip), the BibTeX
export reads back to the same records, and no import merges two records with
different DOIs, or different years and no author in common. Files over 200 KB
run under the `slow` marker.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from realworld import bibtex_corpus

from readinglist.citations.phrasing import clean_paper
from readinglist.dedupe import conflict
from readinglist.exporting import export
from readinglist.importer import SKIPPED
from readinglist.parsing import bibtex, read_file
from readinglist.parsing.bibtex import LENT_NOTE
from readinglist.persistence.library import Library

CORPUS = bibtex_corpus()
BIG = 200_000
FILES = sorted(CORPUS.glob("*.bib")) if CORPUS else []
_ENTRY = re.compile(r"^\s*@\s*(?!string\b|comment\b|preamble\b)\w+\s*[{(]", re.I | re.M)


def _cases():
    if not FILES:
        return [pytest.param(None, marks=pytest.mark.skip(reason="no corpus in ../shared"))]
    return [
        pytest.param(
            path, id=path.name, marks=[pytest.mark.slow] if path.stat().st_size > BIG else []
        )
        for path in FILES
    ]


@pytest.fixture(params=_cases())
def corpus_file(request) -> Path:
    return request.param


def _read(path: Path):
    try:
        return read_file(str(path), "bibtex")
    except Exception as error:  # a file with no papers (only @string) is reported, not lost
        assert "no papers found" in str(error)
        return None


def test_no_entry_is_lost(corpus_file):
    parsed = _read(corpus_file)
    text = corpus_file.read_bytes().decode("utf-8", "replace")
    blocks = len(_ENTRY.findall(text))
    if parsed is None:
        return
    skipped = sum(1 for note in parsed.notes if note.endswith(SKIPPED))
    lent = sum(int(note.split(": ")[1].split()[0]) for note in parsed.notes if LENT_NOTE in note)
    assert len(parsed.papers) + skipped + lent == blocks


def test_export_reads_back_the_same_records(corpus_file, tmp_path):
    parsed = _read(corpus_file)
    if parsed is None:
        return
    first = Library(tmp_path / "a")
    first.import_papers(parsed.papers, source=corpus_file.name)
    again = bibtex.parse(export(first.papers(), "bibtex"), source=corpus_file.name)
    second = Library(tmp_path / "b")
    second.import_papers(again, source=corpus_file.name)
    # The export leaves out on purpose what citations never carry (control and invisible
    # characters: a U+200E in a title, C1 bytes of a mis-decoded abstract): all else is kept.
    records = {p.id: _exported(p).to_json(changed=False) for p in first.papers()}
    back = {p.id: p.to_json(changed=False) for p in second.papers()}
    assert records.keys() == back.keys()
    differ = [pid for pid in records if records[pid] != back[pid]]
    assert differ == []


def _exported(paper):
    """`paper` as the BibTeX export cleans it before writing it (`exporting.to_bibtex`)."""
    return clean_paper(paper, multiline=("abstract",), exact=("note",))


def test_no_merge_of_papers_that_differ(corpus_file, tmp_path):
    parsed = _read(corpus_file)
    if parsed is None:
        return
    report = Library(tmp_path / "lib").import_papers(
        parsed.papers, source=corpus_file.name, dry_run=True
    )
    for action, paper, stored, _reason in report.plan:
        if action == "merge":
            assert conflict(paper, stored) is None, (paper.key, stored.key)
