"""JSON in and out without importing the `json` package (or `re`, which it imports).

The merge driver starts once per file git merges; `json` and `re` would double the
cost of an interpreter that does nothing. CPython's `_json` scanner does the parsing
(the same C code `json.loads` runs); other interpreters use `json`.
"""

from __future__ import annotations

try:
    import _json

    C_SCANNER = True
except ImportError:  # not CPython
    C_SCANNER = False


class _Context:
    """What `_json.make_scanner` reads off a decoder: plain JSON, nothing hooked."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = None
    memo: dict = {}


def loads(raw: bytes) -> object:
    """The value a JSON document holds; ValueError if it is not one."""
    text = raw.decode("utf-8")
    if not C_SCANNER:
        import json

        return json.loads(text)
    scan = _json.make_scanner(_Context())  # type: ignore[arg-type]
    start = _skip_space(text, 0)
    try:
        value, end = scan(text, start)
    except StopIteration:
        raise ValueError("not JSON") from None
    finally:
        _Context.memo.clear()
    if _skip_space(text, end) != len(text):
        raise ValueError("extra data after the JSON value")
    return value


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\n\r":
        at += 1
    return at


def dumps(value: object) -> str:
    """Compact JSON text (as `json.dumps(value, separators=(",", ":"), ensure_ascii=False)`)."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: object, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_string(value))
    elif value is None or isinstance(value, bool):
        parts.append("null" if value is None else "true" if value else "false")
    elif isinstance(value, (int, float)):
        parts.append(repr(value) if isinstance(value, float) else str(int(value)))
    elif isinstance(value, dict):
        parts.append("{")
        for i, (key, item) in enumerate(value.items()):
            parts.append("," if i else "")
            parts.append(_string(str(key)))
            parts.append(":")
            _write(item, parts)
        parts.append("}")
    elif isinstance(value, (list, tuple)):
        parts.append("[")
        for i, item in enumerate(value):
            parts.append("," if i else "")
            _write(item, parts)
        parts.append("]")
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _string(text: str) -> str:
    if C_SCANNER:
        return _json.encode_basestring(text)
    import json

    return json.dumps(text, ensure_ascii=False)
