"""Two writers: processes editing one library at once lose nothing and reload only what changed."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time
import traceback
from pathlib import Path

import orjson

from readinglist.model import Paper, paper_id
from readinglist.persistence import storage
from readinglist.persistence.library import Library

EDITS = 500
IMPORT_EVERY = 50


def _shared_papers(batch: int) -> list[Paper]:
    """Papers both writers import (same content, so the same ids)."""
    papers = []
    for i in range(3):
        title = f"Shared batch {batch} item {i} on concurrent writers"
        abstract = f"Both processes import batch {batch} item {i}; it must be stored once only."
        papers.append(Paper(id=paper_id(title, abstract), title=title, abstract=abstract))
    return papers


def _writer(root: str, worker: int, ids: list[str], start, errors) -> None:
    """Make EDITS edits, each adding one tag of its own; every IMPORT_EVERY-th also imports."""
    try:
        lib = Library(Path(root))
        start.wait()
        for i in range(EDITS):
            pid = ids[(i * 7 + worker * 3) % len(ids)]
            lib.add_tags([pid], [f"w{worker}-{i}"])
            if i % IMPORT_EVERY == 0:
                lib.import_papers(_shared_papers(i // IMPORT_EVERY), source=f"w{worker}.json")
    except BaseException:
        errors.put(f"writer {worker}: {traceback.format_exc()}")


def test_two_processes_500_edits_each_all_1000_present(tmp_path, numbered_papers):
    root = tmp_path / "library"
    base = numbered_papers(24)
    Library(root).import_papers(base, source="base.json")
    ids = [p.id for p in base]
    ctx = multiprocessing.get_context("spawn")
    start, errors = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_writer, args=(str(root), n, ids, start, errors)) for n in (0, 1)]
    for process in workers:
        process.start()
    app = Library(root)
    app.papers()
    start.set()
    reloads = 0
    while any(p.is_alive() for p in workers):
        reloads += app.refresh()
        assert len(app.papers()) >= len(base)
        time.sleep(0.01)
    for process in workers:
        process.join()
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    assert [p.exitcode for p in workers] == [0, 0]

    papers = {p.id: p for p in Library(root).papers()}
    tags = {tag for p in papers.values() for tag in p.tags}
    wanted = {f"w{n}-{i}" for n in (0, 1) for i in range(EDITS)}
    assert len(wanted) == 2 * EDITS
    assert wanted <= tags, f"{len(wanted - tags)} edits lost"
    for n in (0, 1):
        for i in range(EDITS):
            assert f"w{n}-{i}" in papers[ids[(i * 7 + n * 3) % len(ids)]].tags
    shared = {p.id for batch in range(EDITS // IMPORT_EVERY) for p in _shared_papers(batch)}
    assert set(papers) == set(ids) | shared
    for pid in shared:
        assert sorted(papers[pid].sources) == ["w0.json", "w1.json"]
    assert reloads > 0
    app.refresh()
    assert {p.id: p.tags for p in app.papers()} == {pid: p.tags for pid, p in papers.items()}
    for path in [root / "papers.json", *(root / "state").glob("*.json")]:
        assert isinstance(orjson.loads(path.read_bytes()), dict)


_MARK_READ = """
import sys
from pathlib import Path
from readinglist.persistence.library import Library
Library(Path(sys.argv[1])).set_read([sys.argv[2]])
"""


def test_refresh_after_another_process_edit_reloads_state_not_the_corpus(
    small_library, monkeypatch, shard_file
):
    root = small_library.root
    app = Library(root)
    paper = next(p for p in app.papers() if not p.read)
    corpus = app._corpus.storage
    cached_corpus, corpus_signature = corpus._cache, corpus._signature
    subprocess.run([sys.executable, "-c", _MARK_READ, str(root), paper.id], check=True)

    loaded: list[Path] = []
    real_load = storage.load_json_file

    def counting_load(path: Path) -> dict:
        loaded.append(path)
        return real_load(path)

    monkeypatch.setattr(storage, "load_json_file", counting_load)
    assert app.refresh() is True
    assert app.get(paper.id).read
    assert app._corpus.storage._cache is cached_corpus
    assert app._corpus.storage._signature == corpus_signature
    assert loaded == [shard_file(root, paper.id)]
    loaded.clear()
    assert app.refresh() is False
    assert loaded == []
