"""Progress of long commands: drawn on stderr when it is a terminal, never in a pipe."""

from __future__ import annotations

import io
import json
import sys

import pytest

from readinglist.cli import main
from readinglist.model import Paper, paper_id


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal (rich draws on it as on one)."""

    def isatty(self) -> bool:
        return True


def listing(tmp_path, n: int = 40):
    papers = [
        Paper(id=paper_id(f"Study number {i} of kernels", ""), title=f"{w} kernels {i}")
        for i, w in enumerate(["Sparse", "Dense", "Graph", "Causal"] * (n // 4))
    ]
    path = tmp_path / "many.json"
    path.write_text(json.dumps([p.to_json() for p in papers]), encoding="utf-8")
    return path


def run_on(tmp_path, capsys, monkeypatch, stderr, *args) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stderr", stderr)
    status = main(["--library", str(tmp_path / "lib"), *args])
    out, err = capsys.readouterr()
    return status, out, stderr.getvalue() if isinstance(stderr, io.StringIO) else err


def test_import_on_a_terminal_shows_each_stage(tmp_path, capsys, monkeypatch):
    path = listing(tmp_path)
    status, out, err = run_on(tmp_path, capsys, monkeypatch, FakeTerminal(), "import", str(path))
    assert status == 0
    assert out == "many.json: parsed 40, added 40, merged 0\n"  # stdout as ever
    assert "Reading many.json" in err
    assert "Checking 40 papers from many.json against the library" in err
    assert "Storing 40 papers" in err
    assert "\x1b[" in err  # drawn, then erased


def test_import_in_a_pipe_writes_nothing_extra(tmp_path, capsys, monkeypatch):
    path = listing(tmp_path)
    piped = io.StringIO()
    status, out, err = run_on(tmp_path, capsys, monkeypatch, piped, "import", str(path))
    assert status == 0
    assert out == "many.json: parsed 40, added 40, merged 0\n"
    assert err == ""


def test_a_hostile_file_name_is_drawn_literally(tmp_path, capsys, monkeypatch):
    path = listing(tmp_path)
    hostile = path.with_name("[bold]x\x1b[2J.json")
    path.rename(hostile)
    status, _, err = run_on(tmp_path, capsys, monkeypatch, FakeTerminal(), "import", str(hostile))
    assert status == 0
    assert "Reading [bold]x" in err
    assert "\x1b[2J" not in err


@pytest.mark.parametrize("typed", [True, False])
def test_no_bar_over_a_listing_being_typed_on_stdin(tmp_path, capsys, monkeypatch, typed):
    class Stdin(io.StringIO):
        def isatty(self) -> bool:
            return typed

    monkeypatch.setattr(sys, "stdin", Stdin("Abstract: We study sparse kernels at scale.\n"))
    status, _, err = run_on(tmp_path, capsys, monkeypatch, FakeTerminal(), "import", "-")
    assert status == 0
    assert ("Reading stdin" in err) is not typed
