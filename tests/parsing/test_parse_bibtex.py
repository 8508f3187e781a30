"""BibTeX: standard fields, LaTeX decoding, our readinglist-* fields, errors."""

import pytest

from readinglist.errors import ParseError
from readinglist.model import paper_id
from readinglist.parsing import bibtex, parse

ENTRY = r"""% exported elsewhere
@article{muller2021,
  Title = {M{\"u}ller's {GAN}   Paper},
  author = {M{\"u}ller, J{\"o}rg and John Smith and {World Health Organization}
            and de la Fontaine, Jean and others},
  year = 2021, month = may, day = 9,
  abstract = {We study   things.},
  journal = {Journal of {\'E}tudes},
  keywords = {Deep Learning; nlp, x!y, NLP},
  doi = {https://doi.org/10.1000/xyz},
  eprint = {2101.00001}, archiveprefix = {arXiv},
  url = {https://example.org/paper},
}
"""

OWN = r"""@misc{rl-abcdef012345,
  title = {Derived Title},
  abstract = {We propose things.},
  note = {6 authors},
  readinglist-id = {abcdef0123456789},
  readinglist-read = {true},
  readinglist-read-at = {2025-01-02T03:04:05+00:00},
  readinglist-title-derived = {true},
  readinglist-year-inferred = {true},
  readinglist-published = {2024-03-14},
  readinglist-added = {2025-01-01T00:00:00+00:00},
  readinglist-note = {Read the appendix.},
  readinglist-upvotes = {12},
  readinglist-sources = {002.txt, mine.bib},
  keywords = {to-read, robustness},
}
"""


def one(text: str):
    (paper,) = bibtex.parse(text, source="x.bib")
    return paper


def test_standard_fields():
    paper = one(ENTRY)
    assert paper.title == "Müller's GAN Paper"
    assert paper.authors == [
        "Jörg Müller",
        "John Smith",
        "World Health Organization",
        "Jean de la Fontaine",
    ]
    assert (paper.published, paper.year, paper.year_inferred) == ("2021-05-09", 2021, False)
    assert paper.abstract == "We study things."
    assert paper.journal == "Journal of Études"
    assert paper.tags == ["deep-learning", "nlp"]
    assert (paper.doi, paper.arxiv, paper.url) == (
        "10.1000/xyz",
        "2101.00001",
        "https://example.org/paper",
    )
    assert paper.id == paper_id(paper.title, paper.abstract)
    assert paper.sources == ["x.bib"] and paper.added == "" and not paper.read


def test_own_export_fields_are_read_back():
    paper = one(OWN)
    assert paper.id == "abcdef0123456789"
    assert paper.read and paper.read_at == "2025-01-02T03:04:05+00:00"
    assert paper.title_derived and paper.year_inferred
    assert (paper.published, paper.year) == ("2024-03-14", 2024)
    assert paper.added == "2025-01-01T00:00:00+00:00"
    assert paper.note == "Read the appendix."
    assert paper.upvotes == 12 and paper.author_count == 6
    assert paper.sources == ["002.txt", "mine.bib"]
    assert paper.tags == ["to-read", "robustness"]


def test_year_and_month_without_day_give_no_published_day():
    paper = one("@article{k, title={T}, year={2020}, month={3}}")
    assert (paper.published, paper.year) == (None, 2020)


def test_biblatex_date_field():
    assert one("@online{k, title={T}, date={2019-07-04}}").published == "2019-07-04"


def test_booktitle_and_arxiv_without_prefix():
    paper = one("@inproceedings{k, title={T}, booktitle={Proc. X}, eprint={arXiv:1706.03762v5}}")
    assert (paper.journal, paper.arxiv) == ("Proc. X", "1706.03762v5")


def test_missing_title_is_derived_from_the_abstract():
    paper = one("@misc{k, abstract={We introduce a model called BERT, which is big.}}")
    assert (paper.title, paper.title_derived) == ("BERT: A model", True)


def test_parse_through_the_package_with_detection():
    assert parse(ENTRY, source="x.bib")[0].title == "Müller's GAN Paper"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "@article{a, title={ok}}\n\n@article{b, title = {Broken\n@misc{c, title={x}}\n",
            3,
            "unbalanced braces in entry 'b'",
        ),
        (
            "@article{k, title={x}}\n@article{k, title={y}}\n",
            2,
            "duplicate key 'k' (first at line 1)",
        ),
        ("@misc{k,\n title={x},\n readinglist-read={maybe}}\n", 3, "readinglist-read"),
        ("@misc{k,\n title={x},\n readinglist-upvotes={many}}\n", 3, "readinglist-upvotes"),
        ("@misc{k,\n title={x},\n readinglist-published={May 2020}}\n", 3, "readinglist-published"),
        ("\n@misc{k, author={Someone}}\n", 2, "neither a title nor an abstract"),
    ],
)
def test_strict_errors_name_the_line(text, line, words):
    with pytest.raises(ParseError) as caught:
        bibtex.parse(text, source="bad.bib", strict=True)
    assert caught.value.line == line
    assert words in str(caught.value) and str(caught.value).startswith(f"bad.bib:{line}:")


def test_no_entries_is_an_error_through_parse():
    with pytest.raises(ParseError, match="no papers found"):
        parse("@comment{nothing here}\n", "bibtex", source="empty.bib")


def test_url_doi_and_eprint_are_not_latex_decoded():
    paper = one(r"@misc{k, title={T}, url={https://x.org/a_b?c=1&d=%20}, doi={10.1/x_y%z}}")
    assert (paper.url, paper.doi) == ("https://x.org/a_b?c=1&d=%20", "10.1/x_y%z")


def test_escaped_specials_decode_to_plain_text():
    note = r"\textbraceleft{}a\textbraceright{} \textbackslash{}b \textasciicircum{} \% \& \_ \$"
    paper = one(f"@misc{{k, title={{T}}, readinglist-note={{{note}}}}}")
    assert paper.note == r"{a} \b ^ % & _ $"
