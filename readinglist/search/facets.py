"""The value facets a query filters on: one entry each (`year:2024`, `source:papers.txt`).

The query parser's qualifiers and hints, the index's facet groups and what makes
the index take a changed paper in again all come from FACET_TABLE.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from readinglist.model import Paper

FacetValue = int | str


@dataclass(frozen=True)
class Facet:
    """A qualifier on a bibliographic value: `name:value` keeps the papers whose value fits.

    `values(paper)` are the paper's values (none when unknown). A `numeric` facet
    takes a number, a comparison or a range (5, >5, 2..5); any other keeps the
    papers with a value that contains the typed text (case folded).
    """

    name: str
    values: Callable[[Paper], list[FacetValue]]
    hint: str
    numeric: bool = True


def paper_year(paper: Paper) -> int | None:
    """The paper's year: its own, else the one in its publication date."""
    if paper.year is not None:
        return paper.year
    head = (paper.published or "")[:4]
    return int(head) if head.isdigit() else None


def _known(value: int | None) -> list[FacetValue]:
    return [] if value is None else [value]


FACET_TABLE: tuple[Facet, ...] = (
    Facet("year", lambda p: _known(paper_year(p)), "a year like 2024, >=2023 or 2020..2022"),
    Facet("upvotes", lambda p: _known(p.upvotes), "a number like 5, >5 or 10..50"),
    Facet("authors", lambda p: _known(p.authors_known), "a number like 3, >10 or 2..5"),
    Facet(
        "source",
        lambda p: [name.lower() for name in p.sources],
        "a file name like source:papers.txt",
        numeric=False,
    ),
)
FACETS = {facet.name: facet for facet in FACET_TABLE}


def facet_values(paper: Paper) -> tuple[tuple[FacetValue, ...], ...]:
    """Every facet's values of a paper, in table order (a changed one re-indexes it)."""
    return tuple(tuple(facet.values(paper)) for facet in FACET_TABLE)
