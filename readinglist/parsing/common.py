"""Helpers shared by the parsers: text clean-up, whitespace, content ids."""

from __future__ import annotations

import hashlib

from readinglist.model import ID_LENGTH, Paper, normalise

# Maps every ASCII byte that is not a letter or digit to a space.
_ASCII_WORDS = bytes(c if c < 128 and chr(c).isalnum() else 32 for c in range(256))


def clean(text: str) -> str:
    """`text` without byte-order marks or NULs, with universal newlines."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\0" in text:
        text = text.replace("\0", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def collapse(text: str) -> str:
    """`text` with each run of whitespace made one space, stripped."""
    return " ".join(text.split())


def _normalise(text: str) -> str:
    """`model.normalise`, with a fast path for ASCII text (same result)."""
    if text.isascii():
        return " ".join(text.encode().lower().translate(_ASCII_WORDS).decode().split())
    return normalise(text)


def content_id(title: str, abstract: str) -> str:
    """`model.paper_id(title, abstract)`, computed faster for ASCII text."""
    basis = _normalise(abstract) or _normalise(title)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:ID_LENGTH]


def new_paper(title: str, abstract: str, source: str, **fields) -> Paper:
    """A paper with collapsed text, its content id and `source` as its source."""
    title, abstract = collapse(title), collapse(abstract)
    return Paper(
        id=content_id(title, abstract), title=title, abstract=abstract, sources=[source], **fields
    )
