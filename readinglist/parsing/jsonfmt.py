"""Our own JSON export: an array of `Paper.to_json()` objects, read losslessly."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields

from readinglist.errors import ParseError
from readinglist.model import Paper, paper_id, parse_tags
from readinglist.parsing.common import clean, collapse

_STR = ("title", "abstract", "added", "note", "id", "key")
_BOOL = ("title_derived", "year_inferred", "read")
_INT = ("author_count", "year", "upvotes")
_OPTIONAL_STR = ("published", "read_at", "journal")
_STR_LIST = ("authors", "sources", "aliases", "tags")
_IDENTIFIERS = ("doi", "arxiv", "arxiv_class", "isbn", "issn", "url", "file")
# The BibTeX record: entry type, people in parts, venue, the rest of the fields.
_STR_MAPS = ("venue", "extra")
_NAME_LISTS = ("names", "editors")
OWN_KEYS = frozenset({f.name for f in fields(Paper)} | {"identifiers", "score", "type", "changed"})
CSL_KEYS = frozenset(
    {"type", "issued", "container-title", "citation-key", "DOI", "URL", "author", "page"}
)
_SHOWN_KEYS = 4


def parse(text: str, *, source: str, **_options) -> list[Paper]:
    """The papers of a JSON export; raises ParseError naming a bad entry's index."""
    data = load(text, source)
    if not isinstance(data, list):
        raise ParseError(source, f"expected a JSON array of papers, found {what(data)}")
    for index, item in enumerate(data):
        if isinstance(item, dict) and not item.keys() <= OWN_KEYS:
            raise ParseError(source, f"entry {index}: {foreign(item, 'readinglist')}")
    return [_paper(item, index, source) for index, item in enumerate(data)]


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
    data = dict(item)
    identifiers = item.get("identifiers") or {}
    data["identifiers"] = {key: identifiers[key] for key in _IDENTIFIERS if key in identifiers}
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
    checks = [
        (item, _STR, _is_str),
        (item, _BOOL, _is_bool),
        (item, _INT, _is_int),
        (item, _OPTIONAL_STR + _IDENTIFIERS, _is_optional_str),
        (item, _STR_LIST, _is_str_list),
        (identifiers, _IDENTIFIERS, _is_optional_str),
        (item, ("type",), _is_optional_str),
        (item, ("others",), _is_bool),
        (item, _STR_MAPS, _is_str_map),
        (item, _NAME_LISTS, _is_name_list),
        (item, ("key_aliases",), _is_str_list),
    ]
    for data, names, check in checks:
        for name in names:
            if name in data and not check(data[name]):
                return f"{name!r} has the wrong type ({type(data[name]).__name__})"
    return _bad_values(item)


def _is_str_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _is_name_list(value: object) -> bool:
    return isinstance(value, list) and all(_is_str_map(part) for part in value)


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


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_int(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _is_optional_str(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(entry, str) for entry in value)
