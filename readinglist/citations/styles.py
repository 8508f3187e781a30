"""The project's own prose styles, Markdown and plain: a cleaned Paper in, one line out.

Everything the record holds is shown: authors (or "6 authors"), the title (or a
bracketed description of the abstract), the venue with volume, issue and pages,
the year ("n.d." when unknown, "2024?" when inferred) and the best link. The
Markdown line puts the venue in italics.
"""

from __future__ import annotations

import re

from readinglist.citations.csl_json import name_from_display
from readinglist.citations.phrasing import join_list, terminate, title_or_description, venue_value
from readinglist.model import Paper

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def year(paper: Paper, missing: str = "n.d.", inferred: str = "[{}?]") -> str:
    """The year as the style writes it, marked when inferred."""
    if paper.year is None:
        return missing
    return inferred.format(paper.year) if paper.year_inferred else str(paper.year)


def link(paper: Paper) -> str | None:
    """The DOI as a URL when known, else the paper's best link."""
    url = f"https://doi.org/{paper.doi}" if paper.doi else paper.link()
    return url.replace(" ", "%20") if url else None


def venue_name(paper: Paper) -> str:
    """The journal or proceedings, else the arXiv id."""
    name = paper.journal or venue_value(paper, "booktitle") or ""
    if paper.arxiv and (not name or name.lower().startswith("arxiv")):
        return f"arXiv:{paper.arxiv}"
    return name


def venue_details(paper: Paper) -> str:
    """'16(4), 433–449' from volume, issue and pages; '' when the record has none."""
    volume, number = venue_value(paper, "volume"), venue_value(paper, "number")
    pages = (venue_value(paper, "pages") or "").replace("--", "–").replace("-", "–")
    numbered = f"{volume or ''}({number})" if number else (volume or "")
    return ", ".join(part for part in (numbered, pages) if part)


def markdown_escape(text: str) -> str:
    """`text` with Markdown punctuation backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def markdown_link(text: str, url: str | None) -> str:
    """'[text](url)' for an http(s) link, else the escaped text alone."""
    if not url or not url.lower().startswith(("https://", "http://")):
        return markdown_escape(text)
    safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{markdown_escape(text)}]({safe})"


def markdown(paper: Paper) -> str:
    """A note line: [Title](link). *Venue*, 16(4), 433–449 (2021)."""
    when = year(paper, "n.d.", "{}?")
    line = markdown_link(title_or_description(paper), link(paper))
    venue = venue_name(paper)
    if venue:
        shown = venue if venue.startswith("arXiv:") else f"*{markdown_escape(venue)}*"
        details = venue_details(paper)
        line = f"{terminate(line)} {shown}" + (f", {details}" if details else "")
    return f"{line} ({when})"


def direct_name(author: str) -> str:
    """'Given Family Suffix' from any display form ('Hyman, Jr., Ira E.' -> 'Ira E. Hyman Jr.')."""
    import html

    name = name_from_display(author)
    if "literal" in name:
        return author
    parts = (name.get("given"), name["family"], name.get("suffix"))
    return html.unescape(" ".join(part for part in parts if part))


def authors_plain(paper: Paper) -> str:
    """'A. Author, B. Author, and C. Author', or '6 authors', or ''."""
    if paper.authors:
        return join_list([direct_name(name) for name in paper.authors])
    if paper.author_count:
        return f"{paper.author_count} author{'s' if paper.author_count != 1 else ''}"
    return ""


def plain(paper: Paper) -> str:
    """Authors. Title. Venue, year. Link"""
    parts = [terminate(authors_plain(paper))] if authors_plain(paper) else []
    parts.append(terminate(title_or_description(paper)))
    venue = ", ".join(part for part in (venue_name(paper), venue_details(paper)) if part)
    parts.append(terminate(f"{venue}, {year(paper)}" if venue else year(paper)))
    if url := link(paper):
        parts.append(url)
    return " ".join(parts)
