"""Our own JSON export: an array of `Paper.to_json()` objects, read losslessly."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import fields

from readinglist.errors import ParseError
from readinglist.fields import FLAG, OPTIONAL_TEXT, TEXT, Spec, whole
from readinglist.model import FIELDS, IDENTIFIER_FIELDS, Paper, paper_id, parse_tags
from readinglist.parsing.common import Parsed, clean, collapse

OWN_KEYS = frozenset({f.name for f in fields(Paper)} | {"identifiers", "score", "type", "changed"})
CSL_KEYS = frozenset(
    {"type", "issued", "container-title", "citation-key", "DOI", "URL", "author", "page"}
)
_SHOWN_KEYS = 4


def _json_shape(spec: Spec) -> Callable[[object], bool]:
    """The JSON type a field's value may have in our export (null: the default, for
    a field under a key of its own, such as `type`)."""
    if spec.json_key:
        return lambda value: value is None or spec.kind.shape(value)
    return spec.kind.shape


# The JSON type of each key (from the field table); identifiers may also stand alone.
_SHAPES = {
    "id": TEXT.shape,
    **{spec.json_key or n: _json_shape(spec) for n, spec in FIELDS.items()},
}
_IDENTIFIER_SHAPES = {name: FIELDS[name].kind.shape for name in IDENTIFIER_FIELDS}
# The value types every value of which has a key's shape: no call to check those.
_NONE = type(None)
_PLAIN = {TEXT.shape: (str,), OPTIONAL_TEXT.shape: (str, _NONE), FLAG.shape: (bool,),
          whole(0, 0).shape: (int, _NONE)}  # fmt: skip


def _plain(spec: Spec) -> tuple[type, ...]:
    found = _PLAIN.get(spec.kind.shape, ())
    return (*found, _NONE) if found and spec.json_key else found


_PLAIN_TYPES = {"id": (str,), **{spec.json_key or n: _plain(spec) for n, spec in FIELDS.items()}}
_IDENTIFIER_PLAIN = {name: _plain(FIELDS[name]) for name in IDENTIFIER_FIELDS}


def parse(text: str, *, source: str, **_options) -> list[Paper]:
    """The papers of a JSON export; raises ParseError naming a bad entry's index."""
    return read(text, source=source).papers


def read(text: str, *, source: str, **_options) -> Parsed:
    """The papers of a JSON export, `named` when every entry carries its id."""
    data = load(text, source)
    if not isinstance(data, list):
        raise ParseError(source, f"expected a JSON array of papers, found {what(data)}")
    for index, item in enumerate(data):
        if isinstance(item, dict) and not item.keys() <= OWN_KEYS:
            raise ParseError(source, f"entry {index}: {foreign(item, 'readinglist')}")
    named = all(isinstance(item, dict) and "id" in item for item in data)
    papers = []
    for index, item in enumerate(data):
        data[index] = None  # each entry freed once read: not kept beside its paper
        papers.append(_paper(item, index, source))
    return Parsed(papers, named=named)


def foreign(item: dict, ours: str) -> str:
    """Why an object is not an entry of our format: what it looks like instead."""
    if looks_csl(item):
        kind = "CSL-JSON"
    elif item.keys() & {"identifiers", "title_derived", "sources"}:
        kind = "readinglist's JSON export"
    else:
        unknown = sorted(item.keys() - OWN_KEYS - CSL_KEYS) or sorted(item)
        shown = ", ".join(repr(key) for key in unknown[:_SHOWN_KEYS])
        more = ", ..." if len(unknown) > _SHOWN_KEYS else ""
        return (
            f"looks like JSON objects with keys {shown}{more}, "
            "neither readinglist's JSON export nor CSL-JSON"
        )
    name = {"readinglist": "readinglist's JSON export", "csl-json": "CSL-JSON"}[ours]
    fmt = {"CSL-JSON": "csl-json", "readinglist's JSON export": "json"}[kind]
    return f"looks like {kind}, not {name} (use --format {fmt})"


def looks_csl(item: dict) -> bool:
    """Whether an object is a CSL-JSON item: a `type` and CSL variables, not our keys."""
    others = item.keys() & (CSL_KEYS | {"title", "abstract"}) - {"type"}
    return "type" in item and bool(others) and "identifiers" not in item


def what(data: object) -> str:
    """A JSON value's kind, as a user would say it (an object with its first keys)."""
    if isinstance(data, dict) and data:
        keys = list(data)
        shown = ", ".join(repr(key) for key in keys[:_SHOWN_KEYS])
        return f"an object with keys {shown}{', ...' if len(keys) > _SHOWN_KEYS else ''}"
    names = {dict: "an object", list: "an array", str: "a string", bool: "true or false"}
    return names.get(type(data), "a number" if isinstance(data, (int, float)) else "null")


def load(text: str, source: str) -> object:
    """The JSON value of `text`; raises ParseError naming the line of a syntax error."""
    try:
        data = json.loads(clean(text))
    except json.JSONDecodeError as exc:
        raise ParseError(source, f"not valid JSON: {exc.msg}", exc.lineno) from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise ParseError(source, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise ParseError(source, "not valid JSON: nested too deeply") from None
    return data


def _paper(item: object, index: int, source: str) -> Paper:
    problem = _problem(item)
    if problem or not isinstance(item, dict):
        raise ParseError(source, f"entry {index}: {problem}")
    data = item  # the parser's own: completed in place (`Paper.from_json` copies it)
    identifiers = data.get("identifiers") or {}
    data["identifiers"] = {key: identifiers[key] for key in IDENTIFIER_FIELDS if key in identifiers}
    data["title"] = collapse(data["title"])
    data["abstract"] = collapse(data.get("abstract", ""))
    if "id" not in data:  # (not setdefault: hashing every abstract costs ~1 s per 100k)
        data["id"] = paper_id(data["title"], data["abstract"])
    data.setdefault("sources", [source])
    try:
        data["tags"] = parse_tags(*data.get("tags", []))
    except ValueError as error:
        raise ParseError(source, f"entry {index}: {error}") from None
    return Paper.from_json(data)


def _problem(item: object) -> str | None:
    """What is wrong with one entry's shape, or None."""
    if not isinstance(item, dict):
        return f"expected an object, found {type(item).__name__}"
    if not isinstance(item.get("title"), str) or not item["title"].strip():
        return "needs a non-empty string 'title'"
    identifiers = item.get("identifiers")
    identifiers = {} if identifiers is None else identifiers
    if not isinstance(identifiers, dict):
        return "'identifiers' must be an object"
    for data, shapes, plain in (
        (item, _SHAPES, _PLAIN_TYPES),
        (identifiers, _IDENTIFIER_SHAPES, _IDENTIFIER_PLAIN),
    ):
        if not _all_shaped(data, shapes, plain):  # the first in the table's order is named
            for name, shape in shapes.items():
                if name in data and not shape(data[name]):
                    return f"{name!r} has the wrong type ({type(data[name]).__name__})"
    return _bad_values(item)


def _all_shaped(
    data: dict,
    shapes: dict[str, Callable[[object], bool]],
    plain: dict[str, tuple[type, ...]],
) -> bool:
    """Whether every value of `data` that `shapes` names has its shape (one look-up
    per key the entry has, not per key the table has; a value of a type that `plain`
    gives for its key has it without a call)."""
    for name, value in data.items():
        if type(value) in plain.get(name, ()):
            continue
        shape = shapes.get(name)
        if shape is not None and not shape(value):
            return False
    return True


def _bad_values(item: dict) -> str | None:
    if "id" in item and not item["id"].strip():
        return "'id' is empty"
    published = item.get("published")
    if published is not None:
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            return f"'published' is not a date like 2024-05-31: {published!r}"
    return None
