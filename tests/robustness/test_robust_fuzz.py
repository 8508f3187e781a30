"""Hostile files: any bytes given to `load` yield papers or a ParseError, never another exception."""

from __future__ import annotations

import codecs
import contextlib
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing import FORMATS, load, parse

SUFFIXES = ["", ".txt", ".bib", ".bibtex", ".json", ".md", ".TXT", ".abstracts"]
PIECES = [
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "•",
    "·",
    "  • 3 authors",
    "Submitted by",
    "upvotes",
    "May 9, 2021",
    "Published on Mar 14",
    "Feb 30",
    "Abstract",
    "@article{k,",
    "@inproceedings{",
    "@string{s = ",
    "@comment{",
    "@preamble{",
    "title = {",
    'title = "',
    "author = {A and B and}",
    "year = 20x1",
    "#",
    "}",
    "{",
    '"',
    "\\",
    "\\'{e}",
    "%",
    "[",
    "]",
    '{"title": ',
    '"abstract": ',
    '"tags": [',
    "null",
    "1e999",
    "-0",
    "true",
    ",",
    ":",
    "\x00",
    "\x1b[2J",
    "\x9b",
    "\ufeff",
    "\ud7ff",
    "\u202e",
    "𝔘𝔫𝔦",
]
_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1"]
TRIED = itertools.count()


def structured(max_pieces: int):
    return st.lists(st.sampled_from(PIECES) | st.text(max_size=10), max_size=max_pieces).map(
        "".join
    )


def encoded(max_pieces: int):
    return st.tuples(structured(max_pieces), st.sampled_from(_ENCODINGS)).map(
        lambda pair: pair[0].encode(pair[1], errors="replace")
    )


def inputs(max_bytes: int, max_pieces: int):
    return st.one_of(
        st.binary(max_size=max_bytes),
        encoded(max_pieces),
        st.tuples(encoded(max_pieces), st.binary(max_size=16), st.integers(0, 400)).map(
            lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :]
        ),
        st.sampled_from([codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8]).flatmap(
            lambda bom: st.binary(max_size=max_bytes).map(lambda b: bom + b)
        ),
    )


def _check_load(folder, data: bytes, suffix: str, fmt: str) -> None:
    next(TRIED)
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    try:
        papers = load(str(path), fmt)
    except ParseError as error:
        message = str(error)
        assert message and "\n" not in message.strip()
        return
    assert papers and all(isinstance(p, Paper) and isinstance(p.title, str) for p in papers)
    assert all(p.title.strip() for p in papers)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=6000, deadline=None, suppress_health_check=list(HealthCheck))


@FAST
@given(
    data=inputs(400, 40), suffix=st.sampled_from(SUFFIXES), fmt=st.sampled_from(("auto", *FORMATS))
)
def test_random_bytes_through_load(tmp_path_factory, data, suffix, fmt):
    _check_load(tmp_path_factory.getbasetemp(), data, suffix, fmt)


@pytest.mark.slow
@LONG
@given(
    data=inputs(4000, 300),
    suffix=st.sampled_from(SUFFIXES),
    fmt=st.sampled_from(("auto", *FORMATS)),
)
def test_random_bytes_through_load_long_run(tmp_path_factory, data, suffix, fmt):
    _check_load(tmp_path_factory.getbasetemp(), data, suffix, fmt)


@pytest.mark.slow
@LONG
@given(text=structured(400), fmt=st.sampled_from(("auto", *FORMATS)))
def test_structured_text_through_parse_long_run(text, fmt):
    next(TRIED)
    try:
        papers = parse(text, fmt, source="fuzz")
    except ParseError:
        return
    assert papers and all(isinstance(p, Paper) for p in papers)


def test_load_reports_unreadable_inputs_as_parse_errors(tmp_path):
    for path in (tmp_path / "missing.txt", tmp_path):
        with pytest.raises(ParseError):
            load(str(path))
    big_line = tmp_path / "line.txt"
    big_line.write_bytes(b"x" * 200_000)
    with contextlib.suppress(ParseError):
        assert load(str(big_line))


def teardown_module() -> None:
    print(f"\nfuzz examples tried in this module: {next(TRIED)}")
