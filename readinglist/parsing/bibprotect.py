"""The words and phrases a BibTeX title braced to keep their case (`{Bayes}`, `{BERT}`).

BibTeX styles that put titles in sentence case leave a brace group alone; so do
the CSL styles here and the BibTeX written back. A group that starts with a
backslash (`{\\"U}ber`, `{\\TeX}`) is a special character or a command, not a
protection, as BibTeX sees it. The record keeps only what says something the
title's words do not say anyway: a single word that must keep its case by our
own rule (an acronym, mixed case, a proper name: `citations.protection`) is
left out, so a title read back from our export keeps the same list.
"""

from __future__ import annotations

from collections.abc import Callable

from readinglist.citations.protection import keeps_case, span_ranges
from readinglist.parsing.common import collapse


def brace_groups(raw: str) -> list[str]:
    """The contents of the top-level brace groups of a raw value, in order
    (groups that start with a backslash left out)."""
    groups, depth, start = [], 0, 0
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\\":
            index += 2  # an escaped brace `\{` is text
            continue
        if char == "{":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0 and not raw.startswith("\\", start):
                groups.append(raw[start:index])
        index += 1
    return groups


def protected_spans(raw: str, title: str, decode: Callable[[str], str]) -> list[str]:
    """The decoded brace groups of the raw title `raw` that appear in the decoded
    `title` and say more than our own rule (see the module docstring)."""
    if "{" not in raw:
        return []
    spans = [collapse(decode(group)) for group in brace_groups(raw)]
    spans = [span for span in spans if any(ch.isalpha() for ch in span)]
    found = span_ranges(title, spans)
    return [span for span, where in zip(spans, found, strict=True) if where and not implied(span)]


def implied(span: str) -> bool:
    """Whether bracing `span` says nothing our own rule does not: one word that keeps
    its case anyway (an acronym, mixed case, a proper name)."""
    return " " not in span and keeps_case(span)
