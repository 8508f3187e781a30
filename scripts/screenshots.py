"""Regenerate screenshots/*.svg: the app on the bundled sample papers, in a temporary library.

python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from textual.widgets import Input, TextArea

import readinglist.clipboard
import readinglist.model
import readinglist.persistence.library
from readinglist.clipboard import PasteResult
from readinglist.importer import import_samples
from readinglist.persistence.library import Library
from readinglist.progress import Progress
from readinglist.tui.app import ReadingListApp

OUT = Path(__file__).resolve().parent.parent / "screenshots"
NOW = "2025-03-01T09:00:00+00:00"
SIZE = (140, 40)
SHOTS = {
    "main": (SIZE, ["j", "j"]),
    "search": (SIZE, ["slash", *"robust training"]),
    "tag-dialog": (SIZE, ["j", "t", *"rob"]),
    "citation-dialog": (SIZE, ["C", "down", "down"]),
    "help": (SIZE, ["question_mark"]),
    "narrow": ((80, 24), ["j"]),
    "narrow-all": ((80, 24), ["3", "j"]),
    "narrow-sidebar": ((80, 24), ["b"]),
    "scoped-search": (SIZE, ["2", "slash", *"probabilistic bounds", "enter"]),
    "just-imported": (SIZE, ["p"]),  # last: it adds the pasted papers to the library
}


def sample_library(root: Path) -> Library:
    """The samples, with fixed import times, a few tags and a few papers read."""
    library = Library(root)
    import_samples(library)
    papers = sorted(library.papers(), key=lambda p: (p.sources, p.id))
    fixed = [
        replace(p, added=f"2025-02-{1 + i % 28:02d}T09:00:00+00:00") for i, p in enumerate(papers)
    ]
    library.put(fixed)
    robust = [p.id for p in fixed if "robust" in p.title.lower()]
    language = [p.id for p in fixed if "language model" in (p.title + p.abstract).lower()]
    library.add_tags(robust[:6], ["robustness"])
    library.add_tags(language[:5], ["llm"])
    library.set_read([p.id for p in fixed[-4:]], True)
    return Library(root)


async def shoot(root: Path, name: str, size: tuple[int, int], keys: list[str]) -> None:
    app = ReadingListApp(Library(root))
    async with app.run_test(size=size) as pilot:
        await wait(app, pilot)
        for key in keys:
            await pilot.press(key)
            await wait(app, pilot)
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        for widget in app.screen.query(TextArea):
            widget.cursor_blink = False
        await pilot.pause(0.2)
        app.clear_notifications()
        await pilot.pause()
        (OUT / f"{name}.svg").write_text(app.export_screenshot(title="readinglist"), "utf-8")
        print(f"screenshots/{name}.svg")


async def wait(app: ReadingListApp, pilot) -> None:
    for _ in range(500):
        await pilot.pause()
        main = app.get_screen("main") if app.store else None
        idle = not app.store.busy and not any(w.is_running for w in app.workers)
        if main is not None and main.loaded and idle:
            return
        await asyncio.sleep(0.01)


PASTED = """@article{lovelace2025, title={Pasted From the Clipboard: Triage at Any Width},
  author={Ada Lovelace and Alan Turing}, year={2025}}
@inproceedings{hopper2024, title={Another Copied Paper on Robust Retrieval},
  author={Grace Hopper}, booktitle={NeurIPS}, year={2024}}
"""


def big_listing(folder: Path, n: int = 1500) -> Path:
    """A BibTeX file of `n` made-up entries, for the import-in-progress shot."""
    rng = random.Random(11)
    words = [
        "sparse",
        "robust",
        "graph",
        "causal",
        "kernel",
        "latent",
        "diffusion",
        "retrieval",
        "policy",
        "tensor",
    ]
    entries = [
        f"@article{{paper{i},\n  title = {{{' '.join(rng.sample(words, 6)).title()} {i}}},\n"
        f"  author = {{Ada Lovelace and Alan Turing}},\n  year = {{{2015 + i % 10}}},\n}}\n"
        for i in range(n)
    ]
    path = folder / "big.bib"
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


async def shoot_import(root: Path, listing: Path, at: int = 600) -> None:
    """An import held at paper `at` while the work bar shows it."""
    held, go, advance = threading.Event(), threading.Event(), Progress.advance

    def holding(self, count=1, what=None):
        if self.step.what.startswith("Checking") and self.step.done == at:
            held.set()
            go.wait(30)
        advance(self, count, what)

    Progress.advance = holding
    app = ReadingListApp(Library(root))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait(app, pilot)
            await pilot.press("i")
            await pilot.pause(0.2)
            app.screen.query_one(Input).value = str(listing)
            await pilot.press("enter")
            while not held.is_set():
                await asyncio.sleep(0.01)
            await pilot.pause(0.3)
            app.clear_notifications()
            await pilot.pause()
            out = OUT / "import-in-progress.svg"
            out.write_text(app.export_screenshot(title="readinglist"), "utf-8")
            print(f"screenshots/{out.name}")
            go.set()
    finally:
        go.set()
        Progress.advance = advance
        if app.store is not None:
            app.store.close(wait=True)  # the import finishes before its folder goes


def main() -> int:
    readinglist.clipboard.paste = lambda **_: PasteResult(PASTED, "tmux", "")
    readinglist.model.now_iso = lambda: NOW
    readinglist.persistence.library.now_iso = lambda: NOW
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
        os.environ.pop(name, None)
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "library"
        sample_library(root)
        for name, (size, keys) in SHOTS.items():
            asyncio.run(shoot(root, name, size, keys))
        asyncio.run(shoot_import(root, big_listing(Path(folder))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
