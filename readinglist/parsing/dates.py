"""Month-day(-year) dates such as "May 9, 2021" or "Mar 14", with year inference."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

# "May 9, 2021", "Mar 14", "Sept. 3 2024" (a year needs four digits).
_DATE = re.compile(r"([A-Za-z]{3,9})\.? +(\d{1,2})(?:,? +(\d{4}))?")


@dataclass(frozen=True)
class PubDate:
    """A publication date: ISO day, year, and whether the year was inferred."""

    published: str
    year: int
    year_inferred: bool


def month_number(name: str) -> int | None:
    """1-12 for an English month name or abbreviation, else None."""
    return MONTHS.get(name.lower().rstrip("."))


def resolve(
    month: int, day: int, year: int | None, *, today: dt.date, default_year: int | None = None
) -> PubDate:
    """The date; a missing year comes from `default_year` or the latest past one.

    Raises ValueError when no such day exists.
    """
    if year is not None:
        return PubDate(dt.date(year, month, day).isoformat(), year, False)
    if default_year is not None:
        return PubDate(dt.date(default_year, month, day).isoformat(), default_year, True)
    day_of = _latest_on_or_before(month, day, today)
    return PubDate(day_of.isoformat(), day_of.year, True)


def _latest_on_or_before(month: int, day: int, today: dt.date) -> dt.date:
    """The most recent `month`/`day` that is not after `today`."""
    dt.date(2000, month, day)  # a leap year: rejects only days that never exist
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise ValueError(f"no {month}/{day} before {today}")


def parse_date(
    text: str, *, today: dt.date | None = None, year: int | None = None
) -> PubDate | None:
    """A "Month day[, year]" date, or None if `text` is not one.

    Raises ValueError for a well-formed date that does not exist ("Feb 30").
    """
    match = _DATE.fullmatch(text.strip())
    month = match and month_number(match[1])
    if not match or not month:
        return None
    found = int(match[3]) if match[3] else None
    return resolve(month, int(match[2]), found, today=today or dt.date.today(), default_year=year)
