"""Helpers for the app's tests: sample papers, waiting for the app, reading the screen."""

from __future__ import annotations

import asyncio
import io

from rich.console import Console
from textual.widgets import Input, TextArea

from readinglist.model import Paper, paper_id
from readinglist.persistence.library import Library
from readinglist.safe_text import safe
from readinglist.tui.app import ReadingListApp
from readinglist.tui.widgets.detail import DetailPane
from readinglist.tui.widgets.paper_list import PaperList

NOW = "2025-03-01T09:00:00+00:00"
SIZE = (160, 45)


def make(title: str, abstract: str, added: str, **fields) -> Paper:
    return Paper(
        id=paper_id(title, abstract), title=title, abstract=abstract, added=added, **fields
    )


def sample_papers() -> list[Paper]:
    """Eight papers, newest first by `added`, with every feature the list shows."""
    return [
        make(
            "Attention Is All You Need",
            "The dominant sequence transduction models are based on recurrent or "
            "convolutional neural networks. We propose the Transformer, based solely on "
            "attention mechanisms.",
            "2025-02-08T10:00:00+00:00",
            authors=["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
            published="2017-06-12", year=2017, arxiv="1706.03762", upvotes=120,
            sources=["daily.txt"], tags=["nlp", "transformers"],
        ),
        make(
            "Robust Training Under Label Noise",
            "Label noise hurts generalisation; we calibrate training with a permutation layer "
            "that makes training robust.",
            "2025-02-07T10:00:00+00:00",
            author_count=4, published="2024-03-02", year=2024, year_inferred=True, upvotes=7,
            sources=["daily.txt"], tags=["robustness"],
        ),
        make(
            "[bold]Markup[/] in a [@click=app.quit]title[/]",
            "A title that looks like markup must be shown exactly as written.",
            "2025-02-06T10:00:00+00:00",
            year=2023, doi="10.1000/markup", sources=["hostile.bib"],
        ),
        make(
            "Escapes \x1b[2J\x1b]52;c;ZXZpbA==\x07 and \x9b31m controls",
            "Terminal escapes in imported text are neutralised.",
            "2025-02-05T10:00:00+00:00",
            year=2022, sources=["hostile.bib"],
        ),
        make(
            "A derived title from the abstract",
            "A derived title from the abstract, which is all the listing gave us for this "
            "paper about adversarial robustness.",
            "2025-02-04T10:00:00+00:00",
            title_derived=True, sources=["abstracts.txt"],
        ),
        make(
            "Scaling Laws for Neural Language Models",
            "We study empirical scaling laws for language model performance.",
            "2025-02-03T10:00:00+00:00",
            authors=["Jared Kaplan", "Sam McCandlish"], year=2020, arxiv="2001.08361",
            upvotes=55, read=True, read_at="2025-02-10T08:00:00+00:00", tags=["nlp"],
            note="Read for the reading group.",
        ),
        make(
            "Deep Residual Learning for Image Recognition",
            "Deeper neural networks are more difficult to train. We present a residual "
            "learning framework.",
            "2025-02-02T10:00:00+00:00",
            authors=["Kaiming He"], year=2016, url="https://example.org/resnet", upvotes=90,
        ),
        make(
            "BERT: Pre-training of Deep Bidirectional Transformers",
            "We introduce a new language representation model called BERT.",
            "2025-02-01T10:00:00+00:00",
            author_count=4, year=2019, arxiv="1810.04805", upvotes=80, tags=["nlp"],
        ),
    ]  # fmt: skip


def reopen(library: Library) -> Library:
    """The library as another process (the CLI) would see it now."""
    return Library(library.root)


async def settle(app: ReadingListApp, pilot, timeout: float = 10.0) -> None:
    """Wait until library jobs, searches and index builds are done and shown."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause()
        busy = app.store is not None and app.store.busy
        running = [w for w in app.workers if w.is_running]
        installed = app.store is not None and app.is_screen_installed("main")
        main = app.get_screen("main") if installed else None
        working = main is not None and main.long_work.running
        working = working or app.keys.pending  # keys typed before the load, still replaying
        if not busy and not running and not working and main is not None and main.loaded:
            await pilot.pause()
            return
        if loop.time() > deadline:
            raise TimeoutError(f"still busy: store={busy} workers={running}")
        await asyncio.sleep(0.01)


def no_blink(app: ReadingListApp) -> None:
    """Steady cursors, so screenshots are the same every run."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False
        # Lines drawn in the blink's "off" phase are cached under the same key as a
        # steady cursor's: draw them again, or the cursor shows only some of the time.
        widget._line_cache.clear()
        widget.refresh()


def rows(app: ReadingListApp) -> list[str]:
    """The titles of the papers in the list, in order."""
    plist = app.get_screen("main").query_one(PaperList)
    return [plist.papers[pid].title for pid in plist.ids]


def detail_text(app: ReadingListApp) -> str:
    """The detail pane's content as plain text, unwrapped."""
    detail = app.get_screen("main").query_one(DetailPane)
    console = Console(width=400, file=io.StringIO(), record=True)
    console.print(detail.content())
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def screen_text(app: ReadingListApp) -> str:
    """Everything on screen (the top screen and what shows beneath it), as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def wait_for(pilot, condition, timeout: float = 10.0, what: str = "condition") -> None:
    """Wait until `condition()` holds (a message shown, a dialog mounted), never a fixed time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"waited {timeout}s for {what}")
        await pilot.pause()
        await asyncio.sleep(0.01)


async def wait_for_screen(app: ReadingListApp, pilot, kind: type) -> None:
    """Wait until a screen of `kind` is on top and has mounted its widgets."""
    await wait_for(
        pilot, lambda: isinstance(app.screen, kind) and app.screen.is_mounted, what=kind.__name__
    )
    await pilot.pause()


def logging_notes(app: ReadingListApp) -> ReadingListApp:
    """Keep every toast's text in `app.notes_log`: a toast times out on a loaded machine."""
    app.notes_log = []
    shown = app.notify

    def notify(message, **options) -> None:
        shown(message, **options)
        app.notes_log.append(safe(str(message)))  # as the app shows it

    app.notify = notify
    return app


def notes(app: ReadingListApp) -> list[str]:
    """Every toast shown so far (as shown: sanitised), oldest first."""
    log = getattr(app, "notes_log", None)
    return list(log) if log is not None else [n.message for n in app._notifications]


async def wait_for_note(app: ReadingListApp, pilot, text: str) -> None:
    """Wait until a toast containing `text` has been shown."""
    await wait_for(pilot, lambda: any(text in n for n in notes(app)), what=repr(text))
