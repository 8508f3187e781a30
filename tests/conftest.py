"""Every test runs isolated from the user's data, display and clipboard."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """No real library, display, clipboard or tmux reaches a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in ("READINGLIST_LIBRARY", "DISPLAY", "WAYLAND_DISPLAY", "TMUX", "TMUX_PANE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def seeds() -> list[Path]:
    """The bundled sample listings."""
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(name="shard_file")
def shard_file_fixture():
    """`shard_file(root, pid)`: the state shard that holds paper `pid`."""
    from readinglist.shards import PREFIX

    return lambda root, pid: root / "state" / f"{pid[:PREFIX]}.json"


@pytest.fixture(name="shard_files")
def shard_files_fixture():
    """`shard_files(root)`: every state shard of the library at `root`."""
    from readinglist.shards import LAYOUT_FILE

    return lambda root: sorted(p for p in (root / "state").glob("*.json") if p.name != LAYOUT_FILE)
