"""`cite --style bibtex|biblatex` of imported BibTeX records: every field the record
holds, names in BibTeX form, and an entry that reads back to the same record.

The corpus part reads ../shared/realworld/bibtex (skipped when absent): each cited
entry of the small files read back gives the same type, names, editors and venue;
all files under the `slow` marker.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from realworld import bibtex_corpus

from readinglist.citations import cite
from readinglist.citations.phrasing import clean_paper, month_from_text
from readinglist.cli import main
from readinglist.parsing import bibtex, read_file

ENTRIES = r"""@inproceedings{hyman2012,
  author    = {Hyman, Jr, Ira E. and Van den Broeck, Guy and Sahami Shirazi, Alireza and others},
  editor    = {Da Costa, Joao and de la Fuente, Ana},
  title     = {Memory at Scale},
  booktitle = {Proceedings of the CHI Conference},
  volume    = {16},
  pages     = {433--449},
  publisher = {ACM},
  address   = {Austin, TX},
  year      = {2012},
  month     = apr,
  doi       = {10.1145/1234.5678},
  language  = {english},
}
@book{knuth1984,
  author    = {Knuth, Donald E.},
  title     = {The {\TeX}book},
  publisher = {Addison-Wesley},
  edition   = {2nd},
  series    = {Computers and Typesetting},
  year      = 1984,
  isbn      = {0-201-13447-0},
}
@article{smith2020,
  author       = {von Neumann, John and {World Health Organization}},
  title        = {A Study of Things},
  journaltitle = {Journal of Stuff},
  volume       = 3,
  number       = 4,
  pages        = {1-10},
  date         = {2020-05},
  eprint       = {2001.00001},
  eprinttype   = {arxiv},
  eprintclass  = {cs.LG},
}
"""


def _records(text: str):
    return {paper.key: paper for paper in bibtex.parse(text, source="refs.bib")}


def _fields(entry: str) -> dict[str, str]:
    lines = entry.splitlines()[1:-1]
    pairs = [line.strip().rstrip(",").split(" = ", 1) for line in lines]
    return {name.strip(): value for name, value in pairs}


@pytest.fixture(scope="module")
def records():
    return _records(ENTRIES)


def test_an_inproceedings_keeps_booktitle_volume_pages_publisher(records):
    fields = _fields(cite([records["hyman2012"]], "bibtex"))
    assert fields["booktitle"] == "{Proceedings of the CHI Conference}"
    assert "journal" not in fields
    assert fields["volume"] == "{16}"
    assert fields["pages"] == "{433--449}"
    assert fields["publisher"] == "{ACM}" and fields["address"] == "{Austin, TX}"
    assert fields["month"] == "apr" and fields["year"] == "{2012}"
    assert fields["language"] == "{english}"  # a field nothing else reads, verbatim


def test_names_are_in_bibtex_form_with_particles_suffixes_and_others(records):
    fields = _fields(cite([records["hyman2012"]], "bibtex"))
    assert fields["author"] == (
        "{Hyman, Jr, Ira E. and Van den Broeck, Guy and Sahami Shirazi, Alireza and others}"
    )
    assert fields["editor"] == "{Da Costa, Joao and de la Fuente, Ana}"


def test_a_book_keeps_publisher_edition_series_and_isbn(records):
    text = cite([records["knuth1984"]], "bibtex")
    assert text.startswith("@book{knuth1984,")
    fields = _fields(text)
    assert fields["publisher"] == "{Addison-Wesley}"
    assert (fields["edition"], fields["series"]) == ("{2nd}", "{Computers and Typesetting}")
    assert fields["isbn"] == "{0-201-13447-0}"


def test_biblatex_names_its_fields_as_biblatex_does(records):
    fields = _fields(cite([records["hyman2012"]], "biblatex"))
    assert fields["location"] == "{Austin, TX}" and "address" not in fields
    assert fields["date"] == "{2012-04}" and "year" not in fields
    article = _fields(cite([records["smith2020"]], "biblatex"))
    assert article["journaltitle"] == "{Journal of Stuff}"
    assert (article["eprinttype"], article["eprintclass"]) == ("{arxiv}", "{cs.LG}")
    assert article["author"] == "{von Neumann, John and {World Health Organization}}"


def test_bibtex_names_what_biblatex_renamed_as_bibtex_does(records):
    fields = _fields(cite([records["smith2020"]], "bibtex"))
    assert fields["journal"] == "{Journal of Stuff}" and "journaltitle" not in fields
    assert fields["pages"] == "{1--10}"
    assert (fields["year"], fields["month"]) == ("{2020}", "may")
    assert (fields["archiveprefix"], fields["primaryclass"]) == ("{arXiv}", "{cs.LG}")


@pytest.mark.parametrize("style", ["bibtex", "biblatex"])
def test_a_cited_entry_reads_back_to_the_same_record(records, style):
    for key, paper in records.items():
        (again,) = bibtex.parse(cite([paper], style), source="cited.bib")
        assert _same_record(paper, again) == {}, key


def test_the_cli_cites_an_imported_record_with_its_venue(tmp_path, capsys):
    bib = tmp_path / "refs.bib"
    bib.write_text(ENTRIES, encoding="utf-8")
    library = str(tmp_path / "lib")
    assert main(["--library", library, "import", str(bib)]) == 0
    capsys.readouterr()
    assert main(["--library", library, "cite", "hyman2012", "--style", "bibtex"]) == 0
    out = capsys.readouterr().out
    assert "booktitle = {Proceedings of the CHI Conference}" in out
    assert "pages     = {433--449}" in out
    assert "Hyman, Jr, Ira E. and Van den Broeck, Guy" in out
    assert "readinglist-" not in out  # the library's own state stays out of a citation


_RENAMED = {"journaltitle": "journal", "location": "address"}


def _venue(paper) -> dict:
    """The venue under BibTeX's names, with the journal, pages with a hyphen, the month
    as a number (a citation writes `month = apr` for "April", "04" or "apr")."""
    venue = {_RENAMED.get(k, k): v.replace("\u2013", "-") for k, v in paper.venue.items()}
    if paper.journal and not any(name in venue for name in ("journal", "booktitle")):
        venue["journal"] = paper.journal
    if "month" in venue:
        venue["month"] = month_from_text(venue["month"]) or venue["month"]
    return venue


def _same_record(paper, again) -> dict:
    """The parts of the record that differ after citing and reading back."""
    parts = {
        "type": lambda p: p.entry_type,
        "authors": lambda p: [n.display() for n in p.author_names()],
        "others": lambda p: p.others,
        "editors": lambda p: [n.display() for n in p.editor_names()],
        "venue": _venue,
        "ids": lambda p: (p.arxiv, p.arxiv_class, p.isbn, p.issn),
        # braces, backslashes and spaces in a DOI or URL are %-encoded on purpose
        "links": lambda p: [unquote(value or "") for value in (p.doi, p.url)],
        "title": lambda p: p.title,
        "year": lambda p: p.year,
    }
    return {
        name: (part(paper), part(again))
        for name, part in parts.items()
        if part(paper) != part(again)
    }


CORPUS = bibtex_corpus()
SMALL = 200_000


def _cases():
    if CORPUS is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason="no corpus in ../shared"))]
    return [
        pytest.param(path, id=path.name, marks=[pytest.mark.slow] * (path.stat().st_size > SMALL))
        for path in sorted(CORPUS.glob("*.bib"))
    ]


@pytest.mark.parametrize("path", _cases())
def test_corpus_entries_cited_in_bibtex_read_back_the_same(path):
    try:
        papers = read_file(str(path), "bibtex").papers
    except Exception as error:  # only @strings, or no titles: nothing to cite
        assert "no papers found" in str(error)
        return
    differ = []
    for paper in map(clean_paper, papers):  # a citation drops invisible characters
        if paper.title_derived:
            continue  # cited as a bracketed description, on purpose
        text = cite([paper], "bibtex", keys={paper.id: "k"})
        again = bibtex.parse(text, source="cited.bib")
        if len(again) != 1 or _same_record(paper, again[0]):
            differ.append((paper.key, _same_record(paper, again[0]) if again else "lost"))
    assert differ == [], differ[:3]
