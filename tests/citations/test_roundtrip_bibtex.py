"""A library exported to BibTeX (or JSON) comes back the same, field for field."""

from __future__ import annotations

import unicodedata

import bibtexparser
import pybtex.errors
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from bibtexparser.middlewares.names import parse_single_name_into_parts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex import format_from_string

from readinglist.citations.phrasing import INVISIBLE
from readinglist.cli import main
from readinglist.exporting import export
from readinglist.model import Paper
from readinglist.parsing import parse
from readinglist.parsing.common import collapse
from readinglist.persistence.library import Library

HOSTILE = (
    "[bold]x[/] 100% & $x$ #1 a_b ~ ^ \\input{x} {lone } brace{ "
    "``quoted'' `single' -- --- ?` !` \\\\ \\% @misc{evil, title={x} Über café 中文"
)
NOTE = f"First line\n  indented  twice\n\n{HOSTILE}\n\ttabbed\nlast line  "


def _run(*argv: str) -> None:
    assert main(list(argv)) == 0


@pytest.fixture
def library(tmp_path, seeds, capsys) -> Library:
    """The seeds, some read, some tagged, one with a hostile note, one edited."""
    root = str(tmp_path / "lib")
    _run("--library", root, "import", *map(str, seeds))
    papers = Library(tmp_path / "lib").papers()
    ids = [p.id for p in papers]
    _run("--library", root, "read", *ids[:10])
    _run("--library", root, "tag", ids[3], "to-read", "nlp/llm", "a_b", "v1.2")
    _run("--library", root, "tag", ids[20], "survey")
    lib = Library(tmp_path / "lib")
    lib.set_note(ids[5], NOTE)
    lib.edit(
        ids[7],
        authors=["Jörg Müller", "Smith, John", "Ludwig van Beethoven", "Ann and Bob Ltd"],
        author_count=4,
        doi="10.1000/xyz-123(4)",
        arxiv="2401.01234",
        journal="Journal of A & B -- Letters",
    )
    capsys.readouterr()
    assert len(lib.papers()) == 137
    return lib


def _reimport(tmp_path, name: str, text: str) -> list[Paper]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    root = tmp_path / f"back-{name}"
    _run("--library", str(root), "import", str(path))
    return Library(root).papers()


def _by_id(papers: list[Paper]) -> dict[str, dict]:
    """Each paper's values (the stamps are the importing library's own)."""
    return {p.id: p.to_json(changed=False) for p in papers}


@pytest.mark.parametrize("fmt", ["bibtex", "json"])
def test_whole_library_round_trips(library, tmp_path, fmt, capsys):
    library.fix_keys([p.id for p in library.papers()])  # as `export` does: keys written out
    papers = library.papers()
    text = export(papers, fmt)
    back = _reimport(tmp_path, f"export.{'bib' if fmt == 'bibtex' else 'json'}", text)
    capsys.readouterr()
    assert _by_id(back) == _by_id(papers)
    assert sum(p.read for p in back) == 10
    assert any(p.note == NOTE for p in back)


def test_export_reads_with_plain_bibtexparser(library):
    papers = library.papers()
    text = export(papers, "bibtex")
    parsed = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), LatexDecodingMiddleware()]
    )
    assert not parsed.failed_blocks
    assert len(parsed.entries) == len(papers)
    for paper, entry in zip(papers, parsed.entries, strict=True):
        fields = entry.fields_dict
        assert fields["title"].value == paper.title
        assert fields["readinglist-id"].value == paper.id
        if paper.abstract:
            assert collapse(fields["abstract"].value) == paper.abstract
        if paper.note:
            assert fields["readinglist-note"].value == paper.note
        if paper.journal:
            assert fields["journal"].value == paper.journal
        if paper.tags:
            assert fields["keywords"].value == ", ".join(paper.tags)
        if paper.authors:
            names = [_first_last(name) for name in fields["author"].value]
            assert names == paper.authors


def test_export_formats_with_pybtex_plain_without_warnings(library, monkeypatch):
    monkeypatch.setattr(pybtex.errors, "strict", True)  # a warning raises
    out = format_from_string(export(library.papers(), "bibtex"), "plain", output_backend="text")
    assert out.count("\n[") + 1 == len(library.papers())


SPECIALS = list("\\{}%&$#_~^`'-?! \n\t\"@[]/") + ["--", "---", "``", "''", "?`", "!`", "\\\\"]
text_pieces = st.lists(
    st.sampled_from(SPECIALS)
    | st.text(st.characters(codec="utf-8", exclude_characters="\r\u2028\u2029"), max_size=4),
    max_size=20,
).map("".join)


def _stored(text: str, collapsed: bool) -> str:
    """`text` as the library would hold it after the export's clean-up."""
    text = "".join(
        ch for ch in text.translate(INVISIBLE) if ch in "\n\t" or unicodedata.category(ch) != "Cc"
    )
    return collapse(text) if collapsed else text


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=text_pieces, abstract=text_pieces, note=text_pieces)
def test_any_text_round_trips(title, abstract, note):
    title = _stored("T " + title, collapsed=True)
    abstract, note = _stored(abstract, collapsed=True), _stored(note, collapsed=False)
    paper = Paper(
        id="0123456789abcdef",
        title=title,
        abstract=abstract,
        note=note,
        sources=["a,b.bib", "c.txt"],
        added="2024-01-02T03:04:05+00:00",
        key="any:text",
    )
    back = parse(export([paper], "bibtex"), "bibtex", source="x.bib")
    assert [(p.title, p.abstract, p.note, p.sources) for p in back] == [
        (title, abstract, note, paper.sources)
    ]
    assert back == [paper]


def _first_last(name: str) -> str:
    """A BibTeX name as bibtexparser's own name splitting puts it first-name-first."""
    whole = parse_single_name_into_parts(name, strict=False).merge_first_name_first
    return whole.replace("{", "").replace("}", "")


@pytest.mark.parametrize(
    "title",
    [
        "{{\\tt\\bs relax} and watch the numbers}",
        "{$\\{$Meta$\\}${Font Forum} redux}",
        "{A {B C}} d",
    ],
)
def test_a_braced_span_that_starts_with_a_backslash_stays_a_protection(title):
    """`{\\textbackslash{}relax ...}` would read back as a special character, not braces
    that keep the span's case: the export writes `{{}\\textbackslash{}relax ...}`."""
    from readinglist.parsing import bibtex

    first = bibtex.parse(f"@misc{{k, title = {{{title}}}}}\n", source="a.bib")[0]
    back = bibtex.parse(export([first], "bibtex"), source="b.bib")[0]
    assert first.protected and (back.title, back.protected) == (first.title, first.protected)
