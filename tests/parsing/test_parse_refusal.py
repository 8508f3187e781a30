"""A named format refuses text that clearly is another format; auto picks by content."""

from pathlib import Path

import pytest
from parse_helpers import TODAY, seed_text

from readinglist.errors import ParseError
from readinglist.parsing import FORMATS, detect, load, parse

BIB = """@inproceedings{Vaswani:2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  volume = {30},
  year = {2017},
}
"""
OWN_JSON = '[{"id": "abc", "title": "T", "identifiers": {"doi": null}}]\n'
FOREIGN_JSON = '[{"paper": {"id": "2412.01234"}, "title": "T", "numComments": 3}]\n'
CSL = '[{"id": "x", "type": "article-journal", "title": "T", "issued": {"date-parts": [[2020]]}}]'
RIS = "TY  - JOUR\nTI  - Attention Is All You Need\nAU  - Vaswani, Ashish\nPY  - 2017\nER  - \n"
ARXIV = """[1] arXiv:2412.01234 [pdf, other]
Title: Sparse Attention Revisited
Authors: Ada Lovelace, Alan Turing
Subjects: Machine Learning (cs.LG)
"""
HTML = "<!DOCTYPE html>\n<html><body><p>Daily Papers</p></body></html>\n"

LABELS = {
    "hf": "a Daily Papers page",
    "abstracts": "a list of abstracts",
    "bibtex": "BibTeX",
    "json": "readinglist's JSON export",
    "csl-json": "CSL-JSON",
    "ris": "RIS",
    "arxiv": "arXiv listing text",
}
SAMPLES = [
    ("bibtex", "BibTeX", BIB),
    ("json", "JSON", OWN_JSON),
    ("json", "JSON", FOREIGN_JSON),
    ("csl-json", "CSL-JSON", CSL),
    ("ris", "RIS", RIS),
    ("arxiv", "arXiv listing text", ARXIV),
]


def cases():
    for kind, looks, text in SAMPLES:
        for fmt in FORMATS:
            if fmt != kind and {fmt, kind} - {"json", "csl-json"}:
                yield pytest.param(kind, looks, text, fmt, id=f"{kind}-as-{fmt}")


@pytest.mark.parametrize(("kind", "looks", "text", "fmt"), list(cases()))
def test_a_wrong_format_refuses_with_the_reason(kind, looks, text, fmt):
    with pytest.raises(ParseError) as caught:
        parse(text, fmt, source="refs.x", today=TODAY)
    assert str(caught.value) == (
        f"refs.x: looks like {looks}, not {LABELS[fmt]} (use --format {kind})"
    )


def test_hf_on_a_bib_file_says_so():
    with pytest.raises(ParseError) as caught:
        parse(BIB, "hf", source="refs.bib")
    assert str(caught.value) == (
        "refs.bib: looks like BibTeX, not a Daily Papers page (use --format bibtex)"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_markup_is_refused_by_every_format(fmt):
    with pytest.raises(ParseError, match=r"^page.html: looks like XML or HTML, not .*page's text"):
        parse(HTML, fmt, source="page.html")


def test_auto_refuses_markup():
    with pytest.raises(ParseError, match="looks like XML or HTML"):
        parse(HTML, source="page.html")


@pytest.mark.parametrize(
    ("text", "fmt"),
    [(BIB, "bibtex"), (OWN_JSON, "json"), (FOREIGN_JSON, "json"), (CSL, "csl-json"),
     (RIS, "ris"), (ARXIV, "arxiv"), (seed_text("002"), "hf"), (seed_text("000"), "abstracts")],
)  # fmt: skip
def test_auto_picks_by_content(text, fmt):
    assert detect(text, "x") == fmt


def test_the_right_format_still_reads():
    (paper,) = parse(BIB, "bibtex", source="refs.bib")
    assert paper.title == "Attention Is All You Need"


# Third-party reference data, read where it sits beside the checkout (never copied in).
FIXTURES = next(
    (up / "shared" / "fixtures-raw" for up in Path(__file__).resolve().parents
     if (up / "shared" / "fixtures-raw").is_dir()),
    Path("/nonexistent"),
)  # fmt: skip


@pytest.mark.parametrize("name", ["hf_daily_papers_limit30_2026-06-13.json",
                                  "crossref_works_query_ecology_rows2.json"])  # fmt: skip
def test_web_service_json_is_refused_saying_what_it_looks_like(name):
    path = FIXTURES / name
    if not path.exists():
        pytest.skip("third-party reference data not present")
    with pytest.raises(ParseError, match=r"looks like JSON objects with keys|found an object with"):
        load(str(path))
