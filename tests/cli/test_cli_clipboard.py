"""`import --clipboard`: what was copied is imported; no readable clipboard is one line."""

from __future__ import annotations

import json
import os
import stat

import pytest

from readinglist import clipboard

LISTING = "@article{one, title={Copied Paper}, author={Ada Lovelace}, year={2024}}\n"


def fake_tool(folder, name: str, script: str) -> None:
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n{script}\n")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)


def test_import_clipboard_reads_the_copied_listing_through_the_tool_chain(
    run, tmp_path, monkeypatch
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (tmp_path / "copied.bib").write_text(LISTING)
    fake_tool(bin_dir, "xclip", f"cat {tmp_path / 'copied.bib'}")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    status, out, err = run("import", "--clipboard")
    assert status == 0, err
    assert "clipboard: parsed 1, added 1, merged 0" in out
    status, out, _ = run("list", "--json")
    assert [p["title"] for p in json.loads(out)] == ["Copied Paper"]


def test_import_clipboard_without_a_readable_clipboard_says_so(run, monkeypatch):
    nothing = clipboard.PasteResult(None, "", "No clipboard to read: install xclip")
    monkeypatch.setattr(clipboard, "paste", lambda: nothing)
    status, out, err = run("import", "--clipboard")
    assert status == 1 and out == ""
    assert err.strip() == "readinglist: No clipboard to read: install xclip"


def test_an_empty_clipboard_is_an_error_and_no_path_is_a_usage_error(run, monkeypatch):
    monkeypatch.setattr(clipboard, "paste", lambda: clipboard.PasteResult("  \n", "xsel", ""))
    status, _, err = run("import", "--clipboard")
    assert status == 1 and "clipboard is empty" in err
    with pytest.raises(SystemExit) as stopped:
        run("import")
    assert stopped.value.code == 2


def test_paste_tries_each_tool_and_reports_when_none_can_run(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_tool(bin_dir, "xclip", "exit 1")
    fake_tool(bin_dir, "xsel", "printf 'from xsel'")
    env = {"DISPLAY": ":0", "PATH": str(bin_dir)}
    old = os.environ["PATH"]
    os.environ["PATH"] = str(bin_dir)
    try:
        found = clipboard.paste(env=env, platform="linux")
        none = clipboard.paste(env={}, platform="linux")
    finally:
        os.environ["PATH"] = old
    assert (found.text, found.route) == ("from xsel", "xsel")
    assert none.text is None and "No clipboard to read" in none.message
