"""Type and range of every stored field: checked wherever values enter (files, imports, edits).

Each field's check comes from its entry in the field table (`model.FIELDS`, fields.py);
the stamps a stored record holds are checked for their shape too. A check returns None
for a good value, else what the value must be (`tags must be a list of strings`).
Integers are bounded: a value over 2^64 would otherwise fail only when the library is
written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from readinglist.fields import Check, good_text
from readinglist.model import FIELDS, STATE_FIELDS, Paper
from readinglist.safe_text import safe_line, truncate

_ID = re.compile("[0-9a-f]{6,64}")

# Each field's check, from the field table (model.FIELDS, kinds and ranges in fields.py).
FIELD_CHECKS: dict[str, Check] = {name: spec.kind.check for name, spec in FIELDS.items()}


def _stamp(value: object) -> bool:
    """Whether `value` is one stamp as stored: `[time, replica, source]`, three strings."""
    if type(value) is not list or len(value) != 3:
        return False
    time, replica, source = value  # (no generator: every record holds stamps)
    return (
        type(time) is str
        and type(replica) is str
        and type(source) is str
        and good_text(time + replica + source)
    )


def _stamps(value: object) -> str | None:
    if type(value) is dict:
        for name, stamp in value.items():
            if type(name) is not str or not _stamp(stamp):
                break
        else:
            return None
    return "must map field names to stamps ([time, replica, source], three strings)"


def _tag_stamps(value: object) -> str | None:
    if type(value) is dict and all(
        type(tag) is str
        and type(pair) is list
        and len(pair) == 2
        and all(stamp is None or _stamp(stamp) for stamp in pair)
        for tag, pair in value.items()
    ):
        return None
    return "must map tags to [added, removed] stamps (each [time, replica, source] or null)"


# What a stored record holds besides its fields: the stamps (a state shard's too).
STAMP_CHECKS: dict[str, Check] = {"stamps": _stamps, "tag_stamps": _tag_stamps}
_STORED_CHECKS = {**FIELD_CHECKS, **STAMP_CHECKS}
_STORED_STATE = (*STATE_FIELDS, *STAMP_CHECKS)


def value_problem(name: str, value: object) -> str | None:
    """What is wrong with `value` for field `name` (`year must be …`), or None."""
    check = _STORED_CHECKS.get(name)
    problem = check(value) if check is not None else None
    return f"{name} {problem}" if problem else None


def record_problem(values: dict, names: Iterable[str] | None = None) -> str | None:
    """The first problem among a stored record's fields (those named, else all), or None.

    Called for every record at each load: one dictionary look-up and one call per value.
    """
    checks = _STORED_CHECKS
    if names is None:  # (the values as they come: no look-up of each)
        for name, value in values.items():
            check = checks.get(name)
            if check is not None and check(value) is not None:
                return value_problem(name, value)
        return None
    for name in names:
        check = checks.get(name)
        if check is not None and name in values and check(values[name]) is not None:
            return value_problem(name, values[name])
    return None


def stored_problem(pid: object, doc: object, names: Iterable[str] | None = None) -> str | None:
    """What is wrong with one stored record's id and values (by type and range; the fields
    named, else all), or None."""
    if not valid_id(pid):
        return "the id must be 6 to 64 hexadecimal digits"
    if type(doc) is not dict:
        return "not a record"
    return record_problem(doc, names)


def state_problem(pid: object, state: object) -> str | None:
    """What is wrong with one paper's stored state (a state shard's record), or None."""
    return stored_problem(pid, state, _STORED_STATE)


def paper_problem(paper: Paper, with_id: bool = True) -> str | None:
    """The first problem among a paper's fields (and its id, `with_id`), or None."""
    if with_id and not valid_id(paper.id):
        return "the id must be 6 to 64 hexadecimal digits"
    for name, check in FIELD_CHECKS.items():  # (no dict of the values: one pass)
        if check(getattr(paper, name)) is not None:
            return value_problem(name, getattr(paper, name))
    return None


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
