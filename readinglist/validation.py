"""Type and range of every stored field: checked wherever values enter (files, imports, edits).

One entry per field of `Paper` (and the user's state). A check returns None for a good
value, else what the value must be (`tags must be a list of strings`). Integers are
bounded: a value over 2^64 would otherwise fail only when the library is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from readinglist.model import STATE_FIELDS, Paper
from readinglist.text import safe_line, truncate

YEARS = (0, 9999)
COUNTS = (0, 10**12)
_SURROGATE = re.compile("[\ud800-\udfff]")
_ID = re.compile("[0-9a-f]{6,64}")

Check = Callable[[object], str | None]
_BAD_TEXT = "must be valid text (it holds a lone surrogate)"


def _good_text(value: str) -> bool:
    return value.isascii() or _SURROGATE.search(value) is None


def _text(value: object) -> str | None:
    if type(value) is str and (value.isascii() or _SURROGATE.search(value) is None):
        return None
    return "must be a string" if type(value) is not str else _BAD_TEXT


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _texts(value: object) -> str | None:
    if type(value) is list:
        for entry in value:
            if type(entry) is not str or not _good_text(entry):
                break
        else:
            return None
    return "must be a list of strings"


def _flag(value: object) -> str | None:
    return None if type(value) is bool else "must be true or false"


def _text_map(value: object) -> str | None:
    if type(value) is dict:
        for key, entry in value.items():
            if type(key) is not str or type(entry) is not str or not _good_text(key + entry):
                break
        else:
            return None
    return "must be a map of strings to strings"


_NAME_PARTS = frozenset(("given", "family", "particle", "suffix", "literal"))


def _people(value: object) -> str | None:
    if type(value) is list:
        for entry in value:
            if type(entry) is not dict or not entry.keys() <= _NAME_PARTS or _text_map(entry):
                break
        else:
            return None
    return "must be a list of names ({given, family, particle, suffix, literal} strings)"


def _whole(low: int, high: int) -> Check:
    def check(value: object) -> str | None:
        if value is None or (type(value) is int and low <= value <= high):
            return None
        return f"must be a whole number from {low} to {high:,}"

    return check


FIELD_CHECKS: dict[str, Check] = {
    "title": _text,
    "title_derived": _flag,
    "abstract": _text,
    "authors": _texts,
    "author_count": _whole(*COUNTS),
    "published": _optional_text,
    "year": _whole(*YEARS),
    "year_inferred": _flag,
    "upvotes": _whole(*COUNTS),
    "doi": _optional_text,
    "arxiv": _optional_text,
    "arxiv_version": _optional_text,
    "url": _optional_text,
    "journal": _optional_text,
    "sources": _texts,
    "added": _text,
    "aliases": _texts,
    "key": _text,
    "key_fixed": _flag,
    "entry_type": _text,
    "protected": _texts,
    "names": _people,
    "editors": _people,
    "others": _flag,
    "venue": _text_map,
    "arxiv_class": _optional_text,
    "isbn": _optional_text,
    "issn": _optional_text,
    "file": _optional_text,
    "extra": _text_map,
    "key_aliases": _texts,
    "read": _flag,
    "read_at": _optional_text,
    "tags": _texts,
    "note": _text,
}


def value_problem(name: str, value: object) -> str | None:
    """What is wrong with `value` for field `name` (`year must be …`), or None."""
    check = FIELD_CHECKS.get(name)
    problem = check(value) if check is not None else None
    return f"{name} {problem}" if problem else None


def record_problem(values: dict, names: Iterable[str] | None = None) -> str | None:
    """The first problem among a stored record's fields (those named, else all), or None.

    Called for every record at each load: one dictionary look-up and one call per value.
    """
    checks = FIELD_CHECKS
    for name in values if names is None else names:
        check = checks.get(name)
        if check is not None and name in values and check(values[name]) is not None:
            return value_problem(name, values[name])
    return None


def state_problem(pid: object, state: object) -> str | None:
    """What is wrong with one paper's stored state (a state shard's record), or None."""
    if not valid_id(pid):
        return "the id must be 6 to 64 hexadecimal digits"
    if type(state) is not dict:
        return "not a record"
    return record_problem(state, STATE_FIELDS)


def paper_problem(paper: Paper, with_id: bool = True) -> str | None:
    """The first problem among a paper's fields (and its id, `with_id`), or None."""
    if with_id and not valid_id(paper.id):
        return "the id must be 6 to 64 hexadecimal digits"
    return record_problem({name: getattr(paper, name) for name in FIELD_CHECKS})


def papers_problem(papers: Iterable[Paper]) -> str | None:
    """The first problem among papers to import (`paper 3 (Title…): year must be …`), or None.

    Their ids are not checked: an import gives a malformed id a content id.
    """
    for number, paper in enumerate(papers, 1):
        if problem := paper_problem(paper, with_id=False):
            title = paper.title if type(paper.title) is str else repr(paper.title)
            return f"paper {number} ({truncate(safe_line(title[:60]), 40)}): {problem}"
    return None


def valid_id(pid: object) -> bool:
    """Whether `pid` is a well-formed paper id (6-64 hex digits, nothing after)."""
    return type(pid) is str and _ID.fullmatch(pid) is not None


def record_label(pid: object) -> str:
    """`paper 3fa2c1…` for an error message (a long or odd id is cut)."""
    text = str(pid)
    return f"paper {text[:16]}…" if len(text) > 16 else f"paper {text}"
