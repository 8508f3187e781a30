"""A big BibTeX file read a slice at a time gives exactly what reading it whole gives:
the same papers in the same order, the same warnings with the same lines."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from realworld import bibtex_corpus

from readinglist.errors import ParseError
from readinglist.parsing import bibslices, bibtex
from readinglist.parsing.source import decode

CORPUS = bibtex_corpus()


@contextlib.contextmanager
def slices_of(size: int):
    """Files are cut every `size` characters (SLICE_CHARS) while the block runs."""
    kept = bibslices.SLICE_CHARS
    bibslices.SLICE_CHARS = size
    try:
        yield
    finally:
        bibslices.SLICE_CHARS = kept


def read(text: str, size: int) -> tuple[list, list[str]]:
    warnings: list[ParseError] = []
    with slices_of(size):
        papers = bibtex.parse(text, source="refs.bib", warnings=warnings)
    return papers, [str(warning) for warning in warnings]


def assert_same_as_whole(text: str, size: int) -> None:
    whole = read(text, 10**9)
    assert read(text, size) == whole


def entry(key: str, title: str = "A title", **fields: str) -> str:
    body = "".join(f",\n  {name} = {{{value}}}" for name, value in fields.items())
    return f"@article{{{key},\n  title = {{{title}}}{body}\n}}\n"


SNIPPETS = [
    entry("a", "Attention is all you need", author="Vaswani, Ashish and others", year="2017"),
    entry("b", "Deep residual learning", abstract="We present residual nets.\\\nA second line."),
    entry("a", "A different paper under an earlier key", year="2001"),
    entry("A", "The same key in capitals", doi="10.1/xyz"),
    entry("aa", "A key a re-keyed duplicate might want"),
    entry("c", ""),  # neither title nor abstract: skipped
    "@article{broken,\n  title = {Unbalanced {braces},\n  year = {2020}\n",
    "@article{d, title = {Two on a line}} @book{e, title = {The second of them}}\n",
    "@comment{ignore me, with {braces} }\n",
    '@preamble{ "\\newcommand{\\noop}[1]{}" }\n',
    "Some text between entries, an implicit comment.\n\n",
    "@misc(paren, title = {Parentheses delimit this one}, note = {a ) inside})\n",
    entry("f", "An @ sign inside", note="mail me @ home"),
    entry("g", "A {\\LaTeX} logo and $\\Omega$", journal="Proc. of {ACM}"),
    "  @inproceedings{h,\n  title = {Indented block start},\n  booktitle = {Conf}\n}\n",
    "@article{i,\n  title = {A value with\n@article{inside, at a line start}\n}\n",
    entry("j", "Keywords entry", keywords="deep learning; vision, x:y"),
]


def test_a_generated_kit_reads_the_same_in_slices():
    text = "".join(
        entry(f"k{n}", f"Paper number {n} about topic {n % 7}", year=str(1990 + n % 30))
        for n in range(400)
    )
    assert bibslices.cuts(text) == []  # small: one slice unless told otherwise
    with slices_of(1_000):
        assert len(bibslices.cuts(text)) > 10
    assert_same_as_whole(text, 1_000)


def test_duplicates_across_slices_are_found_and_named_with_the_first_line():
    text = entry("dup", "First") + entry("x", "Filler " * 40) * 3
    text += entry("dup", "Second") + entry("y", "Filler " * 40) + entry("dup", "Third")
    text += entry("dupa", "Takes the first suffix")
    papers, warnings = read(text, 300)
    assert (papers, warnings) == read(text, 10**9)
    assert [p.key for p in papers if p.title in ("First", "Second", "Third")] == [
        "dup",
        "dupb",
        "dupc",
    ]
    assert sum("duplicate key 'dup' (first at line 1)" in w for w in warnings) == 2


def test_an_entry_left_open_at_a_cut_makes_the_file_read_whole():
    text = entry("x", "Filler " * 40) * 2 + SNIPPETS[6] + entry("z", "After the broken one") * 4
    with pytest.raises(bibslices.SliceCut):
        list(bibslices.split(text, [text.index("@article{z")]))
    for size in range(50, 400, 25):
        assert_same_as_whole(text, size)
    papers, warnings = read(text, 200)
    assert any("unbalanced braces in entry 'broken'" in w for w in warnings)


def test_strings_and_crossrefs_make_a_file_read_whole():
    filler = entry("x", "Filler " * 40) * 10
    for linked in (
        '@string{acm = "ACM"}\n' + filler,
        "@sTring{acm = {ACM}}\n" + filler,
        filler + entry("c", "Child", cRossref="x") + filler,
        filler + entry("c", "Child", xdata="x"),
    ):
        with slices_of(100):
            at = bibslices.cuts(linked)
            assert at
            with pytest.raises(bibslices.SliceCut):
                list(bibslices.split(linked, at))
        assert_same_as_whole(linked, 100)
    parent = entry("p", "Parent", booktitle="Proceedings of Something", year="1999")
    child = "@inproceedings{c, title = {Child}, cRoSsReF = {p}}\n"
    papers, _ = read(child + filler + parent, 100)
    assert papers[0].venue.get("booktitle") == "Parent"  # the parent's title, as BibTeX does
    assert (papers, _) == read(child + filler + parent, 10**9)


@settings(max_examples=60, deadline=None)
@given(
    parts=st.lists(st.sampled_from(SNIPPETS), min_size=3, max_size=30),
    size=st.integers(min_value=20, max_value=400),
)
def test_any_mix_of_blocks_reads_the_same_in_slices(parts, size):
    assert_same_as_whole("".join(parts), size)


def _corpus_files() -> list:
    if CORPUS is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason="no corpus in ../shared"))]
    files = sorted(CORPUS.glob("*.bib"))
    return [
        pytest.param(path, id=path.name, marks=[] if n % 6 == 0 else [pytest.mark.slow])
        for n, path in enumerate(files)
    ]


@pytest.mark.parametrize("path", _corpus_files())
def test_real_files_read_the_same_in_slices(path: Path):
    text = decode(path.read_bytes(), path.name)
    assert_same_as_whole(text, 2_000)


def test_a_failure_in_a_slice_reads_the_file_whole(monkeypatch):
    """What goes wrong only when read in slices costs a second read, not the file."""
    text = "".join(entry(f"k{n}", f"Paper {n}") for n in range(200))
    real = bibslices.split

    def failing(text: str, at: list[int]):
        if at:
            raise RuntimeError("a slice the library could not read")
        yield from real(text, at)

    monkeypatch.setattr(bibslices, "split", failing)
    assert read(text, 500) == read(text, 10**9)
    assert len(read(text, 500)[0]) == 200
