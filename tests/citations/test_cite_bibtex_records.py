"""Citations of records read from BibTeX: the venue, names in parts and editors they hold."""

from __future__ import annotations

from readinglist.citations import cite, csl_item
from readinglist.citations.csl_json import name_from_display
from readinglist.parsing import bibtex

ENTRY = r"""@InProceedings{vdb2019,
  author    = {Van den Broeck, Guy and Hyman, Jr, Ira E. and {IEEE Computer Society}},
  editor    = {Da Costa, Joao and Mary Smith},
  title     = {Tractable Models of Reasoning},
  booktitle = {Advances in Neural Information Processing Systems},
  year      = 2019,
  pages     = {101--120},
  volume    = {32},
  publisher = {Curran Associates},
}
"""


def _paper():
    (paper,) = bibtex.parse(ENTRY, source="r.bib")
    return paper


def test_the_venue_of_a_bibtex_record_reaches_the_csl_item():
    item = csl_item(_paper(), "k")
    assert item["container-title"] == "Advances in Neural Information Processing Systems"
    assert (item["volume"], item["page"], item["publisher"]) == (
        "32",
        "101–120",
        "Curran Associates",
    )


def test_names_and_editors_in_parts_reach_the_csl_item():
    item = csl_item(_paper(), "k")
    assert item["author"][0] == {
        "family": "Broeck",
        "given": "Guy",
        "non-dropping-particle": "Van den",
    }
    assert item["author"][1] == {"family": "Hyman", "given": "Ira E.", "suffix": "Jr"}
    assert item["author"][2] == {"literal": "IEEE Computer Society"}
    assert item["editor"][0]["family"] == "Costa" and item["editor"][0]["given"] == "Joao"
    assert item["editor"][1] == {"family": "Smith", "given": "Mary"}


def test_a_style_prints_the_venue_and_the_editors():
    out = cite([_paper()], "apa")
    assert "Advances in Neural Information Processing Systems" in out
    assert "101–120" in out and "Smith" in out, out
    assert "(Vol. 32" in out, out


def test_the_markdown_line_has_the_booktitle_volume_and_pages():
    out = cite([_paper()], "markdown")
    assert "*Advances in Neural Information Processing Systems*, 32, 101–120" in out, out


def test_display_strings_split_as_names_py_splits_them():
    assert name_from_display("Hyman, Jr., Ira E.") == {
        "family": "Hyman",
        "given": "Ira E.",
        "suffix": "Jr.",
    }
    assert name_from_display("Sahami Shirazi, Alireza") == {
        "family": "Sahami Shirazi",
        "given": "Alireza",
    }
    assert name_from_display("Plato") == {"literal": "Plato"}


def test_a_month_field_without_a_day_dates_the_csl_item():
    (paper,) = bibtex.parse(
        ENTRY.replace("year      = 2019,", "year = 2019, month = apr,"), source="r.bib"
    )
    assert csl_item(paper, "k")["issued"] == {"date-parts": [[2019, 4]]}
    assert "Apr. 2019" in cite([paper], "ieee")


def test_a_biblatex_date_with_a_month_keeps_the_month():
    (paper,) = bibtex.parse(ENTRY.replace("year      = 2019,", "date = {2019-04},"), source="r.bib")
    assert (paper.year, paper.published, paper.venue["month"]) == (2019, None, "April")
