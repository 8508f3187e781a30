"""Whole-process cost of `readinglist merge-driver` on one state shard of 25 papers.

Runs, in the same run and interleaved, `python -c pass` (the floor: an interpreter
that starts and stops) and the merge driver on a shard both sides changed (tags,
read flags and notes of different and of the same papers), and prints the median
of each and their ratio (target: within 2x).

    python bench/merge_driver_bench.py [--runs 40] [--papers 25]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from readinglist import edits
from readinglist.edits import AddTags, MarkRead, SetNote, Stamp
from readinglist.model import Paper
from readinglist.sync.codec import STATE, encode


def shard(papers: list[Paper]) -> bytes:
    return encode({"schema": 3}, {p.id: p.stored_state() for p in papers}, STATE)


def versions(n: int) -> tuple[bytes, bytes, bytes]:
    made = Stamp("2026-01-01T10:00:00.000000+00:00", "aaaa", "import:x.txt")
    base = [
        AddTags(made, ("nlp",)).apply(edits.new_record(Paper(f"abc{i:013x}", f"P {i}"), made))
        for i in range(n)
    ]
    ours = [
        MarkRead(Stamp(f"2026-01-02T10:00:{i:02d}.000000+00:00", "aaaa")).apply(p)
        for i, p in enumerate(base)
    ]
    theirs = [
        SetNote(Stamp(f"2026-01-02T11:00:{i:02d}.000000+00:00", "bbbb"), f"note {i}").apply(
            AddTags(Stamp("2026-01-02T09:00:00.000000+00:00", "bbbb"), ("cv",)).apply(p)
        )
        for i, p in enumerate(base)
    ]
    return shard(base), shard(ours), shard(theirs)


def driver_command() -> list[str]:
    script = Path(sys.executable).with_name("readinglist")
    if script.exists():
        return [str(script)]
    found = shutil.which("readinglist")
    return [found] if found else [sys.executable, "-m", "readinglist"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--papers", type=int, default=25)
    args = parser.parse_args()
    base, ours, theirs = versions(args.papers)
    floor, driver, direct = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        o, b = Path(folder, "o"), Path(folder, "b")
        o.write_bytes(base)
        b.write_bytes(theirs)
        a = Path(folder, "a")
        files = [str(o), str(a), str(b), "state/abc.json"]
        script = [*driver_command(), "merge-driver", *files]
        registered = [sys.executable, "-c", "import readinglist.sync.driver as d; d.run()", *files]
        for _ in range(args.runs):
            floor.append(timed([sys.executable, "-c", "pass"]))
            a.write_bytes(ours)
            driver.append(timed(script))
            a.write_bytes(ours)
            direct.append(timed(registered))
        check = a.read_bytes()
    assert b"note 0" in check and b"cv" in check, "the driver merged"
    f, d, r = (statistics.median(x) for x in (floor, driver, direct))
    print(f"shard of {args.papers} papers, {args.runs} runs each, medians:")
    print(f"  python -c pass                          {f * 1000:7.1f} ms")
    print(f"  readinglist merge-driver (the script)   {d * 1000:7.1f} ms  {d / f:5.2f}x")
    print(f"  as registered in git's config           {r * 1000:7.1f} ms  {r / f:5.2f}x")
    print("  (target: within 2x of python -c pass)")


if __name__ == "__main__":
    main()
