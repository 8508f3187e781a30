"""How the `readinglist` process ends (launch.ended): at once once the command is done,
its output whole, its exit status kept, the exit handlers run, and a reader gone from
stdout at the last flush reported as 141, not a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from readinglist.cli import main
from readinglist.launch import ended
from readinglist.persistence.library import Library


def _run(root, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "readinglist", "--library", str(root), *args]
    return subprocess.run(command, capture_output=True)


def test_the_output_is_whole_and_the_status_kept(tmp_path, capsys, numbered_papers):
    root = tmp_path / "library"
    Library(root).import_papers(numbered_papers(300), source="many.json")
    assert main(["--library", str(root), "list", "--json"]) == 0
    expected = capsys.readouterr().out
    done = _run(root, "list", "--json")
    assert done.returncode == 0 and done.stdout.decode() == expected
    assert len(json.loads(done.stdout)) == 300
    missing = _run(root, "show", "nosuchpaper")
    assert missing.returncode == 1 and b"nosuchpaper" in missing.stderr
    assert b"Traceback" not in missing.stderr


def _python(code: str, **popen) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout buffered
    return subprocess.Popen([sys.executable, "-c", code], env=env, **popen)


def test_exit_handlers_run_and_buffered_output_is_written_first():
    code = (
        "import atexit, sys\n"
        "from readinglist.launch import ended\n"
        "atexit.register(lambda: print('handler', file=sys.stderr))\n"
        "print('output', end='')\n"
        "ended(3)\n"
        "print('not reached')\n"
    )
    proc = _python(code, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    assert (proc.returncode, out, err) == (3, b"output", b"handler\n")


def test_a_reader_gone_before_the_last_flush_gives_141_quietly():
    code = (
        "import sys\n"
        "from readinglist.launch import ended\n"
        "print('held in the buffer')\n"
        "sys.stdin.readline()\n"  # the reader closes its end first
        "ended(0)\n"
    )
    proc = _python(code, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    proc.stdin.write(b"go\n")
    proc.stdin.close()
    assert proc.wait() == 141 and proc.stderr.read() == b""


def test_with_another_thread_running_it_returns_the_status():
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert ended(5) == 5  # a normal exit then waits for the thread, as before
    finally:
        release.set()
        worker.join()


def test_under_a_profiler_it_returns_the_status(tmp_path):
    """`python -m cProfile -m readinglist ...` prints its profile after the command."""
    command = [sys.executable, "-m", "cProfile", "-m", "readinglist", "--library"]
    done = subprocess.run([*command, str(tmp_path / "lib"), "list"], capture_output=True)
    assert b"function calls" in done.stdout and b"Traceback" not in done.stderr
