"""Benchmark search (and, where the store exists, whole commands) at several sizes.

    python bench/search_bench.py [--sizes 1000,10000,100000] [--work DIR] [--no-store]

Prints one table: a column per size, median / p95 where a row is a distribution.
Floors measured in the same run: json.load of the library file, and rapidfuzz
QRatio over every title. Precision@1 comes from the quality set in tests/search.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests" / "search")]

import app_start_bench  # noqa: E402
import generate  # noqa: E402
from rapidfuzz import fuzz, process, utils  # noqa: E402

from readinglist.model import Paper  # noqa: E402
from readinglist.search import SearchIndex  # noqa: E402
from readinglist.search.cache import load_index, save_index  # noqa: E402
from readinglist.search.tokens import STOPWORDS, tokens  # noqa: E402

PYTHON = sys.executable
ACRONYMS = ["LLM", "GAN", "NAS", "CLIP", "BERT", "DNN"]
QUALIFIERS = [
    "is:unread", "year:>=2023", "tag:llm", "upvotes:>5 year:2020..2022", "authors:>10",
    "author:smith", "author:^\"van den broeck\"", "venue:neurips",
]  # fmt: skip


class Table:
    """Rows of cells keyed by size, printed once at the end."""

    def __init__(self, sizes: list[int]) -> None:
        self.sizes, self.rows = sizes, {}

    def put(self, row: str, size: int, value: str) -> None:
        self.rows.setdefault(row, {})[size] = value

    def print(self) -> None:
        width = max(map(len, self.rows)) + 2
        head = "".join(f"{f'N={n:,}':>26}" for n in self.sizes)
        print(f"\n{'':{width}}{head}")
        for row, cells in self.rows.items():
            print(f"{row:{width}}" + "".join(f"{cells.get(n, '-'):>26}" for n in self.sizes))


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def dist(seconds: list[float], unit: str = "ms") -> str:
    scale = {"ms": 1e3, "us": 1e6, "s": 1}[unit]
    values = sorted(s * scale for s in seconds)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"{statistics.median(values):.1f} / {p95:.1f} {unit}"


MEMORY_PROBE = """
import gc, json, sys
from readinglist.model import Paper
from readinglist.search import SearchIndex
rss = lambda: int(open("/proc/self/statm").read().split()[1]) * 4096 / 1e6
with open(sys.argv[1], encoding="utf-8") as handle:
    papers = [Paper.from_json(row) for row in json.load(handle)]
gc.collect()
before = rss()
index = SearchIndex(papers)
gc.collect()
print(f"{rss() - before:.0f}")
"""


def load_json(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def from_json(rows: list[dict]) -> list[Paper]:
    return [Paper.from_json(row) for row in rows]


def query_set(papers: list[Paper], seed: int = 3) -> dict[str, list[str]]:
    """Realistic queries: title words, their typing prefixes, typos, acronyms, qualifiers."""
    rng = random.Random(seed)
    words = []
    for paper in rng.sample(papers, min(60, len(papers))):
        title = [t for t in tokens(paper.title) if t not in STOPWORDS and not t.isdigit()]
        if title:
            start = rng.randrange(len(title))
            words.append(title[start : start + rng.randint(1, 4)])
    full = [" ".join(w) for w in words[:40]]
    typing = [q[:i] for q in full[:8] for i in range(1, len(q) + 1) if q[i - 1] != " "]
    typos = []
    for query in full[:20]:
        long = [w for w in query.split() if len(w) >= 5]
        if long:
            word = rng.choice(long)
            i = rng.randrange(1, len(word) - 1)
            typos.append(query.replace(word, word[:i] + word[i + 1 :], 1) + " ")
    return {
        "words": full,
        "typing": typing,
        "typos": typos,
        "acronyms": ACRONYMS,
        "qualifiers": QUALIFIERS,
    }


def precision_at_one() -> tuple[float, int]:
    from conftest import seeded_library
    from quality_cases import CASES

    papers = seeded_library()
    index = SearchIndex(papers)
    by_id = {p.id: p for p in papers}
    hits = 0
    for query, fragments in CASES:
        ids = index.search(query, limit=1).ids
        hits += bool(ids) and any(f in by_id[ids[0]].title for f in fragments)
    return hits / len(CASES), len(CASES)


def bench_search(n: int, path: Path, work: Path, table: Table) -> list[Paper]:
    put = lambda row, value: table.put(row, n, value)  # noqa: E731
    if path.exists():
        put("generate library file", f"reused, {path.stat().st_size / 1e6:.0f} MB")
    else:
        seconds, size = timed(generate.write, n, path)
        put("generate library file", f"{seconds:.1f} s, {size / 1e6:.0f} MB")
    seconds, data = timed(load_json, path)
    put("floor: json.load of the file", f"{seconds * 1e3:.0f} ms")
    seconds, papers = timed(from_json, data)
    put("Paper objects from JSON", f"{seconds * 1e3:.0f} ms")
    del data
    titles = [p.title for p in papers]
    floor = [
        timed(process.extract, q, titles, scorer=fuzz.QRatio, processor=utils.default_process)[0]
        for q in ["attention", "diffusion models", "robust training", "graph neural"] * 3
    ]
    put("floor: QRatio over all titles", dist(floor))
    seconds, index = timed(SearchIndex, papers)
    put("index build", f"{seconds:.2f} s")
    seconds, _ = timed(index.warm)
    put("index warm-up (the app's, before the first keystroke)", f"{seconds:.2f} s")
    probe = subprocess.run([PYTHON, "-c", MEMORY_PROBE, str(path)], capture_output=True, text=True)
    put("index memory (RSS growth, own process)", f"{probe.stdout.strip()} MB")
    cache = work / f"index-{n}.bin"
    stamp = f"bench{n:027d}"  # stands for the corpus's generation token
    seconds, _ = timed(save_index, index, cache, stamp)
    put("index save (framed records)", f"{seconds:.2f} s, {cache.stat().st_size / 1e6:.0f} MB")
    seconds, loaded = timed(load_index, cache, papers, stamp)
    assert loaded is not None
    put("index load (same corpus file)", f"{seconds:.2f} s")
    seconds, loaded = timed(load_index, cache, papers)
    assert loaded is not None
    put("index load (each paper's text checked)", f"{seconds:.2f} s")
    day = [dataclasses.replace(p, id=f"new{i}", title=f"{p.title} revisited") for i, p in
           enumerate(papers[:50])]  # fmt: skip
    seconds, loaded = timed(load_index, cache, papers[50:] + day)
    assert loaded is not None and loaded[1]
    put("index load after 50 papers in, 50 out (patched)", f"{seconds:.2f} s")
    del loaded
    every, queries_by_kind = [], query_set(papers)
    for kind, queries in queries_by_kind.items():
        times = [timed(index.search, q, 200)[0] for q in queries]
        every += times
        put(f"search: {kind}", dist(times))
    kinds = "/".join(queries_by_kind)
    put(f"queries ({kinds})", "/".join(str(len(q)) for q in queries_by_kind.values()))
    put("search: all, top 200 (p95 target 30 ms)", dist(every))
    rng = random.Random(5)
    updates = []
    for paper in rng.sample(papers, min(200, len(papers))):
        tagged = dataclasses.replace(paper, tags=[*paper.tags, "bench"])
        updates.append(timed(index.update, tagged)[0])
    put("index.update(paper) after a tag change", dist(updates, "us"))
    return papers


def run(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a whole process."""
    timing = ["/usr/bin/time", "-f", "%e %M", *cmd]
    proc = subprocess.run(timing, stdout=stdout, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr[-400:]}")
    wall, peak = proc.stderr.strip().splitlines()[-1].split()
    return float(wall), int(peak) / 1024


APP_PROBE = """
import time; t0 = time.perf_counter()
import asyncio, statistics, sys
from pathlib import Path
from readinglist.persistence.library import Library
from readinglist.tui.app import ReadingListApp

QUERIES = ["attention", "robust training", "graph neural networks", "adverserial", "llm agents"]
GAP = 0.15  # seconds between keys, a brisk typist

async def keystrokes(app, screen):
    \"\"\"Seconds from each key reaching the app until the list showing its result is painted.

    Keys go in as the terminal driver sends them (Pilot's own waits would add ~50 ms).
    \"\"\"
    from textual import events
    painted, display = [], app._display
    def timed_display(*args):
        display(*args)
        painted.append(time.perf_counter())
    app._display = timed_display
    refilled, refill = [], screen.refill  # (query, when) of each list of search results
    def timed_refill(*args, **kwargs):
        when = time.perf_counter()
        refill(*args, **kwargs)
        if screen.searching.ranked(screen.view.query) is not None:
            refilled.append((screen.view.query, when))
    screen.refill = timed_refill
    times = []
    for query in QUERIES:
        screen.search_input.value = ""
        screen.search_input.focus()
        await asyncio.sleep(0.5)
        for i, char in enumerate(query):
            typed, seen = query[: i + 1], len(refilled)
            start = time.perf_counter()
            app._driver.send_message(events.Key("space" if char == " " else char, char))
            while not any(shown == typed for shown, _ in refilled[seen:]):
                await asyncio.sleep(0.001)
            shown = next(when for q, when in refilled[seen:] if q == typed)  # in the list
            while not painted or painted[-1] < shown:
                await asyncio.sleep(0.001)
            times.append(next(t for t in painted if t >= shown) - start)
            await asyncio.sleep(GAP)
    return sorted(times)

async def main():
    app, first = ReadingListApp(Library(Path(sys.argv[1]))), []
    display = app._display
    def first_papers(*args):  # the first frame with papers on it (see app_start_bench.py)
        display(*args)
        screen = app.screen if app.screen_stack else None
        if not first and getattr(screen, "paper_list", None) is not None and screen.paper_list.ids:
            first.append(time.perf_counter())
    app._display = first_papers
    async with app.run_test(size=(120, 40)) as pilot:
        while not (app.screen_stack and getattr(app.screen, "loaded", False)):
            await pilot.pause(0.05)
        while not first:
            await pilot.pause(0.01)
        app._display = display
        shown = first[0] - t0
        stall, last = 0.0, time.perf_counter()
        while not app.screen.searcher.ready:  # the UI stays responsive while the index loads
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            stall, last = max(stall, now - last - 0.005), now
        ready = time.perf_counter() - t0
        times = await keystrokes(app, app.screen)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (large) bench process.
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
    median, p95 = statistics.median(times), times[round(0.95 * (len(times) - 1))]
    print(f"{shown:.2f} {ready:.2f} {peak:.0f} {median * 1e3:.0f} {p95 * 1e3:.0f} {len(times)}"
          f" {stall * 1e3:.0f}")

asyncio.run(main())
"""


def bench_store(n: int, path: Path, work: Path, papers: list[Paper], table: Table) -> None:
    put = lambda row, value: table.put(row, n, value)  # noqa: E731
    lib = work / f"library-{n}"
    shutil.rmtree(lib, ignore_errors=True)  # import into an empty library
    cli = [PYTHON, "-m", "readinglist", "--library", str(lib)]
    wall, peak = run([*cli, "import", str(path)])
    put("import N papers (whole process)", f"{wall:.1f} s, {peak:.0f} MB")
    put("list --json, cold (whole process)", cold(runs([*cli, "list", "--json"])))
    wall, peak = run([*cli, "search", "--json", "adversarial", "training"])
    put("first search --json after the import", f"{wall:.1f} s, {peak:.0f} MB")
    search = [*cli, "search", "--json", "robust", "optimization"]
    put("search --json, cold (whole process)", cold(runs(search)))
    from readinglist.persistence.library import Library

    library = Library(lib)
    every = [p.id for p in library.papers()]
    library.add_tags(every, ["bench"])  # user state grows with use: measure it full
    library.set_read(every[::2])  # half of them: the app opens on the unread ones
    os.sync()  # that state was written long ago: a mark does not wait for its flush
    ids = random.Random(7).sample(every, 20)
    marks = [timed(library.set_read, [pid], read)[0] for pid in ids for read in (False, True)]
    put("mark read/unread, persisted, all papers with state", dist(marks))
    floors, probes = [], []
    for _ in range(REPEATS):  # A B A B: the floor in the same minutes
        floors.append(app_start_bench.probe(app_start_bench.FLOOR_PROBE)[0])
        probes.append(app_probe(lib))
    if all(probes):
        shown, ready, peak, median, p95, keys, stall = sorted(probes)[REPEATS // 2]
        floor = statistics.median(floors)
        put(f"floor: a bare Textual app's first paint (median of {REPEATS})", f"{floor:.2f} s")
        put(f"app start: first papers shown (median of {REPEATS})", f"{shown:.2f} s")
        put("app start: first papers / the floor", f"{shown / floor:.2f}")
        put("app start: search ready", f"{ready:.2f} s")
        put("app: longest UI stall while the index loads", f"{stall:.0f} ms")
        put(f"app: keystroke -> list repainted ({keys:.0f} keys)", f"{median:.0f} / {p95:.0f} ms")
        put("app peak memory", f"{peak:.0f} MB")
    else:
        put("app start", "failed")


REPEATS = 3  # cold starts are repeated: the first after heavy work can run 40% slow


def runs(cmd: list[str]) -> list[tuple[float, float]]:
    return sorted(run(cmd) for _ in range(REPEATS))


def cold(results: list[tuple[float, float]]) -> str:
    """Median wall time (and its peak memory) with the range, of repeated runs."""
    (low, _), (wall, peak), (high, _) = results[0], results[len(results) // 2], results[-1]
    return f"{wall:.1f} s ({low:.1f}-{high:.1f}), {peak:.0f} MB"


def app_probe(lib: Path) -> tuple[float, ...] | None:
    """One app start: shown, ready, peak MB, keystroke median/p95/count, longest stall ms."""
    probe = subprocess.run(
        [PYTHON, "-c", APP_PROBE, str(lib)], capture_output=True, text=True, timeout=900
    )
    if probe.returncode != 0:
        said = probe.stderr.strip().splitlines() or [f"the app probe failed ({probe.returncode})"]
        print(said[-1][:200], file=sys.stderr)
        return None
    return tuple(float(value) for value in probe.stdout.split()[-7:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--work", type=Path, help="folder for files (default: a temp dir)")
    parser.add_argument("--no-store", action="store_true", help="search rows only")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    # Cold commands import compiled modules, as pip installs them.
    compileall.compile_dir(ROOT / "readinglist", quiet=1)
    table = Table(sizes)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            print(f"N={n:,} ...", file=sys.stderr, flush=True)
            path = work / f"library-{n}.json"
            papers = bench_search(n, path, work, table)
            if not args.no_store:
                bench_store(n, path, work, papers, table)
            del papers
            gc.collect()
    precision, count = precision_at_one()
    table.print()
    print(f"\nprecision@1 on the seed quality set: {precision:.3f} ({count} queries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
