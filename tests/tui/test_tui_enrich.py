"""`E` and "Complete missing metadata": papers completed from the web sources in the app,
through `enriching.enrich` (as `readinglist enrich`), over HTTP to a server on 127.0.0.1."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from tui_support import SIZE, detail_text, reopen, rows, settle, wait_for, wait_for_note

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from payloads import atom_feed, crossref_list, hf_item, hf_paper  # noqa: E402
from web_server import Reply, WebServer  # noqa: E402

from readinglist.progress import Progress  # noqa: E402
from readinglist.sources.config import SERVICES, parse_setting  # noqa: E402
from readinglist.tui.widgets.work_bar import WorkBar  # noqa: E402

ATTENTION = "Attention Is All You Need"
ROBUST = "Robust Training Under Label Noise"
BERT = "BERT: Pre-training of Deep Bidirectional Transformers"
PEOPLE = ["Ada K. Lovelace", "Alan M. Turing", "Grace B. Hopper", "Yann L. Cun"]


@pytest.fixture
def web(monkeypatch, library):
    """The local server for every service; the library asks it fast and online."""
    server = WebServer()
    for service in SERVICES.values():
        monkeypatch.setenv(service.env_var, server.url)
    monkeypatch.delenv("READINGLIST_OFFLINE", raising=False)
    library.set_setting("pace", parse_setting("pace", "hf=0,arxiv=0,crossref=0"))
    library.set_setting("timeout", 0.5)
    library.set_setting("backoff", 0.01)
    server.route("/api/query", Reply(200, atom_feed(), content_type="application/atom+xml"))
    server.route("/works", Reply(200, crossref_list()))
    yield server
    server.close()


def knows(web, papers: dict[str, dict]) -> None:
    """HF search answers each title in `papers` with that paper, anything else with nothing."""

    def search(seen):
        q = seen.query.get("q", [""])[0]
        return Reply(200, [hf_item(papers[q])] if q in papers else [])

    def by_id(seen):
        found = [p for p in papers.values() if seen.path.endswith(p["id"])]
        return Reply(200, found[0]) if found else Reply(404, "not found")

    web.answer("/api/papers/search", search)
    for paper in papers.values():
        web.answer(f"/api/papers/{paper['id']}", by_id)


def robust_known(web, app, arxiv: str = "2503.11650") -> dict:
    robust = next(p for p in app.library.papers() if p.title == ROBUST)
    paper = hf_paper(arxiv, ROBUST, robust.abstract, PEOPLE, upvotes=40)
    knows(web, {ROBUST: paper})
    return paper


def stored(library, title: str):
    return next((p for p in reopen(library).papers() if p.title == title), None)


def bar_shown(app) -> bool:
    return app.get_screen("main").query_one(WorkBar).has_class("-working")


async def test_E_completes_the_highlighted_paper_and_shows_it(app, library, web):
    robust_known(web, app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "E")  # the second row: Robust Training
        await wait_for_note(app, pilot, "Completed 1 paper: 1 filled")
        await settle(app, pilot)
        paper = stored(library, ROBUST)
        assert paper.authors == PEOPLE and paper.arxiv == "2503.11650"
        assert paper.upvotes == 40 and "hf" in paper.sources
        assert paper.read is False and paper.tags == ["robustness"]  # the user's state kept
        assert "Ada K. Lovelace" in detail_text(app)  # shown as stored
        assert app.session.papers[paper.id].authors == PEOPLE
        assert not bar_shown(app)


async def test_E_on_a_selection_reports_each_outcome(app, library, web):
    robust_known(web, app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "space", "j", "space", "E")  # Robust and the markup title
        await wait_for_note(app, pilot, "Completed 2 papers: 1 filled, 1 unmatched")
        await settle(app, pilot)
        assert stored(library, ROBUST).authors == PEOPLE
        assert stored(library, "[bold]Markup[/] in a [@click=app.quit]title[/]").authors == []


async def test_esc_stops_completing_after_the_paper_being_stored(app, library, web, monkeypatch):
    robust_known(web, app)
    gate, advance = threading.Event(), Progress.advance
    reached = threading.Event()

    def held(self, count=1, what=None):  # hold once the first paper is stored and shown
        if self.step.what.startswith("Completing") and self.step.done == 0:
            reached.set()
            assert gate.wait(20)
        advance(self, count, what)

    monkeypatch.setattr(Progress, "advance", held)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        missing = sum(1 for p in app.session.papers.values() if not p.authors or not p.arxiv)
        await pilot.press("ctrl+p", *"complete missing")
        await settle(app, pilot)
        await pilot.press("enter")
        await wait_for(pilot, reached.is_set, what="the first paper stored")
        await pilot.press("escape")
        bar = app.get_screen("main").query_one(WorkBar)
        assert "stopping…" in " ".join(str(w.render()) for w in bar.children)
        gate.set()
        await wait_for_note(app, pilot, "Stopped after 1 of")
        await wait_for(pilot, lambda: not bar_shown(app), what="the bar to go")
        asked = {s.query.get("q", [""])[0] for s in web.requests_to("/api/papers/search")}
        assert len(asked) == 1 and missing > 1  # the next papers were never looked up


async def test_completing_offline_says_so_and_changes_nothing(app, library, web, monkeypatch):
    monkeypatch.setenv("READINGLIST_OFFLINE", "1")
    robust_known(web, app)
    before = (library.root / "papers.json").read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "E")
        await wait_for_note(app, pilot, "Completed 1 paper: 1 failed")
        await settle(app, pilot)
        assert any("left as they were" in note for note in app.notes_log)
    assert web.seen == []  # never connected
    assert (library.root / "papers.json").read_bytes() == before


async def test_a_fill_that_finds_a_stored_paper_merges_it_away(app, library, web):
    robust_known(web, app, arxiv="1706.03762")  # the arXiv id of Attention Is All You Need
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "E")
        await wait_for_note(app, pilot, "1 merged")
        await settle(app, pilot)
        assert stored(library, ROBUST) is None
        assert ROBUST not in rows(app)
        assert ROBUST not in [p.title for p in app.session.papers.values()]
        assert len(reopen(library).papers()) == len(app.session.papers) == 7


async def test_E_with_nothing_to_complete_in_the_palette_says_so(app, library, web):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.get_screen("main")
        main.completion.start([])
        await wait_for_note(app, pilot, "Every paper here has author names and an identifier")
        assert web.seen == []
