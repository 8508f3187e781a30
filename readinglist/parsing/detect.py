"""Guess the format of a text from its content."""

from __future__ import annotations

import re

from readinglist.errors import ParseError
from readinglist.parsing import hf
from readinglist.parsing.abstracts import strip_prefix
from readinglist.parsing.common import clean

_SAMPLE = 256 * 1024  # characters looked at
_BIB_ENTRY = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_JSON_START = re.compile(r"\[\s*[{\]]|\{\s*[\"}]")
_PROSE_WORDS = 8  # an abstract has at least this many words
_TITLE_WORDS = 25  # an HF title has fewer words than this


def detect(text: str, source: str = "<text>") -> str:
    """ "hf", "abstracts", "bibtex" or "json"; raises ParseError if none fits."""
    sample = clean(text[:_SAMPLE]).strip()
    if not sample:
        raise ParseError(source, "nothing to import: the text is empty")
    if _JSON_START.match(sample):
        return "json"
    if _BIB_ENTRY.search(sample):
        return "bibtex"
    lines = [line.strip() for line in sample.split("\n")]
    if any(hf.classify(line) in ("chrome", "authors", "dot") for line in lines):
        return "hf"
    return _by_shape(lines, source)


def _by_shape(lines: list[str], source: str) -> str:
    """Paragraphs with short ones among them: HF; lines of prose: abstracts."""
    filled = [line for line in lines if line]
    words = [len(line.split()) for line in filled]
    if len(filled) > 1 and len(filled) < len(lines) and min(words) < _TITLE_WORDS:
        return "hf"
    labelled = any(strip_prefix(line) != line for line in filled)
    if labelled or sum(count >= _PROSE_WORDS for count in words) * 2 >= len(words):
        return "abstracts"
    raise ParseError(
        source,
        "unknown format: expected Hugging Face Daily Papers text, "
        "one abstract per line, BibTeX or JSON",
    )
