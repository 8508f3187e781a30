"""The clipboard chain with every backend mocked; it never raises."""

from __future__ import annotations

import subprocess

import pyperclip
import pytest

from readinglist import clipboard

TEXT = "Vaswani, A. (2017). Attention is all you need."


@pytest.fixture
def tools(monkeypatch):
    """Pretend these tools exist; record runs; each returns the exit code given."""
    codes: dict[str, int] = {}
    runs: list[list[str]] = []

    def which(name):
        return f"/usr/bin/{name}" if name in codes else None

    def run(argv, **kwargs):
        runs.append(argv)
        assert kwargs["stderr"] is subprocess.DEVNULL
        return subprocess.CompletedProcess(argv, codes[argv[0]])

    monkeypatch.setattr(clipboard.shutil, "which", which)
    monkeypatch.setattr(clipboard.subprocess, "run", run)
    return codes, runs


def saved(tmp_path):
    return (tmp_path / "last-citation.txt").read_text(encoding="utf-8")


def test_xclip_success(tools, tmp_path):
    codes, runs = tools
    codes["xclip"] = 0
    result = clipboard.copy(TEXT, tmp_path, env={"DISPLAY": ":0"}, platform="linux")
    assert (result.route, result.ok, result.message) == ("xclip", True, "Copied via xclip")
    assert runs == [["xclip", "-selection", "clipboard"]]
    assert saved(tmp_path) == TEXT


def test_stale_display_falls_through_to_tmux(tools, tmp_path):
    codes, runs = tools
    codes.update(xclip=1, tmux=0)
    env = {"DISPLAY": ":99", "TMUX": "/tmp/tmux-1/default,1,0"}
    result = clipboard.copy(TEXT, tmp_path, env=env, platform="linux")
    assert (result.route, result.message) == ("tmux", "Copied to the tmux buffer")
    assert runs[-1] == ["tmux", "load-buffer", "-w", "-"]


def test_old_tmux_without_w_flag(tools, tmp_path, monkeypatch):
    codes, runs = tools
    codes["tmux"] = 0
    real_run = clipboard.subprocess.run
    monkeypatch.setattr(
        clipboard.subprocess,
        "run",
        lambda argv, **kw: (
            subprocess.CompletedProcess(argv, 1) if "-w" in argv else real_run(argv, **kw)
        ),
    )
    result = clipboard.copy(TEXT, tmp_path, env={"TMUX": "x"}, platform="linux")
    assert result.route == "tmux" and runs[-1] == ["tmux", "load-buffer", "-"]


def test_tmux_failing_then_osc52(tools, tmp_path):
    codes, _ = tools
    codes["tmux"] = 1
    sent = []
    result = clipboard.copy(TEXT, tmp_path, osc52=sent.append, env={"TMUX": "x"}, platform="linux")
    assert (result.route, result.ok) == ("osc52", True)
    assert result.message == "Sent via OSC 52 (the terminal must allow it)"
    assert sent == [TEXT]


def test_osc52_raising_falls_back_to_file(tools, tmp_path):
    def broken(text):
        raise RuntimeError("no app")

    result = clipboard.copy(TEXT, tmp_path, osc52=broken, env={}, platform="linux")
    assert (result.route, result.ok) == ("file", False)
    assert (
        result.message
        == f"Could not copy (osc52 failed): saved to {tmp_path / 'last-citation.txt'}"
    )


def test_nothing_available(tools, tmp_path):
    result = clipboard.copy(TEXT, tmp_path, env={}, platform="linux")
    assert result == clipboard.CopyResult(
        "file",
        False,
        f"No clipboard tool found: saved to {tmp_path / 'last-citation.txt'}",
        tmp_path / "last-citation.txt",
    )
    assert saved(tmp_path) == TEXT


def test_tool_timeout_or_oserror_is_a_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(clipboard.shutil, "which", lambda name: "/usr/bin/" + name)

    def run(argv, **kwargs):
        if argv[0] == "xclip":
            raise subprocess.TimeoutExpired(argv, 3)
        raise OSError("gone")

    monkeypatch.setattr(clipboard.subprocess, "run", run)
    result = clipboard.copy(TEXT, tmp_path, env={"DISPLAY": ":0"}, platform="linux")
    assert result.message.startswith("Could not copy (xclip, xsel failed): saved to ")


def test_pyperclip_on_windows(tools, tmp_path, monkeypatch):
    got = []
    monkeypatch.setattr(pyperclip, "copy", got.append)
    result = clipboard.copy(TEXT, tmp_path, env={}, platform="win32")
    assert (result.route, result.ok, got) == ("pyperclip", True, [TEXT])


def test_pyperclip_raising_is_contained(tools, tmp_path, monkeypatch, capsys):
    def boom(text):
        raise pyperclip.PyperclipException("could not find a copy/paste mechanism")

    monkeypatch.setattr(pyperclip, "copy", boom)
    result = clipboard.copy(TEXT, tmp_path, env={}, platform="win32")
    assert (result.route, result.ok) == ("file", False)
    assert "pyperclip failed" in result.message
    assert capsys.readouterr() == ("", "")


def test_unwritable_save_dir_never_raises(tools, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = clipboard.copy(TEXT, blocker / "sub", env={}, platform="linux")
    assert not result.ok and result.saved is None
    assert result.message.startswith("No clipboard tool found: could not save to ")


def test_control_characters_never_reach_the_clipboard(tools, tmp_path):
    sent = []
    clipboard.copy("a\x1b]52;c;ZXZpbA==\x07b\u009b2Jc\x00", tmp_path, osc52=sent.append, env={})
    assert sent == ["abc"] and saved(tmp_path) == "abc"


def test_domain_does_not_import_textual():
    import sys

    code = "import readinglist.clipboard, readinglist.citations, readinglist.exporting, sys;"
    code += "assert 'textual' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


HTML = "Vaswani, A. (2017). <i>Attention is all you need</i>."


@pytest.mark.parametrize(
    ("env", "argv"),
    [
        ({"WAYLAND_DISPLAY": "wayland-0"}, ["wl-copy", "--type", "text/html"]),
        ({"DISPLAY": ":0"}, ["xclip", "-selection", "clipboard", "-t", "text/html"]),
    ],
)
def test_html_goes_to_a_tool_that_takes_a_mime_type(tools, tmp_path, env, argv):
    codes, runs = tools
    codes[argv[0]] = 0
    result = clipboard.copy_typed(HTML, TEXT, "text/html", tmp_path, env=env, platform="linux")
    assert (result.ok, result.message) == (True, f"Copied text/html via {argv[0]}")
    assert runs == [argv]


def test_html_where_no_tool_takes_a_mime_type_copies_plain_text_and_says_so(tools, tmp_path):
    codes, runs = tools
    codes["xsel"] = 0
    env = {"DISPLAY": ":0"}
    result = clipboard.copy_typed(HTML, TEXT, "text/html", tmp_path, env=env, platform="linux")
    assert result.ok and runs == [["xsel", "--clipboard", "--input"]]
    assert result.message == (
        "Copied via xsel; no clipboard tool here takes text/html (wl-copy or xclip do): "
        "plain text copied"
    )
    assert saved(tmp_path) == TEXT
