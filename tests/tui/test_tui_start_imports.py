"""What the app imports before its first page: not the modules only keys need (they load
on the store thread while the library is read, see app.WARM_UP)."""

from __future__ import annotations

import ast
import subprocess
import sys

LATER = (
    "filelock",
    "rapidfuzz",
    "readinglist.citations",
    "readinglist.dedupe",
    "readinglist.edits",
    "readinglist.exporting",
    "readinglist.importer",
    "readinglist.persistence.backups",
    "readinglist.persistence.splice",
    "readinglist.search.cache",
    "readinglist.search.index",
    "readinglist.sync.syncing",
    "readinglist.tui.screens.cite",
    "readinglist.tui.screens.note",
    "textual.widgets._text_area",
)


def _loaded_after(code: str) -> list[str]:
    """The modules of LATER that are loaded once `code` has run, in a fresh process."""
    check = f"import sys; {code}; print([m for m in {LATER!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout)


def test_the_app_starts_without_what_only_keys_need():
    assert _loaded_after("import readinglist.tui.app") == []


def test_what_is_left_for_later_loads_while_the_library_is_read():
    warm = "import importlib, readinglist.tui.app as a; [importlib.import_module(m) for m in a.WARM_UP]"
    assert _loaded_after(warm) == list(LATER)
