"""What each field of a paper holds: its kind of value, range, default and merge rule.

The table is the `Paper` dataclass itself: each bibliographic and state field is
declared with `entry(...)` (see model.py), so a new field is one line there. Everything
that lists fields derives from it: model's field lists and empty state, the checks of
values read from files (validation.py), the types a JSON import expects, the columns of
a flat export, and how an import merges two records of one paper (`merged`).

No other module of the project is imported here: the model builds on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from typing import Any

Check = Callable[[object], str | None]  # None for a good value, else what it must be
Merge = Callable[[Any, Any, str], Any]  # (kept paper, new paper, field name) -> value

YEARS = (0, 9999)
COUNTS = (0, 10**12)
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD_TEXT = "must be valid text (it holds a lone surrogate)"
_NAME_PARTS = frozenset(("given", "family", "particle", "suffix", "literal"))


# ----- checks: what a value read from a file may be -----------------------------------------


def good_text(value: str) -> bool:
    """Whether `value` is text that can be written out (no lone surrogate)."""
    return value.isascii() or _SURROGATE.search(value) is None


def _text(value: object) -> str | None:
    if type(value) is str and (value.isascii() or _SURROGATE.search(value) is None):
        return None
    return "must be a string" if type(value) is not str else _BAD_TEXT


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _texts(value: object) -> str | None:
    if type(value) is list:
        for item in value:
            if type(item) is not str or not good_text(item):
                break
        else:
            return None
    return "must be a list of strings"


def _flag(value: object) -> str | None:
    return None if type(value) is bool else "must be true or false"


def _text_map(value: object) -> str | None:
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str or type(item) is not str or not good_text(key + item):
                break
        else:
            return None
    return "must be a map of strings to strings"


def _people(value: object) -> str | None:
    if type(value) is list:
        for item in value:
            if type(item) is not dict or not item.keys() <= _NAME_PARTS or _text_map(item):
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


# ----- shapes: the JSON type a JSON import expects (before the full check) ------------------


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_optional_str(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_int(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_str_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())


def _is_name_list(value: object) -> bool:
    return isinstance(value, list) and all(_is_str_map(part) for part in value)


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of value: its full check, and the JSON type an import expects for it."""

    check: Check
    shape: Callable[[object], bool]
    people: bool = False  # names in parts (JSON gives them in CSL form)


TEXT = Kind(_text, _is_str)
OPTIONAL_TEXT = Kind(_optional_text, _is_optional_str)
FLAG = Kind(_flag, _is_bool)
TEXTS = Kind(_texts, _is_str_list)
TEXT_MAP = Kind(_text_map, _is_str_map)
PEOPLE = Kind(_people, _is_name_list, people=True)


def whole(low: int, high: int) -> Kind:
    """A whole number from `low` to `high`, or null."""
    return Kind(_whole(low, high), _is_int)


# ----- merge rules: what an import keeps of two records of one paper ------------------------
# Each is (kept, new, name) -> the value of field `name`; `kept` is the stored paper.


def kept(a: Any, b: Any, name: str) -> object:
    """The stored paper's value."""
    return getattr(a, name)


def first(a: Any, b: Any, name: str) -> object:
    """The stored value if it has one (is truthy), else the new one."""
    return getattr(a, name) or getattr(b, name)


def known(a: Any, b: Any, name: str) -> object:
    """The stored value unless it is None."""
    value = getattr(a, name)
    return getattr(b, name) if value is None else value


def longer(a: Any, b: Any, name: str) -> object:
    """The longer of the two (the stored one when as long)."""
    return getattr(a, name) if len(getattr(a, name)) >= len(getattr(b, name)) else getattr(b, name)


def largest(a: Any, b: Any, name: str) -> object:
    """The larger number (a known one beats None)."""
    x, y = getattr(a, name), getattr(b, name)
    if x is None or y is None:
        return x if y is None else y
    return max(x, y)


def both(a: Any, b: Any, name: str) -> object:
    """True only while both say so (a title stays derived only when neither is stated)."""
    return getattr(a, name) and getattr(b, name)


def union(a: Any, b: Any, name: str) -> object:
    """Both lists, the stored one's entries first, without repeats."""
    return union_of(getattr(a, name), getattr(b, name))


def overlay(a: Any, b: Any, name: str) -> object:
    """Both maps, the stored one's entries winning."""
    return {**getattr(b, name), **getattr(a, name)}


def stated_title(a: Any, b: Any, name: str) -> object:
    """A stated title beats one derived from the abstract."""
    return b.title if a.title_derived and not b.title_derived else a.title


def title_words(a: Any, b: Any, name: str) -> object:
    """Go with the title (`stated_title`): the words its source braced, or the new
    record's when it has the same title."""
    if a.title_derived and not b.title_derived:
        return getattr(b, name)
    return getattr(a, name) or (getattr(b, name) if b.title == a.title else [])


def more_authors(a: Any, b: Any, name: str) -> object:
    """From the record with more authors (the stored one when as many): names go together."""
    return getattr(a if len(a.authors) >= len(b.authors) else b, name)


def surer_date(a: Any, b: Any, name: str) -> object:
    """From the record with the surer date: stated beats inferred, a full date a year."""

    def rank(p: Any) -> tuple[bool, bool]:
        return (p.year is not None and not p.year_inferred, p.published is not None)

    return getattr(a if rank(a) >= rank(b) else b, name)


def with_new_id(a: Any, b: Any, name: str) -> object:
    """Both lists, and the new record's id when it differs (the id becomes an alias)."""
    return union_of(a.aliases, [b.id] if b.id != a.id else [], b.aliases)


def with_new_key(a: Any, b: Any, name: str) -> object:
    """Both lists, and the new record's cite key when it differs (case ignored)."""
    new_keys = [b.key] if b.key and b.key.casefold() != a.key.casefold() else []
    return union_of(a.key_aliases, new_keys, b.key_aliases)


def union_of(*lists: Iterable[str]) -> list[str]:
    """The entries of `lists`, in order, without repeats."""
    return list(dict.fromkeys(item for items in lists for item in items))


# ----- the table --------------------------------------------------------------------------

BIB = "bib"  # the bibliographic record (papers.json)
STATE = "state"  # the user's state (state shards)


@dataclass(frozen=True, slots=True)
class Spec:
    """One field's entry in the table (the default is the dataclass field's)."""

    kind: Kind
    part: str = BIB  # BIB or STATE: where it is stored
    merge: Merge = kept  # how an import merges it into the stored paper
    stamped: bool = True  # each change gets a stamp (`Paper.stamps` / `state_stamps`)
    record: bool = False  # part of the BibTeX record (stored only off its default)
    identifier: int = 0  # its place under "identifiers" in the JSON shape (0: not there)
    json_key: str = ""  # its key in the JSON shape, when not its name
    csv: int = 0  # its column in a CSV export (1, 2, ... after the id; 0: none)
    csl: int = 0  # its place under custom.readinglist in a CSL-JSON export (0: none)
    name: str = ""  # filled in by `table`
    default: Any = None  # the dataclass field's, MISSING for none (filled in by `table`)

    def empty(self) -> object:
        """A fresh default value (a new list or map each time)."""
        value = self.default
        return type(value)() if isinstance(value, (list, dict)) else value


def entry(kind: Kind, *, default: Any = MISSING, factory: Any = MISSING, **options: Any) -> Any:
    """A dataclass field of `Paper` with its entry in the field table."""
    meta = {"spec": Spec(kind, **options)}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def table(cls: type) -> dict[str, Spec]:
    """The field table of a dataclass declared with `entry`: name -> entry, in order."""
    return {
        f.name: replace(f.metadata["spec"], name=f.name, default=_default(f))
        for f in fields(cls)
        if "spec" in f.metadata
    }


def _default(f: Field) -> object:
    if f.default_factory is not MISSING:
        return f.default_factory()
    if f.default is MISSING:
        return MISSING
    return f.default


def ordered(found: dict[str, Spec], place: Callable[[Spec], int]) -> tuple[str, ...]:
    """The names of fields with a place (`place(spec)` > 0), in the order of their places."""
    placed = [(place(spec), name) for name, spec in found.items() if place(spec)]
    return tuple(name for _, name in sorted(placed))
