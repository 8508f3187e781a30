"""Load-time cost of the safe cache formats against marshal, on a library folder.

    python bench/cache_load.py LIBRARY [--repeat 3]

Prints, best of `--repeat`: the parse of papers.json (orjson, what every start now
reads), the same records as marshal (what the earlier `papers.copy` read), and the
saved search index as checksummed framed records against the same pieces as marshal.
"""

from __future__ import annotations

import argparse
import gc
import marshal
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readinglist.persistence import records  # noqa: E402
from readinglist.persistence.library import Library  # noqa: E402
from readinglist.search import cache  # noqa: E402
from readinglist.search.index import SearchIndex  # noqa: E402


def best(repeat: int, job) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("library", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    raw = (args.library / "papers.json").read_bytes()
    items = list(orjson.loads(raw)["papers"].items())
    chunks = [marshal.dumps(items[i : i + 8192]) for i in range(0, len(items), 8192)]
    print(f"papers: {len(items)}, papers.json {len(raw) / 1e6:.1f} MB")
    print(f"corpus  orjson papers.json      {best(args.repeat, lambda: orjson.loads(raw)):.3f} s")
    print(
        f"corpus  marshal (old copy)      "
        f"{best(args.repeat, lambda: [marshal.loads(c) for c in chunks]):.3f} s"
    )
    lib = Library(args.library)
    papers = lib.papers()
    index = SearchIndex(papers)
    parts = index.bibliographic()  # (as plain bytes, which marshal also takes)
    for posting in ("title", "abstract"):
        parts[posting]["rare"] = {w: a.tobytes() for w, a in parts[posting]["rare"].items()}
    parts["rows"] = bytes(parts["rows"])
    pieces = [r for name, part in parts.items() for r in cache._records(name, part)]
    framed = records.pack([{"names": [n for n, _ in pieces]}, *(p for _, p in pieces)])
    old = [marshal.dumps(piece) for piece in pieces]
    path = args.library / "bench-index.bin"
    cache.save_index(index, path, lib.corpus_generation())
    sizes = f"{len(framed) / 1e6:.1f} MB, marshal {sum(map(len, old)) / 1e6:.1f} MB"
    print(f"index   framed file {sizes}")
    print(
        f"index   framed records decode   "
        f"{best(args.repeat, lambda: list(records.unpack(framed))):.3f} s"
    )
    unmarshal = best(args.repeat, lambda: [marshal.loads(b) for b in old])
    print(f"index   marshal decode          {unmarshal:.3f} s")
    print(f"index   read + shape check      {best(args.repeat, lambda: cache._read(path)):.3f} s")
    trusted = lambda: cache.load_index(path, papers, lib.corpus_generation())  # noqa: E731
    print(f"index   load_index (trusted)    {best(args.repeat, trusted):.3f} s")
    path.unlink()


if __name__ == "__main__":
    main()
