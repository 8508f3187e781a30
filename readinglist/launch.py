"""The `readinglist` command: git's merge driver without the rest of the program.

`readinglist merge-driver` is run by git once per library file in a merge, so it
starts without loading the command line, the library or the app.
"""

from __future__ import annotations

import sys


def main() -> int:
    """Run `readinglist ARGS...`."""
    if sys.argv[1:2] == ["merge-driver"]:
        from readinglist.sync.driver import main as merge_driver

        return merge_driver(sys.argv[2:])
    from readinglist.cli import main as command_line

    return command_line()
