"""The citation styles offered by a short name: one entry each.

Every list of styles is derived from STYLE_TABLE: the names `cite --style` and the
app's citation dialog offer first (in this order), the short CSL aliases, the
project's own styles with their titles, and which styles carry the cite key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from readinglist.citations import bibentry, styles
from readinglist.model import Paper


@dataclass(frozen=True)
class Style:
    """A style by its short name: one of ours (`entry` renders it) or a CSL style (`csl`).

    `entry(paper, key)` is one bibliography entry; `in_text(keys)` the in-text
    citation of several (None: cite in text as IN_TEXT_FALLBACK does). A `keyed`
    style writes the cite key out, so the keys it uses are unique across the
    library and fixed once written.
    """

    name: str
    title: str = ""
    csl: str = ""
    entry: Callable[[Paper, str], str] | None = None
    in_text: Callable[[list[str]], str] | None = None
    keyed: bool = False


def _bibtex(paper: Paper, key: str) -> str:
    return bibentry.entry(paper, key, False)


def _biblatex(paper: Paper, key: str) -> str:
    return bibentry.entry(paper, key, True)


def _cite_command(keys: list[str]) -> str:
    return "\\cite{" + ",".join(keys) + "}"


STYLE_TABLE: tuple[Style, ...] = (
    Style("bibtex", "BibTeX entry", entry=_bibtex, in_text=_cite_command, keyed=True),
    Style("biblatex", "BibLaTeX entry", entry=_biblatex, in_text=_cite_command, keyed=True),
    Style("apa", csl="apa"),
    Style("mla", csl="modern-language-association"),
    Style("chicago", csl="chicago-author-date"),
    Style("ieee", csl="ieee"),
    Style("harvard", csl="harvard-cite-them-right"),
    Style("markdown", "Markdown note line", entry=lambda paper, _key: styles.markdown(paper)),
    Style("plain", "Plain text", entry=lambda paper, _key: styles.plain(paper)),
)
IN_TEXT_FALLBACK = "apa"  # our styles without an in-text form cite in text as APA does

STYLES = tuple(style.name for style in STYLE_TABLE)
OWN = {style.name: style for style in STYLE_TABLE if style.entry is not None}
OWN_TITLES = {name: style.title for name, style in OWN.items()}
LATEX_STYLES = tuple(style.name for style in STYLE_TABLE if style.keyed)  # write cite keys
# Short names kept from the hand-written styles: alias -> CSL style.
ALIASES = {style.name: style.csl for style in STYLE_TABLE if style.csl}


def keyed(name: str) -> bool:
    """Whether the style `name` writes cite keys out (BibTeX, BibLaTeX)."""
    style = OWN.get(name)
    return style is not None and style.keyed
