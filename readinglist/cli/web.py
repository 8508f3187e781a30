"""Commands that ask the web sources: `enrich`, `add`, `fetch hf` (and `import --enrich`).

The sources (and httpx) are imported only when one of these runs: other commands pay
nothing for them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections import Counter

from readinglist import cli
from readinglist.cli import progress as cli_progress
from readinglist.model import Paper
from readinglist.persistence.library import Library
from readinglist.progress import Progress
from readinglist.safe_text import counted, safe_line, truncate

_WEEK = re.compile(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def add_commands(commands) -> None:
    """Register `enrich`, `add` and `fetch`."""
    _add_enrich(commands)
    _add_add(commands)
    _add_fetch(commands)


def _client(lib: Library, args):
    from readinglist.sources import open_client

    return open_client(lib.root, lib.settings(), offline=_offline(args))


def _offline(args) -> bool:
    return bool(getattr(args, "offline", False) or getattr(args, "offline_global", False))


def _sources(args) -> tuple[str, ...]:
    from readinglist.sources import DEFAULT_SOURCES, parse_sources
    from readinglist.sources.config import ASKED

    raw = getattr(args, "source", None)
    names = parse_sources(raw) if raw else DEFAULT_SOURCES
    for name in names:
        if name not in ASKED:
            _warn(f"warning: --source {name} is not asked yet (asked: {', '.join(ASKED)})")
    return names


# ----- enrich --------------------------------------------------------------------------


def _add_enrich(commands) -> None:
    sub = cli._command(
        commands, "enrich", cmd_enrich, "complete papers from Hugging Face, arXiv, Crossref"
    )
    sub.add_argument("ids", nargs="*", metavar="ID", help=f"{cli.IDS_HELP} (default: --missing)")
    which = sub.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every paper")
    which.add_argument(
        "--missing", action="store_true", help="papers without author names or an id (default)"
    )
    sub.add_argument("--source", help="comma-separated: hf,arxiv,crossref,s2,openalex,dblp")
    sub.add_argument("--offline", action="store_true", help="use only answers saved earlier")
    sub.add_argument("--dry-run", action="store_true", help="report without storing")
    sub.add_argument("--json", action="store_true", help="print a JSON array of outcomes")


def cmd_enrich(args) -> int:
    from readinglist.sources.fill import needs_metadata

    if args.ids and (args.all or args.missing):
        raise SystemExit(cli_usage("enrich: name papers by ID, or use --all/--missing, not both"))
    sources = _sources(args)
    lib = cli.library(args)
    if args.ids:
        papers = [lib.get(ref) for ref in dict.fromkeys(args.ids)]
    else:
        papers = [p for p in lib.papers() if args.all or needs_metadata(p)]
    return run_enrich(lib, papers, args, sources)


def cli_usage(message: str) -> int:
    cli.err(f"readinglist: {message} (see `readinglist --help`)")
    return 2


def run_enrich(lib: Library, papers: list[Paper], args, sources: tuple[str, ...]) -> int:
    """Enrich `papers`, print the outcomes (or JSON) and a summary; return the exit status."""
    from readinglist import enriching

    dry_run = getattr(args, "dry_run", False)
    shown = cli_progress.on_terminal() and len(papers) > 1
    with _client(lib, args) as client, cli_progress.shown(shown) as progress:
        meter = _Meter(progress, len(papers))
        results = enriching.enrich(lib, papers, client, sources, dry_run=dry_run, progress=meter)
        cached = client.cache_hits
    if getattr(args, "json", False):
        cli.print_json([r.to_json() for r in results])
    else:
        _print_results(lib, results, dry_run)
    head, failures = enriching.summary(results)
    cli.err(f"enrich: {counted(len(results), 'paper')}: {head}")
    for line in failures:
        cli.err(f"readinglist: warning: {line}")
    if client.settings.offline and cached:
        cli.err(f"readinglist: offline: {counted(cached, 'answer')} from earlier runs")
    return enriching.exit_status(results)


def _print_results(lib: Library, results, dry_run: bool) -> None:
    ids = lib.short_ids()
    verb = {"filled": "would fill", "merged": "would merge"} if dry_run else {}
    for r in results:
        short = ids.get(r.merged_into or r.id, (r.merged_into or r.id)[:8])
        what = verb.get(r.outcome, r.outcome)
        detail = ""
        if r.filled:
            detail = " " + ", ".join(f"{name} ({src})" for name, src in r.sources.items())
        if r.error and r.outcome == "failed":
            detail = f": {r.error}"
        title = truncate(safe_line(r.title), 60)
        cli.out(f"{short}  {what}{detail}  {title}")


class _Meter:
    """Each paper's outcome on the progress bar: done/total, counts, the title, time left."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.counts: Counter[str] = Counter()
        progress.stage("enrich", total)

    def __call__(self, result) -> None:
        self.counts[result.outcome] += 1
        counts = " ".join(f"{o} {n}" for o, n in sorted(self.counts.items()))
        self.progress.advance(what=f"{counts}  {truncate(safe_line(result.title), 40)}")


# ----- add -----------------------------------------------------------------------------


def _add_add(commands) -> None:
    sub = cli._command(commands, "add", cmd_add, "add papers by arXiv id, DOI or URL")
    sub.add_argument(
        "refs",
        nargs="+",
        metavar="ID_OR_URL",
        help="an arXiv id (2503.11650), a DOI, or an arxiv.org, huggingface.co or doi.org URL",
    )
    sub.add_argument("--tag", action="append", default=[], help="tag every added paper")


def cmd_add(args) -> int:
    from readinglist.enriching import paper_from
    from readinglist.sources import DEFAULT_SOURCES
    from readinglist.sources.ids import parse_ref
    from readinglist.sources.lookup import lookup

    tags = cli._tags(args.tag)
    lib = cli.library(args)
    papers, failed = [], 0
    with _client(lib, args) as client:
        for typed in args.refs:
            ref = parse_ref(typed)
            if ref is None:
                _warn(f"{typed}: not an arXiv id, arXiv or Hugging Face URL, or DOI")
                failed += 1
                continue
            arxiv, doi = (ref.value, None) if ref.kind == "arxiv" else (None, ref.value)
            probe = Paper(id="", title="", arxiv=arxiv, doi=doi)
            found = lookup(client, probe, DEFAULT_SOURCES)
            paper = paper_from(found.records)
            if paper is None:
                why = found.errors[0] if found.errors else "no source knows it"
                _warn(f"{typed}: {why}")
                failed += 1
                continue
            papers.append(paper)
    if papers:
        report = lib.import_papers(papers, source="web", tags=tags)
        cli.out(f"added {report.added}, merged {report.merged}")
    return 1 if failed else 0


def _warn(message: str) -> None:
    cli.err(f"readinglist: {message}")


# ----- fetch -----------------------------------------------------------------------------


def _add_fetch(commands) -> None:
    sub = cli._command(commands, "fetch", cmd_fetch, "fetch a Hugging Face Daily Papers batch")
    sub.add_argument(
        "service", type=str.lower, choices=("hf",), help="where from: hf (Hugging Face)"
    )
    when = sub.add_mutually_exclusive_group()
    when.add_argument("--date", type=_day, help="YYYY-MM-DD (default: today's batch)")
    when.add_argument("--week", type=_pattern(_WEEK, "YYYY-Www"), help="YYYY-Www")
    when.add_argument("--month", type=_pattern(_MONTH, "YYYY-MM"), help="YYYY-MM")
    sub.add_argument("--tag", action="append", default=[], help="tag every fetched paper")
    sub.add_argument("--min-upvotes", type=int, default=0, metavar="N")


def _day(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat() if len(text) == 10 else _bad(text)
    except ValueError:
        return _bad(text)


def _bad(text: str, form: str = "YYYY-MM-DD"):
    raise argparse.ArgumentTypeError(f"{text!r}: expected {form}")


def _pattern(regex: re.Pattern, form: str):
    def check(text: str) -> str:
        return text if regex.fullmatch(text) else _bad(text, form)

    return check


def cmd_fetch(args) -> int:
    from readinglist.enriching import paper_from
    from readinglist.sources import hf

    tags = cli._tags(args.tag)
    when = {k: v for k in ("date", "week", "month") if (v := getattr(args, k))}
    lib = cli.library(args)
    with _client(lib, args) as client:
        records = hf.daily(client, **when)
    chosen = [r for r in records if (r.upvotes or 0) >= args.min_upvotes]
    papers = [p for p in (paper_from([r]) for r in chosen) if p is not None]
    label = next(iter(when.values()), "today")
    if not papers:
        cli.out(f"Daily Papers {label}: no papers" + (" with that many upvotes" if records else ""))
        return 0
    report = lib.import_papers(papers, source=f"hf-daily-{label}", tags=tags)
    cli.out(
        f"Daily Papers {label}: fetched {len(papers)}, added {report.added}, merged {report.merged}"
    )
    return 0
