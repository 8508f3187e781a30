"""Every test runs isolated from the user's data, display and clipboard."""

from __future__ import annotations

import gc
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
    # No test reaches the internet: offline unless a test points the sources at 127.0.0.1.
    monkeypatch.setenv("READINGLIST_OFFLINE", "1")
    for name in (
        "READINGLIST_HF_URL",
        "READINGLIST_ARXIV_URL",
        "READINGLIST_CROSSREF_URL",
        "READINGLIST_S2_URL",
        "READINGLIST_OPENALEX_URL",
        "READINGLIST_DBLP_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    for name in ("HF_TOKEN", "READINGLIST_S2_KEY", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture(autouse=True)
def collected_after_each_test():
    """What a test froze (the app freezes what lives once its index is ready) goes back to
    the collector afterwards: the test run's cyclic garbage is collected as usual."""
    yield
    gc.unfreeze()


@pytest.fixture
def seeds() -> list[Path]:
    """The bundled sample listings."""
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(name="shard_file")
def shard_file_fixture():
    """`shard_file(root, pid)`: the state shard that holds paper `pid`."""
    from readinglist.persistence.shards import PREFIX

    return lambda root, pid: root / "state" / f"{pid[:PREFIX]}.json"


@pytest.fixture(name="shard_files")
def shard_files_fixture():
    """`shard_files(root)`: every state shard of the library at `root`."""
    from readinglist.persistence.shards import LAYOUT_FILE

    return lambda root: sorted(p for p in (root / "state").glob("*.json") if p.name != LAYOUT_FILE)
