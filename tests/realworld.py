"""Where the real bibliography files of `../shared/` are, if they are there (the tests
that read them skip otherwise; they are third-party data, never copied in)."""

from __future__ import annotations

from pathlib import Path


def bibtex_corpus() -> Path | None:
    """`shared/realworld/bibtex` beside the checkout or a folder above it, else None."""
    for parent in Path(__file__).resolve().parents:
        folder = parent / "shared" / "realworld" / "bibtex"
        if folder.is_dir():
            return folder
    return None
