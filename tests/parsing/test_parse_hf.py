"""Hugging Face Daily Papers pages: counts, fields, metadata, tolerance, errors."""

import datetime as dt

import pytest
from parse_helpers import TODAY, seed_text

from readinglist.errors import ParseError
from readinglist.model import paper_id
from readinglist.parsing import hf, parse


def papers(number: str, **options):
    return hf.parse(seed_text(number), source=f"{number}.txt", today=TODAY, **options)


@pytest.mark.parametrize(("number", "count"), [("002", 41), ("003", 52), ("004", 33)])
def test_seed_counts(number, count):
    assert len(papers(number)) == count


def test_first_paper_of_002():
    first = papers("002")[0]
    assert first.title == "Robust Training Using Natural Transformation"
    assert first.abstract.startswith("Previous robustness approaches for deep learning models")
    assert first.author_count == 6
    assert first.authors == []
    assert (first.published, first.year, first.year_inferred) == ("2021-05-09", 2021, False)
    assert first.upvotes is None
    assert first.sources == ["002.txt"]
    assert first.added == ""
    assert first.id == paper_id(first.title, first.abstract)


def test_upvotes_after_a_full_date():
    benchmarking = papers("002")[1]
    assert benchmarking.title == "Benchmarking Neural Network Training Algorithms"
    assert (benchmarking.author_count, benchmarking.published) == (25, "2023-06-12")
    assert benchmarking.upvotes == 1


def test_paper_without_metadata_then_next_paper():
    found = papers("002")
    root, following = found[13], found[14]
    assert root.title == "ROOT: Robust Orthogonalized Optimizer for Neural Network Training"
    assert (root.author_count, root.published, root.year, root.upvotes) == (None,) * 4
    assert following.title.startswith("Quick and Robust Feature Selection")
    assert (following.author_count, following.published) == (7, "2020-12-01")


def test_one_authors_line():
    backprop = papers("002")[10]
    assert backprop.title.startswith("Beyond Backpropagation: Exploring Innovative Algorithms")
    assert backprop.author_count == 1


def test_dates_without_a_year_are_inferred():
    found = papers("002")
    centaur, unlearning = found[15], found[33]
    assert centaur.title.startswith("Centaur:")
    assert (centaur.published, centaur.year_inferred) == ("2025-03-14", True)
    assert unlearning.published == "2025-02-07"
    assert found[10].published == "2024-09-23"  # Sep 23 is after June 1: last year


def test_month_day_then_upvotes():
    low_precision = papers("002")[38]
    assert low_precision.title.startswith("Low-Precision Training of Large Language Models")
    assert (low_precision.published, low_precision.upvotes) == ("2025-05-02", 3)
    assert low_precision.year_inferred


def test_last_paper_of_002():
    last = papers("002")[-1]
    assert last.title.startswith("POINTS: Improving Your Vision-language Model")
    assert (last.author_count, last.published, last.upvotes) == (6, "2024-09-07", 6)


def test_seed_003_has_no_metadata():
    found = papers("003")
    assert (
        found[0].title
        == "Efficient Backdoor Attacks for Deep Neural Networks in Real-world Scenarios"
    )
    assert found[11].title == "Pointer Networks"
    assert found[-1].title == "Auto-GNN: Neural Architecture Search of Graph Neural Networks"
    assert found[-1].abstract.endswith("tradistional search methods.")
    assert all(p.published is None and p.author_count is None for p in found)


def test_seed_004_fields():
    found = papers("004")
    assert found[3].title.startswith("Prompt2Perturb (P2P)")
    assert (found[3].published, found[3].upvotes) == ("2024-12-13", 2)
    assert (found[5].published, found[5].year_inferred) == ("2024-08-14", True)
    assert found[11].author_count == 1
    assert found[-1].title.startswith("OMNI: Open-endedness")


def test_year_option_overrides_inference():
    found = papers("002", year=2023)
    assert found[15].published == "2023-03-14"
    assert found[15].year == 2023 and found[15].year_inferred
    assert found[0].published == "2021-05-09"  # explicit years stay


def test_year_option_through_parse():
    found = parse(seed_text("002"), "hf", source="x", today=TODAY, year=2020)
    assert found[38].published == "2020-05-02"


@pytest.mark.parametrize(
    "variant",
    [
        lambda text: text.replace("\n", "\r\n"),
        lambda text: "\ufeff" + text,
        lambda text: "\ufeff" + text.replace("\n", "\r\n"),
        lambda text: text.replace("\n", "  \n  "),
        lambda text: text.replace("\n", "\n\n\n"),
        lambda text: "\n\n" + text + "\n\n\n",
        lambda text: text.replace("\n", "\t\n"),
    ],
    ids=["crlf", "bom", "bom-crlf", "stray-spaces", "extra-blank-lines", "padding", "tabs"],
)
@pytest.mark.parametrize("number", ["002", "003", "004"])
def test_tolerated_variants_parse_identically(number, variant):
    text = seed_text(number)
    expected = hf.parse(text, source="s", today=TODAY)
    assert hf.parse(variant(text), source="s", today=TODAY) == expected


def test_short_abstract_and_long_title_are_told_apart_by_position():
    title = "A " + "very " * 60 + "long title"
    text = f"{title}\n\nShort.\n\n  • 2 authors\n·\nMay 9, 2021\n\nLater\n\nAlso short.\n"
    first, second = hf.parse(text, source="s", today=TODAY)
    assert (first.title, first.abstract, first.author_count) == (title, "Short.", 2)
    assert (second.title, second.abstract) == ("Later", "Also short.")


def test_nul_bytes_are_removed():
    (paper,) = hf.parse("Ti\0tle\n\nAbs\0tract\n", source="s", today=TODAY)
    assert (paper.title, paper.abstract) == ("Title", "Abstract")


def test_title_without_abstract_at_end_is_skipped_and_reported():
    text = seed_text("003").rstrip("\n") + "\n\nA Dangling Title\n"
    parsed = hf.read(text, source="003.txt", today=TODAY)
    assert [p.title for p in parsed.papers] == [p.title for p in papers("003")]
    line = text.count("\n")
    assert f"003.txt:{line}: skipped 1 line not part of any paper ('A Dangling Title')" in (
        parsed.notes
    )


def test_lone_title_without_chrome_names_its_line():
    with pytest.raises(ParseError, match=r"^s:4: title 'B' has no abstract"):
        hf.parse("T\n\nA\nB\n", source="s", today=TODAY)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Title\n\n  • 3 authors\n", 3),  # metadata where the abstract belongs
        ("Title\n\nAbstract\n\n·\n·\nMay 1, 2020\n", 6),  # two dot lines
        ("Title\n\nAbstract\n\nMay 1, 2020\n\n  • 3 authors\n", 7),  # authors after date
        ("Title\n\nAbstract\n\nFeb 30, 2020\n", 5),  # no such day
    ],
)
def test_broken_structure_names_the_line(text, line):
    with pytest.raises(ParseError) as caught:
        hf.parse(text, source="bad.txt", today=TODAY)
    assert caught.value.line == line


def test_feb_29_without_a_year_in_the_year_option():
    with pytest.raises(ParseError, match="no such date"):
        hf.parse("T\n\nA\n\nFeb 29\n", source="s", today=TODAY, year=2023)


def test_page_date_line_is_skipped_but_paper_date_is_kept():
    text = "Daily Papers\n\nMar 14\n\nT\n\nA\n\n·\nDec 17\n"
    (paper,) = hf.parse(text, source="s", today=dt.date(2026, 1, 10))
    assert paper.published == "2025-12-17"


def test_huge_inputs_parse_fast():
    (paper,) = hf.parse("Title\n" + "\n" * 100_000 + "x" * 10_000_000, source="s", today=TODAY)
    assert len(paper.abstract) == 10_000_000
