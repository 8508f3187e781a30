"""Whole-process `readinglist import` into an empty library: this tree against another.

    python bench/import_bench.py --before TREE [--size 10000] [--pairs 5]
                                 [--format json|bibtex] [--work DIR]

Generates N papers once (bench/generate.py, kept in --work), then imports that same
file into a fresh, empty library with the readinglist source tree TREE (A, e.g. a
checkout of an earlier release: `git worktree add /tmp/rel 920d9df`) and with this
tree (B), alternating A B A B so both see the same minutes of the machine. Prints
each run's CPU seconds (user + system of the whole process) and peak memory, the
B/A ratio of every pair and their median.

Without --before only this tree runs (CPU s and peak MB of each run, and their median).

--then-search WORDS also runs one `search WORDS` after each import and reports the two
processes together: an import now saves the search index that the release's first
search built, so this is the like-for-like cost of a library ready to search.

Targets: the bench's JSON import (`--format json`) at most 1.2 × release 920d9df;
the 100k BibTeX kit (`--format bibtex`) at most 0.35 × the 91.5 s it took before,
peak at most 800 MB.
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


def generated(size: int, fmt: str, work: Path) -> Path:
    """bench/generate.py's file of `size` papers in `fmt` (made once, reused)."""
    path = work / f"gen-{size}.{'bib' if fmt == 'bibtex' else 'json'}"
    if not path.exists():
        extra = ["--format", fmt] if fmt != "json" else []
        subprocess.run(
            [PYTHON, str(HERE / "generate.py"), *extra, str(size), str(path)], check=True
        )
    return path


def import_cost(tree: Path, data: Path, work: Path, search: list[str]) -> tuple[float, float]:
    """(CPU seconds, peak MB) of one `readinglist import DATA` into an empty library
    (and of a `search WORDS` after it, added: CPU summed, the larger peak).

    Run from a scratch folder with PYTHONPATH set to `tree`, so `python -m readinglist`
    imports that tree's code whatever is installed.
    """
    lib = Path(tempfile.mkdtemp(prefix="lib-", dir=work))
    try:
        cpu, peak = run(tree, ["--library", str(lib), "import", str(data)], work)
        if search:
            more, high = run(tree, ["--library", str(lib), "search", *search], work)
            cpu, peak = cpu + more, max(peak, high)
    finally:
        shutil.rmtree(lib, ignore_errors=True)
    return cpu, peak


def run(tree: Path, words: list[str], work: Path) -> tuple[float, float]:
    """(CPU seconds, peak MB) of one whole `python -m readinglist WORDS` process."""
    env = {**os.environ, "READINGLIST_OFFLINE": "1", "PYTHONPATH": str(tree)}
    cmd = [PYTHON, "-m", "readinglist", *words]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=work
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{tree}: {words[2]} failed: {err.decode(errors='replace')[-500:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", type=Path, help="source tree A (e.g. a release worktree)")
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--format", choices=["json", "bibtex"], default="json")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "import-bench")
    ap.add_argument("--then-search", nargs="+", default=[], metavar="WORD")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for tree in (ROOT, args.before):
        if tree is not None:  # as `pip install` does: no run pays for compiling
            compileall.compile_dir(tree / "readinglist", quiet=1)
    data = generated(args.size, args.format, args.work)
    what = " + search " + " ".join(args.then_search) if args.then_search else ""
    print(f"{args.size} papers ({args.format}, {data.stat().st_size / 1e6:.1f} MB), import{what}, "
          f"{args.pairs} runs; CPU s of the whole process, peak MB", flush=True)  # fmt: skip
    ratios, after, before = [], [], []
    for run in range(1, args.pairs + 1):
        line = f"run {run}:"
        if args.before is not None:
            cpu_a, peak_a = import_cost(args.before.resolve(), data, args.work, args.then_search)
            before.append(cpu_a)
            line += f" before {cpu_a:7.2f} s {peak_a:6.0f} MB |"
        cpu_b, peak_b = import_cost(ROOT, data, args.work, args.then_search)
        after.append(cpu_b)
        line += f" this tree {cpu_b:7.2f} s {peak_b:6.0f} MB"
        if args.before is not None:
            ratios.append(cpu_b / cpu_a)
            line += f" | ratio {ratios[-1]:.2f}"
        print(line, flush=True)
    print(f"this tree: median {statistics.median(after):.2f} s CPU")
    if ratios:
        print(
            f"ratios {' '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(ratios):.2f}"
        )
        # A busy machine only adds time: each side's fastest run is its least disturbed.
        print(f"fastest runs: before {min(before):.2f} s, this tree {min(after):.2f} s, "
              f"ratio {min(after) / min(before):.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
