"""BibTeX import throughput on a real-size file, and de-duplication of near duplicates.

    python bench/bibtex_bench.py [--file BIB] [--generated N] [--near 1000,4000,10000]
                                 [--repeat 3]

Import: parses a ~3,700-entry Better BibTeX export (the corpus copy in
../shared/realworld/bibtex/ when present, with its unbalanced blocks left out
so that releases that refuse a file with one bad block can read it too; else a
generated file of the same size and shape) and imports it into an empty
library; prints entries/s for the parse and for parse + import (best of
--repeat). `--generated 100000` imports a generated file of that many entries
instead (the 100k case; one repeat is enough there). Run it once per release
on the same machine to compare (`PYTHONPATH=DIR` picks the code).

Near duplicates: N titles that share most of their words ("A Study of Deep
Learning for Graph Tasks 17"), with no abstract, fed through the dedupe index
one by one (find, then add); prints the time per paper at each N and the titles
compared per paper (the fuzzy step's work, which the machine's load does not
change): flat figures mean near-linear blocking.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from readinglist import parsing  # noqa: E402
from readinglist.dedupe import DedupeIndex  # noqa: E402
from readinglist.model import Paper, paper_id  # noqa: E402
from readinglist.persistence.library import Library  # noqa: E402

REAL = "bbt_papers3_library.bib"
ENTRIES = 3700
_BLOCK = re.compile(r"(?=^@)", re.M)
WORDS = [
    "deep",
    "learning",
    "graph",
    "neural",
    "networks",
    "robust",
    "training",
    "vision",
    "language",
    "models",
]


def corpus_file() -> Path | None:
    for parent in HERE.parents:
        path = parent / "shared" / "realworld" / "bibtex" / REAL
        if path.is_file():
            return path
    return None


def balanced_blocks(text: str) -> str:
    """The blocks of `text` whose braces balance (what every release can read)."""
    keep = []
    for block in _BLOCK.split(text):
        depth = 0
        for char in block:
            depth += (char == "{") - (char == "}")
            if depth < 0:
                break
        if depth == 0:
            keep.append(block)
    return "".join(keep)


def generated(n: int) -> str:
    """A Better BibTeX-like file of `n` entries: braces, accents, abstracts, files."""
    rng = random.Random(5)
    kinds = ["article", "inproceedings", "book", "incollection", "phdthesis"]
    entries = []
    for i in range(n):
        words = rng.sample(WORDS, 6)
        title = " ".join(f"{{{{{w.title()}}}}}" if rng.random() < 0.3 else w for w in words)
        abstract = " ".join(rng.choice(WORDS) for _ in range(120))
        entries.append(
            f"@{rng.choice(kinds)}{{Key{i}:20{i % 20:02d},\n"
            f"  title = {{{title} {i}}},\n"
            f'  author = {{M{{\\"u}}ller, J{{\\"o}}rg and Van den Broeck, Guy and Smith, Ann}},\n'
            f"  year = {{20{i % 20:02d}}}, journal = {{Journal of {{\\'E}}tudes}},\n"
            f"  volume = {{{i % 40}}}, pages = {{{i}--{i + 9}}},\n"
            f"  abstract = {{{abstract}}},\n"
            f"  file = {{/papers/Key{i}.pdf}}, keywords = {{ml, graphs}},\n}}\n"
        )
    return "\n".join(entries)


def bench_import(text: str, repeat: int) -> tuple[int, float, float]:
    """(entries, best parse seconds, best parse + import seconds)."""
    parse_best = whole_best = float("inf")
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        papers = parsing.parse(text, "bibtex", source="bench.bib")
        parsed = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            Library(Path(tmp) / "lib").import_papers(papers, source="bench.bib")
        done = time.perf_counter()
        count = len(papers)
        parse_best = min(parse_best, parsed - start)
        whole_best = min(whole_best, done - start)
    return count, parse_best, whole_best


def near_duplicates(n: int) -> list[Paper]:
    rng = random.Random(11)
    papers = []
    for i in range(n):
        words = ["a", "study", "of", *rng.sample(WORDS, 5), "for", "tasks", str(i % 97)]
        title = " ".join(words)
        papers.append(Paper(id=paper_id(f"{title} {i}", ""), title=title, year=2000 + i % 25))
    return papers


def bench_near(n: int) -> tuple[float, float, int]:
    """(seconds per paper, titles compared per paper, merges) to find-then-add `n`
    near-duplicate titles. Titles compared is the work of the fuzzy step, whatever
    the load of the machine: it grows until MAX_CANDIDATES, then stays."""
    index = DedupeIndex()
    papers = near_duplicates(n)
    compared = 0
    candidates = index._candidates

    def counted(title: str) -> list[str]:
        nonlocal compared
        found = candidates(title)
        compared += len(found)
        return found

    index._candidates = counted  # type: ignore[method-assign]
    merges = 0
    start = time.perf_counter()
    for paper in papers:
        merges += index.find(paper) is not None
        index.add(paper)
    return (time.perf_counter() - start) / n, compared / n, merges


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="a BibTeX file to import instead")
    parser.add_argument("--generated", type=int, help="import a generated file of N entries")
    parser.add_argument("--near", default="1000,4000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = None if args.generated else args.file or corpus_file()
    if args.generated:
        text, what = generated(args.generated), f"generated ({args.generated} entries)"
    elif path is not None:
        text, what = balanced_blocks(path.read_text(encoding="utf-8")), path.name
    else:
        text, what = generated(ENTRIES), f"generated ({ENTRIES} entries)"
    count, parse_s, whole_s = bench_import(text, args.repeat)
    print(f"import {what}: {count} entries, {len(text) / 1e6:.1f} MB")
    print(f"  parse:          {parse_s:6.2f} s  {count / parse_s:8.0f} entries/s")
    print(f"  parse + import: {whole_s:6.2f} s  {count / whole_s:8.0f} entries/s")
    print("near duplicates (find + add per paper):")
    for n in (int(size) for size in args.near.split(",") if size):
        seconds, compared, merges = bench_near(n)
        print(
            f"  N={n:>6,}: {seconds * 1e6:8.0f} µs/paper"
            f"  {compared:6.1f} titles compared/paper  {merges} merged"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
