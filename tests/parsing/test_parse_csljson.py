"""CSL-JSON in the shapes Zotero and Better BibTeX write, and readinglist's own round trip."""

import json

import pytest

from readinglist.errors import ParseError
from readinglist.exporting import export
from readinglist.model import Paper
from readinglist.parsing import csljson, parse

ZOTERO = """[
  {
    "id": "http://zotero.org/users/1234/items/ABCD1234",
    "type": "paper-conference",
    "abstract": "The dominant sequence transduction models are based on recurrent networks.",
    "container-title": "Advances in Neural Information Processing Systems",
    "page": "5998-6008",
    "publisher": "Curran Associates, Inc.",
    "title": "Attention is All you Need",
    "URL": "https://papers.nips.cc/paper/7181-attention-is-all-you-need",
    "volume": "30",
    "author": [
      {"family": "Vaswani", "given": "Ashish"},
      {"family": "Shazeer", "given": "Noam"},
      {"family": "Broeck", "given": "Guy", "non-dropping-particle": "Van den"}
    ],
    "issued": {"date-parts": [["2017", 12, 4]]}
  },
  {
    "id": "vaswaniAttentionAllYou2023",
    "type": "article",
    "title": "Attention Is All You Need",
    "number": "arXiv:1706.03762",
    "publisher": "arXiv",
    "DOI": "10.48550/arXiv.1706.03762",
    "URL": "http://arxiv.org/abs/1706.03762",
    "keyword": "Computer Science - Computation and Language, transformers",
    "author": [{"family": "Vaswani", "given": "Ashish"}, {"literal": "Google Brain"}],
    "issued": {"date-parts": [[2023, 8, 1]]}
  }
]
"""

BETTER_BIBTEX = """[
  {"id": "lecun1998gradient", "citation-key": "lecun1998gradient", "type": "article-journal",
   "title": "Gradient-based learning applied to document recognition",
   "container-title": "Proceedings of the IEEE", "volume": "86", "issue": "11",
   "page": "2278-2324", "DOI": "10.1109/5.726791",
   "author": [{"family": "LeCun", "given": "Yann"}, {"family": "Bottou", "given": "Léon"},
              {"family": "Haffner", "given": "Patrick", "suffix": "Jr."}],
   "issued": {"date-parts": [[1998, 11]]}},
  {"id": "raw", "type": "report", "title": "A Raw Date", "issued": {"raw": "2019-03-07"}}
]
"""


def test_zotero_items_give_names_dates_venues_and_ids():
    first, preprint = parse(ZOTERO, source="zotero.json")
    assert first.title == "Attention is All you Need"
    assert first.authors == ["Ashish Vaswani", "Noam Shazeer", "Guy Van den Broeck"]
    assert (first.year, first.published) == (2017, "2017-12-04")
    assert first.journal == "Advances in Neural Information Processing Systems"
    assert first.url == "https://papers.nips.cc/paper/7181-attention-is-all-you-need"
    assert first.abstract.startswith("The dominant sequence")
    assert (preprint.arxiv, preprint.doi, preprint.url) == ("1706.03762", None, None)
    assert preprint.authors == ["Ashish Vaswani", "Google Brain"]
    assert preprint.tags == ["computer-science---computation-and-language", "transformers"]


def test_better_bibtex_items_keep_the_cite_key_and_suffixes():
    lecun, raw = parse(BETTER_BIBTEX, source="bbt.json")
    assert lecun.key == "lecun1998gradient"
    assert lecun.authors == ["Yann LeCun", "Léon Bottou", "Patrick Haffner, Jr."]
    assert (lecun.year, lecun.published, lecun.doi) == (1998, None, "10.1109/5.726791")
    assert lecun.journal == "Proceedings of the IEEE"
    assert (raw.year, raw.published) == (2019, "2019-03-07")


def test_volume_issue_pages_publisher_and_book_numbers_are_kept():
    first, preprint = parse(ZOTERO, source="zotero.json")
    assert first.venue == {
        "journal": "Advances in Neural Information Processing Systems",
        "volume": "30",
        "pages": "5998-6008",
        "publisher": "Curran Associates, Inc.",
    }
    assert preprint.venue == {"publisher": "arXiv"}
    lecun, _ = parse(BETTER_BIBTEX, source="bbt.json")
    assert (lecun.venue["volume"], lecun.venue["number"]) == ("86", "11")
    item = '[{"type": "book", "title": "B", "ISBN": "978-0-262-03561-3", "edition": 3}]'
    (book,) = csljson.parse(item, source="b.json")
    assert (book.isbn, book.venue) == ("978-0-262-03561-3", {"edition": "3"})


def test_readinglist_csl_export_reimports_to_the_same_records():
    papers = [
        Paper(id="a1b2c3d4e5f60718", title="Sparse Attention", abstract="We study it.",
              authors=["Guy Van den Broeck", "Ada Lovelace"], year=2024, published="2024-12-01",
              journal="NeurIPS", doi="10.1/x", arxiv="2412.01234", upvotes=12,
              sources=["daily.txt"], added="2024-12-02T10:00:00+00:00", key="broeck2024sparse",
              read=True, read_at="2024-12-03T10:00:00+00:00", tags=["attention", "to-read"],
              note="Line one\\nline two", aliases=["Sparse attention (v1)"]),
        Paper(id="0f1e2d3c4b5a6978", title="Derived title", title_derived=True,
              abstract="An abstract only.", author_count=6, year=2025, year_inferred=True,
              published="2025-03-14", sources=["x.txt"], added="2025-03-15T00:00:00+00:00",
              key="derived2025"),
    ]  # fmt: skip
    text = export(papers, "csl-json", {p.id: p.key for p in papers})
    assert parse(text, "csl-json", source="export.json") == papers
    assert parse(text, source="export.json") == papers  # auto finds it


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{}", "x.json: expected a CSL-JSON array of items, found an object"),
        ('[{"type": "book"}]', "x.json: item 0: looks like JSON objects with keys 'type', "
         "neither readinglist's JSON export nor CSL-JSON"),
        ('[{"id": "a", "title": "T", "identifiers": {}}]', "x.json: item 0: looks like "
         "readinglist's JSON export, not CSL-JSON (use --format json)"),
        ('[{"type": "book", "DOI": "10.1/x"}]', "x.json: item 0: has neither a title nor an abstract"),
        ('[{"type": "book", "title": "T", "custom": {"readinglist": {"read": "yes"}}}]',
         "x.json: item 0: custom.readinglist.read has the wrong type"),
    ],
)  # fmt: skip
def test_bad_items_are_refused_naming_the_item(text, message):
    with pytest.raises(ParseError) as caught:
        csljson.parse(text, source="x.json")
    assert str(caught.value) == message


def test_export_is_csl_json_that_other_tools_read():
    paper = Paper(id="1", title="T", authors=["Ada Lovelace"], year=2020, journal="J", key="k")
    (item,) = json.loads(export([paper], "csl-json", {"1": "k"}))
    assert item["type"] == "article-journal" and item["id"] == "k"
    assert item["author"] == [{"family": "Lovelace", "given": "Ada"}]
    assert item["issued"] == {"date-parts": [[2020]]} and item["container-title"] == "J"


def test_the_export_uses_the_citation_mapping_with_values_as_stored():
    paper = Paper(
        id="a1b2c3d4e5f60718", title="Tips & <Tricks> for Sparse Attention", year=2012,
        published="2012-04-03", authors=["Ira E. Hyman Jr", "Guy Van den Broeck"],
        names=[{"given": "Ira E.", "family": "Hyman", "suffix": "Jr"},
               {"given": "Guy", "particle": "Van den", "family": "Broeck"}],
        editors=[{"given": "Ada", "family": "Lovelace"}], entry_type="inproceedings",
        journal="Proc. A&B", venue={"booktitle": "Proc. A&B", "volume": "16", "number": "4",
                                    "pages": "433--449", "publisher": "ACM"},
        doi="10.1/x", key="hyman2012tips", sources=["refs.bib"],
    )  # fmt: skip
    (item,) = json.loads(export([paper], "csl-json", {paper.id: paper.key}))
    assert item["type"] == "paper-conference"
    assert item["title"] == "Tips & <Tricks> for Sparse Attention"  # not HTML-escaped
    assert item["container-title"] == "Proc. A&B"
    assert item["author"] == [
        {"family": "Hyman", "given": "Ira E.", "suffix": "Jr"},
        {"family": "Broeck", "given": "Guy", "non-dropping-particle": "Van den"},
    ]
    assert item["editor"] == [{"family": "Lovelace", "given": "Ada"}]
    assert (item["volume"], item["issue"], item["page"]) == ("16", "4", "433-449")
    assert item["publisher"] == "ACM" and item["DOI"] == "10.1/x"
    assert item["issued"] == {"date-parts": [[2012, 4, 3]]}
    (back,) = parse(json.dumps([item]), "csl-json", source="export.json")
    assert back.authors == ["Ira E. Hyman, Jr", "Guy Van den Broeck"]
    assert {k: back.venue[k] for k in ("volume", "number", "pages", "publisher")} == {
        "volume": "16", "number": "4", "pages": "433-449", "publisher": "ACM"}  # fmt: skip
