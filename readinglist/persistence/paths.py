"""Where a library lives: `--library`, `READINGLIST_LIBRARY`, else the user data dir."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

ENV_VAR = "READINGLIST_LIBRARY"


def default_library() -> Path:
    """The platform's user data dir for readinglist."""
    return Path(platformdirs.user_data_dir("readinglist", appauthor=False)) / "library"


def library_path(option: str | None = None) -> tuple[Path, bool]:
    """The library folder, and whether it is the default (not chosen by the user)."""
    if option:
        return Path(option).expanduser(), False
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser(), False
    return default_library(), True


def bundled_seeds() -> list[Path]:
    """The sample listings shipped with the package (or beside it in a checkout)."""
    packaged = resources.files("readinglist") / "seeds"
    folder = Path(str(packaged))
    if not folder.is_dir():
        folder = Path(__file__).resolve().parents[2] / "seeds"
    return sorted(folder.glob("*.txt"))
