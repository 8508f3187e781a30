"""Benchmark citations: the app's `c` (cold and warm) and `cite` as a whole process.

    python bench/cite_bench.py [--sizes 1000,10000] [--styles apa,ieee,nature]
                               [--pairs 11] [--work DIR]

Prints one table, a column per size. The floor is `readinglist --version` as a
whole process, run in pairs with the command measured (floor, command, floor,
command, ...), so both see the same machine; a `cite` row gives the median of
the per-pair ratios (command / floor) and the median wall time. `cite` first:
no saved citation (`citation-cache.json` removed before each run: citeproc-py
imported, the style parsed, the citation rendered); repeat: the same command
again, answered from the saved citation. `c` cold: the first citation in a
fresh process; warm: a citation of another paper afterwards (median / p95 of 20).
"""

from __future__ import annotations

import argparse
import compileall
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
CACHE_FILE = "citation-cache.json"  # readinglist.citations.saved.FILE_NAME
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


def run(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def paired(cmd: list[str], pairs: int, before=None) -> tuple[float, float, float]:
    """Median floor seconds, median `cmd` seconds and the median of the per-pair ratios,
    running `readinglist --version` and `cmd` alternately (`before` runs ahead of each
    `cmd`, outside the timing)."""
    floor_cmd = [PYTHON, "-m", "readinglist", "--version"]
    run(floor_cmd)  # warm the file cache for both
    run(cmd)
    floors, times = [], []
    for _ in range(pairs):
        floors.append(run(floor_cmd))
        if before:
            before()
        times.append(run(cmd))
    ratios = [t / f for t, f in zip(times, floors, strict=True)]
    return statistics.median(floors), statistics.median(times), statistics.median(ratios)


def library_of(n: int, work: Path) -> tuple[Path, str]:
    """A library of n generated papers (made once: `--work` keeps it), and one paper's id."""
    lib = work / f"library-{n}"
    cli = [PYTHON, "-m", "readinglist", "--library", str(lib)]
    if not (lib / "papers.json").is_file():
        source = work / f"papers-{n}.json"
        generate.write(n, source)
        subprocess.run([*cli, "import", str(source)], capture_output=True, check=True)
    listed = subprocess.run([*cli, "list", "--json"], capture_output=True, check=True, text=True)
    return lib, json.loads(listed.stdout)[0]["id"]


def bench(n: int, styles: list[str], work: Path, rows: dict, pairs: int) -> None:
    lib, pid = library_of(n, work)
    cli = [PYTHON, "-m", "readinglist", "--library", str(lib)]
    floor = wall([PYTHON, "-m", "readinglist", "--version"])
    rows.setdefault("readinglist --version (floor)", {})[n] = f"{floor * 1000:.0f} ms"

    def forget() -> None:
        (lib / CACHE_FILE).unlink(missing_ok=True)

    for style in styles:
        cite = [*cli, "cite", pid, "--style", style]
        for label, before in (("first", forget), ("repeat", None)):
            floor, seconds, ratio = paired(cite, pairs, before)
            rows.setdefault(f"cite ID --style {style}, {label} (whole process)", {})[n] = (
                f"{seconds * 1000:.0f}/{floor * 1000:.0f} ms = {ratio:.2f}x"
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
    parser.add_argument("--pairs", type=int, default=11, help="floor/command pairs per row")
    parser.add_argument(
        "--work", help="folder for the generated libraries, kept for the next run (default: temp)"
    )
    args = parser.parse_args(argv)
    # Cold commands import compiled modules, as pip installs them.
    compileall.compile_dir(HERE.parent / "readinglist", quiet=1)
    sizes = [int(s) for s in args.sizes.split(",")]
    styles = args.styles.split(",")
    rows: dict[str, dict[int, str]] = {}
    with tempfile.TemporaryDirectory() as temp:
        work = Path(args.work or temp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            bench(n, styles, work, rows, args.pairs)
    print("cite rows: command/floor median ms = median of the per-pair ratios")
    width = max(len(row) for row in rows)
    print(f"{'':<{width}}  " + "  ".join(f"{n:>24,}" for n in sizes))
    for row, cells in rows.items():
        print(f"{row:<{width}}  " + "  ".join(f"{cells.get(n, ''):>24}" for n in sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
