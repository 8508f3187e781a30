"""The command line: each subcommand parses its arguments, calls the domain, prints."""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn

from readinglist import __version__
from readinglist.cli import progress as cli_progress
from readinglist.cli import table
from readinglist.errors import ParseError, ReadingListError
from readinglist.export_formats import FORMATS as EXPORT_FORMATS
from readinglist.listing import SORTS, filter_papers, sort_papers, stats
from readinglist.model import Paper, parse_tags, short_ids
from readinglist.parsing.formats import FORMATS as IMPORT_FORMATS
from readinglist.persistence import backups, last_import
from readinglist.persistence.library import Library, cycle_collection_paused, open_library
from readinglist.persistence.paths import library_path
from readinglist.safe_text import counted, json_bytes, safe, safe_line, truncate

FORMATS = ("auto", *IMPORT_FORMATS)  # the table alone: no parser is loaded at start-up
STDIN_HINT = "Paste the listing, then Ctrl-D"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # what `undo` names
    try:
        if args.command is None:
            return open_app(args, parser)
        with cycle_collection_paused():
            try:
                return args.run(args)
            finally:
                _print_notices()
    except NothingDone as outcome:
        for line in str(outcome).splitlines():
            err(line)
        return 1
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
        _add_changes,
        _add_cite,
        _add_styles,
        _add_export,
        _add_stats,
        _add_locate,
        _add_open,
        _add_restore,
        _add_config,
        _add_sync,
    ):
        add(commands)
    from readinglist.cli import web as cli_web

    cli_web.add_commands(commands)
    return parser


def _add_sync(commands) -> None:
    from readinglist.cli import sync as cli_sync

    cli_sync.add_commands(commands)


def _add_changes(commands) -> None:
    from readinglist.cli import changes as cli_changes

    cli_changes.add_commands(commands)


def _command(commands, name: str, run, help: str) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help, description=help)
    sub.set_defaults(command=name, run=run, usage_parser=sub)
    return sub


def _add_filters(sub: argparse.ArgumentParser) -> None:
    state = sub.add_mutually_exclusive_group()
    state.add_argument("--unread", action="store_true", help="only unread papers")
    state.add_argument("--read", action="store_true", help="only read papers")
    sub.add_argument("--tag", help="only papers with this tag")
    sub.add_argument("--query", help="only papers matching this search query")


# ----- opening the library ---------------------------------------------------------


def library(args) -> Library:
    lib = open_library(library_path(args.library)[0])
    _OPENED.append(lib)
    return lib


_OPENED: list[Library] = []  # their notices are printed when the command ends


def _print_notices() -> None:
    while _OPENED:
        for line in _OPENED.pop().notices:
            err(f"readinglist: {safe_line(line)}")


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
    sub = _command(
        commands, "import", cmd_import, "import listings (files, - for stdin, or the clipboard)"
    )
    sub.add_argument(
        "paths", nargs="*", metavar="PATH", help="a listing file to import, or - for standard input"
    )
    sub.add_argument(
        "--clipboard", action="store_true", help="import what is on the clipboard (a copied page)"
    )
    sub.add_argument("--format", type=str.lower, choices=FORMATS, default="auto")
    sub.add_argument("--tag", action="append", default=[], help="tag every imported paper")
    sub.add_argument("--year", type=int, help="year for dates given without one")
    sub.add_argument("--dry-run", action="store_true", help="report without storing")
    sub.add_argument(
        "--enrich", action="store_true", help="then complete what was added from the web sources"
    )
    _add_json_output(sub)
    sub.add_argument(
        "--strict", action="store_true", help="refuse a BibTeX file with any bad entry in it"
    )
    sub.add_argument("--encoding", metavar="E", help="read the files in encoding E")


def cmd_import(args) -> int:
    """Import each file (and the clipboard); exit 0 when any paper was imported, 1 when none."""
    from readinglist.importer import import_files, import_text

    if not args.paths and not args.clipboard:
        _usage(args, "name a file to import, - for standard input, or use --clipboard")
    tags = _tags(args.tag)
    pasted = _pasted() if args.clipboard else None
    if args.clipboard and pasted is None:
        return 1
    if "-" in args.paths and sys.stdin.isatty():
        err(STDIN_HINT)
    lib = library(args)
    verb = "would add" if args.dry_run else "added"
    typing = "-" in args.paths and sys.stdin.isatty()  # no bar over what is being pasted
    with cli_progress.shown(cli_progress.on_terminal() and not typing) as progress:
        options = dict(
            fmt=args.format, tags=tags, year=args.year, dry_run=args.dry_run, progress=progress
        )
        outcomes = itertools.chain(
            import_files(lib, args.paths, **options, strict=args.strict, encoding=args.encoding),
            import_text(lib, pasted, source="clipboard", **options, strict=args.strict)
            if pasted is not None
            else (),
        )
        papers, parsed = _report_imports(outcomes, args, verb)
    failed = 0 if parsed else 1  # exit 0 when anything was imported, 1 when none was
    if not args.dry_run:
        last_import.remember(lib.root, papers)  # the app's "Just imported" view
    if args.enrich and not args.dry_run and papers:
        failed += _enrich_imported(lib, list(papers), args)
    if args.json:
        stored = list(papers.values()) if args.dry_run else [lib.get(pid) for pid in papers]
        print_json([p.to_json() for p in stored])
    return 1 if failed else 0


def _report_imports(outcomes, args, verb: str) -> tuple[dict, int]:
    """Print a line per outcome; the papers imported by id, and how many were parsed."""
    from readinglist.importer import ImportNote

    papers: dict = {}
    parsed = 0
    for outcome in outcomes:
        if isinstance(outcome, ParseError):
            err(f"readinglist: {outcome}")
            continue
        if isinstance(outcome, ImportNote):
            err(outcome.message)
            continue
        papers.update((p.id, p) for p in outcome.papers)
        parsed += outcome.parsed
        if not args.json:
            for line in _plan_lines(outcome.plan):
                out(line)
            out(
                f"{safe_line(outcome.source)}: parsed {outcome.parsed}, "
                f"{verb} {outcome.added}, merged {outcome.merged}"
                + (f", skipped {outcome.skipped}" if outcome.skipped else "")
            )
    return papers, parsed


def _pasted() -> str | None:
    """The clipboard's text for `import --clipboard`; None (said why) if there is none."""
    from readinglist import clipboard

    pasted = clipboard.paste()
    if pasted.text is None:
        err(f"readinglist: {pasted.message}")
        return None
    if not pasted.text.strip():
        err("readinglist: the clipboard is empty: copy a listing first")
        return None
    return pasted.text


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
    from readinglist.cli import web as cli_web
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
    sub.add_argument("--sort", type=str.lower, choices=SORTS, default="added")
    sub.add_argument("--json", action="store_true", help="print JSON")


def cmd_list(args) -> int:
    lib = library(args)
    if args.json and not args.query and _list_json_stored(lib, args):
        return 0
    every = None if args.json or args.query else lib.listed()  # without the corpus
    papers = sort_papers(matching_papers(lib, args, json_empty=args.json, among=every), args.sort)
    if args.json:
        print_json([p.to_json() for p in papers])
    else:
        shown = None if every is None else short_ids([p.id for p in every])
        print_table(lib, papers, upvotes=args.sort == "upvotes", short=shown)
    return 0


def _list_json_stored(lib: Library, args) -> bool:
    """`list --json` from the stored records and states, written a chunk at a time
    (listed_json.py): the bytes the papers' `to_json` give. False when it cannot tell
    (then the whole read answers, and says why when no paper matches)."""
    from readinglist.persistence import listed_json

    every = lib.listed_json()
    if every is None:
        return False
    picked = listed_json.keep(every, *_state_and_tag(args))
    if not picked:
        return False
    sys.stdout.flush()
    write = sys.stdout.buffer.write
    for chunk in listed_json.chunks(listed_json.sorted_shapes(picked, args.sort)):
        write(chunk)
    write(b"\n")
    return True


def _state_and_tag(args) -> tuple[bool | None, str | None]:
    """The read state (None: any) and the tag that --read/--unread and --tag ask for."""
    read = (
        True if getattr(args, "read", False) else False if getattr(args, "unread", False) else None
    )
    tag = _tags([args.tag])[0] if getattr(args, "tag", None) else None
    return read, tag


def selected_papers(lib: Library, args, among: list[Paper] | None = None) -> list[Paper]:
    """The library's papers (or `among` them) narrowed by --read/--unread, --tag,
    --query (and --source)."""
    read, tag = _state_and_tag(args)
    if args.query:
        papers = [paper for paper, _ in lib.search(args.query, limit=None)]
    else:
        papers = lib.papers() if among is None else among
    papers = filter_papers(papers, read=read, tag=tag)
    source = getattr(args, "source", None)
    return [p for p in papers if _only_from(p, source)] if source else papers


def matching_papers(
    lib: Library, args, json_empty: bool = False, among: list[Paper] | None = None
) -> list[Paper]:
    """`selected_papers`, or NothingDone saying why none matched (with `[]` for --json)."""
    papers = selected_papers(lib, args, among)
    if papers:
        return papers
    if json_empty:
        print_json([])
    raise NothingDone(_why_none(lib, args))


def _why_none(lib: Library, args) -> str:
    everything = lib.papers()
    if not everything:
        return "No papers yet (add some with `readinglist import FILE`)."
    tag = _tags([args.tag])[0] if getattr(args, "tag", None) else None
    if tag and not any(tag in p.tags for p in everything):
        return f"no paper has tag '{tag}'"
    source = getattr(args, "source", None)
    if source:
        name = _source_name(source)
        if not any(name in p.sources for p in everything):
            return f"no paper came from an import of '{name}'"
        return f"every paper from '{name}' was also brought by another import"
    return "No paper matches."


def _source_name(source: str) -> str:
    """The name imports record as a paper's source: the file name without its folder."""
    return "stdin" if source == "-" else Path(source).name


def _only_from(paper: Paper, source: str) -> bool:
    """Whether `paper` came only from imports of the file `source` (so removing it is safe)."""
    return set(paper.sources) == {_source_name(source)}


def _add_search(commands) -> None:
    sub = _command(commands, "search", cmd_search, "ranked fuzzy search over titles and abstracts")
    sub.add_argument(
        "words",
        nargs="+",
        metavar="WORD",
        help='the query: words, "phrases", tag:x, year:2024, ...',
    )
    sub.add_argument("--limit", type=_positive, default=20, help="at most N papers (20)")
    sub.add_argument("--json", action="store_true", help="print JSON (with a score)")


def cmd_search(args) -> int:
    lib = library(args)
    hits = lib.search(" ".join(args.words), args.limit)
    if args.json:
        print_json([{**p.to_json(), "score": round(score, 2)} for p, score in hits])
    if not hits:
        raise NothingDone("No paper matches.")
    if not args.json:
        print_table(lib, [p for p, _ in hits])
    return 0


def _add_show(commands) -> None:
    sub = _command(commands, "show", cmd_show, "show one paper in full")
    sub.add_argument("id", help=ID_HELP)
    sub.add_argument("--json", action="store_true", help="print JSON")


def cmd_show(args) -> int:
    lib = library(args)
    paper = lib.get(args.id)
    if args.json:
        print_json(paper.to_json())
    else:
        out(describe(paper, lib.short_ids()[paper.id], _cite_key(lib, paper)), lines=True)
    return 0


# ----- shared by the commands that change papers --------------------------------------

ID_HELP = "a paper: its id (any unique prefix of 4 or more characters) or its cite key"
IDS_HELP = "papers by id or cite key: ID, or ID,ID,... (or several words) for more than one"


def _short(lib: Library, paper: Paper) -> str:
    return lib.short_ids().get(paper.id, paper.id)


def _count(papers: list[Paper]) -> str:
    return counted(len(papers), "paper")


def _add_json_output(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--json", action="store_true", help="print the changed papers as JSON (as `show --json`)"
    )


# ----- choosing papers and reporting changes ----------------------------------------------


class NothingDone(ReadingListError):
    """Nothing matched or nothing changed: one line on stderr, exit status 1."""


def _refs(words: list[str]) -> list[str]:
    """Paper references from words, each of which may hold several: ID,ID,..."""
    return [ref.strip() for word in words for ref in word.split(",") if ref.strip()]


def _report(args, lib: Library, papers: list[Paper], line: str) -> int:
    """Print what changed: the papers as JSON with --json, else one line."""
    if getattr(args, "json", False):
        print_json([p.to_json() for p in papers])
    else:
        out(line)
    return 0


def _warn(line: str) -> None:
    err(line)


def _usage(args, message: str) -> NoReturn:
    """A usage mistake found after parsing: one line, exit status 2, nothing changed."""
    args.usage_parser.error(message)
    raise AssertionError("unreachable")  # pragma: no cover


# ----- citations and export ------------------------------------------------------------


STYLE_HELP = (
    "citation style: bibtex, biblatex, markdown, plain, apa, mla, chicago, ieee, harvard, "
    "or any installed CSL style by name (see `readinglist styles`); "
    "default: the library's setting"
)


class _Outputs:
    """The outputs of `cite --as` (citations/markup.py OUTPUTS), read when argparse first
    checks or shows them: building the parser does not load the citations package."""

    def _table(self) -> tuple[str, ...]:
        from readinglist.citations.markup import OUTPUTS

        return tuple(OUTPUTS)

    def __contains__(self, value: object) -> bool:
        return value in self._table()

    def __iter__(self):
        return iter(self._table())


def _add_cite(commands) -> None:
    sub = _command(commands, "cite", cmd_cite, "print citations (and copy them)")
    sub.add_argument("ids", nargs="*", metavar="ID", help=f"{IDS_HELP} (or use --tag/--query)")
    sub.add_argument("--tag", help="cite every paper with this tag")
    sub.add_argument("--query", help="cite every paper matching this query")
    sub.add_argument("--style", help=STYLE_HELP)
    sub.add_argument(
        "--as",
        dest="output",
        choices=_Outputs(),
        metavar="OUTPUT",
        default="text",
        help="output of a CSL style: text (default), markdown, html or rtf (italics kept)",
    )
    sub.add_argument(
        "--in-text",
        action="store_true",
        help="one in-text citation for the papers, e.g. (Vaswani et al., 2017) or [1], [2]",
    )
    sub.add_argument("--copy", action="store_true", help="also copy to the clipboard")


MIME_TYPES = {"html": "text/html", "rtf": "text/rtf"}


def cmd_cite(args) -> int:
    from readinglist import citations

    lib = library(args)
    refs = _refs(args.ids)
    if refs:
        papers = list({p.id: p for p in map(lib.get, refs)}.values())
    elif args.tag or args.query:
        papers = sort_papers(matching_papers(lib, args), "title")
    else:
        _usage(args, "name papers by ID, or choose them with --tag/--query")
    style = _style(lib, args.style, args.output)
    if citations.keyed(style):
        _fix_keys(lib, papers)
    # BibTeX keys must be unique across the library; the CSL styles only need them unique here.
    keys = lib.cite_keys(papers) if citations.keyed(style) else None
    text = citations.cite(papers, style, keys, args.output, args.in_text, saved_in=lib.root)
    out(text, lines=True)
    if args.copy:
        _copy_citation(
            lib,
            args,
            text,
            lambda: citations.cite(papers, style, keys, "text", args.in_text, saved_in=lib.root),
        )
    return 0


def _copy_citation(lib: Library, args, text: str, plain) -> None:
    """Copy `text`; HTML and RTF as their MIME type, with `plain()` for other readers."""
    from readinglist import clipboard  # not loaded by a `cite` that only prints

    if args.output in MIME_TYPES:
        result = clipboard.copy_typed(text, plain(), MIME_TYPES[args.output], lib.root)
    else:
        result = clipboard.copy(text, lib.root)
    err(result.message)


def _fix_keys(lib: Library, papers: list[Paper]) -> None:
    """The keys of `papers` are being written out: from now on they never change."""
    if any(not p.key_fixed for p in papers):
        lib.fix_keys([p.id for p in papers])


def _style(lib: Library, chosen: str | None, output: str = "text") -> str:
    from readinglist import citations

    style = chosen or lib.preferences().citation_style
    try:
        return citations.check_style(style, output)
    except ValueError as error:
        raise ReadingListError(str(error)) from None


def _add_styles(commands) -> None:
    sub = _command(commands, "styles", cmd_styles, "list the installed citation styles")
    sub.add_argument("word", nargs="?", default="", help="only styles matching WORD (fuzzy)")


def cmd_styles(args) -> int:
    from readinglist.citations import catalog

    root = library_path(args.library)[0]
    index = catalog.style_index(root if root.is_dir() else None)
    found = catalog.search(args.word, index)
    if not found:
        raise ReadingListError(f"styles: none matches {args.word!r}")
    width = max(len(name) for name, _ in found)
    for name, title in found:
        out(f"{name:<{width}}  {title}")
    return 0


def _add_export(commands) -> None:
    sub = _command(commands, "export", cmd_export, "export the library or part of it")
    sub.add_argument("--format", type=str.lower, choices=EXPORT_FORMATS, default="json")
    sub.add_argument("--output", "-o", metavar="FILE", help="write to FILE (default: stdout)")
    _add_filters(sub)


def cmd_export(args) -> int:
    from readinglist import exporting

    lib = library(args)
    papers = sort_papers(matching_papers(lib, args), "added")  # none: no file is written
    _fix_keys(lib, papers)
    text = exporting.export(papers, args.format, lib.cite_keys())
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


def _add_open(commands) -> None:
    sub = _command(commands, "open", cmd_open, "open a paper's link in the web browser")
    sub.add_argument("id", help=ID_HELP)


def cmd_open(args) -> int:
    from readinglist import links

    lib = library(args)
    paper = lib.get(args.id)
    link = links.openable_link(paper)  # a link that is not http(s) is refused (exit 1)
    if not link:
        raise NothingDone(f"paper {_short(lib, paper)} has no link (no URL, arXiv id or DOI)")
    out(link)
    if not links.open_in_browser(link):
        raise NothingDone("No usable web browser found: open the link above yourself.")
    return 0


def _add_restore(commands) -> None:
    sub = _command(commands, "restore", cmd_restore, "list backups, or restore one")
    sub.add_argument(
        "backup", nargs="?", help="the backup to restore, as listed (omit to list them)"
    )
    _add_json_output(sub)


def cmd_restore(args) -> int:
    lib = library(args)
    if not args.backup:
        return _list_backups(lib)
    labels = dict(backups.labelled_backups(lib.root))
    before = _papers_as_json(lib)
    with lib.backed_up(f"before restore of {args.backup}"):
        lib.restore_backup(args.backup)
    papers = lib.papers()
    changed = [p for p in papers if before.get(p.id) != p.to_json()]
    label = f", the backup taken {labels[args.backup]}" if labels.get(args.backup) else ""
    line = f"Restored {args.backup} ({_count(papers)}){safe_line(label)}"
    return _report(args, lib, changed, line)


def _list_backups(lib: Library) -> int:
    """Each backup's name and what it was taken before, newest first."""
    rows = backups.labelled_backups(lib.root)
    if not rows:
        raise NothingDone("No backups yet.")
    for name, label in rows:
        out(f"{name}  {label or '(taken before a change)'}")
    return 0


def _papers_as_json(lib: Library) -> dict[str, dict]:
    """Every paper's JSON by id; nothing when the library cannot be read (restore still runs)."""
    try:
        return {p.id: p.to_json() for p in lib.papers()}
    except ReadingListError:
        return {}


def _add_config(commands) -> None:
    sub = _command(commands, "config", cmd_config, "show or change library settings")
    sub.add_argument(
        "key",
        nargs="?",
        type=str.lower,
        choices=CONFIG_KEYS,
        help="the setting: citation_style (the default style of `cite` and the app), "
        "theme and sort (the app's, saved when changed there), "
        "or a web source setting (see the README)",
    )
    sub.add_argument("value", nargs="?", help="its new value, case ignored (omit to show it)")


# Each setting and its default as shown; web-source settings are checked by sources.config.
CONFIG_KEYS = {
    "citation_style": "bibtex",
    "theme": "textual-dark",
    "sort": "added",
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
        value = _setting_value(lib, args.key, args.value)
        if lib.settings().get(args.key) == value:
            shown = value if isinstance(value, str) else args.value
            raise NothingDone(f"{args.key} is already {safe_line(shown)}")
        lib.set_setting(args.key, value)
    settings = lib.settings()
    for key in (args.key,) if args.key else CONFIG_KEYS:
        value = settings.get(key, CONFIG_KEYS[key])
        if isinstance(value, dict):
            value = ",".join(f"{k}={v:g}" for k, v in value.items())
        out(f"{key} = {value}")
    return 0


def _setting_value(lib: Library, key: str, text: str):
    if key == "citation_style":
        from readinglist import citations

        return citations.style_id(_style(lib, text))
    if key in APP_SETTINGS:
        return _app_setting(key, text.lower())
    from readinglist.sources.config import parse_setting

    try:
        return parse_setting(key, text)
    except ValueError as error:
        raise ReadingListError(f"config {key}: {error}") from None


APP_SETTINGS = ("theme", "sort")


def _app_setting(key: str, value: str) -> str:
    """A theme Textual has, or one of the sorts (the app's `s` cycles through them)."""
    choices: tuple[str, ...] = SORTS
    if key == "theme":
        from readinglist.tui.themes import theme_names  # loads Textual: only here

        choices = theme_names()
    if value not in choices:
        raise ReadingListError(f"config {key}: {value!r} is not one of {', '.join(choices)}")
    return value


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


def print_table(
    lib: Library,
    papers: list[Paper],
    upvotes: bool = False,
    short: Mapping[str, str] | None = None,
) -> None:
    """One aligned line per paper: read marker, short id, title, year, (upvotes,) tags
    (`short`: every paper's short id, when known)."""
    import shutil

    width = shutil.get_terminal_size((80, 24)).columns
    found = table.lines(papers, lib.short_ids() if short is None else short, width, upvotes)
    if found:  # (each line on its own: `lines` made every cell safe on one line)
        sys.stdout.write(safe("\n".join(found)) + "\n")


def _cite_key(lib: Library, paper: Paper) -> str:
    """The paper's stored cite key, else the one it is cited by now."""
    return paper.key or lib.cite_keys()[paper.id]


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
