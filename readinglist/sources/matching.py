"""Whether a candidate from a service is the paper we hold: the rule that must be right.

A candidate is accepted only when its normalised title is close (rapidfuzz), its abstract
agrees where both have one (a Daily Papers abstract is the arXiv abstract), and its author
count agrees when ours is known. Two accepted candidates that are different papers make
the answer ambiguous: nothing is filled.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from readinglist.model import Paper, normalise
from readinglist.sources.record import Record

TITLE_SCORE = 90.0
ABSTRACT_SCORE = 75.0
MIN_ABSTRACT = 40  # shorter abstracts (after normalising) are not compared


@dataclass(frozen=True)
class Match:
    """The outcome of matching: one accepted record, or why there is none."""

    record: Record | None
    ambiguous: bool = False
    considered: int = 0


def title_close(a: str, b: str) -> bool:
    return fuzz.ratio(normalise(a), normalise(b), score_cutoff=TITLE_SCORE) > 0


def abstracts_agree(a: str, b: str) -> bool:
    a, b = normalise(a), normalise(b)
    if len(a) < MIN_ABSTRACT or len(b) < MIN_ABSTRACT:
        return True
    return fuzz.ratio(a, b, score_cutoff=ABSTRACT_SCORE) > 0


def authors_agree(paper: Paper, record: Record) -> bool:
    known = paper.authors_known
    return known is None or not record.authors or len(record.authors) == known


def accepts(paper: Paper, record: Record) -> bool:
    """Whether `record` describes `paper` (title, abstract and author count all agree)."""
    return (
        title_close(paper.title, record.title)
        and abstracts_agree(paper.abstract, record.abstract)
        and authors_agree(paper, record)
    )


def choose(paper: Paper, records: list[Record]) -> Match:
    """The one record describing `paper`, or ambiguous when two different papers pass."""
    passing: dict[str, Record] = {}
    for record in records:
        if accepts(paper, record):
            passing.setdefault(_identity(record), record)
    if len(passing) > 1:
        return Match(None, ambiguous=True, considered=len(records))
    return Match(next(iter(passing.values()), None), considered=len(records))


def _identity(record: Record) -> str:
    """Records of the same paper (found twice, or by two services) count once."""
    if record.arxiv:
        return f"arxiv:{record.arxiv}"
    if record.doi:
        return f"doi:{record.doi}"
    return f"title:{normalise(record.title)}|{normalise(record.abstract)[:200]}"
