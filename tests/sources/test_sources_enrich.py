"""`enrich`, `add`, `fetch hf` and `import --enrich` end to end, over HTTP to 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from payloads import atom_entry, atom_error, atom_feed, crossref_list, hf_item, hf_paper
from web_server import Reply

from readinglist.cli import main
from readinglist.parsing import load
from readinglist.persistence import backups
from readinglist.persistence.library import Library

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SAMPLE = SEEDS / "002_c6ecafa1e95c7928.txt"
EMPTY_FEED = atom_feed()


@pytest.fixture
def run(tmp_path, capsys, web):
    """`readinglist --library TMP ARGS...` -> (status, stdout, stderr), fast settings set."""
    library = tmp_path / "lib"

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--library", str(library), *args])
        out, err = capsys.readouterr()
        return status, out, err

    for key, value in (
        ("pace", "hf=0,arxiv=0,crossref=0"),
        ("timeout", "0.5"),
        ("backoff", "0.01"),
    ):
        assert invoke("config", key, value)[0] == 0
    invoke.library = library
    return invoke


def sample_papers():
    return load(str(SAMPLE), "auto")


@pytest.fixture
def small(tmp_path) -> str:
    """Three papers of the sample listing as a JSON file (fewer lookups per test)."""
    path = tmp_path / "small.json"
    papers = sample_papers()
    path.write_text(json.dumps([papers[i].to_json() for i in (0, 1, 15)]))
    return str(path)


def names(n: int, stem: str = "Author") -> list[str]:
    return [f"{stem} {chr(65 + i)}. Person{i}" for i in range(n)]


def known_to_hf(web, papers):
    """HF search knows `papers` (listed author count, real date); arXiv and Crossref nothing.

    A paper whose year the listing left out really dates from 2025.
    """
    by_title = {}
    for n, p in enumerate(papers):
        arxiv = f"2503.{11650 + n}"
        date = "2025" + p.published[4:] if p.year_inferred else p.published
        by_title[p.title] = hf_paper(
            arxiv,
            p.title,
            p.abstract,
            names(p.author_count or 2),
            publishedAt=f"{date}T00:00:00.000Z",
            upvotes=40 + n,
        )

    def search(seen):
        q = seen.query.get("q", [""])[0]
        return Reply(200, [hf_item(by_title[q])] if q in by_title else [])

    def by_id(seen):
        found = [v for v in by_title.values() if seen.path.endswith(v["id"])]
        return Reply(200, found[0]) if found else Reply(404, "not found")

    web.answer("/api/papers/search", search)
    for paper in by_title.values():
        web.answer(f"/api/papers/{paper['id']}", by_id)
    web.route("/api/query", Reply(200, EMPTY_FEED, content_type="application/atom+xml"))
    web.route("/works", Reply(200, crossref_list()))
    return by_title


def stored(run) -> dict[str, dict]:
    status, out, _ = run("list", "--json")
    return {p["id"]: p for p in json.loads(out)}


def test_enrich_missing_fills_the_known_papers_and_leaves_the_rest(run, web):
    assert run("import", str(SAMPLE))[0] == 0
    papers = sample_papers()
    centaur = papers[15]  # "Mar 14": year inferred as 2026, really arXiv 2503 (2025)
    assert centaur.title.startswith("Centaur") and centaur.year_inferred
    known_to_hf(web, [centaur, papers[0]])
    status, out, err = run("enrich", "--missing", "--json")
    assert status == 0, err
    results = json.loads(out)
    outcomes = [r["outcome"] for r in results]
    assert outcomes.count("filled") == 2 and outcomes.count("unmatched") == len(results) - 2
    assert "2 filled" in err
    after = stored(run)
    filled = [after[r["id"]] for r in results if r["outcome"] == "filled"]
    for paper in filled:
        assert paper["authors"] and paper["identifiers"]["arxiv"].startswith("2503.")
        assert paper["year_inferred"] is False and paper["published"][:4] in ("2025", "2021")
        assert paper["upvotes"] >= 40 and "hf" in paper["sources"]
    result = next(r for r in results if r["outcome"] == "filled")
    assert result["from"]["authors"] == "hf" and "authors" in result["filled"]
    untouched = [after[r["id"]] for r in results if r["outcome"] == "unmatched"]
    assert all(not p["authors"] for p in untouched)
    first = next(p for p in filled if p["title"] == centaur.title)
    assert (first["published"], first["year"]) == ("2025-03-14", 2025)
    assert first["key"] == "person02025centaur" and first["key_fixed"] is False
    status, out, _ = run("cite", first["id"], "--style", "apa")
    assert status == 0
    assert "Person0" in out and "(2025" in out and "2026" not in out


def test_enrich_keeps_read_state_tags_notes_and_user_values(run, web, small):
    run("import", small, "--tag", "pasted")
    paper = sample_papers()[0]
    known_to_hf(web, [paper])
    pid = next(p for p in stored(run).values() if p["title"] == paper.title)["id"]
    run("read", pid)
    run("note", pid, "my", "note")
    run("edit", pid, "--url", "https://my.example/paper")
    status, out, _ = run("enrich", pid, "--json")
    assert status == 0 and json.loads(out)[0]["outcome"] == "filled"
    after = stored(run)[pid]
    assert after["read"] is True and after["note"] == "my note" and after["tags"] == ["pasted"]
    assert after["identifiers"]["url"] == "https://my.example/paper"
    assert len(after["authors"]) == paper.author_count


def test_each_filled_field_is_stamped_with_its_service_and_user_values_stay(run, web, small):
    run("import", small)
    paper = sample_papers()[0]
    known_to_hf(web, [paper])
    pid = next(p for p in stored(run).values() if p["title"] == paper.title)["id"]
    status, out, _ = run("enrich", pid, "--json")
    assert status == 0 and json.loads(out)[0]["outcome"] == "filled"
    changed = stored(run)[pid]["changed"]
    for name in ("authors", "arxiv", "upvotes"):
        assert changed[name][2] == "hf", (name, changed[name])
    assert changed["sources"][2] == "hf"
    assert changed["title"][2].startswith("import:")  # not filled: the import's stamp
    # The user clears what the fill brought: a later fill must not bring it back.
    assert run("edit", pid, "--authors", "", "--arxiv", "")[0] == 0
    status, out, _ = run("enrich", pid, "--json")
    assert status == 0 and json.loads(out)[0]["outcome"] == "complete"
    after = stored(run)[pid]
    assert after["authors"] == [] and after["identifiers"]["arxiv"] is None
    assert after["changed"]["authors"][2] == after["changed"]["arxiv"][2] == "user"


def test_dry_run_changes_nothing_and_the_cache_serves_an_offline_run(run, web, small):
    run("import", small)
    paper = sample_papers()[0]
    known_to_hf(web, [paper])
    pid = next(p for p in stored(run).values() if p["title"] == paper.title)["id"]
    before = (run.library / "papers.json").read_bytes()
    status, out, _ = run("enrich", pid, "--dry-run", "--json")
    assert status == 0 and json.loads(out)[0]["outcome"] == "filled"
    assert (run.library / "papers.json").read_bytes() == before
    asked = len(web.seen)
    status, out, err = run("--offline", "enrich", pid, "--json")
    assert status == 0 and json.loads(out)[0]["outcome"] == "filled"
    assert len(web.seen) == asked  # no connection
    assert "from earlier runs" in err
    assert stored(run)[pid]["authors"]


def test_offline_without_a_cache_fails_and_changes_nothing(run, web, small):
    run("import", small)
    before = (run.library / "papers.json").read_bytes()
    status, out, err = run("enrich", "--offline", "--json")
    assert status == 1
    assert {r["outcome"] for r in json.loads(out)} == {"failed"}
    assert web.seen == []
    assert "offline" in err and "left as they were" in err
    assert (run.library / "papers.json").read_bytes() == before


def test_failing_services_leave_everything_as_it_was(run, web, small):
    run("import", small)
    web.route("/api/papers/search", Reply(503, "down"))
    web.route("/api/query", Reply(429, "slow", {"Retry-After": "600"}))
    web.route("/works", Reply(200, b"<html>maintenance</html>", content_type="text/html"))
    before = (run.library / "papers.json").read_bytes()
    status, out, err = run("enrich", "--json")
    assert status == 1
    assert {r["outcome"] for r in json.loads(out)} == {"failed"}
    assert (run.library / "papers.json").read_bytes() == before
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "Hugging Face did not answer" in warnings[0]
    assert "3 papers left as they were" in warnings[0]


def test_two_near_matches_are_ambiguous_and_fill_nothing(run, web, small):
    run("import", small)
    paper = sample_papers()[0]
    twins = [
        hf_item(hf_paper("2503.00001", paper.title, paper.abstract)),
        hf_item(hf_paper("2503.00002", paper.title + "!", paper.abstract)),
    ]
    web.route("/api/papers/search", Reply(200, twins))
    pid = next(p for p in stored(run).values() if p["title"] == paper.title)["id"]
    status, out, _ = run("enrich", pid, "--json")
    assert status == 0 and json.loads(out)[0]["outcome"] == "ambiguous"
    assert not stored(run)[pid]["authors"]


def test_a_fill_giving_another_papers_arxiv_id_merges_them(run, web, small):
    run("import", small, "--tag", "pasted")
    paper = sample_papers()[0]
    known = known_to_hf(web, [paper])
    arxiv_id = known[paper.title]["id"]
    web.route(
        "/api/query",
        Reply(
            200,
            atom_feed(
                atom_entry(arxiv_id + "v3", "Preprint title of the same paper", "", names(6))
            ),
        ),
    )
    web.route(f"/api/papers/{arxiv_id}", Reply(404, "not on Hugging Face"))
    status, _, err = run("add", arxiv_id, "--tag", "added")
    assert status == 0, err
    before = stored(run)
    pid = next(p for p in before.values() if p["title"] == paper.title)["id"]
    status, out, _ = run("enrich", pid, "--json")
    (result,) = json.loads(out)
    assert result["outcome"] == "merged"
    after = stored(run)
    assert len(after) == len(before) - 1 and pid not in after
    kept = after[result["id"]]
    assert set(kept["tags"]) == {"pasted", "added"} and pid in kept["aliases"]


def test_add_by_arxiv_id_stores_a_complete_record(run, web):
    web.route(
        "/api/papers/2503.11650",
        Reply(200, hf_paper("2503.11650", "Centaur", "An abstract " * 10, names(8), upvotes=12)),
    )
    entry = atom_entry("2503.11650v2", "Centaur", "An abstract " * 10, names(8), doi="10.1234/cen")
    web.route("/api/query", Reply(200, atom_feed(entry)))
    web.route("/works/10.1234/cen", Reply(404, "Resource not found.", content_type="text/plain"))
    status, out, err = run("add", "https://arxiv.org/abs/2503.11650", "--tag", "driving")
    assert status == 0, err
    (paper,) = stored(run).values()
    assert paper["identifiers"]["arxiv"] == "2503.11650"
    assert paper["arxiv_version"] == "v2"
    assert paper["identifiers"]["doi"] == "10.1234/cen"
    assert len(paper["authors"]) == 8 and paper["upvotes"] == 12 and paper["tags"] == ["driving"]
    status, _, _ = run("add", "2503.11650")
    assert status == 0 and len(stored(run)) == 1  # de-duplicated like an import


def test_add_names_each_id_that_failed(run, web):
    web.route(
        "/api/query", Reply(400, atom_error("9999.99999"), content_type="application/atom+xml")
    )
    web.route("/api/papers/9999.99999", Reply(404, "not found"))
    status, _, err = run("add", "not-an-id", "9999.99999")
    assert status == 1
    assert "not-an-id: not an arXiv id" in err
    assert "9999.99999:" in err and "incorrect id format" in err
    assert stored(run) == {}


def test_fetch_hf_stores_the_batch_and_merges_into_pasted_papers(run, web, small):
    run("import", small)
    pasted = sample_papers()[0]
    pid = next(p for p in stored(run).values() if p["title"] == pasted.title)["id"]
    run("read", pid)
    items = [
        hf_item(hf_paper("2503.11650", pasted.title, pasted.abstract, names(6), upvotes=50)),
        hf_item(
            hf_paper("2503.20000", "A fresh paper", "Fresh abstract " * 8, names(2), upvotes=9)
        ),
        hf_item(
            hf_paper("2503.30000", "An unloved paper", "Dull abstract " * 8, names(1), upvotes=1)
        ),
    ]
    web.route("/api/daily_papers", Reply(200, items))
    before = len(stored(run))
    status, out, err = run(
        "fetch", "hf", "--date", "2025-03-14", "--tag", "daily", "--min-upvotes", "5"
    )
    assert status == 0, err
    assert "fetched 2, added 1, merged 1" in out
    assert web.seen[-1].query["date"] == ["2025-03-14"]
    after = stored(run)
    assert len(after) == before + 1
    merged = after[pid]
    assert merged["read"] is True and "daily" in merged["tags"] and len(merged["authors"]) == 6
    assert merged["upvotes"] == 50


def test_fetch_refuses_a_bad_date_as_a_usage_error(run):
    with pytest.raises(SystemExit) as caught:
        run("fetch", "hf", "--date", "14/03/2025")
    assert caught.value.code == 2


def test_import_enrich_completes_what_was_imported(run, web, small):
    known_to_hf(web, sample_papers()[:1])
    status, out, err = run("import", small, "--enrich")
    assert status == 0, err
    assert "1 filled" in err
    assert sum(1 for p in stored(run).values() if p["authors"]) >= 1


def test_hostile_text_from_a_service_is_stored_literally_and_printed_safely(run, web):
    hostile = "Evil \x1b]52;c;cHduZWQ=\x07 [bold]title[/]"
    web.route(
        "/api/papers/2503.11650", Reply(200, hf_paper("2503.11650", hostile, "x" * 50, ["A B"]))
    )
    web.route("/api/query", Reply(200, EMPTY_FEED))
    assert run("add", "2503.11650")[0] == 0
    (paper,) = stored(run).values()
    assert paper["title"] == "Evil ]52;c;cHduZWQ= [bold]title[/]" or "\x1b" in paper["title"]
    status, out, _ = run("show", paper["id"])
    assert "\x1b" not in out and "\x07" not in out and "[bold]title[/]" in out


def test_the_cache_is_left_out_of_backups(run, web, tmp_path, small):
    known_to_hf(web, sample_papers()[:1])
    run("import", small, "--enrich")
    cache = run.library / "cache" / "sources"
    assert any(cache.glob("*.json"))
    Library(run.library)  # opens fine with the cache folder inside
    snapshot = backups.snapshot(run.library)
    assert not any(p.name == "cache" for p in snapshot.rglob("*"))


def test_s2_finds_the_published_version_and_an_empty_search_is_no_match(run, web, small):
    run("import", small)
    paper = sample_papers()[0]
    known = known_to_hf(web, [paper])
    arxiv_id = known[paper.title]["id"]
    web.route(
        f"/graph/v1/paper/arXiv:{arxiv_id}",
        Reply(
            200,
            {
                "title": paper.title,
                "externalIds": {"DOI": "10.1234/pub.1"},
                "journal": {"name": "Journal of Tests"},
                "year": 2021,
            },
        ),
    )
    web.route("/graph/v1/paper/search/match", Reply(200, {"total": 0, "offset": 0}))
    status, out, err = run("enrich", "--source", "hf,s2", "--json")
    assert status == 0, err
    results = {r["outcome"] for r in json.loads(out)}
    assert results == {"filled", "unmatched"}
    filled = next(p for p in stored(run).values() if p["title"] == paper.title)
    assert (
        filled["identifiers"]["doi"] == "10.1234/pub.1" and filled["journal"] == "Journal of Tests"
    )
    assert run("enrich", "--source", "dblp", "--dry-run")[2].count("not asked yet") == 1


def test_ids_with_all_is_a_usage_error_and_an_unknown_source_too(run, small):
    run("import", small)
    with pytest.raises(SystemExit) as caught:
        run("enrich", "abcdef", "--all")
    assert caught.value.code == 2
    status, _, err = run("enrich", "--source", "google")
    assert status == 1 and "choose from hf, arxiv, crossref, s2, openalex, dblp" in err
