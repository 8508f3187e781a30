"""The import formats: one entry each, everything else (`--format`, `auto`, errors) derived.

Cheap to import: a format's reader module is loaded when a text is read in it, so
the command line offers the choices without loading any parser.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from readinglist.model import Paper
    from readinglist.parsing.common import Parsed


@dataclass(frozen=True)
class Format:
    """An input format: its name, what it is called, how `auto` tells it, its reader.

    `reader` is "module.function" in readinglist.parsing, called as
    `function(text, source=, today=, year=)` and returning papers or a Parsed.
    A `lenient` reader also takes `strict=` and `macros=`: it skips a bad part of a
    text (noted), or with `strict` refuses the text.
    """

    name: str
    label: str
    hint: str
    reader: str
    lenient: bool = False

    def read(self, text: str, **options: object) -> list[Paper] | Parsed:
        """The papers in `text` read as this format (the reader's module loaded now)."""
        module, function = self.reader.rsplit(".", 1)
        found = getattr(importlib.import_module(f"readinglist.parsing.{module}"), function)
        return cast("Callable[..., list[Paper] | Parsed]", found)(text, **options)


FORMAT_TABLE: tuple[Format, ...] = (
    Format("hf", "a Daily Papers page", "titles, abstracts, '• 6 authors' / '·' / date lines",
           "hf.read"),
    Format("abstracts", "a list of abstracts", "lines of prose, optionally 'Abstract:'",
           "abstracts.parse"),
    Format("bibtex", "BibTeX", "@article{key, ... entries", "formats.read_bibtex", lenient=True),
    Format("json", "readinglist's JSON export", "a JSON array of objects with 'identifiers'",
           "jsonfmt.read"),
    Format("csl-json", "CSL-JSON", "a JSON array of objects with 'type' and CSL keys",
           "csljson.parse"),
    Format("ris", "RIS", "'TY  - ' ... 'ER  - ' records", "ris.parse"),
    Format("arxiv", "arXiv listing text", "'arXiv:2412.01234' lines with 'Title:', "
           "'Authors:' or 'Subjects:' lines", "arxiv.parse"),
)  # fmt: skip
FORMATS = tuple(f.name for f in FORMAT_TABLE)
BY_NAME = {f.name: f for f in FORMAT_TABLE}


def read_bibtex(
    text: str,
    *,
    source: str,
    strict: bool = False,
    macros: dict[str, str] | None = None,
    **_dates: object,
) -> Parsed:
    """BibTeX's papers, and each skipped entry as a note (bibtexparser and pylatexenc are
    imported here, on first use: see the README's Performance section)."""
    from readinglist.errors import ParseError
    from readinglist.parsing import bibtex
    from readinglist.parsing.common import Parsed

    warnings: list[ParseError] = []
    papers = bibtex.parse(text, source=source, warnings=warnings, strict=strict, macros=macros)
    return Parsed(papers, [str(warning) for warning in warnings])
