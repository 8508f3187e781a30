"""Whole-process cost of one-paper commands at two sizes: is it flat?

    python bench/flat_bench.py [--sizes 1000,100000] [--runs 5] [--work DIR] [--before TREE]
                               [--no-search] [--only commands|search-list]

Generates a library of each size (bench/generate.py, then `readinglist import`; kept in
--work and reused), then runs `read ID`, `unread ID`, `tag ID T`, `untag ID T`,
`note ID T`, `note ID --clear`, `show ID`, `cite ID --style apa`, `cite ID` (BibTeX,
its key already fixed), the first `cite ID` of another paper (which fixes its provisional
key: once first, after the last run's `undo` wrote the corpus, and once after `note
--clear`, whose backup links `papers.json`, which is then copied, not written in
place), `edit ID --title T`, `rm ID` and the `undo` that brings it back as separate
processes, the sizes alternating (A B A B), and prints the median CPU seconds (user +
system of the child) and peak memory of each, the ratio of the
largest size to the smallest, and the floors measured in the same run: `python -c pass`,
`python -c "import readinglist.cli"`, and a plain `json.load` of the corpus file.

--before TREE runs the same commands with the readinglist source tree TREE (e.g. a
checkout of an earlier release) on its own copy of each library, in the same run, so
before and after are measured in the same minutes. Targets (issue: flat cost): at
100,000 papers, each command ≤ 1.3 × the same at 1,000, and ≤ 100 MB peak.

First the cold `search WORDS` (and `--json`), `list` and `list --json`, each a new
process on a library whose index is saved, next to their floors in the same minutes:
`fzf --exact --filter WORDS` over the titles and abstracts (one paper a line; "fzf
not installed" skips it) and a plain `json.load` of the corpus file, which holds the
same records. Targets at 100,000 papers: search ≤ 0.5 × fzf, list ≤ 1.0 × json.load.
`--only search-list` runs just these, `--only commands` the one-paper commands.

Then the search after writes (unless --no-search): each run imports 20 new papers into
the copy, then times the first `search WORDS` after it and a second one; once per size,
a whole `import` of the generated file into an empty library, then its first and
second search. Target: the first search after an import within 1.5 × a later search.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
TAG = "bench-flat"
WORDS = ["learning", "model"]  # words many generated papers hold
NEW_PAPERS = 20  # imported before each "first search after import"
SCRATCH = Path("/")  # set by main: the --work folder


def child_cost(
    cmd: list[str], env: dict | None = None, stdin: Path | None = None
) -> tuple[float, float, int]:
    """(CPU seconds, peak MB, exit status) of one whole process (`stdin`: a file to read).

    Run from the scratch folder, so `python -m readinglist` imports the tree the
    environment names (the current folder comes first on sys.path). This process
    stays small: a child's peak memory counts what it was forked from.
    """
    with open(stdin or os.devnull, "rb") as given:
        proc = subprocess.Popen(
            cmd, stdin=given, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            cwd=SCRATCH,
        )  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def make_library(n: int, work: Path) -> Path:
    """A library of `n` generated papers (made once, reused by later runs)."""
    lib = work / f"lib-{n}"
    if (lib / "papers.json").exists():
        return lib
    data = work / f"gen-{n}.json"
    if not data.exists():
        subprocess.run([PYTHON, str(HERE / "generate.py"), str(n), str(data)], check=True)
    shutil.rmtree(lib, ignore_errors=True)
    cmd = [PYTHON, "-m", "readinglist", "--library", str(lib), "import", str(data)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=tree_env(None))
    return lib


def first_ids(lib: Path, count: int) -> list[str]:
    """The ids of the first `count` papers in the corpus, from the file's first bytes."""
    import re

    with open(lib / "papers.json", "rb") as handle:
        head = handle.read(1 << 22)
    found = re.findall(rb'^"([0-9a-f]{16})":\{', head, re.MULTILINE)
    if len(found) < count:
        raise SystemExit(f"{lib}: fewer than {count} papers found")
    return [pid.decode() for pid in found[:count]]


def commands(pid: str, fresh: str = "ID", fresh_shared: str = "ID") -> dict[str, list[str]]:
    """The commands measured on paper `pid`; `fresh`, `fresh_shared`: papers no run has
    cited yet (the first right after the undo, which wrote the corpus anew; the second
    after `note --clear`, whose backup links `papers.json`, so it cannot be written in
    place)."""
    return {
        "cite ID, first (fixes its key)": ["cite", fresh, "--style", "bibtex"],
        "read ID": ["read", pid],
        "unread ID": ["unread", pid],
        "tag ID T": ["tag", pid, TAG],
        "untag ID T": ["untag", pid, TAG],
        "note ID TEXT": ["note", pid, "a", "note"],
        "note ID --clear": ["note", pid, "--clear"],
        "show ID": ["show", pid],
        "cite ID --style apa": ["cite", pid, "--style", "apa"],
        "cite ID (bibtex)": ["cite", pid, "--style", "bibtex"],
        "first cite, corpus in a backup": ["cite", fresh_shared, "--style", "bibtex"],
        "edit ID --title T": ["edit", pid, "--title", f"Bench edit {fresh}"],
        "rm ID": ["rm", pid],
        "undo (the rm)": ["undo"],
    }


def tree_env(tree: Path | None) -> dict:
    env = {**os.environ, "READINGLIST_OFFLINE": "1"}
    env["PYTHONPATH"] = str(tree or ROOT)
    # Bytecode is cached as for an installed package: with PYTHONDONTWRITEBYTECODE
    # every run would compile each module again (~0.2 s of a cold search).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def prepare(lib: Path, copy: Path, tree: Path | None, pid: str) -> None:
    """A copy of `lib` that the code in `tree` has written once (its own layout, keys fixed)."""
    if not copy.exists():
        shutil.copytree(lib, copy)
    env = tree_env(tree)
    for words in (["cite", pid, "--style", "bibtex"], ["note", pid, "--clear"]):
        child_cost([PYTHON, "-m", "readinglist", "--library", str(copy), *words], env)


def new_papers(path: Path, run: int, count: int = NEW_PAPERS) -> Path:
    """A JSON file of `count` papers unlike any generated one (new to every library)."""
    import json

    syllables = [a + b for a in "bdfgklmnprstvz" for b in "aeiou"]
    papers = []
    for i in range(count):
        word = "".join(syllables[(run * 31 + i * 7 + k * 13) % len(syllables)] for k in range(4))
        title = f"Bench import {run} {i}: {word} learning model"
        papers.append({"title": title, "abstract": f"We study {word} ({run}, {i}) at length."})
    path.write_text(json.dumps(papers), encoding="utf-8")
    return path


def search_after_writes(
    copies: dict, trees: dict, sizes: list[int], runs: int, work: Path
) -> dict[tuple, list[float]]:
    """CPU seconds of: importing 20 papers, the first search after it, a second search."""
    cpu: dict[tuple, list[float]] = {}
    for run in range(runs):
        for name, tree in trees.items():
            for n in sizes:
                base = [PYTHON, "-m", "readinglist", "--library", str(copies[name, n])]
                env = tree_env(tree)
                source = new_papers(work / f"new-{name}-{n}.json", run)
                steps = {
                    "import 20 papers": ["import", str(source)],
                    "first search after it": ["search", *WORDS],
                    "a later search": ["search", *WORDS],
                }
                for label, words in steps.items():
                    cpu.setdefault((label, name, n), []).append(child_cost([*base, *words], env)[0])
    return cpu


def search_after_import(trees: dict, sizes: list[int], work: Path) -> dict[tuple, list[float]]:
    """CPU seconds of a whole import into an empty library, then its first and second search."""
    cpu: dict[tuple, list[float]] = {}
    for name, tree in trees.items():
        for n in sizes:
            lib = work / f"whole-{name}-{n}"
            shutil.rmtree(lib, ignore_errors=True)
            base = [PYTHON, "-m", "readinglist", "--library", str(lib)]
            steps = {
                "import all N papers": ["import", str(work / f"gen-{n}.json")],
                "first search after it": ["search", *WORDS],
                "a later search": ["search", *WORDS],
            }
            for label, words in steps.items():
                cpu[label, name, n] = [child_cost([*base, *words], tree_env(tree))[0]]
            shutil.rmtree(lib, ignore_errors=True)
    return cpu


def print_search(title: str, cpu: dict, trees: dict, sizes: list[int]) -> None:
    print(f"\n{title}")
    head = "".join(f"{f'{n:,}':>10}" for n in sizes)
    print(f"{'':32}{'code':>8}{head}{'first/later':>13}")
    labels = list(dict.fromkeys(label for label, _, _ in cpu))
    for name in trees:
        for label in labels:
            value = {n: statistics.median(cpu[label, name, n]) for n in sizes}
            cells = "".join(f"{value[n]:10.3f}" for n in sizes)
            ratio = ""
            if label == "first search after it":
                later = {n: statistics.median(cpu["a later search", name, n]) for n in sizes}
                ratio = "  ".join(f"{value[n] / later[n]:.2f}" for n in sizes)
            print(f"{label:32}{name:>8}{cells}{ratio:>13}")


def floors(lib: Path, runs: int) -> dict[str, float]:
    load = f"import json; json.load(open({str(lib / 'papers.json')!r}))"
    probes = {
        "python -c pass": [PYTHON, "-c", "pass"],
        "import readinglist.cli": [PYTHON, "-c", "import readinglist.cli"],
        "json.load of papers.json": [PYTHON, "-c", load],
    }
    return {
        name: statistics.median(child_cost(cmd)[0] for _ in range(runs))
        for name, cmd in probes.items()
    }


_TEXTS = """
import json, sys
papers = json.loads(open(sys.argv[1], encoding="utf-8").read())["papers"]
lines = (f"{p.get('title', '')} {p.get('abstract', '')}" for p in papers.values())
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.writelines(" ".join(line.split()) + "\\n" for line in lines)
"""


def floor_texts(lib: Path, work: Path, n: int) -> Path:
    """The titles and abstracts of the library's papers, one paper a line (fzf's input),
    written by a child process: this one stays small, since a child's peak memory
    counts the process it was forked from."""
    path = work / f"texts-{n}.txt"
    if not path.exists():
        command = [PYTHON, "-c", _TEXTS, str(lib / "papers.json"), str(path)]
        subprocess.run(command, check=True)
    return path


SEARCH_AND_LIST = {
    "search WORDS": ["search", *WORDS],
    "search WORDS --json": ["search", *WORDS, "--json"],
    "list": ["list"],
    "list --json": ["list", "--json"],
}


def search_and_list(
    copies: dict, trees: dict, sizes: list[int], runs: int, work: Path
) -> dict[tuple, list[float]]:
    """CPU seconds of a cold `search` and `list` (each a new process, the index saved),
    with their floors in the same minutes: fzf over the titles and abstracts, and a
    plain json.load of the corpus file (one file holding the same records)."""
    fzf = shutil.which("fzf")
    cpu: dict[tuple, list[float]] = {}
    for name, tree in trees.items():
        for n in sizes:  # a search first: the index and the state are saved
            base = [PYTHON, "-m", "readinglist", "--library", str(copies[name, n])]
            child_cost([*base, "search", *WORDS], tree_env(tree))
    for _ in range(runs):
        for n in sizes:
            lib = copies["after", n]
            if fzf:
                texts = floor_texts(lib, work, n)
                cost = child_cost([fzf, "--exact", "--filter", " ".join(WORDS)], stdin=texts)
                cpu.setdefault(("floor: fzf --exact --filter", "", n), []).append(cost[0])
            load = f"import json; json.load(open({str(lib / 'papers.json')!r}))"
            cost = child_cost([PYTHON, "-c", load])
            cpu.setdefault(("floor: json.load papers.json", "", n), []).append(cost[0])
            for name, tree in trees.items():
                base = [PYTHON, "-m", "readinglist", "--library", str(copies[name, n])]
                for label, words in SEARCH_AND_LIST.items():
                    cost = child_cost([*base, *words], tree_env(tree))
                    cpu.setdefault((label, name, n), []).append(cost[0])
    if not fzf:
        print("fzf not installed: no fzf floor (apt-get install fzf)")
    else:  # which fzf set the floor: versions differ in speed
        version = subprocess.run([fzf, "--version"], capture_output=True, text=True).stdout
        print(f"fzf floor: {fzf} {version.split()[0] if version.split() else '(no version)'}")
    return cpu


def print_search_and_list(cpu: dict, trees: dict, sizes: list[int], runs: int) -> None:
    print(f"\nCold search and list against their floors (CPU s, median of {runs})")
    head = "".join(f"{f'{n:,}':>10}" for n in sizes)
    floors_of = {"search": "floor: fzf --exact --filter", "list": "floor: json.load papers.json"}
    print(f"{'':32}{'code':>8}{head}   ratio to its floor")
    for label, name, _ in dict.fromkeys((label, name, 0) for label, name, _ in cpu):
        value = {n: statistics.median(cpu[label, name, n]) for n in sizes}
        cells = "".join(f"{value[n]:10.3f}" for n in sizes)
        floor = floors_of.get(label.split()[0])
        ratio = ""
        if floor and all((floor, "", n) in cpu for n in sizes):
            ratios = [value[n] / statistics.median(cpu[floor, "", n]) for n in sizes]
            ratio = "  ".join(f"{r:.2f}" for r in ratios)
        print(f"{label:32}{name:>8}{cells}   {ratio}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/readinglist-flat-bench"))
    parser.add_argument("--before", type=Path, help="an earlier readinglist source tree")
    parser.add_argument("--no-search", action="store_true", help="skip the search after writes")
    parser.add_argument(
        "--only", choices=["commands", "search-list"], help="run only the one-paper commands, "
        "or only the cold search and list against their floors"
    )  # fmt: skip
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    global SCRATCH
    SCRATCH = args.work.resolve()
    trees = {"after": None, **({"before": args.before.resolve()} if args.before else {})}
    libs = {n: make_library(n, args.work) for n in sizes}
    firsts = {n: first_ids(libs[n], 2 + 2 * args.runs * len(trees)) for n in sizes}
    pids = {n: firsts[n][0] for n in sizes}
    copies = {}
    for name, tree in trees.items():
        for n in sizes:
            copies[name, n] = args.work / f"run-{name}-{n}"
            shutil.rmtree(copies[name, n], ignore_errors=True)
            prepare(libs[n], copies[name, n], tree, pids[n])
    if args.only != "commands":
        found = search_and_list(copies, trees, sizes, args.runs, args.work)
        print_search_and_list(found, trees, sizes, args.runs)
    if args.only == "search-list":
        return 0
    cpu: dict[tuple, list[float]] = {}
    peak: dict[tuple, float] = {}
    failed: set[tuple] = set()
    for run in range(args.runs):
        for label in commands("ID"):
            for t, (name, tree) in enumerate(trees.items()):
                for n in sizes:  # the sizes alternate: A B A B
                    fresh = 1 + run * len(trees) + t
                    shared = fresh + args.runs * len(trees)
                    words = commands(pids[n], firsts[n][fresh], firsts[n][shared])[label]
                    cmd = [PYTHON, "-m", "readinglist", "--library", str(copies[name, n])]
                    seconds, mb, status = child_cost([*cmd, *words], tree_env(tree))
                    key = (label, name, n)
                    cpu.setdefault(key, []).append(seconds)
                    peak[key] = max(peak.get(key, 0), mb)
                    if status != 0:
                        failed.add(key)
    floor = {n: floors(libs[n], args.runs) for n in sizes}
    small, large = sizes[0], sizes[-1]
    print(f"\nCPU seconds (median of {args.runs}), peak MB; ratio = {large:,} / {small:,}")
    head = "".join(f"{f'{n:,}':>10}" for n in sizes)
    print(f"{'':32}{'code':>8}{head}{'ratio':>8}{'peak MB':>9}")
    for name in floor[small]:
        cells = "".join(f"{floor[n][name]:10.3f}" for n in sizes)
        ratio = floor[large][name] / floor[small][name]
        print(f"{'floor: ' + name:32}{'':>8}{cells}{ratio:8.2f}")
    for label in commands("ID"):
        for name in trees:
            values = {n: statistics.median(cpu[label, name, n]) for n in sizes}
            cells = "".join(f"{values[n]:10.3f}" for n in sizes)
            bad = "  (exit status not 0)" if any((label, name, n) in failed for n in sizes) else ""
            ratio = values[large] / values[small]
            print(f"{label:32}{name:>8}{cells}{ratio:8.2f}{peak[label, name, large]:9.0f}{bad}")
    if not args.no_search and args.only is None:
        after_small = search_after_writes(copies, trees, sizes, args.runs, args.work)
        print_search(f"Search after importing {NEW_PAPERS} papers (median of {args.runs})",
                     after_small, trees, sizes)  # fmt: skip
        whole = search_after_import(trees, sizes, args.work)
        print_search("Search after a whole import into an empty library (one run)",
                     whole, trees, sizes)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
