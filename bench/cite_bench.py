"""Benchmark citations: the app's `c` (cold and warm) and `cite` as a whole process.

    python bench/cite_bench.py [--sizes 1000,10000] [--styles apa,ieee,nature] [--work DIR]

Prints one table, a column per size. The floor, measured in the same run, is
`readinglist --version` as a whole process; `cite` rows show their ratio to it.
`c` cold: the first citation in a fresh process (citeproc-py imported, the style
parsed); warm: a citation of another paper afterwards (median / p95 of 20).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import generate  # noqa: E402

PYTHON = sys.executable
REPEATS = 5
LATENCY_PROBE = """
import json, statistics, sys, time
from readinglist import citations
from readinglist.persistence.library import Library
lib = Library(sys.argv[1]); style = sys.argv[2]
papers = lib.papers(); keys = citations.cite_keys(papers)  # the app keeps these
t = time.perf_counter(); citations.cite([papers[0]], style, keys)
cold = time.perf_counter() - t
warm = []
for paper in papers[1:21]:
    t = time.perf_counter(); citations.cite([paper], style, keys)
    warm.append(time.perf_counter() - t)
t = time.perf_counter(); citations.cite([papers[1]], style, keys)
again = time.perf_counter() - t
warm.sort()
print(json.dumps([cold, statistics.median(warm), warm[int(len(warm) * 0.95) - 1], again]))
"""


def wall(cmd: list[str]) -> float:
    """Median wall seconds of REPEATS runs of a whole process."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def library_of(n: int, work: Path) -> tuple[Path, str]:
    """A library of n generated papers, and the id of one of them."""
    source = work / f"papers-{n}.json"
    generate.write(n, source)
    lib = work / f"library-{n}"
    cli = [PYTHON, "-m", "readinglist", "--library", str(lib)]
    subprocess.run([*cli, "import", str(source)], capture_output=True, check=True)
    listed = subprocess.run([*cli, "list", "--json"], capture_output=True, check=True, text=True)
    return lib, json.loads(listed.stdout)[0]["id"]


def bench(n: int, styles: list[str], work: Path, rows: dict) -> None:
    lib, pid = library_of(n, work)
    cli = [PYTHON, "-m", "readinglist", "--library", str(lib)]
    floor = wall([PYTHON, "-m", "readinglist", "--version"])
    rows.setdefault("readinglist --version (floor)", {})[n] = f"{floor * 1000:.0f} ms"
    for style in styles:
        seconds = wall([*cli, "cite", pid, "--style", style])
        rows.setdefault(f"cite ID --style {style} (whole process)", {})[n] = (
            f"{seconds * 1000:.0f} ms = {seconds / floor:.2f}x floor"
        )
        probe = subprocess.run(
            [PYTHON, "-c", LATENCY_PROBE, str(lib), style],
            capture_output=True,
            text=True,
            check=True,
        )
        cold, median, p95, again = json.loads(probe.stdout)
        rows.setdefault(f"c {style}: cold (first in process)", {})[n] = f"{cold * 1000:.0f} ms"
        rows.setdefault(f"c {style}: warm, another paper", {})[n] = (
            f"{median * 1000:.0f} / {p95 * 1000:.0f} ms"
        )
        rows.setdefault(f"c {style}: the same paper again", {})[n] = f"{again * 1000:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--styles", default="apa,ieee,nature,chicago")
    parser.add_argument("--work", help="folder for the generated libraries (default: a temp one)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    styles = args.styles.split(",")
    rows: dict[str, dict[int, str]] = {}
    with tempfile.TemporaryDirectory() as temp:
        work = Path(args.work or temp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            bench(n, styles, work, rows)
    width = max(len(row) for row in rows)
    print(f"{'':<{width}}  " + "  ".join(f"{n:>24,}" for n in sizes))
    for row, cells in rows.items():
        print(f"{row:<{width}}  " + "  ".join(f"{cells.get(n, ''):>24}" for n in sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
