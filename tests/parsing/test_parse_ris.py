"""RIS in the shapes Zotero, Mendeley and EndNote write, and readinglist's own round trip."""

import pytest

from readinglist.errors import ParseError
from readinglist.exporting import export
from readinglist.model import Paper
from readinglist.parsing import parse, ris

ZOTERO = """TY  - CONF
TI  - Attention is All you Need
AU  - Vaswani, Ashish
AU  - Shazeer, Noam
AU  - Van den Broeck, Guy
T2  - Advances in Neural Information Processing Systems
AB  - The dominant sequence transduction models are based on recurrent networks.
DA  - 2017///
PY  - 2017
VL  - 30
SP  - 5998
EP  - 6008
PB  - Curran Associates, Inc.
UR  - https://papers.nips.cc/paper/7181-attention-is-all-you-need
KW  - transformers
KW  - Computer Science - Computation and Language
ER  -

TY  - PREPRINT
TI  - Attention Is All You Need
AU  - Vaswani, Ashish
DO  - 10.48550/arXiv.1706.03762
DA  - 2023/08/01/
PY  - 2023
UR  - http://arxiv.org/abs/1706.03762
N1  - arXiv:1706.03762 [cs]
ER  -
"""

MENDELEY = """TY  - JOUR
AU  - LeCun, Yann
AU  - Bottou, Léon
AU  - Haffner, Patrick, Jr.
TI  - Gradient-based learning applied to document recognition
JO  - Proceedings of the IEEE
PY  - 1998
VL  - 86
IS  - 11
SP  - 2278
EP  - 2324
SN  - 0018-9219
DO  - https://doi.org/10.1109/5.726791
ER  -
"""

ENDNOTE = """TY  - JOUR
T1  - Deep learning
A1  - LeCun, Yann
A1  - Bengio, Yoshua
JF  - Nature
Y1  - 2015/05/28
N2  - Deep learning allows computational models that are composed of multiple
processing layers to learn representations of data.
ER  -
"""


def test_zotero_records_give_names_dates_venues_and_ids():
    conf, preprint = parse(ZOTERO, source="zotero.ris")
    assert conf.title == "Attention is All you Need"
    assert conf.authors == ["Ashish Vaswani", "Noam Shazeer", "Guy Van den Broeck"]
    assert (conf.year, conf.published) == (2017, None)
    assert conf.journal == "Advances in Neural Information Processing Systems"
    assert conf.tags == ["transformers", "computer-science---computation-and-language"]
    assert (preprint.arxiv, preprint.doi, preprint.url) == ("1706.03762", None, None)
    assert (preprint.published, preprint.note) == ("2023-08-01", "arXiv:1706.03762 [cs]")


def test_mendeley_records_strip_the_doi_resolver_and_keep_suffixes():
    (paper,) = parse(MENDELEY, source="mendeley.ris")
    assert paper.authors == ["Yann LeCun", "Léon Bottou", "Patrick Haffner, Jr."]
    assert (paper.doi, paper.year, paper.journal) == (
        "10.1109/5.726791", 1998, "Proceedings of the IEEE")  # fmt: skip


def test_volume_issue_pages_publisher_and_serial_number_are_kept():
    conf, preprint = parse(ZOTERO, source="zotero.ris")
    assert conf.venue == {
        "journal": "Advances in Neural Information Processing Systems",
        "volume": "30",
        "publisher": "Curran Associates, Inc.",
        "pages": "5998–6008",
    }
    assert preprint.venue == {}
    (paper,) = parse(MENDELEY, source="mendeley.ris")
    assert (paper.venue["volume"], paper.venue["number"], paper.venue["pages"]) == (
        "86", "11", "2278–2324")  # fmt: skip
    assert (paper.issn, paper.isbn) == ("0018-9219", None)
    (book,) = parse("TY  - BOOK\nTI  - B\nSN  - 978-0-262-03561-3\nER  - \n", source="b.ris")
    assert (book.isbn, book.issn) == ("978-0-262-03561-3", None)


def test_endnote_tags_and_wrapped_lines():
    (paper,) = parse(ENDNOTE, source="endnote.ris")
    assert (paper.title, paper.authors) == ("Deep learning", ["Yann LeCun", "Yoshua Bengio"])
    assert (paper.journal, paper.published, paper.year) == ("Nature", "2015-05-28", 2015)
    assert paper.abstract.endswith(
        "composed of multiple processing layers to learn representations of data."
    )


def test_crlf_and_bom_change_nothing():
    assert parse("\ufeff" + ZOTERO.replace("\n", "\r\n"), source="z") == parse(ZOTERO, source="z")


def test_readinglist_ris_export_reimports_to_the_same_records():
    papers = [
        Paper(id="x", title="Sparse Attention", abstract="We study sparse attention.",
              authors=["Guy Van den Broeck", "Ada Lovelace"], year=2024, published="2024-12-01",
              journal="NeurIPS", doi="10.1/x", tags=["attention", "to-read"], note="Good one."),
        Paper(id="y", title="On arXiv", abstract="Preprint only.", arxiv="2412.01234", year=2024),
        Paper(id="z", title="Derived title", title_derived=True, abstract="An abstract only.",
              author_count=6, year=2025, year_inferred=True, url="https://example.org/p"),
    ]  # fmt: skip
    back = parse(export(papers, "ris"), "ris", source="export.ris")
    carried = ("title", "title_derived", "abstract", "authors", "author_count", "published",
               "year", "year_inferred", "doi", "arxiv", "url", "journal", "tags", "note")  # fmt: skip
    for old, new in zip(papers, back, strict=True):
        assert {f: getattr(new, f) for f in carried} == {f: getattr(old, f) for f in carried}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("TI  - T\nER  - \n", "x.ris:1: TI line outside a record (expected 'TY  - ')"),
        ("TY  - JOUR\nTI  - T\n", "x.ris:1: record has no 'ER  - ' line"),
        ("TY  - JOUR\nPY  - 2020\nER  - \n", "x.ris:1: record has neither a title (TI) nor an abstract (AB)"),
        ("TY  - JOUR\nTI  - A\nTY  - JOUR\n", "x.ris:1: record has no 'ER  - ' line"),
        ("hello\nTY  - JOUR\n", "x.ris:1: expected a 'TY  - ' line, found 'hello'"),
    ],
)  # fmt: skip
def test_broken_records_name_their_line(text, message):
    with pytest.raises(ParseError) as caught:
        ris.parse(text, source="x.ris")
    assert str(caught.value) == message
