"""Building the command line loads no command's heavy modules: `search` and the other
commands pay only for what they use (the citations package is loaded by `cite`)."""

from __future__ import annotations

import subprocess
import sys

from readinglist.cli import main


def test_building_the_parser_does_not_load_the_citations_package():
    code = (
        "import sys\n"
        "from readinglist.cli import build_parser\n"
        "build_parser()\n"
        "print(sorted(m for m in sys.modules if m.startswith('readinglist.citations')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_cite_as_still_refuses_an_unknown_output_naming_the_choices(tmp_path, capsys):
    status = None
    try:
        main(["--library", str(tmp_path / "lib"), "cite", "x", "--as", "pdf"])
    except SystemExit as exit_:
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'pdf'" in err
    assert "'markdown'" in err and "'rtf'" in err
    assert err.count("\n") == 1
