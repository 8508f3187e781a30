"""Where a braced span stands in a title (protection.span_ranges): found by string search,
exactly where the regular expressions it replaced found it."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.citations import protection
from readinglist.citations.protection import keeps_case, span_ranges

_EDGE = protection._EDGE_PUNCT


def _find_by_regex(title: str, span: str, start: int) -> tuple[int, int] | None:
    """The regex search `_find` made (one pattern compiled per span)."""
    if not span:
        return None
    quoted = re.escape(span)
    whole = re.compile(rf"(?<!\w){quoted}(?!\w)").search(title, start)
    if whole:
        return whole.span()
    first = None
    for match in re.compile(quoted).finditer(title, start):
        left = title.rfind(" ", 0, match.start()) + 1
        right = title.find(" ", match.end())
        word = title[left : right if right >= 0 else len(title)].strip(_EDGE)
        if not keeps_case(word):
            return match.span()
        first = first or match.span()
    return first


def test_whole_words_first_then_inside_a_word_that_would_not_keep_its_case():
    assert span_ranges("TeX and {T}ables", ["TeX", "T", "aa"]) == [(0, 3), (9, 10), None]
    assert span_ranges("ééAB AB_x AB", ["AB"]) == [(10, 12)]  # é and _ are word characters
    assert span_ranges("aaaa", ["aa", "aa"]) == [(0, 2), (2, 4)]  # each after the one before


_TEXT = st.text(alphabet="aAbB é_-{}:.,' TeX", max_size=30)


@settings(max_examples=200, deadline=None)
@given(title=_TEXT, span=st.text(alphabet="aAbBé_-. TeX", max_size=4), start=st.integers(0, 32))
def test_the_string_search_finds_what_the_regex_found(title, span, start):
    assert protection._find(title, span, start) == _find_by_regex(title, span, start)
