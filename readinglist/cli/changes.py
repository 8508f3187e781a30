"""Commands that change papers: `tag`, `untag`, `read`, `unread`, `note`, `edit`, `rm`
(and `undo`, cli_undo.py, which takes them back).

Each names its papers by id (`ID,ID,...`) or chooses them (`--query`, `--tag`,
`--source`), skips the papers the change would not change (saying so), takes a
labelled backup before a change that could lose something, and prints what changed
(`--json`: the papers). Nothing to change is exit status 1 with one line. Each change
is an edit (edits.py) stored with `Library.apply` and kept for `readinglist undo`.
"""

from __future__ import annotations

import argparse
import contextlib
import sys

from readinglist import cli, edits
from readinglist.cli import undo as cli_undo
from readinglist.model import Paper
from readinglist.persistence.library import Library
from readinglist.safe_text import counted, safe_line


def add_commands(commands) -> None:
    """Register the commands that change papers."""
    for add in (_add_tag, _add_read, _add_note, _add_edit, _add_rm, cli_undo.add_commands):
        add(commands)


def _add_choice(sub: argparse.ArgumentParser, *, tag: bool = True) -> None:
    """--query (and --tag) to act on every matching paper instead of papers named by id."""
    sub.add_argument("--query", metavar="Q", help="act on every paper matching this search query")
    if tag:
        sub.add_argument("--tag", metavar="T", help="act on every paper with this tag")


def _add_tag(commands) -> None:
    for name, run, verb in (("tag", cmd_tag, "add"), ("untag", cmd_untag, "remove")):
        sub = cli._command(
            commands, name, run, f"{verb} tags: on papers named by id, or on a query"
        )
        sub.usage = f"readinglist {name} [-h] [--json] (ID[,ID...] | --query Q) TAG..."
        sub.add_argument(
            "words",
            nargs="+",
            metavar="ID[,ID...] TAG",
            help=f"the papers (ID, or ID,ID,... for several; left out with --query), then the "
            f"tags to {verb} (TAG TAG or TAG,TAG)",
        )
        _add_choice(sub, tag=False)
        cli._add_json_output(sub)


def cmd_tag(args) -> int:
    lib = cli.library(args)
    refs, tags = _refs_and_tags(args)
    papers = _changing(lib, args, refs, lambda p: _tags_noted(p, tags, present=True))
    label = f"before tag of {cli._count(papers)}" if len(papers) > 1 else ""
    edit = edits.AddTags(lib.stamp(), tuple(tags))
    changed = _apply_remembered(args, lib, edit, papers, label)
    return cli._report(args, lib, changed, _tags_line(lib, changed, f"Added {_quoted(tags)} to"))


def cmd_untag(args) -> int:
    lib = cli.library(args)
    refs, tags = _refs_and_tags(args)
    papers = _changing(lib, args, refs, lambda p: _tags_noted(p, tags, present=False))
    label = f"before untag of {cli._count(papers)} ({', '.join(tags)})" if len(papers) > 1 else ""
    edit = edits.RemoveTags(lib.stamp(), tuple(tags))
    changed = _apply_remembered(args, lib, edit, papers, label)
    return cli._report(
        args, lib, changed, _tags_line(lib, changed, f"Removed {_quoted(tags)} from")
    )


def _refs_and_tags(args) -> tuple[list[str], list[str]]:
    """The ids and the tags of `tag`/`untag`: with --query every word is a tag."""
    words = list(args.words)
    refs = [] if args.query else cli._refs(words[:1])
    tags = cli._tags(words if args.query else words[1:])
    if not tags:
        cli._usage(args, "give the tags to change after the ids (or choose papers with --query)")
    return refs, tags


def _tags_noted(paper: Paper, tags: list[str], present: bool) -> tuple[bool, str]:
    """Whether adding (present) or removing tags changes `paper`, and why not, if not all."""
    unchanged = [t for t in tags if (t in paper.tags) == present]
    if not unchanged:
        return True, ""
    named = f"{'tag' if len(unchanged) == 1 else 'tags'} {_quoted(unchanged)}"
    return len(unchanged) < len(tags), f"already has {named}" if present else f"has no {named}"


def _tags_line(lib: Library, changed: list[Paper], summary: str) -> str:
    if len(changed) == 1:
        paper = changed[0]
        return f"{cli._short(lib, paper)}: tags {safe_line(', '.join(paper.tags)) or '(none)'}"
    return f"{summary} {cli._count(changed)}"


def _quoted(tags: list[str]) -> str:
    return ", ".join(f"'{safe_line(t)}'" for t in tags)


def _add_read(commands) -> None:
    for name, run in (("read", cmd_read), ("unread", cmd_unread)):
        sub = cli._command(commands, name, run, f"mark papers {name}")
        sub.add_argument(
            "ids", nargs="*", metavar="ID", help=f"{cli.IDS_HELP} (or use --query/--tag)"
        )
        _add_choice(sub)
        cli._add_json_output(sub)


def cmd_read(args) -> int:
    return _mark(args, True)


def cmd_unread(args) -> int:
    return _mark(args, False)


def _mark(args, read: bool) -> int:
    lib = cli.library(args)
    state = "read" if read else "unread"
    papers = _changing(lib, args, cli._refs(args.ids), lambda p: _read_noted(p, read))
    label = f"before {state} of {cli._count(papers)}" if len(papers) > 1 else ""
    edit = edits.MarkRead(lib.stamp(), read)
    changed = _apply_remembered(args, lib, edit, papers, label)
    return cli._report(args, lib, changed, f"Marked {cli._count(changed)} {state}")


def _read_noted(paper: Paper, read: bool) -> tuple[bool, str]:
    """Whether marking `paper` read (or unread) changes it, and why not."""
    if paper.read == read:
        return False, f"is already {'read' if read else 'unread'}"
    return True, ""


def _add_note(commands) -> None:
    sub = cli._command(commands, "note", cmd_note, "set or clear a paper's note")
    sub.add_argument("id", help=cli.ID_HELP)
    sub.add_argument("text", nargs="*", metavar="TEXT", help="the note (words joined by spaces)")
    sub.add_argument("--clear", action="store_true", help="delete the note")
    cli._add_json_output(sub)


def cmd_note(args) -> int:
    text = " ".join(args.text)
    if args.clear and text.strip():
        cli._usage(args, "give TEXT or use --clear, not both")
    if not args.clear and not text.strip():
        cli._usage(args, "give TEXT, or use --clear")
    lib = cli.library(args)
    paper = lib.get(args.id)
    short = cli._short(lib, paper)
    note = "" if args.clear else text
    if paper.note == note:
        raise cli.NothingDone(
            f"paper {short} {'has no note' if args.clear else 'already has this note'}"
        )
    label = f"before note {'--clear ' if args.clear else ''}of {short}" if paper.note else ""
    edit, before = edits.SetNote(lib.stamp(), note), paper
    with _backed_up(lib, label):
        (paper,) = lib.apply(edit, [paper.id])
    cli_undo.remember(args, lib, edit, [before], [paper])
    return cli._report(args, lib, [paper], f"{short}: note {'saved' if paper.note else 'cleared'}")


def _add_edit(commands) -> None:
    sub = cli._command(commands, "edit", cmd_edit, "correct a paper's details")
    sub.add_argument("id", help=cli.ID_HELP)
    sub.add_argument("--title")
    sub.add_argument("--authors", help='names separated by ";", e.g. "Ada Lovelace; Alan Turing"')
    sub.add_argument("--doi")
    sub.add_argument("--arxiv")
    sub.add_argument("--url")
    sub.add_argument("--year", type=int)
    sub.add_argument("--key", help="the BibTeX cite key (kept from then on)")
    cli._add_json_output(sub)


def cmd_edit(args) -> int:
    named = [name for name in _EDIT_OPTIONS if getattr(args, name) is not None]
    if not named:
        cli._usage(
            args,
            "nothing to change: give --title, --authors, --doi, --arxiv, --url, --year or --key",
        )
    lib = cli.library(args)
    paper = lib.get(args.id)
    short = cli._short(lib, paper)
    edit = _correction(args, lib.stamp())
    if edit.apply(paper) is paper:
        raise cli.NothingDone(f"paper {short} already has these details")
    before = paper
    with _backed_up(lib, f"before edit of {short} ({', '.join(sorted(named))})"):
        (paper,) = lib.apply(edit, [paper.id])
    cli_undo.remember(args, lib, edit, [before], [paper])
    return cli._report(args, lib, [paper], f"{short}: updated {', '.join(sorted(named))}")


_EDIT_OPTIONS = ("title", "authors", "doi", "arxiv", "url", "year", "key")


def _correction(args, stamp: edits.Stamp) -> edits.EditFields:
    """The edit `edit`'s options make (with what each implies: `EditFields.correcting`)."""
    authors = None if args.authors is None else args.authors.split(";")
    options = {name: getattr(args, name) for name in _EDIT_OPTIONS if name != "authors"}
    return edits.EditFields.correcting(stamp, authors=authors, **options)


def _add_rm(commands) -> None:
    sub = cli._command(
        commands,
        "rm",
        cmd_rm,
        "delete papers (a labelled backup is kept first)",
    )
    sub.add_argument(
        "ids", nargs="*", metavar="ID", help=f"{cli.IDS_HELP} (or use --query/--tag/--source)"
    )
    _add_choice(sub)
    sub.add_argument(
        "--source",
        metavar="NAME",
        help="the papers an import of the file NAME added (those other imports brought too stay)",
    )
    sub.add_argument("--yes", "-y", action="store_true", help="do not ask before deleting")
    cli._add_json_output(sub)


def cmd_rm(args) -> int:
    lib = cli.library(args)
    refs = cli._refs(args.ids)
    papers = _chosen(lib, args, refs)
    if not refs:
        _confirm(args, f"Delete {cli._count(papers)}?")
    edit = edits.Delete(lib.stamp())
    with _backed_up(lib, f"before rm of {cli._count(papers)}"):
        gone = lib.apply(edit, [p.id for p in papers])
    cli_undo.remember(args, lib, edit, gone, [])
    if args.source:
        _note_kept_sources(lib, args.source)
    back = "it" if len(gone) == 1 else "them"
    return cli._report(
        args, lib, gone, f"Deleted {cli._count(gone)} (`readinglist undo` brings {back} back)"
    )


def _note_kept_sources(lib: Library, source: str) -> None:
    kept = [p for p in lib.papers() if cli._source_name(source) in p.sources]
    if kept:
        cli._warn(f"kept {cli._count(kept)} that other imports brought too")


def _confirm(args, question: str) -> None:
    """Ask on a terminal (unless --yes); off a terminal, --yes is required."""
    if args.yes:
        return
    if not sys.stdin.isatty():
        cli._usage(args, f"{question.rstrip('?').lower()} needs --yes when not run on a terminal")
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise cli.NothingDone("Nothing deleted.")


def _chosen(lib: Library, args, refs: list[str]) -> list[Paper]:
    """The papers named by `refs`, or every paper --query/--tag/--source choose."""
    choosing = any(getattr(args, name, None) for name in ("query", "tag", "source"))
    if refs and choosing:
        cli._usage(args, "name papers by ID or choose them with --query, not both")
    if not refs and not choosing:
        cli._usage(args, "name papers by ID (ID,ID,... for several), or choose them with --query")
    if not refs:
        return cli.matching_papers(lib, args)
    return list({p.id: p for p in map(lib.get, refs)}.values())


def _changing(lib: Library, args, refs: list[str], check) -> list[Paper]:
    """The chosen papers the change would change; the others are named on stderr.

    `check(paper)` says whether the change changes `paper` and, if not wholly, why not
    ("has no tag 'x'"). Papers named by id get a line each; papers chosen by a query
    one line for all. Nothing to change at all is cli.NothingDone (exit status 1).
    """
    papers = _chosen(lib, args, refs)
    todo, lines, unchanged = [], [], 0
    for paper in papers:
        changes, why = check(paper)
        if changes:
            todo.append(paper)
        else:
            unchanged += 1
        if why and refs:
            lines.append(f"paper {cli._short(lib, paper)} {why}")
    if not refs and unchanged:
        lines.append(f"{counted(unchanged, 'matching paper')} unchanged")
    if not todo:
        raise cli.NothingDone("\n".join(lines))
    for line in lines:
        cli._warn(line)
    return todo


def _apply_remembered(
    args, lib: Library, edit: edits.Edit, papers: list[Paper], label: str
) -> list[Paper]:
    """Apply `edit` to `papers` after a backup labelled `label`, and keep it for `undo`."""
    with _backed_up(lib, label):
        changed = lib.apply(edit, [p.id for p in papers])
    cli_undo.remember(args, lib, edit, papers, changed)
    return changed


@contextlib.contextmanager
def _backed_up(lib: Library, label: str):
    """A labelled backup before the change inside (none when `label` is empty)."""
    if not label:
        yield
        return
    with lib.backed_up(label):
        yield
