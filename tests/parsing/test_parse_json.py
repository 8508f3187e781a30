"""Our JSON export: lossless round trip and clear errors for wrong shapes."""

import json

import pytest

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing import jsonfmt, parse

FULL = Paper(
    id="0123456789abcdef",
    title="A Title",
    abstract="An abstract.",
    title_derived=True,
    authors=["Ada Lovelace"],
    author_count=1,
    published="2024-02-29",
    year=2024,
    year_inferred=True,
    upvotes=3,
    doi="10.1/x",
    arxiv="2401.00001",
    url="https://x.org",
    journal="J",
    sources=["002.txt", "x.bib"],
    added="2025-01-01T00:00:00+00:00",
    aliases=["fedcba9876543210"],
    read=True,
    read_at="2025-01-02T00:00:00+00:00",
    tags=["nlp", "to-read"],
    note="Multi-line\nnote  kept.",
)


def test_round_trip_is_lossless():
    minimal = Paper(id="feedfacefeedface", title="Only a title")
    text = json.dumps([FULL.to_json(), minimal.to_json()])
    assert jsonfmt.parse(text, source="lib.json") == [FULL, minimal]
    assert Paper.from_json(FULL.to_json()) == FULL


def test_detected_from_content():
    assert parse(json.dumps([FULL.to_json()], indent=2), source="lib.json") == [FULL]


def test_missing_optional_fields_get_defaults_and_this_source():
    (paper,) = jsonfmt.parse('[{"title": "T", "abstract": "A b."}]', source="in.json")
    assert paper.sources == ["in.json"] and paper.id and not paper.read


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"title": "ok"}, None),
        ("a string", "expected an object"),
        ({"abstract": "no title"}, "'title'"),
        ({"title": "T", "read": "yes"}, "'read' has the wrong type"),
        ({"title": "T", "year": True}, "'year' has the wrong type"),
        ({"title": "T", "tags": ["ok", 3]}, "'tags' has the wrong type"),
        ({"title": "T", "identifiers": {"doi": 5}}, "'doi' has the wrong type"),
        ({"title": "T", "identifiers": []}, "'identifiers' must be an object"),
        ({"title": "T", "published": "yesterday"}, "'published'"),
        ({"title": "T", "id": " "}, "'id' is empty"),
    ],
)
def test_bad_entries_name_their_index(data, words):
    text = json.dumps([{"title": "fine"}, data])
    if words is None:
        assert len(jsonfmt.parse(text, source="s.json")) == 2
        return
    with pytest.raises(ParseError) as caught:
        jsonfmt.parse(text, source="s.json")
    assert "entry 1" in str(caught.value) and words in str(caught.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"title": "T"}', "expected a JSON array"),
        ("[{]", "not valid JSON"),
        ("[" * 100_000, "not valid JSON"),
        ("[" + "9" * 5000 + "]", "not valid JSON"),
    ],
)
def test_bad_documents(text, words):
    with pytest.raises(ParseError, match=words):
        jsonfmt.parse(text, source="s.json")


def test_syntax_error_names_the_line():
    with pytest.raises(ParseError) as caught:
        jsonfmt.parse('[\n{"title": "T"},\n{oops}\n]', source="s.json")
    assert caught.value.line == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[{"paper": {"id": "2412.01234"}, "title": "T", "numComments": 3}]',
            "x.json: entry 0: looks like JSON objects with keys 'numComments', 'paper', "
            "neither readinglist's JSON export nor CSL-JSON",
        ),
        (
            '[{"id": "a", "title": "T"}, {"title": "U", "user": "ak", "upvotes": 3}]',
            "x.json: entry 1: looks like JSON objects with keys 'user', "
            "neither readinglist's JSON export nor CSL-JSON",
        ),
        (
            '[{"id": "a", "type": "article", "title": "T", "author": [{"family": "X"}]}]',
            "x.json: entry 0: looks like CSL-JSON, not readinglist's JSON export "
            "(use --format csl-json)",
        ),
        (
            '{"title": "T"}',
            "x.json: expected a JSON array of papers, found an object with keys 'title'",
        ),
    ],
)
def test_json_that_is_not_an_export_is_refused_saying_what_it_is(text, message):
    with pytest.raises(ParseError) as caught:
        jsonfmt.parse(text, source="x.json")
    assert str(caught.value) == message
