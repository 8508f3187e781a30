"""Find what the services know about one paper: by its identifiers, else by its title."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from readinglist.model import Paper
from readinglist.sources import arxiv, crossref, hf, s2
from readinglist.sources.errors import SourceError
from readinglist.sources.http import Client
from readinglist.sources.matching import choose
from readinglist.sources.record import Record


@dataclass
class Found:
    """What a lookup found: the records describing the paper (best first), or why none."""

    records: list[Record] = field(default_factory=list)
    ambiguous: bool = False
    errors: list[SourceError] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """found, ambiguous, failed (nothing found and a service failed) or unmatched."""
        if self.records:
            return "found"
        if self.ambiguous:
            return "ambiguous"
        return "failed" if self.errors else "unmatched"


# Title searches, in the order they are tried: (source name, search).
TITLE_SEARCHES: tuple[tuple[str, Callable[[Client, str], list[Record]]], ...] = (
    ("hf", hf.search),
    ("arxiv", arxiv.by_title),
    ("crossref", crossref.search),
    ("s2", s2.match),
)


def lookup(client: Client, paper: Paper, sources: tuple[str, ...]) -> Found:
    """Records for `paper` from `sources`: its own ids first, else a title search."""
    found = Found()
    if not (paper.arxiv or paper.doi):
        _by_title(client, paper, sources, found)
        if not found.records:
            return found
    _by_ids(client, paper, sources, found)
    return found


def _by_title(client: Client, paper: Paper, sources: tuple[str, ...], found: Found) -> None:
    for name, search in TITLE_SEARCHES:
        if name not in sources or not paper.title.strip() or paper.title_derived:
            continue
        try:
            match = choose(paper, search(client, paper.title))
        except SourceError as error:
            found.errors.append(error)
            continue
        if match.ambiguous:
            found.ambiguous = True
            return
        if match.record is not None:
            found.records.append(match.record)
            return


def _by_ids(client: Client, paper: Paper, sources: tuple[str, ...], found: Found) -> None:
    """Complete from every source by the ids known so far (ours, then the records')."""
    for name in ("arxiv", "hf", "crossref", "s2"):
        if name not in sources or any(r.source == name for r in found.records):
            continue
        try:
            record = _by_id(client, name, *_ids(paper, found.records))
        except SourceError as error:
            found.errors.append(error)
            continue
        if record is not None and _consistent(record, paper, found.records):
            found.records.append(record)


def _ids(paper: Paper, records: list[Record]) -> tuple[str | None, str | None]:
    arxiv_id = paper.arxiv or next((r.arxiv for r in records if r.arxiv), None)
    doi = paper.doi or next((r.doi for r in records if r.doi), None)
    return arxiv_id, doi


def _by_id(client: Client, name: str, arxiv_id: str | None, doi: str | None) -> Record | None:
    if name == "arxiv" and arxiv_id:
        return next(iter(arxiv.by_ids(client, [arxiv_id])), None)
    if name == "hf" and arxiv_id:
        return hf.paper(client, arxiv_id)
    if name == "crossref" and doi:
        return crossref.work(client, doi)
    if name == "s2" and (arxiv_id or doi):
        return s2.paper(client, arxiv_id, doi)
    return None


def _consistent(record: Record, paper: Paper, records: list[Record]) -> bool:
    """A record found by id is the same paper: its ids agree with ours (a mirror may lie)."""
    arxiv_id, doi = _ids(paper, records)
    if record.arxiv and arxiv_id and record.arxiv.lower() != arxiv_id.lower():
        return False
    if record.source in ("crossref", "s2") or not (record.doi and doi):
        return True
    return record.doi == doi.lower()
