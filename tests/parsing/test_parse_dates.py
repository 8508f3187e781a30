"""Dates with and without a year, and year inference against a fixed today."""

import datetime as dt

import pytest

from readinglist.parsing.dates import month_number, parse_date, resolve


def test_full_date():
    when = parse_date("May 9, 2021", today=dt.date(2025, 1, 1))
    assert (when.published, when.year, when.year_inferred) == ("2021-05-09", 2021, False)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("September 3, 2024", "2024-09-03"),
        ("Sept 3, 2024", "2024-09-03"),
        ("Sept. 3, 2024", "2024-09-03"),
        ("sep 3 2024", "2024-09-03"),
        ("Jun 12, 2023", "2023-06-12"),
    ],
)
def test_month_spellings(text, published):
    assert parse_date(text, today=dt.date(2025, 1, 1)).published == published


def test_no_year_takes_the_latest_past_one():
    when = parse_date("Mar 14", today=dt.date(2025, 6, 1))
    assert (when.published, when.year, when.year_inferred) == ("2025-03-14", 2025, True)


def test_today_itself_counts_as_past():
    assert parse_date("Jun 1", today=dt.date(2025, 6, 1)).published == "2025-06-01"


def test_december_imported_in_january_is_last_year():
    assert parse_date("Dec 17", today=dt.date(2026, 1, 5)).published == "2025-12-17"


def test_feb_29_picks_the_latest_leap_year_not_after_today():
    assert parse_date("Feb 29", today=dt.date(2025, 6, 1)).published == "2024-02-29"
    assert parse_date("Feb 29", today=dt.date(2024, 2, 28)).published == "2020-02-29"
    assert parse_date("Feb 29", today=dt.date(2024, 2, 29)).published == "2024-02-29"


def test_year_option_wins_over_inference():
    when = parse_date("Dec 17", today=dt.date(2026, 1, 5), year=2019)
    assert (when.published, when.year, when.year_inferred) == ("2019-12-17", 2019, True)


def test_explicit_year_ignores_the_year_option():
    assert parse_date("May 9, 2021", year=2019).year == 2021


@pytest.mark.parametrize("text", ["Feb 30", "Apr 31, 2020", "Feb 29, 2023"])
def test_impossible_days_raise_value_error(text):
    with pytest.raises(ValueError):
        parse_date(text, today=dt.date(2025, 1, 1))


@pytest.mark.parametrize("text", ["Robust Training", "Maybe 3", "May", "3 May", ""])
def test_non_dates_are_none(text):
    assert parse_date(text, today=dt.date(2025, 1, 1)) is None


def test_month_numbers():
    assert [month_number(name) for name in ("Jan", "february", "Sept", "DEC.")] == [1, 2, 9, 12]
    assert month_number("Foo") is None


def test_resolve_with_explicit_year():
    assert resolve(2, 29, 2024, today=dt.date(2000, 1, 1)).published == "2024-02-29"
