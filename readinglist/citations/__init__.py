"""Citations from what a paper's record holds: any installed CSL style, and our own.

The domain layer: no Textual, no I/O but reading style files and the saved
citations beside a library (`saved`, when asked to). `cite` gives
one block (or one in-text cluster) for several papers; `cite_keys` gives the
BibTeX keys for a whole library. Prose styles render through citeproc-py
(`csl`); `bibtex`, `biblatex`, `markdown` and `plain` are the project's own.
"""

from __future__ import annotations

from pathlib import Path

from readinglist.citations import catalog, csl, markup, saved
from readinglist.citations.catalog import resolve
from readinglist.citations.csl_json import csl_item
from readinglist.citations.latex import cite_keys, settle_keys
from readinglist.citations.markup import OUTPUTS
from readinglist.citations.offered import (
    ALIASES,
    IN_TEXT_FALLBACK,
    LATEX_STYLES,
    OWN,
    OWN_TITLES,
    STYLE_TABLE,
    STYLES,
    Style,
    keyed,
)
from readinglist.citations.phrasing import clean_paper, sanitize
from readinglist.model import Paper

__all__ = [
    "ALIASES",
    "LATEX_STYLES",
    "OUTPUTS",
    "OWN_TITLES",
    "STYLES",
    "STYLE_TABLE",
    "Style",
    "check_style",
    "cite",
    "cite_keys",
    "keyed",
    "sanitize",
    "settle_keys",
    "style_id",
]


def is_own(style: str) -> bool:
    """Whether `style` is one of the project's own (not a CSL style)."""
    return style in OWN


def check_style(style: str, output: str = "text") -> str:
    """The canonical name of `style` (an alias resolved); ValueError when unknown or unfit."""
    name = resolve(style)
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}: choose from {', '.join(OUTPUTS)}")
    if is_own(name):
        if output != "text":
            raise ValueError(
                f"{name} is plain text: --as {output} works with the CSL styles (apa, ieee, …)"
            )
        return name
    if not catalog.installed(name):
        raise ValueError(f"{style}: no such style (see `readinglist styles {style}`)")
    return name


def style_id(style: str) -> str:
    """What a setting stores for `style` (the default, the recent ones): its short alias
    when it has one ("mla" for modern-language-association), else its name; ValueError
    when unknown. `config citation_style` and the app store the same id."""
    name = check_style(style)
    return next((alias for alias, full in ALIASES.items() if full == name), name)


def cite(
    papers: list[Paper],
    style: str,
    keys: dict[str, str] | None = None,
    output: str = "text",
    in_text: bool = False,
    saved_in: Path | None = None,
) -> str:
    """The citations of `papers` in `style`: one bibliography, or one in-text cluster.

    CSL styles sort the bibliography as the style says; BibTeX, Markdown and
    plain keep the given order. `keys` (from `cite_keys` over the whole library)
    name the entries; without it keys come from `papers`. `output` is text,
    markdown, html or rtf (CSL styles only). With `saved_in` (the library
    folder) a CSL citation made before is read from the saved ones, and a new
    one is saved (`saved`). Raises ValueError for an unknown style.
    """
    name = check_style(style, output)
    cleaned = [clean_paper(p) for p in papers]
    given, made = keys or {}, cite_keys(cleaned)
    # Only the cited papers' keys: copying a library's (100k) costs more than a render.
    keys = {p.id: given.get(p.id) or made[p.id] for p in cleaned}
    own = OWN.get(name)
    if own is not None and in_text and own.in_text is not None:
        return own.in_text([keys[p.id] for p in cleaned])
    if own is not None and own.entry is not None and not in_text:
        return _joined([own.entry(p, keys[p.id]) for p in cleaned], output)
    csl_name = IN_TEXT_FALLBACK if is_own(name) else name
    key = saved.digest(cleaned, keys, csl_name, output, in_text) if saved_in else ""
    if saved_in and (text := saved.recall(saved_in, key)) is not None:
        return sanitize(text, newlines=True, exact=True)
    entries = csl_entries(cleaned, csl_name, keys, in_text)
    text = _joined([markup.convert(entry, output) for entry in entries], output)
    if saved_in:
        saved.remember(saved_in, key, text)
    return text


def _joined(entries: list[str], output: str) -> str:
    text = "\n\n".join(sanitize(entry, newlines=True) for entry in entries)
    return markup.rtf_document(text) if output == "rtf" else text


def csl_entries(papers: list[Paper], name: str, keys: dict[str, str], in_text: bool) -> list[str]:
    """The HTML of each bibliography entry (or the one in-text cluster) in CSL style `name`."""
    items, seen = [], set()
    for paper in papers:
        if paper.id not in seen:
            seen.add(paper.id)
            items.append(csl_item(paper, keys[paper.id], not csl.title_case(name), name))
    return csl.render(items, name, in_text)
