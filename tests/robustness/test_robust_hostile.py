"""Hostile text is shown literally and harmlessly; library files are private to the user."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import stat
from dataclasses import replace

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from hostile import HOSTILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from readinglist import cli
from readinglist.citations import cite
from readinglist.citations.phrasing import clean_paper
from readinglist.exporting import export
from readinglist.persistence import backups
from readinglist.persistence.library import Library

CONTROLS = set(map(chr, range(0x00, 0x20))) - {"\n"} | set(map(chr, range(0x7F, 0xA0)))
UNSAFE_CHARS = CONTROLS | {
    "\u200b",
    "\u200d",
    "\u200f",
    "\u202c",
    "\u202e",
    "\u2067",
    "\u2069",
    "\ufeff",
}


def _hostile_library(tmp_path, make_paper) -> tuple[Library, list]:
    papers = []
    for i, text in enumerate(HOSTILE):
        paper = make_paper(f"Hostile {i} {text}", f"Abstract {i}: {text}\n{text}")
        paper.note = f"note {text}"
        paper.tags = ["plain", f"tag{i}-{text[:40]}"]  # stored below, past import's checks
        paper.authors = [f"Mallory {text[:30]}"]
        paper.journal = text[:50]
        paper.url = f"https://example.org/{text[:20]}"
        papers.append(paper)
    listing = tmp_path / "hostile.json"
    untagged = [{**p.to_json(), "tags": []} for p in papers]
    listing.write_text(json.dumps(untagged), encoding="utf-8")
    lib = Library(tmp_path / "library")
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["--library", str(lib.root), "import", str(listing)]) == 0
    # Import refuses such tags; a damaged or older library may still hold them.
    for paper in papers:
        lib.update([paper.id], lambda current, tags=paper.tags: replace(current, tags=tags))
    stored = lib.papers()
    assert len(stored) == len(papers)
    assert any("\x1b" in p.title for p in stored) and any(
        "\x1b" in t for p in stored for t in p.tags
    )
    return lib, stored


def _assert_harmless(text: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ch in UNSAFE_CHARS})
    assert found == [], f"unsafe characters reach the terminal: {found}"


def _assert_no_controls(text: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ch in CONTROLS})
    assert found == [], f"terminal controls in the output: {found}"


def _run(capsys, *argv: str, check=_assert_harmless) -> str:
    cli.main(list(argv))
    out, err = capsys.readouterr()
    check(out)
    check(err)
    return out


def test_list_show_search_print_hostile_text_literally(tmp_path, capsys, make_paper):
    lib, papers = _hostile_library(tmp_path, make_paper)
    root = str(lib.root)
    listed = _run(capsys, "--library", root, "list")
    assert len(listed.splitlines()) == len(HOSTILE)
    assert "[bold]loud" in listed
    assert all(len(line) < 400 for line in listed.splitlines())
    for flag in ("--read", "--unread"):
        _run(capsys, "--library", root, "list", flag)
    for paper in papers:
        shown = _run(capsys, "--library", root, "show", paper.id)
        assert paper.id in shown
    shown = _run(capsys, "--library", root, "show", papers[0].id)
    assert "[bold]loud[/bold] [@click=app.quit]quit[/]" in shown
    assert "\\x1b" in _run(capsys, "--library", root, "show", papers[1].id)
    for words in (["hostile"], ["bold"], ["clipboard"], ["W" * 50], ["evil.exe"]):
        _run(capsys, "--library", root, "search", *words)
    _run(capsys, "--library", root, "list", "--query", "hostile")
    _run(capsys, "--library", root, "list", "--tag", "plain")


def test_stats_prints_hostile_tags_harmlessly(tmp_path, capsys, make_paper):
    lib, _ = _hostile_library(tmp_path, make_paper)
    _run(capsys, "--library", str(lib.root), "stats")


@pytest.mark.parametrize("command", ["list", "search", "show"])
def test_json_output_carries_no_terminal_controls(tmp_path, capsys, make_paper, command):
    lib, papers = _hostile_library(tmp_path, make_paper)
    argv = ["--library", str(lib.root), command, "--json"]
    if command == "search":
        argv[3:3] = ["hostile"]
    if command == "show":
        argv[3:3] = [papers[2].id]
        papers = papers[2:3]
    out = _run(capsys, *argv, check=_assert_no_controls)
    data = json.loads(out)
    data = data if isinstance(data, list) else [data]
    assert {p["title"] for p in data} == {p.title for p in papers}


def _decoder() -> LatexNodes2Text:
    db = get_default_latex_context_db().filter_context(keep_categories=None)
    db.add_context_category(
        "readinglist",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim", keep_braced_groups=False)


BREAKOUT = ["}", "{", "},\n  note = {injected", "}\n}\n@misc{evil, title={x", "\\", "\\}", "@", "%"]
titles = st.lists(st.sampled_from(BREAKOUT) | st.text(max_size=6), min_size=1, max_size=12).map(
    "".join
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=titles)
def test_bibtex_titles_cannot_break_out_of_their_braces(make_paper, title):
    paper = make_paper(f"T {title}", "An abstract.")
    text = cite([paper], "bibtex")
    raw = bibtexparser.parse_string(text)
    decoded = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(decoder=_decoder())]
    )
    assert not raw.failed_blocks and len(raw.entries) == 1 and not raw.strings
    fields = {f.key for f in raw.entries[0].fields}
    assert "note" not in fields
    assert decoded.entries[0].fields_dict["title"].value == clean_paper(paper).title


@pytest.mark.parametrize("text", HOSTILE[:6])
def test_bibtex_of_hostile_papers_is_one_entry_each(make_paper, text):
    paper = make_paper(f"Hostile {text}", f"Abstract {text}")
    library = bibtexparser.parse_string(cite([paper], "bibtex"))
    assert not library.failed_blocks and len(library.entries) == 1
    _assert_no_controls(cite([paper], "bibtex"))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    start=st.sampled_from(["=", "+", "-", "@", "\t", "\r", " =", "\n=", "\x00="]),
    rest=st.sampled_from(['HYPERLINK("http://evil","x")', "1+1", "cmd|' /C calc'!A0", "SUM(A1)"]),
)
def test_csv_cells_never_start_a_formula(make_paper, start, rest):
    cell = start + rest
    paper = make_paper(cell, cell, note=cell, tags=[cell], journal=cell, authors=[cell])
    rows = list(csv.reader(io.StringIO(export([paper], "csv"))))
    assert len(rows) == 2
    for value in rows[1]:
        assert not value.startswith(FORMULA_STARTS), value


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_library_files_are_private_to_the_user(small_library, capsys):
    lib = small_library
    lib.set_setting("citation_style", "apa")
    lib.set_read([p.id for p in lib.papers()[:3]])
    files = [lib.root / "papers.json", lib.root / "settings.json", *(lib.root / "state").glob("*")]
    assert len(files) > 10
    for path in files:
        assert _mode(path) == 0o600, path
    name = backups.list_backups(lib.root)[0]
    assert cli.main(["--library", str(lib.root), "restore", name]) == 0
    capsys.readouterr()
    for path in [lib.root / "papers.json", *(lib.root / "state").glob("*.json")]:
        assert _mode(path) == 0o600, path
    for path in (lib.root / backups.BACKUP_DIR).rglob("*.json"):
        assert _mode(path) == 0o600, path
