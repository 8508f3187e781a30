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
    # Space is the only printable whitespace, so this skips already-clean text fast.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _normalised(text: str) -> bytes:
    """`model.normalise(text)` as UTF-8, with a fast path for ASCII text."""
    if text.isascii():
        return b" ".join(text.encode().lower().translate(_ASCII_WORDS).split())
    return normalise(text).encode("utf-8")


def content_id(title: str, abstract: str) -> str:
    """`model.paper_id(title, abstract)`, computed faster for ASCII text."""
    basis = _normalised(abstract) or _normalised(title)
    return hashlib.sha256(basis).hexdigest()[:ID_LENGTH]


def new_paper(title: str, abstract: str, source: str, **fields) -> Paper:
    """A paper with collapsed text, its content id and `source` as its source."""
    title, abstract = collapse(title), collapse(abstract)
    return Paper(
        id=content_id(title, abstract), title=title, abstract=abstract, sources=[source], **fields
    )
