"""One pure function per citation style: a cleaned Paper in, one reference out.

Missing data, per style: without author names the title takes the author
position; without a year APA, Chicago and IEEE write "n.d.", Harvard "no
date" and MLA leaves the date out; an inferred year is marked "ca. 2024" in
APA, "c. 2024" in Harvard and "[2024?]" elsewhere; a derived title becomes a
description of the abstract, bracketed except in MLA (which uses it bare).
"""

from __future__ import annotations

import re

from readinglist.citations.text import (
    direct,
    inverted,
    join_list,
    sentence_case,
    terminate,
    title_or_description,
)
from readinglist.model import Paper

MLA_MONTHS = (
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June",
    "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
)  # fmt: skip
IEEE_MONTHS = (
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.",
    "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec.",
)  # fmt: skip
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def year(paper: Paper, missing: str = "n.d.", inferred: str = "[{}?]") -> str:
    """The year as the style writes it, marked when inferred."""
    if paper.year is None:
        return missing
    return inferred.format(paper.year) if paper.year_inferred else str(paper.year)


def date_parts(paper: Paper) -> tuple[int | None, int | None]:
    """(month, day) from `published` when it matches the year."""
    match = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", paper.published or "")
    if not match or int(match.group(1)) != paper.year or not 1 <= int(match.group(2)) <= 12:
        return None, None
    return int(match.group(2)), int(match.group(3)) if match.group(3) else None


def link(paper: Paper) -> str | None:
    """The DOI as a URL when known, else the paper's best link."""
    url = f"https://doi.org/{paper.doi}" if paper.doi else paper.link()
    return url.replace(" ", "%20") if url else None


def _source(paper: Paper) -> str:
    """The container: journal, else 'arXiv', else nothing."""
    return paper.journal or ("arXiv" if paper.arxiv else "")


def apa(paper: Paper) -> str:
    """APA 7: Author, A., & Author, B. (2017). Title (arXiv:…). arXiv. https://…"""
    title = title_or_description(paper)
    title = title if paper.title_derived else sentence_case(title)
    if paper.arxiv and not paper.journal:
        title = f"{title} (arXiv:{paper.arxiv})"
    when = f"({year(paper, 'n.d.', 'ca. {}')})."
    names = [inverted(a) for a in paper.authors]
    if len(names) > 20:
        authors = ", ".join(names[:19]) + ", . . . " + names[-1]
    else:
        authors = ", & ".join([", ".join(names[:-1]), names[-1]]) if names[1:] else "".join(names)
    title = terminate(title)
    head = f"{terminate(authors)} {when} {title}" if names else f"{title} {when}"
    parts = [head]
    if _source(paper):
        parts.append(terminate(_source(paper)))
    if link(paper):
        parts.append(link(paper))
    return " ".join(parts)


def mla(paper: Paper) -> str:
    """MLA 9: Author, First, et al. “Title.” Container, 9 May 2021, https://…."""
    names = paper.authors
    if len(names) == 1:
        authors = inverted(names[0], full=True)
    elif len(names) == 2:
        authors = f"{inverted(names[0], full=True)}, and {direct(names[1])}"
    else:
        authors = f"{inverted(names[0], full=True)}, et al." if names else ""
    title = title_or_description(paper, bracket=False)
    title = terminate(title) if paper.title_derived else f"“{terminate(title, '.')}”"
    details = [_source(paper)] if _source(paper) else []
    if paper.year is not None:
        month, day = date_parts(paper)
        stamp = year(paper)
        if month:
            stamp = f"{MLA_MONTHS[month - 1]} {stamp}"
            stamp = f"{day} {stamp}" if day else stamp
        details.append(stamp)
    if link(paper):
        details.append(link(paper))
    tail = terminate(", ".join(details)) if details else ""
    return " ".join(part for part in (terminate(authors) if authors else "", title, tail) if part)


def chicago(paper: Paper) -> str:
    """Chicago author-date (18th ed.): Author, First, and First Last. 2017. “Title.” …"""
    names = paper.authors
    if len(names) > 6:
        shown = [inverted(names[0], full=True), *[direct(n) for n in names[1:3]]]
        authors = ", ".join(shown) + ", et al."
    elif len(names) == 2:
        authors = f"{inverted(names[0], full=True)}, and {direct(names[1])}"
    else:
        authors = join_list(
            [inverted(n, full=True) for n in names[:1]] + [direct(n) for n in names[1:]]
        )
    title = title_or_description(paper)
    title = terminate(title) if paper.title_derived else f"“{terminate(title)}”"
    when = terminate(year(paper))
    head = f"{terminate(authors)} {when} {title}" if names else f"{title} {when}"
    parts = [head]
    if paper.journal:
        parts.append(terminate(paper.journal))
    elif paper.arxiv:
        parts.append(f"Preprint, arXiv:{paper.arxiv}.")
    if link(paper):
        parts.append(terminate(link(paper)))
    return " ".join(parts)


def ieee(paper: Paper, number: int = 1) -> str:
    """IEEE: [1] A. Author and B. Author, “Title,” arXiv:…, Jun. 2017. [Online]. Available: …"""
    names = [direct(n, full=False) for n in paper.authors]
    authors = f"{names[0]} et al." if len(names) > 6 else join_list(names, "and", len(names) > 2)
    title = title_or_description(paper)
    title = title if paper.title_derived else sentence_case(title)
    quoted = f"“{title}”" if title.endswith(("?", "!")) else f"“{title},”"
    pieces = [f"{authors}," if authors else "", quoted]
    venue = paper.journal or (f"arXiv:{paper.arxiv}" if paper.arxiv else "")
    month, _ = date_parts(paper)
    when = year(paper)
    when = f"{IEEE_MONTHS[month - 1]} {when}" if month else when
    tail = f"{venue}, {when}" if venue else when
    if paper.doi:
        tail += f", doi: {paper.doi}"
    pieces.append(terminate(tail))
    if not paper.doi and link(paper):
        pieces.append(f"[Online]. Available: {link(paper)}")
    return f"[{number}] " + " ".join(p for p in pieces if p)


def harvard(paper: Paper) -> str:
    """Harvard (Cite Them Right): Author, A. and Author, B. (2017) ‘Title’, Source. …"""
    names = [inverted(n) for n in paper.authors]
    authors = f"{names[0]} et al." if len(names) > 3 else join_list(names, "and", serial=False)
    title = title_or_description(paper)
    title = title if paper.title_derived else f"‘{sentence_case(title)}’"
    when = f"({year(paper, 'no date', 'c. {}')})"
    head = f"{authors} {when} {title}" if names else f"{title} {when}"
    if paper.journal:
        head += f", {paper.journal}"
    elif paper.arxiv:
        head += f". Preprint, arXiv:{paper.arxiv}"
    parts = [terminate(head)]
    if link(paper):
        parts.append(f"Available at: {link(paper)}.")
    return " ".join(parts)


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
    """A note line: [Title](link) (2021)."""
    when = year(paper, "n.d.", "{}?")
    return f"{markdown_link(title_or_description(paper), link(paper))} ({when})"


def authors_plain(paper: Paper) -> str:
    """'A. Author, B. Author, and C. Author', or '6 authors', or ''."""
    if paper.authors:
        return join_list([direct(name) for name in paper.authors])
    if paper.author_count:
        return f"{paper.author_count} author{'s' if paper.author_count != 1 else ''}"
    return ""


def plain(paper: Paper) -> str:
    """Authors. Title. Venue, year. Link"""
    parts = [terminate(authors_plain(paper))] if authors_plain(paper) else []
    parts.append(terminate(title_or_description(paper)))
    venue = paper.journal or (f"arXiv:{paper.arxiv}" if paper.arxiv else "")
    parts.append(terminate(f"{venue}, {year(paper)}" if venue else year(paper)))
    if link(paper):
        parts.append(link(paper))
    return " ".join(parts)
