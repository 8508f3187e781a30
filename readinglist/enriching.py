"""Complete papers from the web sources, each filled paper its own committed change.

The network is asked with no lock held; the fill is then worked out again against the
paper as stored at that moment (an edit made meanwhile wins) and written under the lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial

from readinglist import edits
from readinglist.model import Paper
from readinglist.persistence.library import Library
from readinglist.sources.errors import SourceError
from readinglist.sources.fill import Fill, needs_metadata, plan
from readinglist.sources.http import Client
from readinglist.sources.lookup import Found, lookup
from readinglist.sources.record import Record

__all__ = ["Result", "enrich", "needs_metadata", "paper_from", "summary"]

WEB = "web"  # the source of a fill's stamp where no one service supplied the field
OUTCOMES = ("filled", "complete", "unmatched", "ambiguous", "merged", "failed")


@dataclass
class Result:
    """What enriching one paper did."""

    id: str
    title: str
    outcome: str  # one of OUTCOMES
    filled: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    error: SourceError | None = None
    merged_into: str | None = None

    def to_json(self) -> dict:
        return {
            "id": self.merged_into or self.id,
            "outcome": self.outcome,
            "filled": self.filled,
            "from": self.sources,
            "error": str(self.error) if self.error else None,
        }


def enrich(
    library: Library,
    papers: Iterable[Paper],
    client: Client,
    sources: tuple[str, ...],
    *,
    dry_run: bool = False,
    progress: Callable[[Result], None] | None = None,
    write: Callable[[Callable[[Library], Result]], Result] | None = None,
) -> list[Result]:
    """Look up each paper and store what was found; one Result per paper, in order.

    `progress(result)` hears of each paper once it is stored (each is its own change,
    so an error it raises to stop the run keeps those done). `write(job)` runs
    `job(library)` where the library may be written (the app's store thread); by
    default here.
    """
    papers = list(papers)
    results: list[Result] = []
    backup = len(papers) > 1  # a bulk run keeps one backup, before its first change
    run = write or (lambda job: job(library))
    for paper in papers:
        found = lookup(client, paper, sources)
        result = run(partial(_store, paper=paper, found=found, dry_run=dry_run, backup=backup))
        backup = backup and result.outcome not in ("filled", "merged")
        results.append(result)
        if progress is not None:
            progress(result)
    return results


def _store(library: Library, paper: Paper, found: Found, dry_run: bool, backup: bool) -> Result:
    error = found.errors[0] if found.errors else None
    if found.outcome != "found":
        return Result(paper.id, paper.title, found.outcome, error=error)
    if dry_run:
        fill = plan(paper, found.records, edits.user_set(paper))
        twin = library.twin(fill.paper)
        return _result(paper, fill, twin, error)
    outcome: dict[str, Fill] = {}

    def fill_edit(current: Paper) -> edits.FillFields | None:
        outcome["fill"] = fill = plan(current, found.records, edits.user_set(current))
        return fill_of(library, current, fill)

    _, twin = library.fill(paper.id, fill_edit, backup=backup)
    return _result(paper, outcome["fill"], twin, error)


def fill_of(library: Library, current: Paper, fill: Fill) -> edits.FillFields | None:
    """The edit that stores `fill`: each field stamped with the service that supplied it,
    the paper's `sources` with the services added (stamped with all of them, "arxiv+hf")."""
    if not fill.filled:
        return None
    used = sorted(set(fill.sources.values()))
    changes = {name: getattr(fill.paper, name) for name in fill.origin}
    changes["sources"] = list(dict.fromkeys([*current.sources, *used]))
    origin = {**fill.origin, "sources": "+".join(used)}
    return edits.FillFields(library.stamp(WEB), changes, origin)


def _result(paper: Paper, fill: Fill, twin: str | None, error: SourceError | None) -> Result:
    if not fill.filled:
        return Result(paper.id, paper.title, "complete", error=error)
    outcome = "merged" if twin else "filled"
    return Result(paper.id, paper.title, outcome, fill.filled, fill.sources, error, twin)


def summary(results: list[Result]) -> tuple[str, list[str]]:
    """A count of each outcome, and one line per kind of failure."""
    counts = Counter(r.outcome for r in results)
    head = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o])
    failures: Counter[str] = Counter(
        r.error.summary for r in results if r.outcome == "failed" and r.error
    )
    lines = [f"{line}: {_papers(n)} left as they were" for line, n in failures.items()]
    return head or "nothing to do", lines


def exit_status(results: list[Result]) -> int:
    """0 when every paper got an answer (or some were filled); 1 when lookups failed."""
    failed = any(r.outcome == "failed" for r in results)
    done = any(r.outcome in ("filled", "merged") for r in results)
    return 1 if failed and not done else 0


def _papers(n: int) -> str:
    return f"{n} paper" + ("" if n == 1 else "s")


def paper_from(records: list[Record]) -> Paper | None:
    """A new paper made of what the services know (for `add` and `fetch`), else None."""
    if not records:
        return None
    titled = sorted(records, key=lambda r: ("arxiv", "crossref", "hf", "s2").index(r.source))
    base = Paper(id="", title=titled[0].title)
    fill = plan(base, records)
    return replace(fill.paper, sources=sorted({r.source for r in records}))
