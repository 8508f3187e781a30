"""The `run` fixture the command-line tests share."""

from __future__ import annotations

import pytest

from readinglist.cli import main


@pytest.fixture
def run(tmp_path, capsys):
    """Run `readinglist --library TMP ARGS...`; return (status, stdout, stderr)."""
    library = tmp_path / "lib"

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--library", str(library), *args])
        out, err = capsys.readouterr()
        return status, out, err

    invoke.library = library
    return invoke
