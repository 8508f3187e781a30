"""Imports through the command line: skipped-line notes, refusals, new formats."""

from __future__ import annotations

import json

import pytest

from readinglist.cli import main


def listed(run) -> list[dict]:
    """`list --json`: exit status 0 with papers, 1 with none (and `[]`)."""
    status, out, _ = run("list", "--json")
    papers = json.loads(out)
    assert status == (0 if papers else 1)
    return papers


PAGE = """Hugging Face
Models
Datasets
Spaces

Daily Papers
by AK and the research community
Dec 2

Sparse Attention Revisited

We revisit sparse attention. It is fast.

  • 6 authors
·
Dec 1 12

Paper page
Tiny Models Win

Small models, big results.

·
Nov 30, 2024
"""


def test_a_page_with_chrome_says_what_it_skipped(run, tmp_path):
    daily = tmp_path / "daily.txt"
    daily.write_text(PAGE, encoding="utf-8")
    status, out, err = run("import", str(daily))
    assert status == 0
    assert err.splitlines() == ["daily.txt: skipped 8 lines of page navigation"]
    assert out.splitlines() == ["daily.txt: parsed 2, added 2, merged 0"]
    assert sorted(p["title"] for p in listed(run)) == [
        "Sparse Attention Revisited", "Tiny Models Win"]  # fmt: skip


def test_hf_on_a_bib_file_refuses_and_adds_nothing(run, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@inproceedings{Vaswani:2017,\n  title = {Attention},\n  volume = {30},\n}\n")
    status, out, err = run("import", "--format", "hf", str(bib))
    assert status == 1 and out == ""
    assert err.strip() == (
        "readinglist: refs.bib: looks like BibTeX, not a Daily Papers page (use --format bibtex)"
    )
    assert listed(run) == []


def test_a_foreign_json_array_is_refused(run, tmp_path):
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps([{"title": "T", "authors": ["ak"], "numComments": 2}]))
    status, _, err = run("import", str(dump))
    assert status == 1
    assert "looks like JSON objects with keys 'numComments'" in err
    assert listed(run) == []


@pytest.mark.parametrize("fmt", ["csl-json", "ris"])
def test_own_exports_reimport_to_the_same_records(run, tmp_path, seeds, fmt, capsys):
    assert run("import", *map(str, seeds))[0] == 0
    out_file = tmp_path / f"all.{fmt}"
    assert run("export", "--format", fmt, "--output", str(out_file))[0] == 0
    before = listed(run)
    other = tmp_path / "other"
    assert main(["--library", str(other), "import", str(out_file)]) == 0
    capsys.readouterr()
    assert main(["--library", str(other), "list", "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    carried = ["id", "title", "title_derived", "abstract", "authors", "author_count",
               "published", "year", "year_inferred", "journal", "identifiers", "tags", "note"]  # fmt: skip
    if fmt == "csl-json":
        carried += ["upvotes", "sources", "added", "aliases", "key", "read", "read_at"]
    by_id = {p["id"]: p for p in after}
    assert len(after) == len(before)
    for paper in before:
        assert {k: by_id[paper["id"]][k] for k in carried} == {k: paper[k] for k in carried}


def test_search_finds_authors_and_venues(run, tmp_path):
    csl = tmp_path / "zotero.json"
    csl.write_text(json.dumps([
        {"id": "a", "type": "paper-conference", "title": "Attention Is All You Need",
         "author": [{"family": "Vaswani", "given": "Ashish"}],
         "container-title": "Advances in Neural Information Processing Systems"},
        {"id": "b", "type": "article-journal", "title": "Probabilistic Circuits",
         "author": [{"family": "Broeck", "given": "Guy", "non-dropping-particle": "Van den"}]},
    ]))  # fmt: skip
    assert run("import", str(csl))[0] == 0
    for query, title in [(["vaswani"], "Attention Is All You Need"),
                         (['author:"van den broeck"'], "Probabilistic Circuits"),
                         (["venue:neurips"], "Attention Is All You Need")]:  # fmt: skip
        status, out, _ = run("search", "--json", "--", *query)
        assert status == 0 and [p["title"] for p in json.loads(out)] == [title]
    status, _, err = run("search", "--", "author:")
    assert status == 1
    assert "expected a name like author:vaswani" in err
