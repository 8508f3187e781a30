"""Every command that prints user data prints no raw escape, C1 or invisible character."""

from __future__ import annotations

import json

from hostile import HOSTILE, raw_escapes
from test_robust_hostile import _hostile_library

from readinglist import cli
from readinglist.citations import STYLES


def _clean_run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert raw_escapes(out) == [], (argv, "stdout")
    assert raw_escapes(err) == [], (argv, "stderr")
    return status, out, err


def _commands(root: str, ids: list[str], tmp_path) -> list[list[str]]:
    """Every command, run on every hostile paper where it takes one."""
    lib = ["--library", root]
    each = []
    for pid in ids:
        each += [
            [*lib, "show", pid],
            [*lib, "show", pid, "--json"],
            [*lib, "tag", pid, "fresh"],
            [*lib, "untag", pid, "fresh"],
            [*lib, "note", pid, "a", "note"],
            [*lib, "edit", pid, "--doi", "10.1/x"],
            [*lib, "read", pid],
            [*lib, "unread", pid],
        ]
    listing = [
        [*lib, "list"],
        [*lib, "list", "--json"],
        [*lib, "list", "--sort", "title"],
        [*lib, "search", "hostile"],
        [*lib, "search", "hostile", "--json"],
        [*lib, "stats"],
        [*lib, "stats", "--json"],
        [*lib, "cite", "--tag", "plain"],
        [*lib, "locate"],
        [*lib, "config"],
    ]
    listing += [[*lib, "cite", *ids, "--style", style] for style in STYLES]
    listing += [[*lib, "export", "--format", fmt] for fmt in cli.EXPORT_FORMATS]
    out = str(tmp_path / "out.bib")
    listing += [[*lib, "export", "--format", "bibtex", "-o", out]]
    return [*listing, *each, [*lib, "restore"], [*lib, "rm", *ids]]  # edit made backups


def test_every_command_prints_hostile_papers_harmlessly(tmp_path, capsys, make_paper):
    lib, papers = _hostile_library(tmp_path, make_paper)
    root = str(lib.root)
    for argv in _commands(root, [p.id for p in papers], tmp_path):
        status, _, _ = _clean_run(capsys, *argv)
        assert status == 0, argv


def test_errors_quoting_hostile_input_are_harmless(tmp_path, capsys, make_paper):
    lib, _ = _hostile_library(tmp_path, make_paper)
    root = str(lib.root)
    for argv in _mistakes(lib, tmp_path):
        status, _, err = _clean_run(capsys, "--library", root, *argv)
        assert status == 1 and err.count("\n") == 1, argv


def _mistakes(lib, tmp_path):
    first = lib.papers()[0].id
    for text in HOSTILE[:6]:
        yield from (
            ["show", text],
            ["tag", text, "x"],
            ["tag", first, text],
            ["edit", text, "--title", text],
            ["cite", "--style", text, first],
            ["config", "citation_style", text],
            ["restore", text],
            ["import", str(tmp_path / f"missing {text[:20]}.json")],
        )


def test_an_import_named_by_a_hostile_file_name_reports_harmlessly(tmp_path, capsys):
    name = tmp_path / "list \x1b]52;c;ZXZpbA==\x07 \u202e.json"
    name.write_text(json.dumps([{"title": "A paper", "abstract": "Text."}]), encoding="utf-8")
    status, out, _ = _clean_run(capsys, "--library", str(tmp_path / "lib"), "import", str(name))
    assert status == 0 and "\\x1b]52" in out


def test_a_hostile_id_in_the_library_file_is_reported_escaped(tmp_path, capsys, make_paper):
    lib, papers = _hostile_library(tmp_path, make_paper)
    path = lib.root / "papers.json"
    data = json.loads(path.read_text())
    bad = papers[0].id + "\x1b[2J\n"
    data["papers"][bad] = data["papers"].pop(papers[0].id)
    path.write_text(json.dumps(data))
    for command in ("list", "stats", "search"):
        argv = ["--library", str(lib.root), command] + (["x"] if command == "search" else [])
        status, out, err = _clean_run(capsys, *argv)
        assert status == 1 and out == ""
        assert f"paper {papers[0].id}\\x1b[2J" not in err  # the id is cut, escaped
        assert "papers.json: paper" in err and "the id must be 6 to 64 hexadecimal" in err


def test_an_imported_id_with_a_trailing_newline_is_replaced(tmp_path, capsys):
    listing = tmp_path / "ids.json"
    papers = [
        {"id": "0123456789abcdef\n", "title": "Twin one", "abstract": "First text."},
        {"id": "0123456789abcdef", "title": "Twin two", "abstract": "Second text."},
    ]
    listing.write_text(json.dumps(papers), encoding="utf-8")
    root = str(tmp_path / "lib")
    _clean_run(capsys, "--library", root, "import", str(listing))
    _, out, _ = _clean_run(capsys, "--library", root, "list", "--json")
    ids = [p["id"] for p in json.loads(out)]
    assert len(ids) == 2 and all("\n" not in pid for pid in ids)
    _, out, _ = _clean_run(capsys, "--library", root, "list")
    assert len(out.splitlines()) == 2
