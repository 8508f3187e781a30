"""What a service knows about one paper, cleaned of its quirks (untrusted text kept literal)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?")
_ARXIV_OLD = re.compile(r"([a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SPACE = re.compile(r"\s+")
MAX_TEXT = 20_000  # longer titles or abstracts from a service are cut
MAX_AUTHORS = 2_000


@dataclass
class Record:
    """One candidate paper from one service. Empty values mean "not known"."""

    source: str
    title: str = ""
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    arxiv: str | None = None  # without version
    arxiv_version: str | None = None  # "v2": the version seen
    doi: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD (or YYYY-MM, YYYY)
    journal: str | None = None
    volume: str | None = None
    pages: str | None = None
    upvotes: int | None = None

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published else None


def text(value, limit: int = MAX_TEXT) -> str:
    """A service's string as one clean line: whitespace (hard wraps) collapsed, cut to `limit`."""
    if not isinstance(value, str):
        return ""
    return _SPACE.sub(" ", value).strip()[:limit]


def mapping(value: object) -> dict:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def array(value: object) -> list:
    """`value` if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def names(values) -> list[str]:
    """Author names: non-empty strings only, at most MAX_AUTHORS."""
    out = [text(v, 300) for v in values if isinstance(v, str)] if isinstance(values, list) else []
    return [n for n in out if n][:MAX_AUTHORS]


def web_url(value) -> str | None:
    """`value` if it is an http(s) URL with a host, else None (no javascript:, file:, ...)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if any(c.isspace() or ord(c) < 32 for c in value) or len(value) > 2000:
        return None
    parts = urlsplit(value)
    return value if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def arxiv_id(value) -> tuple[str, str | None] | None:
    """(id without version, "vN" or None) from an id or arXiv URL, else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.search(value)
        if match and _whole_id(value, match):
            return match[1], match[2]
    return None


def _whole_id(value: str, match: re.Match) -> bool:
    """The id is all of `value`, or its last path segment (arxiv.org/abs/ID, .../ID.pdf)."""
    before, after = value[: match.start()], value[match.end() :]
    return (before == "" or before.endswith(("/", ":"))) and after in ("", ".pdf", "/")


def doi(value) -> str | None:
    """A DOI (10.xxxx/...) from a DOI, `doi:` or a doi.org URL, in lower case, else None."""
    if not isinstance(value, str):
        return None
    match = _DOI.search(value.strip())
    if not match or len(match[0]) > 300:
        return None
    return match[0].rstrip(".,;").lower()


def iso_date(value) -> str | None:
    """YYYY-MM-DD (or YYYY-MM / YYYY) from an ISO date or timestamp, else None."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match or not 1000 <= int(match[1]) <= 2999:
        return None
    return "-".join(part for part in match.groups() if part)


def date_parts(value) -> str | None:
    """A Crossref `{"date-parts": [[y, m, d]]}` as YYYY-MM-DD (or shorter), else None."""
    try:
        parts = value["date-parts"][0]
    except (TypeError, KeyError, IndexError):
        return None
    if not isinstance(parts, list) or not parts or type(parts[0]) is not int:
        return None
    if not 1000 <= parts[0] <= 2999:
        return None
    fields = [f"{parts[0]:04d}"]
    for part, top in zip(parts[1:3], (12, 31), strict=False):
        if type(part) is not int or not 1 <= part <= top:
            break
        fields.append(f"{part:02d}")
    return "-".join(fields)


def count(value) -> int | None:
    return value if type(value) is int and value >= 0 else None
