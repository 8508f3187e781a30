"""`readinglist undo`: take back the last changes made from the command line, one by one.

Each changing command (`tag`, `untag`, `read`, `unread`, `note`, `edit`, `rm`) keeps
its edit in the undo history (history.py) with `remember`. Undo is that edit's own
revert (`edits.Undo`) stored through `Library.apply`, as the app's `u` is: a field
someone changed since keeps its new value, and deleted papers come back whole
(`edits.Restore`).
"""

from __future__ import annotations

import shlex

from readinglist import cli, edits
from readinglist.errors import ReadingListError
from readinglist.model import Paper
from readinglist.persistence import history
from readinglist.persistence.library import Library
from readinglist.safe_text import counted, safe_line, truncate

COMMAND_SHOWN = 120  # characters of the command line `undo` names


def add_commands(commands) -> None:
    """Register `undo`."""
    sub = cli._command(
        commands,
        "undo",
        cmd_undo,
        f"take back the last change made from the command line (run it again for the one "
        f"before, up to {history.KEEP})",
    )
    cli._add_json_output(sub)


def cmd_undo(args) -> int:
    lib = cli.library(args)
    entry = history.latest(lib.root)
    if entry is None:
        raise cli.NothingDone(
            f"Nothing to undo (undo takes back the last {history.KEEP} changes made "
            "from the command line)"
        )
    changed = _restore_deleted(lib, entry) if entry.edit.removes else _revert(lib, entry)
    history.drop_latest(lib.root)
    return cli._report(args, lib, changed, f"Undid {_named(entry)} ({cli._count(changed)})")


def _named(entry: history.Entry) -> str:
    return f"`{safe_line(truncate(entry.command, COMMAND_SHOWN))}`"


def _revert(lib: Library, entry: history.Entry) -> list[Paper]:
    """Take back a change with its edit's revert; fields changed since stay as they are."""
    current = {p.id: p for p in lib.papers() if p.id in entry.after}
    gone = len(entry.after) - len(current)
    if gone:
        cli._warn(f"{counted(gone, 'paper')} deleted since: nothing to take back there")
    for paper in current.values():
        kept = entry.changed_since(paper)
        if kept:
            cli._warn(f"paper {cli._short(lib, paper)}: kept {', '.join(kept)} (changed since)")
    undo = edits.Undo(lib.stamp(), entry.edit, entry.steps(current))
    todo = [pid for pid in undo.steps if undo.apply(current[pid]) is not current[pid]]
    if not todo:
        history.drop_latest(lib.root)
        raise cli.NothingDone(f"Nothing left to undo of {_named(entry)}")
    return lib.apply(undo, todo, missing_ok=True)


def _restore_deleted(lib: Library, entry: history.Entry) -> list[Paper]:
    """Put deleted papers back as they were (those stored again since stay as they are)."""
    removed = entry.removed()
    present = lib.holding(p.id for p in removed)
    for paper in removed:
        if paper.id in present:
            cli._warn(f"paper {cli._short(lib, paper)} is in the library again: left as it is")
    back = [p for p in removed if p.id not in present]
    if not back:
        history.drop_latest(lib.root)
        raise cli.NothingDone(f"Nothing left to undo of {_named(entry)}")
    return lib.apply(edits.Restore(lib.stamp(), tuple(back)), [p.id for p in back])


def remember(args, lib: Library, edit: edits.Edit, before: list[Paper], after: list[Paper]):
    """Keep a change for `undo`; a failure to keep it is a warning, not an error."""
    try:
        history.record(lib.root, history.entry_for(command_line(args), edit, before, after))
    except (OSError, ReadingListError) as error:
        cli._warn(f"this change cannot be undone with `readinglist undo`: {error}")


def command_line(args) -> str:
    """The command as typed, from its name on (without --json): what `undo` names."""
    words = list(getattr(args, "argv", None) or [args.command])
    start = words.index(args.command) if args.command in words else 0
    return shlex.join(w for w in words[start:] if w != "--json")
