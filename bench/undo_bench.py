"""Undo of a change to many papers costs about what the change cost.

    python bench/undo_bench.py [--papers 20000] [--changed 200] [--rounds 3]

Builds a library of N generated papers, then, as the app does (`tui/session.py`),
tags `--changed` of them and undoes it, each write going through `Library.apply`.
Next to it, in the same run, the undo as it was written before edits were values
(a set of every id rebuilt for each paper, then `Library.update` with a revert
function): the "before" figure. Prints medians over `--rounds`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import generate  # noqa: E402

from readinglist.model import Paper  # noqa: E402
from readinglist.persistence.library import Library  # noqa: E402
from readinglist.tui.session import snapshot  # noqa: E402


def _timed(job, library: Library) -> float:
    start = time.perf_counter()
    job(library)
    return time.perf_counter() - start


def _revert_tags(before: Paper, after: Paper, current: Paper) -> Paper:
    """The revert the app used before edits were values (same result as `AddTags.revert`)."""
    added, removed = set(after.tags) - set(before.tags), set(before.tags) - set(after.tags)
    now = set(current.tags)
    kept = [t for t in before.tags if (t in now and t not in added) or t in removed]
    return replace(
        current, tags=kept + [t for t in current.tags if t not in added and t not in kept]
    )


def _previous_undo(steps: list[tuple[Paper, Paper]]):
    """The undo write as it was: the set of all ids rebuilt once per paper."""

    def write(library: Library) -> None:
        by_id = {b.id: (b, a) for b, a in steps}
        present = [pid for pid in by_id if pid in {p.id for p in library.papers()}]
        library.update(present, lambda current: _revert_tags(*by_id[current.id], current))

    return write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=20_000)
    parser.add_argument("--changed", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        library = Library(Path(work) / "library")
        library.import_papers(list(generate(args.papers)), source="generated.json")
        session = snapshot(library)
        every = sorted(session.papers)
        figures: dict[str, list[float]] = {"change": [], "undo": [], "undo before": []}
        for round_ in range(args.rounds):
            ids = random.Random(round_).sample(every, args.changed)
            tag = session.add_tags(ids, [f"undo-bench-{round_}"])
            session.apply(tag)
            figures["change"].append(_timed(tag.write, library))
            undo = session.undo()
            session.apply(undo)
            figures["undo"].append(_timed(undo.write, library))
            again = session.add_tags(ids, [f"undo-bench-old-{round_}"])
            session.apply(again)
            library.apply(again.edit, ids)
            steps = list(zip(again.before, again.after, strict=True))
            figures["undo before"].append(_timed(_previous_undo(steps), library))
            session.history.pop()
    print(f"{args.papers:,} papers, {args.changed} changed, median of {args.rounds}:")
    change = statistics.median(figures["change"])
    for name, values in figures.items():
        median = statistics.median(values)
        print(f"  {name:12} {median * 1000:8.0f} ms   ({median / change:.1f}x the change)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
