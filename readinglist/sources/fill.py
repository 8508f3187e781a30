"""Which fields of a paper the found records fill, and from which source.

Filling never loses anything: it sets fields that are empty (or, for the date, only
inferred), raises upvotes to the larger count, and leaves every other field, and the
user's read state, tags and note, as they are. A published version's DOI, date and venue
come together from the record that knows the published version.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from readinglist.model import Paper
from readinglist.sources.record import Record, web_url

# Which source is preferred for a field when several records know it.
PREFERENCE = {
    "authors": ("arxiv", "crossref", "hf", "s2"),  # S2 names are often initials
    "abstract": ("arxiv", "hf", "crossref", "s2"),
    "title": ("arxiv", "crossref", "hf", "s2"),
    "arxiv": ("arxiv", "hf", "s2"),
    "url": ("arxiv", "hf", "crossref", "s2"),
}


@dataclass
class Fill:
    """The changed paper, the fields that changed and where each came from."""

    paper: Paper
    filled: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    # Every field that changed (those that go with a filled one too) -> its source.
    origin: dict[str, str] = field(default_factory=dict)


def needs_metadata(paper: Paper) -> bool:
    """`--missing`: a paper without author names or without any identifier."""
    return not paper.authors or not (paper.arxiv or paper.doi)


def plan(paper: Paper, records: list[Record], protected: frozenset[str] = frozenset()) -> Fill:
    """`paper` completed from `records`; fields named in `protected` are never changed
    (the fields the user set: `edits.user_set`), nor filled along with another."""
    changes: dict = {}
    origin: dict[str, str] = {}  # the fields filled -> source
    every: dict[str, str] = {}  # and the fields that go with them

    def put(name: str, value, source: str, **also) -> None:
        if name in protected or value in (None, "", []) or value == getattr(paper, name):
            return
        also = {k: v for k, v in also.items() if v != getattr(paper, k)}
        if protected & also.keys():  # what goes with it was set by the user
            return
        changes[name] = value
        changes.update(also)
        origin[name] = source
        every.update(dict.fromkeys([name, *also], source))

    def best(name: str) -> Record | None:
        order = PREFERENCE.get(name, ("crossref", "arxiv", "hf", "s2"))
        ranked = sorted(records, key=lambda r: order.index(r.source) if r.source in order else 9)
        return next((r for r in ranked if getattr(r, name)), None)

    if not paper.authors and (r := best("authors")):
        put("authors", list(r.authors), r.source, author_count=len(r.authors))
    if paper.title_derived and (r := best("title")):
        put("title", r.title, r.source, title_derived=False)
    if not paper.abstract and (r := best("abstract")):
        put("abstract", r.abstract, r.source)
    if not paper.arxiv and (r := best("arxiv")):
        put("arxiv", r.arxiv, r.source)
    if not paper.arxiv_version and (r := best("arxiv_version")):
        put("arxiv_version", r.arxiv_version, r.source)
    if not paper.url and (r := best("url")):
        put("url", web_url(r.url), r.source)
    _published_version(paper, records, put)
    _upvotes(paper, records, put)
    return Fill(replace(paper, **changes) if changes else paper, list(origin), origin, every)


def _published_version(paper: Paper, records: list[Record], put) -> None:
    """DOI, venue and date of a published version together; else the preprint's date."""
    published = next((r for r in records if r.source == "crossref" and r.journal), None)
    if published is None:
        published = next((r for r in records if r.source == "s2" and r.journal and r.doi), None)
    if published is None:
        published = next((r for r in records if r.doi and r.journal), None)
    if published is not None and not paper.doi and not paper.journal:
        put("doi", published.doi, published.source)
        put("journal", published.journal, published.source)
        _date(paper, published, put)
        return
    if not paper.doi:
        r = next((r for r in records if r.doi), None)
        if r is not None:
            put("doi", r.doi, r.source)
    if not paper.journal:
        r = next((r for r in records if r.journal), None)
        if r is not None:
            put("journal", r.journal, r.source)
    dated = sorted(
        (r for r in records if r.published),
        key=lambda r: ("arxiv", "hf", "crossref", "s2").index(r.source),
    )
    if dated:
        _date(paper, dated[0], put)


def _date(paper: Paper, record: Record, put) -> None:
    """The real date replaces an inferred or missing one (and a bare year it agrees with)."""
    if not record.published:
        return
    unsure = paper.year is None or paper.year_inferred
    agrees = paper.published is None and paper.year == record.year
    if unsure or agrees:
        put("published", record.published, record.source, year=record.year, year_inferred=False)


def _upvotes(paper: Paper, records: list[Record], put) -> None:
    counts = [(r.upvotes, r.source) for r in records if r.upvotes is not None]
    if counts:
        top, source = max(counts)
        if paper.upvotes is None or top > paper.upvotes:
            put("upvotes", top, source)
