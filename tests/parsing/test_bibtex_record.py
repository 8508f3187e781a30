"""The whole BibTeX record: type, names in parts, venue, identifiers, the rest verbatim."""

import json

from readinglist.exporting import export
from readinglist.names import Name
from readinglist.parsing import bibtex, jsonfmt

RICH = r"""@InProceedings{vdb2019,
  author    = {Van den Broeck, Guy and Hyman, Jr, Ira E. and Sahami Shirazi, Alireza and others},
  editor    = {Da Costa, Joao and {IEEE Computer Society}},
  title     = {Tractable {Probabilistic} Models: {A} Case Study},
  booktitle = {Proc. of {NeurIPS}},
  year      = 2019,
  month     = dec,
  pages     = {101--120},
  volume    = {32},
  publisher = {Curran \& Sons},
  address   = {Vancouver},
  doi       = {10.5555/3454287},
  eprint    = {1901.00001},
  archiveprefix = {arXiv},
  primaryclass  = {cs.LG},
  isbn      = {978-1-23},
  file      = {/papers/vdb 2019.pdf:application/pdf},
  keywords  = {tractable models, inference (exact)},
  groups    = {Reading: {Group} A},
  timestamp = {2019-12-01},
  note      = {Oral presentation},
}
"""


def one(text=RICH):
    (paper,) = bibtex.parse(text, source="r.bib")
    return paper


def test_every_part_of_an_entry_is_kept():
    paper = one()
    assert paper.to_json()["type"] == "inproceedings"
    assert paper.authors == ["Guy Van den Broeck", "Ira E. Hyman Jr", "Alireza Sahami Shirazi"]
    names = paper.author_names()
    assert names[0] == Name(given="Guy", family="Broeck", particle="Van den")
    assert names[1] == Name(given="Ira E.", family="Hyman", suffix="Jr")
    assert names[2] == Name(given="Alireza", family="Sahami Shirazi")
    assert paper.others
    assert paper.editor_names() == [
        Name(given="Joao", family="Costa", particle="Da"),
        Name(literal="IEEE Computer Society"),
    ]
    assert paper.venue == {
        "booktitle": "Proc. of NeurIPS", "volume": "32", "pages": "101–120",
        "publisher": "Curran & Sons", "address": "Vancouver", "month": "December",
    }  # fmt: skip
    assert paper.journal == "Proc. of NeurIPS"
    assert (paper.doi, paper.arxiv, paper.arxiv_class) == ("10.5555/3454287", "1901.00001", "cs.LG")
    assert (paper.isbn, paper.file) == ("978-1-23", "/papers/vdb 2019.pdf:application/pdf")
    assert paper.extra == {
        "keywords": "tractable models, inference (exact)",
        "groups": "Reading: {Group} A",
        "timestamp": "2019-12-01",
        "note": "Oral presentation",
    }
    assert paper.tags == ["tractable-models"]


def test_bibtex_export_writes_every_field_and_reads_back_the_same_record():
    paper = one()
    text = export([paper], "bibtex")
    for line in (
        "@inproceedings{vdb2019,",
        "Van den Broeck, Guy and Hyman, Jr, Ira E. and Sahami Shirazi, Alireza and others",
        "Da Costa, Joao and {IEEE Computer Society}",
        "booktitle",
        "Proc. of NeurIPS",
        "{101–120}",
        "= dec,",
        "{Curran \\& Sons}",
        "primaryclass",
        "{Reading: {Group} A}",
        "{tractable models, inference (exact)}",
    ):
        assert line in text, line
    assert "journal" not in text
    (back,) = bibtex.parse(text, source="e.bib")
    assert back == paper


def test_json_carries_the_record_and_reads_back():
    paper = one()
    data = json.loads(export([paper], "json"))[0]
    assert data["type"] == "inproceedings" and data["others"] is True
    assert data["names"][0] == {
        "given": "Guy", "family": "Broeck", "particle": "Van den", "suffix": "", "literal": ""
    }  # fmt: skip
    assert data["editors"][1]["literal"] == "IEEE Computer Society"
    assert data["venue"]["pages"] == "101–120" and data["extra"]["groups"] == "Reading: {Group} A"
    assert data["identifiers"]["arxiv_class"] == "cs.LG" and data["identifiers"]["isbn"]
    assert data["authors"] == paper.authors
    (back,) = jsonfmt.parse(json.dumps([data]), source="x.json")
    assert back == paper


def test_json_of_the_previous_release_still_imports():
    old = {
        "id": "0123456789abcdef", "title": "T", "authors": ["Ada Lovelace"], "journal": "J",
        "identifiers": {"doi": "10.1/x", "arxiv": None, "url": None}, "tags": [], "read": False,
    }  # fmt: skip
    (paper,) = jsonfmt.parse(json.dumps([old]), source="old.json")
    assert paper.doi == "10.1/x" and paper.author_names() == [Name(given="Ada", family="Lovelace")]
    assert paper.to_json()["venue"] == {"journal": "J"} and paper.to_json()["type"] == "misc"


def test_an_edit_of_the_authors_wins_over_the_parts_read():
    from dataclasses import replace

    paper = replace(one(), authors=["Someone Else"])
    assert paper.author_names() == [Name(given="Someone", family="Else")]


def _round_trip(text: str) -> tuple[list, list]:
    papers = bibtex.parse(text, source="r.bib")
    return papers, bibtex.parse(export(papers, "bibtex"), source="e.bib")


def test_a_date_and_a_year_that_disagree_read_back_as_they_were_read():
    """biblatex reads `date` first: the `year` beside it is kept verbatim, and the
    export (which names the day it holds) reads back to the same year."""
    papers, back = _round_trip(
        "@book{l11, author = {Doe, John}, title = {Title 2}, date = {1996-01-01}, year = {1998}}\n"
    )
    assert (papers[0].year, papers[0].published) == (1996, "1996-01-01")
    assert papers[0].extra == {"date": "1996-01-01", "year": "1998"}
    assert back == papers


def test_an_empty_field_keeps_the_crossref_parents_value_out_through_a_round_trip():
    papers, back = _round_trip(
        "@inproceedings{part, title = {Part}, crossref = {whole}, organization = {},"
        " pages = {1--2}}\n"
        "@proceedings{whole, title = {The Whole}, organization = {ACM}, year = 1983}\n"
    )
    part = next(p for p in papers if p.key == "part")
    assert "organization" not in part.venue and part.extra["organization"] == ""
    assert part.venue["booktitle"] == "The Whole"  # what it lacks, it takes
    assert sorted(back, key=lambda p: p.key) == sorted(papers, key=lambda p: p.key)
