"""The command line of sync: `readinglist sync ...` and `readinglist merge-driver`."""

from __future__ import annotations

import argparse
import sys

from readinglist.safe_text import safe_line
from readinglist.sync import driver


def add_commands(commands) -> None:
    """Register the sync commands on the main parser's subcommands."""
    _add_sync(commands)
    _add_merge_driver(commands)


def _add_sync(commands) -> None:
    help = "sync the library with other machines through git"
    sub = commands.add_parser(
        "sync",
        help=help,
        description=f"{help}: `sync init [REMOTE_URL]` sets it up, `sync` commits, "
        "merges paper by paper and pushes, `sync --status` says where it stands.",
    )
    sub.add_argument("action", nargs="?", choices=["init"], help="init: set up the library")
    sub.add_argument(
        "remote", nargs="?", metavar="REMOTE_URL", help="(init) the remote to sync with"
    )
    sub.add_argument("--status", action="store_true", help="say what is ahead, behind, unmerged")
    sub.set_defaults(command="sync", run=cmd_sync, usage_parser=sub)


def cmd_sync(args: argparse.Namespace) -> int:
    from readinglist import cli
    from readinglist.sync import syncing

    if args.remote and args.action != "init":
        args.usage_parser.error("a remote is given with `sync init REMOTE_URL`")
    if args.status and args.action:
        args.usage_parser.error("--status takes no action")
    lib = cli.library(args)
    if args.status:
        lines = syncing.status(lib).lines()
    else:
        interactive = sys.stdin.isatty() and sys.stderr.isatty()
        if args.action == "init":
            report = syncing.init(lib, args.remote, interactive)
        else:
            report = syncing.sync(lib, interactive)
        lines = report.lines()
    for line in lines:
        print(safe_line(line))
    return 0


def _add_merge_driver(commands) -> None:
    sub = commands.add_parser(
        "merge-driver",
        help="merge one library file for git (registered by `sync init`)",
        description="Merge one library file as git's merge driver: BASE OURS THEIRS PATH "
        "(git's %%O %%A %%B %%P); the result is written over OURS.",
    )
    for name, help in (
        ("base", "the common version (git's %%O; empty: none)"),
        ("ours", "this side's version, where the result is written (%%A)"),
        ("theirs", "the other side's version (%%B)"),
        ("path", "the file's path in the library (%%P)"),
    ):
        sub.add_argument(name, help=help)
    sub.set_defaults(command="merge-driver", run=cmd_merge_driver, usage_parser=sub)


def cmd_merge_driver(args: argparse.Namespace) -> int:
    return driver.main([args.base, args.ours, args.theirs, args.path])
