"""Any input gives papers or a ParseError, never another exception."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parse_helpers import TODAY, seed_text

from readinglist.errors import ParseError
from readinglist.model import normalise, normalise_unicode
from readinglist.parsing import FORMATS, detect, parse
from readinglist.parsing.source import decode

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
PIECES = [
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "·",
    "  • 3 authors",
    "1 author",
    "May 9, 2021",
    "Mar 14",
    "Feb 29",
    "May 2 3",
    "new",
    "Daily Papers",
    "Abstract:",
    "@article{k,",
    "title={",
    "author={A and B}",
    "}",
    "{",
    "[",
    "]",
    '{"title": "x"}',
    ",",
    "\0",
    "\ufeff",
    '\\"u',
    "readinglist-read={x}",
    "We propose a model called X, which",
    "Title",
    "An abstract.",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=30).map("".join),
)


def assert_papers_or_parse_error(call):
    try:
        found = call()
    except ParseError:
        return
    assert isinstance(found, (list, str))


@FUZZ
@given(text=texts, fmt=st.sampled_from((*FORMATS, "auto")))
def test_parse_never_crashes(text, fmt):
    assert_papers_or_parse_error(lambda: parse(text, fmt, source="f", today=TODAY))


@FUZZ
@given(text=texts)
def test_detect_never_crashes(text):
    assert_papers_or_parse_error(lambda: detect(text))


@FUZZ
@given(data=st.binary(max_size=300), fmt=st.sampled_from((*FORMATS, "auto")))
def test_bytes_never_crash(data, fmt):
    assert_papers_or_parse_error(lambda: parse(decode(data, "b"), fmt, source="b", today=TODAY))


@FUZZ
@given(seed=st.sampled_from(["000", "002", "003"]), cut=st.integers(0, 20_000), junk=texts)
def test_damaged_seeds_never_crash(seed, cut, junk):
    text = seed_text(seed)
    damaged = text[:cut] + junk + text[cut + len(junk) :]
    assert_papers_or_parse_error(lambda: parse(damaged, source="s", today=TODAY))


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=30), abstract=st.text(max_size=60))
def test_ascii_fast_path_normalises_like_the_general_one(title, abstract):
    for text in (title, abstract):
        ascii_text = text.encode("ascii", "replace").decode()
        assert normalise(ascii_text) == normalise_unicode(ascii_text)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("text", [seed_text("000"), seed_text("002"), json.dumps({"a": 1})])
def test_wrong_format_fails_cleanly(fmt, text):
    assert_papers_or_parse_error(lambda: parse(text, fmt, source="s"))
