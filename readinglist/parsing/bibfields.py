"""Typed access to the fields of one decoded BibTeX entry."""

from __future__ import annotations

import datetime as dt
import re

from bibtexparser.model import Entry

from readinglist.errors import ParseError
from readinglist.parsing.common import collapse
from readinglist.parsing.dates import month_number

_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}
_YEAR = re.compile(r"\d{4}")
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


class EntryFields:
    """The fields of `entry`, read as text, flags, numbers, lists and dates."""

    def __init__(self, entry: Entry, source: str) -> None:
        self.entry, self.source = entry, source
        self.fields = {field.key: field for field in entry.fields}

    def error(self, message: str, key: str | None = None) -> ParseError:
        """A ParseError at the field `key` (or the entry), naming the entry."""
        field = self.fields.get(key) if key else None
        line = field.start_line if field is not None else self.entry.start_line
        return ParseError(self.source, f"entry {self.entry.key!r}: {message}", (line or 0) + 1)

    def raw(self, key: str) -> str:
        """The field's decoded value as it stands ("" when absent)."""
        field = self.fields.get(key)
        return "" if field is None else str(field.value)

    def text(self, key: str) -> str:
        """The field's value with whitespace collapsed ("" when absent)."""
        return collapse(self.raw(key))

    def prefixed(self, prefix: str) -> list[str]:
        """The values of the fields whose keys start with `prefix`, in order."""
        return [str(field.value) for key, field in self.fields.items() if key.startswith(prefix)]

    def listing(self, key: str) -> list[str]:
        """A list field (split by the parser) or a comma-separated one, items stripped."""
        field = self.fields.get(key)
        items = field.value if field is not None and isinstance(field.value, list) else None
        items = self.raw(key).split(",") if items is None else items
        return [item.strip() for item in items if item.strip()]

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.text(key).lower()
        if not value:
            return default
        if value in _TRUE or value in _FALSE:
            return value in _TRUE
        raise self.error(f"{key} must be true or false, not {value!r}", key)

    def number(self, key: str) -> int | None:
        value = self.text(key)
        if not value:
            return None
        if not value.isdigit() or not value.isascii():
            raise self.error(f"{key} must be a whole number, not {value!r}", key)
        if len(value) > 18:  # int() refuses over 4,300 digits; the field table bounds it
            raise self.error(f"{key} must be a whole number below 10^18, not {value[:20]}…", key)
        return int(value)

    def when(self) -> tuple[str | None, int | None, bool]:
        """(published day, year, year inferred) from our fields or date/year/month/day."""
        inferred = self.flag("readinglist-year-inferred", default=False)
        published = self.text("readinglist-published")
        if published:  # (the year as without it: `date` first, then `year`)
            iso = self._iso_day("readinglist-published", published)
            return iso.isoformat(), self._parts()[0] or iso.year, inferred
        year, month, day = self._parts()
        try:
            date = dt.date(year, month, day).isoformat() if year and month and day else None
        except ValueError:
            date = None
        return date, year, inferred

    def date_month(self) -> int | None:
        """The month of an ISO `date` field ("2020-05"), when it gives one."""
        match = _ISO.fullmatch(self.text("date"))
        month = int(match[2]) if match and match[2] else None
        return month if month and 1 <= month <= 12 else None

    def _iso_day(self, key: str, value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.error(f"{key} must be a date like 2024-05-31, not {value!r}", key) from None

    def _year(self) -> int | None:
        match = _YEAR.search(self.text("year"))
        return int(match[0]) if match else None

    def _parts(self) -> tuple[int | None, int | None, int | None]:
        """Year, month and day from a `date` field, else year/month/day fields."""
        match = _ISO.fullmatch(self.text("date"))
        if match:
            y, m, d = (int(part) if part else None for part in match.groups())
            return y, m, d
        month = self.text("month")
        day = self.text("day")
        number = int(month) if month.isdigit() and month.isascii() else month_number(month)
        return self._year(), number, int(day) if day.isdigit() and day.isascii() else None
