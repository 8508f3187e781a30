"""Citations in the common style guides, from what a paper's record holds.

The domain layer: no Textual, no I/O. `cite` gives one block for several
papers; `cite_keys` gives the BibTeX keys for a whole library.
"""

from __future__ import annotations

from collections.abc import Callable

from readinglist.citations import latex, styles
from readinglist.citations.latex import cite_keys, settle_keys
from readinglist.citations.text import clean_paper, sanitize
from readinglist.model import Paper

STYLES: tuple[str, ...] = (
    "bibtex", "biblatex", "apa", "mla", "chicago", "ieee", "harvard", "markdown", "plain",
)  # fmt: skip
_PROSE: dict[str, Callable[[Paper], str]] = {
    "apa": styles.apa,
    "mla": styles.mla,
    "chicago": styles.chicago,
    "harvard": styles.harvard,
    "markdown": styles.markdown,
    "plain": styles.plain,
}
_SORTED = frozenset({"apa", "mla", "chicago", "harvard"})

__all__ = ["STYLES", "cite", "cite_keys", "sanitize", "settle_keys"]


def _sort_key(reference: str) -> str:
    return "".join(ch for ch in reference.casefold() if ch.isalnum())


def cite(papers: list[Paper], style: str, keys: dict[str, str] | None = None) -> str:
    """The citations of `papers` in `style`, one block, a blank line between entries.

    Author-date styles are sorted as a reference list; IEEE, BibTeX and the
    rest keep the given order. `keys` (from `cite_keys` over the whole
    library) name the BibTeX entries; without it keys come from `papers`.
    Raises ValueError for an unknown style.
    """
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}: choose from {', '.join(STYLES)}")
    cleaned = [clean_paper(p) for p in papers]
    if style in ("bibtex", "biblatex"):
        keys = {**cite_keys(cleaned), **(keys or {})}
        entries = [latex.bibtex(p, keys[p.id], style == "biblatex") for p in cleaned]
    elif style == "ieee":
        entries = [styles.ieee(p, n) for n, p in enumerate(cleaned, 1)]
    else:
        entries = [_PROSE[style](p) for p in cleaned]
        if style in _SORTED:
            entries.sort(key=_sort_key)
    return "\n\n".join(sanitize(entry, newlines=True) for entry in entries)
