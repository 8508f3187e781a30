"""The query language: words, prefixes, phrases, exclusions, qualifiers, errors."""

from __future__ import annotations

import pytest

from readinglist.errors import ReadingListError
from readinglist.search import Filter, QueryError, Term, parse_query


def test_words_are_lowered_and_the_last_one_is_a_prefix_while_typing():
    query = parse_query("Diffusion Mod")
    assert query.terms == (Term("diffusion"), Term("mod", prefix=True))


def test_a_trailing_space_finishes_the_last_word():
    assert parse_query("diffusion ").terms == (Term("diffusion"),)


def test_stopwords_are_dropped_when_other_words_remain():
    assert [t.word for t in parse_query("attention is all you need ").terms] == [
        "attention",
        "need",
    ]
    assert [t.word for t in parse_query("the ").terms] == ["the"]


def test_phrase_exclusion_and_negated_phrase():
    query = parse_query('"neural network" -adversarial -"label noise" ')
    assert query.phrases == (("neural", "network"),)
    assert query.excluded == (Term("adversarial"),)
    assert query.excluded_phrases == (("label", "noise"),)


def test_an_unclosed_phrase_is_typed_as_words():
    assert parse_query('"neural netw').terms == (Term("neural"), Term("netw", prefix=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("year:2024", Filter("year", lo=2024, hi=2024)),
        ("year:>=2023", Filter("year", lo=2023)),
        ("year:<2020", Filter("year", hi=2019)),
        ("year:2020..2022", Filter("year", lo=2020, hi=2022)),
        ("upvotes:>5", Filter("upvotes", lo=6)),
        ("authors:>10", Filter("authors", lo=11)),
        ("is:read", Filter("read")),
        ("is:unread", Filter("read", negate=True)),
        ("-is:read", Filter("read", negate=True)),
        ("tag:Robustness", Filter("tag", value="robustness")),
        ("-tag:llm", Filter("tag", value="llm", negate=True)),
        ("source:Seeds.TXT", Filter("source", value="seeds.txt")),
    ],
)
def test_qualifiers(text, expected):
    query = parse_query(text)
    assert query.filters == (expected,)
    assert not query.ranked


def test_title_qualifier_is_a_title_only_term():
    assert parse_query("title:attention ").terms == (Term("attention", title_only=True),)


def test_unknown_keys_are_plain_text():
    assert [t.word for t in parse_query("foo:bar ").terms] == ["foo", "bar"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year:abc", "year:abc — expected a year like 2024, >=2023 or 2020..2022"),
        ("year:2022..2020", "year:2022..2020 — expected a year like 2024"),
        ("upvotes:many", "upvotes:many — expected a number"),
        ("is:new", "is:new — expected is:read or is:unread"),
        ("tag:", "tag: — "),
        ("title:", "title: — expected a word"),
        ("source:", "source: — expected a file name"),
    ],
)
def test_malformed_qualifiers_raise_one_line_errors(text, message):
    with pytest.raises(QueryError) as info:
        parse_query(f"attention {text}")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, ReadingListError)
