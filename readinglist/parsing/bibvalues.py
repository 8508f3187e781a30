"""BibTeX field values as BibTeX computes them: @string macros, month macros, `#`.

A value is a `#`-separated list of parts: `{braced}` or `"quoted"` text, a
number, or a macro name. Macros come from the file's own `@string`s (all of
them, wherever they stand), then the `@string`s of the other files of the same
command, then the standard month macros; an undefined macro is kept as its
name and reported once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import LibraryMiddleware
from bibtexparser.model import Entry

MONTH_MACROS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May",
    "jun": "June", "jul": "July", "aug": "August", "sep": "September", "oct": "October",
    "nov": "November", "dec": "December",
}  # fmt: skip
_STRING_START = re.compile(r"@\s*string\s*[{(]", re.IGNORECASE)


def split_parts(expression: str) -> list[str]:
    """The parts of a value joined by `#` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(expression):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(expression[start:index])
            start = index + 1
    parts.append(expression[start:])
    return [part.strip() for part in parts]


def resolve(expression: str, macros: dict[str, str], undefined: set[str]) -> str:
    """The text of a value; the names of undefined macros are added to `undefined`."""
    if expression[:1] == "{" and "#" not in expression:  # the common case, one braced part
        return expression[1:-1] if expression.endswith("}") else expression
    text = []
    for part in split_parts(expression):
        if part[:1] == "{" and part.endswith("}") or part[:1] == '"' and part.endswith('"'):
            text.append(part[1:-1])
        elif part.isdigit() or not part:
            text.append(part)
        else:
            value = macros.get(part.lower())
            if value is None:
                value = MONTH_MACROS.get(part.lower())
            if value is None:
                undefined.add(part)
                value = part
            text.append(value)
    return "".join(text)


class ResolveValues(LibraryMiddleware):
    """Resolves every field value and @string of a library (macros first, in two passes).

    `external` holds the macros of the other files of the command; the undefined
    macros, each with the line of its first use, end up in `undefined`.
    """

    def __init__(self, external: dict[str, str] | None = None) -> None:
        super().__init__(allow_inplace_modification=True)
        self.external = external or {}
        self.macros: dict[str, str] = {}
        self.undefined: dict[str, int] = {}

    def transform(self, library: Library) -> Library:
        self.macros = string_macros(library.strings, self.external)
        for entry in library.entries:
            self.resolve_entry(entry)
        return library

    def resolve_entry(self, entry: Entry) -> Entry:
        for field in entry.fields:
            if isinstance(field.value, str):
                missing: set[str] = set()
                field.value = resolve(field.value, self.macros, missing)
                for name in missing:
                    self.undefined.setdefault(name, (field.start_line or 0) + 1)
        return entry


def string_macros(strings: Iterable, external: dict[str, str]) -> dict[str, str]:
    """The macros of `@string` blocks, each resolved with those before it (and `external`)."""
    macros = dict(external)
    ignored: set[str] = set()
    for block in strings:
        macros[block.key.lower()] = resolve(str(block.value), macros, ignored)
    return macros


def file_macros(text: str) -> dict[str, str]:
    """The `@string` macros a file defines, read without parsing its entries."""
    import bibtexparser

    if "@string" not in text.lower():
        return {}
    snippets = [_block_at(text, match.end()) for match in _STRING_START.finditer(text)]
    found = bibtexparser.parse_string("\n".join(s for s in snippets if s), parse_stack=[])
    return string_macros(found.strings, {})


def _block_at(text: str, start: int) -> str | None:
    """The `@string{...}` block whose opening brace ends just before `start`."""
    depth = 1
    for index in range(start, min(len(text), start + 100_000)):
        char = text[index]
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
            if depth == 0:
                return "@string{" + text[start:index] + "}"
    return None


# What a child takes from its crossref parent under another name (BibTeX's rule:
# a proceedings' or book's title is the booktitle of its parts).
_AS = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
_NOT_INHERITED = frozenset({"ids", "crossref", "xdata", "key", "label", "sortkey"})


class InheritCrossref(LibraryMiddleware):
    """Children of `crossref` and `xdata` parents take the fields they lack.

    A parent without a title only lends fields: its key ends up in `lent`, and
    it is not stored.
    """

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)
        self.lent: set[str] = set()

    def transform(self, library: Library) -> Library:
        by_key = {entry.key.casefold(): entry for entry in library.entries}
        for entry in library.entries:
            for link in ("crossref", "xdata"):
                field = entry.fields_dict.get(link)
                if field is None:
                    continue
                for name in str(field.value).split(","):
                    parent = by_key.get(name.strip().casefold())
                    if parent is not None and parent is not entry:
                        self._inherit(entry, parent, as_part=link == "crossref")
        return library

    def _inherit(self, child: Entry, parent: Entry, as_part: bool) -> None:
        have = {field.key.lower() for field in child.fields}
        for field in parent.fields:
            key = field.key.lower()
            if key in _NOT_INHERITED:
                continue
            target = _AS.get(key, key) if as_part else key
            if target not in have:
                child.set_field(type(field)(target, field.value, field.start_line))
                have.add(target)
        if "title" not in {field.key.lower() for field in parent.fields}:
            self.lent.add(parent.key)
