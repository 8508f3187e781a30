"""The command line of sync: `readinglist sync ...` and `readinglist merge-driver`."""

from __future__ import annotations

import argparse

from readinglist.sync import driver


def add_commands(commands) -> None:
    """Register the sync commands on the main parser's subcommands."""
    _add_merge_driver(commands)


def _add_merge_driver(commands) -> None:
    sub = commands.add_parser(
        "merge-driver",
        help="merge one library file for git (registered by `sync init`)",
        description="Merge one library file as git's merge driver: BASE OURS THEIRS PATH "
        "(git's %%O %%A %%B %%P); the result is written over OURS.",
    )
    for name in ("base", "ours", "theirs", "path"):
        sub.add_argument(name)
    sub.set_defaults(command="merge-driver", run=cmd_merge_driver, usage_parser=sub)


def cmd_merge_driver(args: argparse.Namespace) -> int:
    return driver.main([args.base, args.ours, args.theirs, args.path])
