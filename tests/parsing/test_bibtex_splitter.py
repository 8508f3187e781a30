"""The splitter that passes over braced values in one step (`parsing/bibsplitter.py`)
gives exactly bibtexparser's blocks: the same types, keys, fields, lines and errors."""

from __future__ import annotations

import logging

import pytest
from bibtexparser.splitter import Splitter as LibrarySplitter
from hypothesis import given, settings
from hypothesis import strategies as st
from realworld import bibtex_corpus

from readinglist.parsing import bibsplitter
from readinglist.parsing.bibsplitter import Splitter, closing_brace

CORPUS = bibtex_corpus()
BIG = 1_000_000  # bytes: a corpus file this big is compared under `slow`


def blocks(splitter_class: type, text: str) -> list[tuple]:
    """Every block the splitter finds in `text`, as plain values."""
    found = []
    for block in splitter_class(text).split().blocks:
        error = getattr(block, "error", None)
        fields = getattr(block, "fields", None)
        found.append(
            (
                type(block).__name__,
                block.start_line,
                block.raw,
                getattr(block, "key", None),
                getattr(block, "entry_type", None),
                None if fields is None else [(f.key, f.value, f.start_line) for f in fields],
                getattr(block, "value", None),
                getattr(block, "comment", None),
                type(error).__name__,
                getattr(error, "abort_reason", None),
                getattr(error, "end_index", None),
            )
        )
    return found


def assert_same_blocks(text: str) -> None:
    logging.disable(logging.WARNING)  # the splitter logs each failed block
    try:
        assert blocks(Splitter, text) == blocks(LibrarySplitter, text)
    finally:
        logging.disable(logging.NOTSET)


PIECES = [
    "@article{a,\n  title = {Attention is all you need},\n  year = {2017}\n}\n",
    '@article{b, abstract = {Commas, "quotes", = signs and {nested {braces}} here}}\n',
    "@article{c,\n  note = {A value\nover three\nlines}, year = 2001\n}\n",
    "@article{d, title = {Escaped \\{ brace and \\} one}, x = {\\\\}}\n",
    "@article{e, title = {A backslash at a line end \\\n and on}}\n",
    '@article{f, title = "In quotes, with {braces}", year = "1999"}\n',
    "@article{g, title = {Unbalanced {braces}, year = {2020}\n",
    "@article{h,\n  title = {A value with\n@article{inside, at a line start}\n}\n",
    "@article{i, title = {An @ sign {inside} mid-line}}\n",
    "@misc(j, title = {Parentheses delimit this, with a ) inside}, note = {x})\n",
    '@misc(k, title = "a ) in quotes")\n',
    '@article{l, title = "A {"} quote escape"}\n',
    "@string{acm = {Association for Computing Machinery}}\n",
    "@article{m, publisher = acm # { Press}, month = may}\n",
    '@article{w, title = {Braced} # acm # {, joined}, note = {a} # "b, c"}\n',
    "@comment{a comment {with braces}}\n",
    '@preamble{ "\\newcommand{\\noop}[1]{}" }\n',
    "Text between entries, an implicit comment.\n\n",
    "@article{n, title = {Dangling}, key\n}\n",
    "@article{o, title =   {Blanks before the brace}, y = \t{tab}}\n",
    "@article{p, title =\n  {On the next line}}\n",
    "@article{q, title = {}, abstract = {{}}}\n",
    "@article{r, title = {Never closed\n",
    "  @inproceedings{s,\n  title = {Indented block start}\n}\n",
    "@article{t, title = {Two} } @book{u, title = {on a line}}\n",
    "@article{v, title = {Ends at the file's end}}",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_random_files_split_as_bibtexparser_splits_them(pieces):
    assert_same_blocks("".join(pieces))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet='{}\\"@,=()\n ax', max_size=60))
def test_any_value_splits_as_bibtexparser_splits_it(value):
    assert_same_blocks(f"@article{{k,\n  title = {{{value}}},\n  year = {{2020}}\n}}\n")
    assert_same_blocks(f"@misc(k, note = {{{value}}})\n@book{{b, title = {{x}}}}\n")


def test_the_closing_brace_is_found_as_the_splitter_counts_braces():
    assert closing_brace("{a}", 1) == 2
    assert closing_brace("{a {b} c} d}", 1) == 8
    assert closing_brace("{a \\} b}", 1) == 7  # an escaped brace does not close
    assert closing_brace("{a \\{ b}", 1) == 7  # nor open
    assert closing_brace("{a {b}", 1) == -1


def corpus_files(big: bool) -> list:
    if CORPUS is None:
        return []
    return [p for p in sorted(CORPUS.glob("*.bib")) if (p.stat().st_size > BIG) == big]


@pytest.mark.skipif(CORPUS is None, reason="../shared/realworld/bibtex is not here")
@pytest.mark.parametrize("path", corpus_files(big=False), ids=lambda p: p.name)
def test_real_bibliographies_split_as_bibtexparser_splits_them(path):
    assert_same_blocks(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.slow
@pytest.mark.skipif(CORPUS is None, reason="../shared/realworld/bibtex is not here")
@pytest.mark.parametrize("path", corpus_files(big=True), ids=lambda p: p.name)
def test_big_real_bibliographies_split_as_bibtexparser_splits_them(path):
    assert_same_blocks(path.read_text(encoding="utf-8", errors="replace"))


def test_a_splitter_without_what_the_step_builds_on_is_used_as_it_is():
    class Renamed(LibrarySplitter):
        def _move_to_comma_or_closing_delimiter(self, quoted=False, curls=0):
            return super()._move_to_comma_or_closing_delimiter(quoted, curls)

    assert bibsplitter._fits(LibrarySplitter)
    assert not bibsplitter._fits(Renamed)
    assert not bibsplitter._fits(object)
