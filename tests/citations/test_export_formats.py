"""Exports: lossless JSON and BibTeX, safe CSV, readable Markdown, RIS."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from readinglist.citations import cite_keys
from readinglist.exporting import FORMATS, export, spreadsheet_safe
from readinglist.model import Paper
from readinglist.parsing.bibtex import parse

HOSTILE_TEXT = ["\x1b", "\x07", "\x9b"]


def test_json_round_trips(samples):
    text = export(samples, "json")
    assert [Paper.from_json(item) for item in json.loads(text)] == samples
    assert "Über café 中文" in text  # UTF-8, not \u-escaped
    assert not any(bad in text for bad in HOSTILE_TEXT)  # escaped as \u001b, \u009b


def test_bibtex_export_reimports_to_the_same_papers(full, seed, derived):
    papers = [
        dataclasses.replace(p, sources=p.sources or ["seed.txt"], key=key)
        for p, key in zip((full, seed, derived), ("vaswani2017", "", "Mine:2024"), strict=True)
    ]
    back = parse(export(papers, "bibtex"), source="export.bib")
    keys = cite_keys(papers)
    assert [p.key for p in back] == ["vaswani2017", keys[seed.id], "Mine:2024"]
    assert back == [dataclasses.replace(p, key=keys[p.id]) for p in papers]


def test_bibtex_export_fields(full):
    text = export([full], "bibtex")
    for line in (
        "keywords                  = {nlp, transformers},",
        "readinglist-id            = {14c5dcea373a9d51},",
        "readinglist-read          = {true},",
        "readinglist-published     = {2017-06-12},",
        "archiveprefix             = {arXiv},",
    ):
        assert line in text


def test_bibtex_export_reimports_hostile_title(hostile):
    clean = dataclasses.replace(
        hostile, title=hostile.title.split(" \x1b")[0], abstract="", url=None
    )
    clean = dataclasses.replace(clean, sources=["x.bib"], key="hostile2024")
    assert parse(export([clean], "bibtex"), source="x.bib") == [clean]


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_spreadsheet_safe(cell):
    assert spreadsheet_safe(cell) == "'" + cell


def test_csv_neutralises_formulas(full):
    evil = dataclasses.replace(full, title='=HYPERLINK("http://x","y")', note="@cmd", tags=["-x"])
    rows = list(csv.DictReader(io.StringIO(export([evil], "csv"))))
    assert rows[0]["title"].startswith("'=")
    assert rows[0]["note"] == "'@cmd"
    assert rows[0]["tags"] == "'-x"
    assert rows[0]["authors"] == "Ashish Vaswani; Noam Shazeer; Niki Parmar; Jakob Uszkoreit"


def test_markdown_groups_by_read_state(samples):
    text = export(samples, "markdown")
    unread, read = text.split("## Read (1)")
    assert "## Unread (3)" in unread and "Robust Training" in unread
    assert "[Attention Is All You Need" in read and "`nlp`, `transformers`" in read
    assert "(2021). 6 authors" in unread


def test_ris_record(full, seed):
    text = export([full, seed], "ris")
    assert text.startswith("TY  - ELEC\nTI  - Attention Is All You Need")
    for line in ("AU  - Vaswani, Ashish", "PY  - 2017", "DA  - 2017/06/12", "KW  - nlp", "ER  - "):
        assert line in text
    assert "DO  - 10.48550/arXiv.1706.03762" in text
    assert "N1  - 6 authors" in text
    assert text.count("ER  - ") == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_control_characters_in_any_format(hostile, fmt):
    text = export([hostile], fmt)
    assert not any(bad in text for bad in HOSTILE_TEXT)
    assert all(ch in "\n" or ch.isprintable() for ch in text)


def test_unknown_format_raises_value_error(full):
    with pytest.raises(ValueError, match="unknown format"):
        export([full], "docx")
