"""Text in, papers out: one module per input format, one table of formats, detection.

The table (`formats`) is all this package loads up front: the command line builds
its `--format` choices from it at start-up, and the readers load when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from readinglist.parsing.formats import FORMAT_TABLE, FORMATS, Format

if TYPE_CHECKING:
    from readinglist.errors import ParseError
    from readinglist.parsing.common import Parsed
    from readinglist.parsing.detection import detect
    from readinglist.parsing.reading import load, parse, read, read_file, shared_macros
    from readinglist.parsing.source import read_source

# name -> the module that defines it, imported on first use (PEP 562)
_LAZY = {
    "ParseError": "readinglist.errors",
    "Parsed": "readinglist.parsing.common",
    "detect": "readinglist.parsing.detection",
    "read_source": "readinglist.parsing.source",
    **dict.fromkeys(
        ("load", "parse", "read", "read_file", "shared_macros"), "readinglist.parsing.reading"
    ),
}

__all__ = [
    "FORMATS",
    "FORMAT_TABLE",
    "Format",
    "ParseError",
    "Parsed",
    "detect",
    "load",
    "parse",
    "read",
    "read_file",
    "shared_macros",
    "read_source",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    try:
        return importlib.import_module(f"{__name__}.{name}")  # a reader module: parsing.hf
    except ModuleNotFoundError as missing:
        if missing.name != f"{__name__}.{name}":
            raise  # the module exists but needs one that does not
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
