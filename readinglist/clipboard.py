"""Copy text to the clipboard by the first route that works; never raises.

Routes, in order: the system clipboard tool (wl-copy, xclip, xsel, pbcopy;
pyperclip on Windows), the tmux buffer when $TMUX is set, then OSC 52 through
a callable the app passes in. The text is always saved to `last-citation.txt`
too. Tools run with stderr discarded and their exit status checked: pyperclip
neither checks xclip's status (a stale DISPLAY "succeeds") nor keeps its
stderr off the screen, and silencing fd 2 would also hide the TUI's output.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from readinglist.citations.phrasing import sanitize
from readinglist.persistence.storage import atomic_write

LAST_FILE = "last-citation.txt"
TIMEOUT = 3.0


@dataclass(frozen=True)
class CopyResult:
    """How the text was copied: the route taken, whether it worked, what to tell the user."""

    route: str
    ok: bool
    message: str
    saved: Path | None = None


def system_commands(env: Mapping[str, str], platform: str = sys.platform) -> list[list[str]]:
    """The clipboard tools to try, in order, that this session can use."""
    candidates = []
    if platform == "darwin":
        candidates.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if env.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    return [argv for argv in candidates if shutil.which(argv[0])]


def typed_commands(
    mime: str, env: Mapping[str, str], platform: str = sys.platform
) -> list[list[str]]:
    """The clipboard tools of this session that take a MIME type, set to `mime`."""
    candidates = []
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy", "--type", mime])
    if env.get("DISPLAY"):
        candidates.append(["xclip", "-selection", "clipboard", "-t", mime])
    return [argv for argv in candidates if shutil.which(argv[0])]


def run_tool(argv: list[str], text: str) -> bool:
    """Feed `text` to a tool; True if it exited 0. Its output never shows."""
    try:
        done = subprocess.run(
            argv,
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def pyperclip_copy(text: str) -> bool:
    """Copy with pyperclip (used on Windows); True if it did not raise."""
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception:  # pyperclip raises RuntimeError subclasses and OS errors
        return False
    return True


def tmux_copy(text: str) -> bool:
    """Load `text` into the tmux buffer (and, with -w, the outer clipboard)."""
    if not shutil.which("tmux"):
        return False
    return run_tool(["tmux", "load-buffer", "-w", "-"], text) or run_tool(
        ["tmux", "load-buffer", "-"], text
    )


def save_last(text: str, save_dir: Path) -> Path | None:
    """Write `text` to last-citation.txt in `save_dir`; None if that failed."""
    path = Path(save_dir) / LAST_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("utf-8"))  # mode 0600, as every library file
    except OSError:
        return None
    return path


def _routes(
    env: Mapping[str, str], osc52: Callable[[str], None] | None, platform: str
) -> list[tuple[str, str, Callable[[str], bool]]]:
    """(route, success message, attempt) for each route open to this session."""
    routes: list[tuple[str, str, Callable[[str], bool]]] = [
        (argv[0], f"Copied via {argv[0]}", functools.partial(run_tool, argv))
        for argv in system_commands(env, platform)
    ]
    if platform in ("win32", "cygwin"):
        routes.append(("pyperclip", "Copied to the clipboard", pyperclip_copy))
    if env.get("TMUX"):
        routes.append(("tmux", "Copied to the tmux buffer", tmux_copy))
    if osc52 is not None:
        routes.append(("osc52", "Sent via OSC 52 (the terminal must allow it)", _guard(osc52)))
    return routes


def _guard(send: Callable[[str], None]) -> Callable[[str], bool]:
    def attempt(text: str) -> bool:
        try:
            send(text)
        except Exception:  # whatever the app's sender raises stays here
            return False
        return True

    return attempt


def _fallback_message(failed: list[str], saved: Path | None, save_dir: Path) -> str:
    where = f"saved to {saved}" if saved else f"could not save to {Path(save_dir) / LAST_FILE}"
    if failed:
        return f"Could not copy ({', '.join(failed)} failed): {where}"
    return f"No clipboard tool found: {where}"


def copy(
    text: str,
    save_dir: Path,
    osc52: Callable[[str], None] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
) -> CopyResult:
    """Copy `text` by the first route that works and save it; never raises."""
    text = sanitize(text, newlines=True)
    saved = save_last(text, save_dir)
    failed = []
    for route, message, attempt in _routes(os.environ if env is None else env, osc52, platform):
        if attempt(text):
            return CopyResult(route, True, message, saved)
        failed.append(route)
    return CopyResult("file", False, _fallback_message(failed, saved, save_dir), saved)


def copy_typed(
    text: str,
    plain: str,
    mime: str,
    save_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
) -> CopyResult:
    """Copy `text` as `mime` (text/html, text/rtf) where a tool takes a MIME type.

    Elsewhere `plain` is copied by the usual routes, and the message says so.
    """
    env = os.environ if env is None else env
    saved = save_last(text, save_dir)
    for argv in typed_commands(mime, env, platform):
        if run_tool(argv, text):
            return CopyResult(argv[0], True, f"Copied {mime} via {argv[0]}", saved)
    result = copy(plain, save_dir, env=env, platform=platform)
    note = f"no clipboard tool here takes {mime} (wl-copy or xclip do): plain text copied"
    if not result.ok:
        note = f"no clipboard tool here takes {mime} (wl-copy or xclip do)"
    return CopyResult(result.route, result.ok, f"{result.message}; {note}", result.saved)


# ----- reading the clipboard -------------------------------------------------------------


@dataclass(frozen=True)
class PasteResult:
    """What the clipboard held (None: no route could read it) and what to tell the user."""

    text: str | None
    route: str
    message: str


def paste_commands(env: Mapping[str, str], platform: str = sys.platform) -> list[list[str]]:
    """The tools that read the clipboard, in the order `copy` tries their writing twins."""
    candidates = []
    if platform == "darwin":
        candidates.append(["pbpaste"])
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-paste", "--no-newline"])
    if env.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard", "-o"], ["xsel", "--clipboard", "-o"]]
    if env.get("TMUX"):
        candidates.append(["tmux", "save-buffer", "-"])
    return [argv for argv in candidates if shutil.which(argv[0])]


def read_tool(argv: list[str]) -> str | None:
    """A tool's output as text, or None if it failed or could not run."""
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def pyperclip_paste() -> str | None:
    try:
        import pyperclip

        return pyperclip.paste()
    except Exception:  # pyperclip raises RuntimeError subclasses and OS errors
        return None


def paste(*, env: Mapping[str, str] | None = None, platform: str = sys.platform) -> PasteResult:
    """The clipboard's text by the first route that reads it; never raises.

    An empty clipboard is text "" (read, but nothing on it); no route at all is None.
    """
    env = os.environ if env is None else env
    routes: list[tuple[str, Callable[[], str | None]]] = [
        (argv[0], functools.partial(read_tool, argv)) for argv in paste_commands(env, platform)
    ]
    if platform in ("win32", "cygwin"):
        routes.append(("pyperclip", pyperclip_paste))
    tried = []
    for route, attempt in routes:
        text = attempt()
        if text is not None:
            return PasteResult(text, route, f"Read the clipboard via {route}")
        tried.append(route)
    if tried:
        return PasteResult(None, "", f"Could not read the clipboard ({', '.join(tried)} failed)")
    return PasteResult(
        None,
        "",
        "No clipboard to read: install wl-clipboard, xclip or xsel, or run inside tmux",
    )
