"""Text copied from arXiv listing pages and abstract pages."""

import pytest

from readinglist.errors import ParseError
from readinglist.parsing import arxiv, detect, parse

NEW_LISTING = """Machine Learning
Authors and titles for new submissions
Showing new listings for Monday, 2 December 2024
Total of 3 entries
New submissions (showing 2 of 2 entries)

[1] arXiv:2412.01234 [pdf, html, other]
Title: Sparse Attention Revisited
Authors: Ada Lovelace, Alan Turing, Guy Van den Broeck
Comments: 12 pages, 4 figures
Subjects: Machine Learning (cs.LG); Artificial Intelligence (cs.AI)

We revisit sparse attention and show that it is fast.
It also works on long documents.

[2] arXiv:2412.01300 [pdf, other]
Title: Tiny Models Win
Authors: Grace Hopper
Journal-ref: NeurIPS 2024
Subjects: Machine Learning (cs.LG)

Small models, big results.

Cross submissions (showing 1 of 1 entries)

[3] arXiv:2411.09999 (cross-list from cs.CV) [pdf, html, other]
Title: Seeing Is Believing
Ada Lovelace
Subjects: Computer Vision and Pattern Recognition (cs.CV); Machine Learning (cs.LG)
"""

RECENT_LISTING = """[1] arXiv:2412.01234 [pdf, other]
Title: Sparse Attention Revisited
Authors: Ada Lovelace, Alan Turing
Subjects: Machine Learning (cs.LG)
[2] arXiv:2412.00007v2 [pdf]
Title: Another One
Authors: Grace Hopper and Alan Turing
Subjects: Machine Learning (cs.LG)
"""

ABSTRACT_PAGE = """Computer Science > Computation and Language
arXiv:1706.03762 (cs)
[Submitted on 12 Jun 2017 (v1), last revised 2 Aug 2023 (this version, v7)]
Attention Is All You Need
Ashish Vaswani, Noam Shazeer, Niki Parmar, Jakob Uszkoreit
View PDF HTML (experimental)
Abstract:The dominant sequence transduction models are based on complex recurrent or
convolutional neural networks.
Comments:\t15 pages, 5 figures
Subjects:\tComputation and Language (cs.CL); Machine Learning (cs.LG)
Cite as:\tarXiv:1706.03762 [cs.CL]
 \t(or arXiv:1706.03762v7 [cs.CL] for this version)
 \thttps://doi.org/10.48550/arXiv.1706.03762
Submission history
From: Llion Jones [view email]
[v1] Mon, 12 Jun 2017 17:57:34 UTC (1,102 KB)
"""


def test_a_new_listing_gives_ids_titles_names_and_abstracts():
    first, second, cross = parse(NEW_LISTING, source="new.txt")
    assert (first.arxiv, first.title) == ("2412.01234", "Sparse Attention Revisited")
    assert first.authors == ["Ada Lovelace", "Alan Turing", "Guy Van den Broeck"]
    assert first.abstract == (
        "We revisit sparse attention and show that it is fast. It also works on long documents."
    )
    assert (first.year, first.published, first.url) == (2024, None, None)
    assert (second.journal, second.abstract) == ("NeurIPS 2024", "Small models, big results.")
    assert (cross.arxiv, cross.authors, cross.abstract) == ("2411.09999", ["Ada Lovelace"], "")


def test_a_listing_without_abstracts_and_an_and_between_names():
    first, second = parse(RECENT_LISTING, "arxiv", source="recent.txt")
    assert first.abstract == "" and not first.title_derived
    assert second.arxiv == "2412.00007"
    assert second.authors == ["Grace Hopper", "Alan Turing"]


def test_an_abstract_page():
    (paper,) = parse(ABSTRACT_PAGE, source="abs.txt")
    assert (paper.arxiv, paper.title) == ("1706.03762", "Attention Is All You Need")
    assert paper.authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"]
    assert paper.abstract == (
        "The dominant sequence transduction models are based on complex recurrent or "
        "convolutional neural networks."
    )
    assert (paper.published, paper.year, paper.doi) == ("2017-06-12", 2017, None)


@pytest.mark.parametrize("text", [NEW_LISTING, RECENT_LISTING, ABSTRACT_PAGE])
def test_auto_detects_arxiv_text(text):
    assert detect(text, "x") == "arxiv"


def test_crlf_and_bom_change_nothing():
    assert parse("\ufeff" + NEW_LISTING.replace("\n", "\r\n"), source="n") == parse(
        NEW_LISTING, source="n"
    )


def test_text_without_entries_is_refused():
    with pytest.raises(ParseError, match=r"^x.txt: no arXiv entries found"):
        arxiv.parse("Title: nothing here\n", source="x.txt")
