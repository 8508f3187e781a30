"""App start against a bare Textual app's first paint, measured in the same run.

    python bench/app_start_bench.py [--sizes 1000,10000,100000] [--work DIR] [--runs 5]

For each size, a library of generated papers (`generate.py`, then `readinglist import`)
is made in WORK/lib-N, or reused when it is there (a 100,000-paper library takes minutes
to build: keep it with --work). Then, alternating, each run starts in a fresh process:

- the floor: a bare Textual app whose one DataTable paints a screenful of rows;
- the app on the library, timed the same way: from the first line of the process to the
  first frame with papers on it; then until the whole library is in (and the search
  index), and one `r` (mark read) from the key to the repainted frame.

Each tree's modules are compiled to bytecode first, as installing the package does (an
editable install under PYTHONDONTWRITEBYTECODE would otherwise compile every module of
the app at each start, while Textual's come compiled from its wheel).

Prints medians (wall seconds), the ratio of the app's first papers to the floor at each
size, and the app's first papers at each size against the same at the first size.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
SIZE = (120, 40)

# Both probes take their clock at their first line and stop it at the first frame
# painted with rows on it (`App._display`, as the screen is written to the terminal).
FLOOR_PROBE = f"""
import time; t0 = time.perf_counter()
import asyncio
from textual.app import App
from textual.widgets import DataTable

class Bare(App):
    def compose(self):
        yield DataTable()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("title", "year", "votes")
        table.add_rows([(f"Paper number {{i}} about something", "2024", str(i)) for i in range(40)])

async def main():
    app, painted = Bare(), []
    display = app._display
    def timed(*args):
        display(*args)
        if app.screen_stack and app.query(DataTable) and app.query_one(DataTable).row_count:
            painted.append(time.perf_counter())
    app._display = timed
    async with app.run_test(size={SIZE}) as pilot:
        while not painted:
            await asyncio.sleep(0.001)
    print(f"{{painted[0] - t0:.4f}}")

asyncio.run(main())
"""

APP_PROBE = f"""
import time; t0 = time.perf_counter()
import asyncio, sys
from pathlib import Path
from readinglist.persistence.library import Library
from readinglist.tui.app import ReadingListApp

async def main():
    app, painted = ReadingListApp(Library(Path(sys.argv[1]))), []
    display = app._display
    def timed(*args):
        display(*args)
        screen = app.screen if app.screen_stack else None
        if getattr(screen, "paper_list", None) is not None and screen.paper_list.ids:
            painted.append(time.perf_counter())
    app._display = timed
    async with app.run_test(size={SIZE}) as pilot:
        while not painted:
            await asyncio.sleep(0.001)
        first = painted[0] - t0
        while not (app.screen.loaded and app.screen.searcher.ready):
            await asyncio.sleep(0.002)
        loaded = time.perf_counter() - t0
        await pilot.pause()
        from textual import events
        screen, shown = app.screen, []
        refill_after = screen.refill_after
        def timed_refill(*args):
            refill_after(*args)
            shown.append(time.perf_counter())
        screen.refill_after = timed_refill
        start = time.perf_counter()
        app._driver.send_message(events.Key("r", "r"))
        while not (shown and painted[-1] >= shown[0]):
            await asyncio.sleep(0.0005)
        mark = next(t for t in painted if t >= shown[0]) - start
        await pilot.press("u")  # the library is left as it was
        while app.store.busy:
            await asyncio.sleep(0.002)
    print(f"{{first:.4f}} {{loaded:.4f}} {{mark * 1e3:.1f}}")

asyncio.run(main())
"""


def probe(code: str, *args: str, tree: Path = ROOT) -> list[float]:
    """One run in a fresh process, importing readinglist from `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [PYTHON, "-c", code, *args], capture_output=True, text=True, timeout=900, cwd=tree, env=env
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-600:])
    return [float(value) for value in done.stdout.split()[-3:]]


def library(work: Path, n: int) -> Path:
    """WORK/lib-N, made from generated papers unless it is there already, then read once
    whole (which writes its directory, if an earlier release left none that fits)."""
    lib = work / f"lib-{n}"
    if not (lib / "papers.json").exists():
        source = work / f"gen-{n}.json"
        if not source.exists():
            subprocess.run([PYTHON, str(HERE / "generate.py"), str(n), str(source)], check=True)
        cli = [PYTHON, "-m", "readinglist", "--library", str(lib), "import", str(source)]
        subprocess.run(cli, check=True, stdout=subprocess.DEVNULL)
    read = "import sys; from readinglist.persistence.library import Library; "
    read += "Library(sys.argv[1]).papers()"
    subprocess.run([PYTHON, "-c", read, str(lib)], check=True)
    return lib


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--work", type=Path, help="folder for the libraries (default: temp)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--before", type=Path, help="a checkout of an earlier release, measured in the same run"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    for tree in (ROOT, args.before):
        if tree is not None:  # as `pip install` does: no start pays for compiling
            compileall.compile_dir(tree / "readinglist", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = {}
        for n in sizes:
            lib = library(work, n)
            print(f"N={n:,} ...", file=sys.stderr, flush=True)
            earlier = work / f"lib-{n}-before"  # its own copy: it writes its own directory
            if args.before and not earlier.exists():
                shutil.copytree(lib, earlier)
            floors, apps, before = [], [], []
            for _ in range(args.runs):  # A B A B: a busy minute shows in both
                floors.append(probe(FLOOR_PROBE)[0])
                apps.append(probe(APP_PROBE, str(lib)))
                if args.before:
                    before.append(probe(APP_PROBE, str(earlier), tree=args.before))
            rows[n] = (
                statistics.median(floors),
                *(statistics.median(run[i] for run in apps) for i in range(3)),
                *(statistics.median(run[i] for run in before) for i in range(3) if before),
            )
    report(sizes, rows, args.runs)
    return 0


def report(sizes: list[int], rows: dict, runs: int) -> None:
    smallest = rows[sizes[0]][1]
    print(f"\nmedians of {runs} runs, wall seconds (terminal {SIZE[0]}x{SIZE[1]}, headless)")
    head = "".join(f"{f'N={n:,}':>12}" for n in sizes)
    print(f"{'':44}{head}")
    lines = [
        ("floor: bare Textual app, first paint", lambda r: f"{r[0]:.3f}"),
        ("app start -> first papers on screen", lambda r: f"{r[1]:.3f}"),
        ("  ratio to the floor", lambda r: f"{r[1] / r[0]:.2f}"),
        (f"  ratio to the same at N={sizes[0]:,}", lambda r: f"{r[1] / smallest:.2f}"),
        ("app start -> whole library and index in", lambda r: f"{r[2]:.3f}"),
        ("mark read: key -> repainted (ms)", lambda r: f"{r[3]:.1f}"),
    ]
    if len(rows[sizes[0]]) > 4:
        lines += [
            ("before: app start -> first papers", lambda r: f"{r[4]:.3f}"),
            ("before:   ratio to the floor", lambda r: f"{r[4] / r[0]:.2f}"),
            ("before: whole library and index in", lambda r: f"{r[5]:.3f}"),
            ("before: mark read: key -> repainted (ms)", lambda r: f"{r[6]:.1f}"),
        ]
    for label, cell in lines:
        print(f"{label:44}" + "".join(f"{cell(rows[n]):>12}" for n in sizes))


if __name__ == "__main__":
    raise SystemExit(main())
