"""Semantic Scholar Academic Graph API: a paper by arXiv id or DOI, and the best title match.

Mostly asked for the published version of a preprint (venue, DOI, date). Traps: fields
appear only when asked for; an empty search has no `data` key; no match is a 404;
`venue` is often "" and "arXiv" is no venue; the arXiv DOI (10.48550/...) is no
published version; author names are often initials.
"""

from __future__ import annotations

from readinglist.sources import record as rec
from readinglist.sources.common import ok_json
from readinglist.sources.http import Client
from readinglist.sources.record import Record

FIELDS = "title,abstract,authors,externalIds,venue,journal,year,publicationDate,url"
_NOT_VENUES = frozenset({"", "arxiv", "arxiv.org", "corr"})


def parse_paper(data) -> Record | None:
    """A Record from a Semantic Scholar paper object, else None."""
    if not isinstance(data, dict):
        return None
    title = rec.text(data.get("title"))
    if not title:
        return None
    ids, journal = rec.mapping(data.get("externalIds")), rec.mapping(data.get("journal"))
    venue = rec.text(journal.get("name"), 300) or rec.text(data.get("venue"), 300)
    doi = rec.doi(ids.get("DOI"))
    arxiv = rec.arxiv_id(ids.get("ArXiv"))
    authors = rec.array(data.get("authors"))
    year = data.get("year")
    published = rec.iso_date(data.get("publicationDate")) or (
        f"{year:04d}" if type(year) is int and 1000 <= year <= 2999 else None
    )
    return Record(
        source="s2",
        title=title,
        abstract=rec.text(data.get("abstract")),
        authors=rec.names([a.get("name") for a in authors if isinstance(a, dict)]),
        arxiv=arxiv[0] if arxiv else None,
        doi=None if doi and doi.startswith("10.48550/") else doi,
        url=rec.web_url(data.get("url")),
        published=published,
        journal=None if venue.casefold() in _NOT_VENUES else venue,
        volume=rec.text(journal.get("volume"), 40) or None,
        pages=rec.text(journal.get("pages"), 40) or None,
    )


def paper(client: Client, arxiv: str | None = None, doi: str | None = None) -> Record | None:
    """The paper with this arXiv id (else DOI), or None when Semantic Scholar lacks it."""
    ident = f"arXiv:{arxiv}" if arxiv else f"DOI:{doi}"
    data = ok_json("s2", client.get("s2", f"/graph/v1/paper/{ident}", {"fields": FIELDS}))
    return parse_paper(data)


def match(client: Client, title: str) -> list[Record]:
    """The single best title match (none: a 404, or an answer without `data`)."""
    params = {"query": title[:300], "fields": FIELDS}
    data = ok_json("s2", client.get("s2", "/graph/v1/paper/search/match", params), {})
    items = data.get("data") if isinstance(data, dict) else None
    return [r for r in map(parse_paper, items or []) if r is not None]
