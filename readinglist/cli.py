"""The command line: each subcommand parses its arguments, calls the domain, prints."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence

from readinglist import __version__, backups
from readinglist.errors import ParseError, ReadingListError
from readinglist.library import Library, cycle_collection_paused, open_library
from readinglist.model import Paper, parse_tags
from readinglist.paths import library_path
from readinglist.text import counted, json_bytes, safe, safe_line, truncate
from readinglist.views import SORTS, filter_papers, sort_papers, stats, year_label

FORMATS = ("auto", "hf", "abstracts", "bibtex", "json", "csl-json", "ris", "arxiv")
EXPORT_FORMATS = ("json", "bibtex", "csl-json", "csv", "markdown", "ris")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return open_app(args, parser)
        with cycle_collection_paused():
            return args.run(args)
    except ReadingListError as error:
        err(f"readinglist: {error}")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


class _Parser(argparse.ArgumentParser):
    """argparse, with usage mistakes reported in one line."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="readinglist",
        description="A keyboard-driven reading list for research papers. "
        "Run without a command to open the app.",
    )
    parser.add_argument(
        "--library", metavar="DIR", type=_folder, help="library folder (default: see `locate`)"
    )
    parser.add_argument("--version", action="version", version=f"readinglist {__version__}")
    parser.add_argument(
        "--offline",
        dest="offline_global",
        action="store_true",
        help="never open a network connection (web sources answer from their cache)",
    )
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (
        _add_import,
        _add_list,
        _add_search,
        _add_show,
        _add_tag,
        _add_read,
        _add_note,
        _add_edit,
        _add_rm,
        _add_cite,
        _add_export,
        _add_stats,
        _add_locate,
        _add_restore,
        _add_config,
    ):
        add(commands)
    from readinglist import cli_web

    cli_web.add_commands(commands)
    return parser


def _command(commands, name: str, run, help: str) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help, description=help)
    sub.set_defaults(command=name, run=run)
    return sub


def _add_filters(sub: argparse.ArgumentParser) -> None:
    state = sub.add_mutually_exclusive_group()
    state.add_argument("--unread", action="store_true", help="only unread papers")
    state.add_argument("--read", action="store_true", help="only read papers")
    sub.add_argument("--tag", help="only papers with this tag")
    sub.add_argument("--query", help="only papers matching this search query")


# ----- opening the library ---------------------------------------------------------


def library(args) -> Library:
    return open_library(library_path(args.library)[0])


def open_app(args, parser: argparse.ArgumentParser) -> int:
    """Open the app in a terminal; print help when there is none (pipes, cron)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        parser.print_help()
        return 0
    from readinglist.tui.app import run_app

    root, is_default = library_path(args.library)
    return run_app(open_library(root), first_run_samples=is_default)


# ----- import ----------------------------------------------------------------------


def _add_import(commands) -> None:
    sub = _command(commands, "import", cmd_import, "import listings (files, or - for stdin)")
    sub.add_argument("paths", nargs="+", metavar="PATH")
    sub.add_argument("--format", choices=FORMATS, default="auto")
    sub.add_argument("--tag", action="append", default=[], help="tag every imported paper")
    sub.add_argument("--year", type=int, help="year for dates given without one")
    sub.add_argument("--dry-run", action="store_true", help="report without storing")
    sub.add_argument(
        "--enrich", action="store_true", help="then complete what was added from the web sources"
    )
    sub.add_argument(
        "--strict", action="store_true", help="refuse a BibTeX file with any bad entry in it"
    )
    sub.add_argument("--encoding", metavar="E", help="read the files in encoding E")


def cmd_import(args) -> int:
    """Import each file; exit 0 when any paper was imported, 1 when none was."""
    from readinglist.importer import ImportNote, import_files

    tags = _tags(args.tag)
    verb = "would add" if args.dry_run else "added"
    lib = library(args)
    imported: list[str] = []
    parsed = 0
    outcomes = import_files(
        lib, args.paths, fmt=args.format, tags=tags, year=args.year,
        dry_run=args.dry_run, strict=args.strict, encoding=args.encoding,
    )  # fmt: skip
    for outcome in outcomes:
        if isinstance(outcome, ParseError):
            err(f"readinglist: {outcome}")
            continue
        if isinstance(outcome, ImportNote):
            err(outcome.message)
            continue
        imported += outcome.ids
        parsed += outcome.parsed
        for line in _plan_lines(outcome.plan):
            out(line)
        out(
            f"{safe_line(outcome.source)}: parsed {outcome.parsed}, "
            f"{verb} {outcome.added}, merged {outcome.merged}"
            + (f", skipped {outcome.skipped}" if outcome.skipped else "")
        )
    failed = 0 if parsed else 1  # exit 0 when anything was imported, 1 when nothing was
    if args.enrich and not args.dry_run and imported:
        failed += _enrich_imported(lib, imported, args)
    return 1 if failed else 0


def _plan_lines(plan: list) -> list[str]:
    """A dry run's plan, one line per paper: what it is, and what would happen to it."""
    lines = []
    for action, paper, stored, reason in plan:
        what = f"{paper.key + ' ' if paper.key else ''}{truncate(paper.title, 60)!r}"
        if action == "add":
            lines.append(f"  add    {what}")
        else:
            into = f"{stored.id[:8]} {truncate(stored.title, 40)!r}"
            lines.append(f"  merge  {what} into {into} ({reason})")
    return lines


def _folder(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty folder name; name a folder or leave it out")
    return text


def _enrich_imported(lib: Library, ids: list[str], args) -> int:
    """`import --enrich`: complete the imported papers that lack authors or an id."""
    from readinglist import cli_web
    from readinglist.sources import DEFAULT_SOURCES
    from readinglist.sources.fill import needs_metadata

    by_id = {p.id: p for p in lib.papers()}
    papers = [by_id[pid] for pid in dict.fromkeys(ids) if pid in by_id]
    papers = [p for p in papers if needs_metadata(p)]
    return cli_web.run_enrich(lib, papers, args, DEFAULT_SOURCES) if papers else 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number of 1 or more")
    return value


def _tags(raw: list[str]) -> list[str]:
    try:
        return parse_tags(*raw)
    except ValueError as error:
        raise ReadingListError(str(error)) from None


# ----- list / search / show ----------------------------------------------------------


def _add_list(commands) -> None:
    sub = _command(commands, "list", cmd_list, "list papers")
    _add_filters(sub)
    sub.add_argument("--sort", choices=SORTS, default="added")
    sub.add_argument("--json", action="store_true", help="print JSON")


def cmd_list(args) -> int:
    lib = library(args)
    papers = sort_papers(selected_papers(lib, args), args.sort)
    if args.json:
        print_json([p.to_json() for p in papers])
    else:
        print_table(lib, papers)
    return 0


def selected_papers(lib: Library, args) -> list[Paper]:
    """The library's papers narrowed by --read/--unread, --tag and --query."""
    read = True if args.read else False if args.unread else None
    tag = _tags([args.tag])[0] if args.tag else None
    if args.query:
        papers = [paper for paper, _ in search_library(lib, args.query, limit=None)]
    else:
        papers = lib.papers()
    return filter_papers(papers, read=read, tag=tag)


def search_library(lib: Library, text: str, limit: int | None) -> list[tuple[Paper, float]]:
    """Ranked papers for a query, with the index saved in the library folder."""
    from readinglist.search import search_papers

    papers = lib.papers()
    folder = lib.root if lib.exists() else None
    return search_papers(papers, text, limit, folder, lib.corpus_stamp())


def _add_search(commands) -> None:
    sub = _command(commands, "search", cmd_search, "ranked fuzzy search over titles and abstracts")
    sub.add_argument("words", nargs="+", metavar="WORD")
    sub.add_argument("--limit", type=_positive, default=20, help="at most N papers (20)")
    sub.add_argument("--json", action="store_true", help="print JSON (with a score)")


def cmd_search(args) -> int:
    lib = library(args)
    hits = search_library(lib, " ".join(args.words), args.limit)
    if args.json:
        print_json([{**p.to_json(), "score": round(score, 2)} for p, score in hits])
    elif not hits:
        err("No paper matches.")
        return 1
    else:
        print_table(lib, [p for p, _ in hits])
    return 0


def _add_show(commands) -> None:
    sub = _command(commands, "show", cmd_show, "show one paper in full")
    sub.add_argument("id")
    sub.add_argument("--json", action="store_true", help="print JSON")


def cmd_show(args) -> int:
    lib = library(args)
    paper = lib.get(args.id)
    if args.json:
        print_json(paper.to_json())
    else:
        out(describe(paper, lib.short_ids()[paper.id], _cite_key(lib, paper)), lines=True)
    return 0


# ----- changing papers ---------------------------------------------------------------


def _add_tag(commands) -> None:
    for name, run, help in (
        ("tag", cmd_tag, "add tags to a paper"),
        ("untag", cmd_untag, "remove tags from a paper"),
    ):
        sub = _command(commands, name, run, help)
        sub.add_argument("id")
        sub.add_argument("tags", nargs="+", metavar="TAG")


def cmd_tag(args) -> int:
    lib = library(args)
    paper = lib.add_tags([args.id], _tags(args.tags))[0]
    out(f"{_short(lib, paper)}: tags {', '.join(paper.tags) or '(none)'}")
    return 0


def cmd_untag(args) -> int:
    lib = library(args)
    paper = lib.remove_tags([args.id], _tags(args.tags))[0]
    out(f"{_short(lib, paper)}: tags {', '.join(paper.tags) or '(none)'}")
    return 0


def _short(lib: Library, paper: Paper) -> str:
    return lib.short_ids().get(paper.id, paper.id)


def _add_read(commands) -> None:
    for name, run in (("read", cmd_read), ("unread", cmd_unread)):
        sub = _command(commands, name, run, f"mark papers {name}")
        sub.add_argument("ids", nargs="+", metavar="ID")


def cmd_read(args) -> int:
    papers = library(args).set_read(args.ids, True)
    out(f"Marked {_count(papers)} read")
    return 0


def cmd_unread(args) -> int:
    papers = library(args).set_read(args.ids, False)
    out(f"Marked {_count(papers)} unread")
    return 0


def _count(papers: list[Paper]) -> str:
    return counted(len(papers), "paper")


def _add_note(commands) -> None:
    sub = _command(commands, "note", cmd_note, "set a paper's note (empty text clears it)")
    sub.add_argument("id")
    sub.add_argument("text", nargs="*", metavar="TEXT")


def cmd_note(args) -> int:
    lib = library(args)
    paper = lib.set_note(args.id, " ".join(args.text))
    out(f"{_short(lib, paper)}: note {'saved' if paper.note else 'cleared'}")
    return 0


def _add_edit(commands) -> None:
    sub = _command(commands, "edit", cmd_edit, "correct a paper's details")
    sub.add_argument("id")
    sub.add_argument("--title")
    sub.add_argument("--authors", help='names separated by ";", e.g. "Ada Lovelace; Alan Turing"')
    sub.add_argument("--doi")
    sub.add_argument("--arxiv")
    sub.add_argument("--url")
    sub.add_argument("--year", type=int)
    sub.add_argument("--key", help="the BibTeX cite key (kept from then on)")


def cmd_edit(args) -> int:
    changes: dict = {}
    if args.title is not None:
        if not args.title.strip():
            raise ReadingListError("--title: a title cannot be empty")
        changes.update(title=args.title.strip(), title_derived=False)
    if args.authors is not None:
        names = [n.strip() for n in args.authors.split(";") if n.strip()]
        changes.update(authors=names, author_count=len(names) or None)
    for key in ("doi", "arxiv", "url"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key).strip() or None
    if args.year is not None:
        changes.update(year=args.year, year_inferred=False, published=None)
    if args.key is not None:
        changes["key"] = args.key.strip()
    if not changes:
        raise ReadingListError("edit: nothing to change (see `readinglist edit --help`)")
    lib = library(args)
    paper = lib.edit(args.id, **changes)
    out(f"{_short(lib, paper)}: updated {', '.join(sorted(changes))}")
    return 0


def _add_rm(commands) -> None:
    sub = _command(commands, "rm", cmd_rm, "delete papers (a backup is kept)")
    sub.add_argument("ids", nargs="+", metavar="ID")


def cmd_rm(args) -> int:
    papers = library(args).remove(args.ids)
    out(f"Deleted {_count(papers)} (restore with `readinglist restore`)")
    return 0


# ----- citations and export ------------------------------------------------------------


def _add_cite(commands) -> None:
    sub = _command(commands, "cite", cmd_cite, "print citations (and copy them)")
    sub.add_argument("ids", nargs="*", metavar="ID")
    sub.add_argument("--tag", help="cite every paper with this tag")
    sub.add_argument("--query", help="cite every paper matching this query")
    sub.add_argument("--style", help="citation style (default: the library's setting)")
    sub.add_argument("--copy", action="store_true", help="also copy to the clipboard")


def cmd_cite(args) -> int:
    from readinglist import citations, clipboard

    lib = library(args)
    if args.ids:
        papers = [lib.get(ref) for ref in args.ids]
    elif args.tag or args.query:
        args.read = args.unread = False
        papers = sort_papers(selected_papers(lib, args), "title")
    else:
        raise ReadingListError("cite: name papers by ID, or choose them with --tag/--query")
    if not papers:
        raise ReadingListError("cite: no paper matches")
    style = _style(lib, args.style)
    if style in KEYED_STYLES:
        _fix_keys(lib, papers)
    text = citations.cite(papers, style, citations.cite_keys(lib.papers()))
    out(text, lines=True)
    if args.copy:
        result = clipboard.copy(text, lib.root)
        err(result.message)
    return 0


KEYED_STYLES = ("bibtex", "biblatex")  # citations that carry the cite key


def _fix_keys(lib: Library, papers: list[Paper]) -> None:
    """The keys of `papers` are being written out: from now on they never change."""
    if any(not p.key_fixed for p in papers):
        lib.fix_keys([p.id for p in papers])


def _style(lib: Library, chosen: str | None) -> str:
    from readinglist import citations

    style = chosen or lib.settings().get("citation_style", "bibtex")
    if style not in citations.STYLES:
        raise ReadingListError(
            f"{style}: unknown style (choose from {', '.join(citations.STYLES)})"
        )
    return style


def _add_export(commands) -> None:
    sub = _command(commands, "export", cmd_export, "export the library or part of it")
    sub.add_argument("--format", choices=EXPORT_FORMATS, default="json")
    sub.add_argument("--output", "-o", metavar="FILE", help="write to FILE (default: stdout)")
    _add_filters(sub)


def cmd_export(args) -> int:
    from readinglist import citations, exporting

    lib = library(args)
    papers = sort_papers(selected_papers(lib, args), "added")
    _fix_keys(lib, papers)
    text = exporting.export(papers, args.format, citations.cite_keys(lib.papers()))
    if args.output:
        exporting.write_file(args.output, text)
        err(f"Exported {_count(papers)} to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


# ----- library-wide ----------------------------------------------------------------------


def _add_stats(commands) -> None:
    sub = _command(commands, "stats", cmd_stats, "count papers, read, unread and tags")
    sub.add_argument("--json", action="store_true", help="print JSON")


def cmd_stats(args) -> int:
    counts = stats(library(args).papers())
    if args.json:
        print_json(counts)
        return 0
    out(f"{counts['papers']} papers: {counts['unread']} unread, {counts['read']} read")
    for tag, count in counts["tags"].items():
        out(f"  {count:5d}  {tag}")
    return 0


def _add_locate(commands) -> None:
    _command(commands, "locate", cmd_locate, "print where the library lives")


def cmd_locate(args) -> int:
    out(str(library_path(args.library)[0]))
    return 0


def _add_restore(commands) -> None:
    sub = _command(commands, "restore", cmd_restore, "list backups, or restore one")
    sub.add_argument("backup", nargs="?", help="the backup to restore (omit to list them)")


def cmd_restore(args) -> int:
    lib = library(args)
    if not args.backup:
        names = backups.list_backups(lib.root)
        out("\n".join(names) if names else "No backups yet.", lines=True)
        return 0
    lib.restore_backup(args.backup)
    out(f"Restored {args.backup} ({len(lib.papers())} papers)")
    return 0


def _add_config(commands) -> None:
    sub = _command(commands, "config", cmd_config, "show or change library settings")
    sub.add_argument("key", nargs="?", choices=CONFIG_KEYS)
    sub.add_argument("value", nargs="?")


# Each setting and its default as shown; web-source settings are checked by sources.config.
CONFIG_KEYS = {
    "citation_style": "bibtex",
    "contact": "(none: Crossref's public pool)",
    "timeout": "10",
    "retries": "3",
    "backoff": "1",
    "backoff_cap": "30",
    "pace": "(each service's terms: arxiv=3,hf=0.6,crossref=0.2,s2=1,openalex=0.1,dblp=1)",
}


def cmd_config(args) -> int:
    lib = library(args)
    if args.key and args.value:
        lib.set_setting(args.key, _setting_value(lib, args.key, args.value))
    settings = lib.settings()
    for key in (args.key,) if args.key else CONFIG_KEYS:
        value = settings.get(key, CONFIG_KEYS[key])
        if isinstance(value, dict):
            value = ",".join(f"{k}={v:g}" for k, v in value.items())
        out(f"{key} = {value}")
    return 0


def _setting_value(lib: Library, key: str, text: str):
    if key == "citation_style":
        return _style(lib, text)
    from readinglist.sources.config import parse_setting

    try:
        return parse_setting(key, text)
    except ValueError as error:
        raise ReadingListError(f"config {key}: {error}") from None


# ----- output ------------------------------------------------------------------------------


def out(text: str, lines: bool = False) -> None:
    """Print to stdout through the sanitiser: on one line, or keeping newlines (`lines`)."""
    print(safe(text, one_line=not lines))


def err(text: str) -> None:
    """Print one sanitised line to stderr."""
    print(safe(text, one_line=True), file=sys.stderr)


def print_json(data) -> None:
    """JSON on stdout: UTF-8, non-ASCII kept, indented."""
    sys.stdout.flush()
    sys.stdout.buffer.write(json_bytes(data) + b"\n")


def print_table(lib: Library, papers: list[Paper]) -> None:
    """One aligned line per paper: read marker, short id, title, year, tags."""
    width = shutil.get_terminal_size((80, 24)).columns
    ids = lib.short_ids()
    for paper in papers:
        short = safe_line(ids.get(paper.id, paper.id))
        year = year_label(paper)
        tags = safe_line(" ".join(f"#{t}" for t in paper.tags))
        room = width - len(short) - 14 - (len(tags) + 1 if tags else 0)
        title = truncate(safe_line(paper.title), max(room, 20))
        line = f"{'✓' if paper.read else '•'} {short}  {title:<{max(room, 20)}} {year:>5}"
        out(f"{line} {tags}".rstrip())


def _cite_key(lib: Library, paper: Paper) -> str:
    """The paper's stored cite key, else the one it is cited by now."""
    from readinglist import citations

    return paper.key or citations.cite_keys(lib.papers())[paper.id]


def describe(paper: Paper, short_id: str, cite_key: str) -> str:
    """A paper in full, for `show`."""
    rows = [
        ("id", f"{short_id} ({paper.id})"),
        ("cite key", cite_key + ("" if paper.key_fixed else " (provisional)")),
        ("title", paper.title + (" (derived from the abstract)" if paper.title_derived else "")),
        ("authors", "; ".join(paper.authors) or _authors_count(paper.author_count)),
        ("date", _date(paper)),
        ("upvotes", "" if paper.upvotes is None else str(paper.upvotes)),
        ("doi", paper.doi or ""),
        (
            "arxiv",
            (paper.arxiv or "")
            + (f" ({paper.arxiv_version})" if paper.arxiv and paper.arxiv_version else ""),
        ),
        ("url", paper.url or ""),
        ("journal", paper.journal or ""),
        ("sources", ", ".join(paper.sources)),
        ("tags", ", ".join(paper.tags)),
        ("read", f"yes, {paper.read_at}" if paper.read else "no"),
        ("added", paper.added),
        ("note", paper.note),
    ]
    head = "\n".join(f"{name:>8}: {value}" for name, value in rows if value)
    return f"{head}\n\n{paper.abstract}" if paper.abstract else head


def _date(paper: Paper) -> str:
    date = paper.published or str(paper.year or "")
    return f"{date} (year inferred)" if date and paper.year_inferred else date


def _authors_count(count: int | None) -> str:
    if count is None:
        return ""
    return counted(count, "author")
