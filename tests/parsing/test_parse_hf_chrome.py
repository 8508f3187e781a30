"""Daily Papers pastes with site chrome: skipped wherever it stands, and reported."""

import pytest
from parse_helpers import TODAY

from readinglist.parsing import hf, parse

NAVIGATION = """Hugging Face
Models
Datasets
Spaces
Posts
Docs
Pricing
Log In
Sign Up
"""

PAGE = """{navigation}
Daily Papers
{by_ak}

Dec 2
Previous
Next

Sparse Attention Revisited

We revisit sparse attention. It is fast and it works on long documents.

  • 6 authors
·
Dec 1 12

Submitted by akhaliq
Paper page

A Paper Without Metadata Lines

This abstract is followed by no author count, no dot and no date at all.

Submitted by
julien-c

Tiny Models Win

Small models, big results.

Paper page
  • 2 authors
·
Nov 30, 2024
Upvote
42
Sign in to upvote
"""


def page(by_ak: str = "by AK and the research community", navigation: str = NAVIGATION) -> str:
    return PAGE.format(by_ak=by_ak, navigation=navigation)


def read(text: str):
    return hf.read(text, source="daily.txt", today=TODAY)


@pytest.mark.parametrize(
    "by_ak", ["by AK and the research community", "byAK and the research community"]
)
def test_a_page_with_chrome_gives_exactly_its_papers(by_ak):
    parsed = read(page(by_ak))
    titles = [p.title for p in parsed.papers]
    assert titles == ["Sparse Attention Revisited", "A Paper Without Metadata Lines",
                      "Tiny Models Win"]  # fmt: skip
    first, bare, tiny = parsed.papers
    assert (first.author_count, first.published, first.upvotes) == (6, "2024-12-01", 12)
    assert first.abstract.startswith("We revisit sparse attention.")
    assert (bare.author_count, bare.published) == (None, None)
    assert (tiny.author_count, tiny.published, tiny.abstract) == (
        2, "2024-11-30", "Small models, big results.")  # fmt: skip
    # 9 navigation, Daily Papers, by AK, the page date, Previous, Next, two Submitted by
    # lines and a user name, two Paper page lines, Upvote, 42, the sign-in prompt.
    assert parsed.notes == ["daily.txt: skipped 22 lines of page navigation"]


def test_crlf_and_a_byte_order_mark_change_nothing():
    text = page()
    assert read("\ufeff" + text.replace("\n", "\r\n")) == read(text)


def test_navigation_between_papers_is_skipped():
    text = page().replace("Submitted by akhaliq", "Models\nDatasets\nSpaces\nSubscribe")
    parsed = read(text)
    assert len(parsed.papers) == 3
    assert parsed.notes == ["daily.txt: skipped 25 lines of page navigation"]


def test_unknown_labels_are_skipped_and_quoted():
    text = page(navigation="Trending Now\nMy Feed\n")
    parsed = read(text)
    assert len(parsed.papers) == 3
    assert parsed.notes == [
        "daily.txt: skipped 13 lines of page navigation",
        "daily.txt:1: skipped 2 lines not part of any paper ('Trending Now', 'My Feed')",
    ]


def test_no_chrome_line_ever_becomes_a_paper():
    titles = {p.title for p in read(page()).papers}
    for line in (NAVIGATION + "Paper page\nSubmitted by akhaliq\nUpvote\n").splitlines():
        assert line not in titles


def test_a_page_without_any_chrome_notes_nothing():
    parsed = read("T\n\nAn abstract.\n\n  • 2 authors\n·\nMay 9, 2021\n")
    assert parsed.notes == [] and len(parsed.papers) == 1


def test_auto_reads_a_page_with_chrome_as_daily_papers():
    papers = parse(page(), source="daily.txt", today=TODAY)
    assert [p.author_count for p in papers] == [6, None, 2]
