"""Enrichment throughput against a local server, and what `import` pays when nothing is enriched.

    python bench/enrich_bench.py [--papers 40] [--arxiv-pace 0.2] [--hf-pace 0.05]

1. A library of N pasted papers (titles, abstracts, author counts, no names or ids) is
   enriched against a threaded server on 127.0.0.1 that knows every paper on Hugging Face
   and on arXiv (by id). Each paper costs one HF title search and one arXiv request by id
   (all to one local host, so the waits add up), so the pace bounds the rate at
   1 / (arxiv pace + HF pace) papers/s; the figure printed is the measured rate and its
   ratio to that bound. A run with no pace gives the cost of the code itself.
2. `import` of the same papers with and without `--enrich` when every paper is complete
   already (so nothing is looked up): the extra time, and whether httpx was loaded.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = [
    "robust",
    "sparse",
    "graph",
    "neural",
    "diffusion",
    "language",
    "vision",
    "policy",
    "adaptive",
    "token",
]


def make_papers(n: int) -> list[dict]:
    papers = []
    for i in range(n):
        words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(6)]
        title = f"{' '.join(words).title()} Number {i}"
        abstract = f"We study {' '.join(words)} in setting {i}. " * 6
        papers.append({"title": title, "abstract": abstract, "author_count": 3, "n": i})
    return papers


def serve(papers: list[dict]) -> tuple[ThreadingHTTPServer, str]:
    by_title = {p["title"]: p for p in papers}
    by_id = {f"2501.{10000 + p['n']}": p for p in papers}

    def hf_paper(arxiv: str, p: dict) -> dict:
        authors = [{"name": f"Author {k} Person{p['n']}", "hidden": False} for k in range(3)]
        return {
            "id": arxiv,
            "title": p["title"],
            "summary": p["abstract"],
            "authors": authors,
            "publishedAt": "2025-01-15T00:00:00.000Z",
            "upvotes": p["n"],
        }

    def atom(arxiv: str, p: dict) -> str:
        names = "".join(
            f"<author><name>Author {k} Person{p['n']}</name></author>" for k in range(3)
        )
        return (
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
            f"<id>http://arxiv.org/abs/{arxiv}v1</id><title>{p['title']}</title>"
            f"<summary>{p['abstract']}</summary><published>2025-01-15T10:00:00Z</published>"
            f"{names}</entry></feed>"
        )

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            body, kind = b"[]", "application/json"
            if parts.path == "/api/papers/search":
                p = by_title.get(query.get("q", [""])[0])
                arxiv = f"2501.{10000 + p['n']}" if p else ""
                body = json.dumps([{"paper": hf_paper(arxiv, p)}] if p else []).encode()
            elif parts.path.startswith("/api/papers/"):
                arxiv = parts.path.rsplit("/", 1)[1]
                body = json.dumps(hf_paper(arxiv, by_id[arxiv])).encode()
            elif parts.path == "/api/query":
                arxiv = query.get("id_list", [""])[0]
                body, kind = atom(arxiv, by_id[arxiv]).encode(), "application/atom+xml"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def listing(papers: list[dict], folder: Path, complete: bool = False) -> Path:
    path = folder / ("complete.json" if complete else "pasted.json")
    records = []
    for p in papers:
        record = {"title": p["title"], "abstract": p["abstract"], "author_count": 3}
        record["identifiers"] = {"arxiv": f"2501.{10000 + p['n']}"} if complete else {}
        if complete:
            record.update(authors=["A B", "C D", "E F"], year=2025)
        records.append(record)
    path.write_text(json.dumps(records))
    return path


def run_cli(*args: str) -> tuple[int, float]:
    from readinglist.cli import main

    start = time.perf_counter()
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(list(args))
    return status, time.perf_counter() - start


def throughput(papers, url, folder: Path, arxiv_pace: float, hf_pace: float) -> tuple[float, int]:
    import os

    for var in ("READINGLIST_HF_URL", "READINGLIST_ARXIV_URL", "READINGLIST_CROSSREF_URL"):
        os.environ[var] = url
    os.environ.pop("READINGLIST_OFFLINE", None)
    lib = folder / f"lib-{arxiv_pace}-{hf_pace}"
    lib.mkdir()
    settings = {"pace": {"arxiv": arxiv_pace, "hf": hf_pace, "crossref": 0}, "timeout": 5}
    (lib / "settings.json").write_text(json.dumps(settings))
    run_cli("--library", str(lib), "import", str(listing(papers, folder)))
    from readinglist.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["--library", str(lib), "enrich", "--missing", "--source", "hf,arxiv", "--json"])
    spent = time.perf_counter() - start
    out.flush()
    filled = sum(1 for r in json.loads(out.buffer.getvalue()) if r["outcome"] == "filled")
    return len(papers) / spent, filled


def import_cost(papers, folder: Path) -> tuple[float, float, bool]:
    source = listing(papers, folder, complete=True)
    plain = min(
        run_cli("--library", str(folder / f"plain{i}"), "import", str(source))[1] for i in range(3)
    )
    loaded_before = "httpx" in sys.modules
    enriched = min(
        run_cli("--library", str(folder / f"enr{i}"), "import", str(source), "--enrich")[1]
        for i in range(3)
    )
    return plain, enriched, loaded_before or "httpx" in sys.modules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=40)
    parser.add_argument("--arxiv-pace", type=float, default=0.2)
    parser.add_argument("--hf-pace", type=float, default=0.05)
    args = parser.parse_args()
    papers = make_papers(args.papers)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain, enriched, loaded = import_cost(papers, folder)
        print(
            f"import of {len(papers)} complete papers: {plain * 1000:.0f} ms; with --enrich "
            f"(nothing to look up): {enriched * 1000:.0f} ms "
            f"(ratio {enriched / plain:.2f}); httpx loaded: {'yes' if loaded else 'no'}"
        )
        server, url = serve(papers)
        try:
            rate, filled = throughput(papers, url, folder, 0.0, 0.0)
            print(f"enrich {len(papers)} papers, no pace: {rate:.1f} papers/s ({filled} filled)")
            bound = 1 / (args.arxiv_pace + args.hf_pace)
            rate, filled = throughput(papers, url, folder, args.arxiv_pace, args.hf_pace)
            print(
                f"enrich {len(papers)} papers, arxiv pace {args.arxiv_pace} s, hf pace "
                f"{args.hf_pace} s: {rate:.2f} papers/s ({filled} filled); bound "
                f"{bound:.2f} papers/s, ratio {rate / bound:.2f}"
            )
            real = 1 / 3.0  # different hosts: arXiv's pace alone bounds the rate
            print(
                f"with the real services' terms (arxiv 3 s) the bound is "
                f"{real:.2f} papers/s: {len(papers) / real / 60:.1f} min for {len(papers)} papers"
            )
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
