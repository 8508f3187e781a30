"""Entries of one file that name themselves apart (a BibTeX file's keys, a readinglist
export's ids) are one paper only on a shared identifier; the index of such a file's
import does not index its new entries' text, and finds what the whole index finds."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist import dedupe
from readinglist.dedupe import DedupeIndex
from readinglist.importer import import_files
from readinglist.model import Paper
from readinglist.persistence.library import ImportReport, Library

LONG = ("We study how {} behaves when the data are noisy and show with many experiments "
        "that a simple method works well across twenty or more settings of the task.")  # fmt: skip


def entry(pid: str, title: str, **fields) -> dict:
    return {"id": pid, "title": title, "abstract": LONG.format("learning"), **fields}


def imported(tmp_path, name: str, entries: list[dict], library: Library | None = None):
    path = tmp_path / name
    path.write_text(json.dumps(entries))
    library = library or Library(tmp_path / "lib")
    (report,) = [r for r in import_files(library, [str(path)]) if isinstance(r, ImportReport)]
    return library, report


def test_entries_of_an_export_with_different_ids_stay_apart(tmp_path):
    # The exporting library kept them apart (an erratum, a second part with a typo'd title).
    library, report = imported(tmp_path, "export.json", [
        entry("a" * 16, "Robust Deep Learning for Graphs"),
        entry("b" * 16, "Robust Deep Learning for Graph"),
    ])  # fmt: skip
    assert (report.added, report.merged) == (2, 0)
    assert sorted(p.id for p in library.papers()) == ["a" * 16, "b" * 16]


def test_entries_without_ids_still_merge_on_a_near_title(tmp_path):
    one, two = (entry("", t) for t in ("Robust Deep Learning for Graphs",
                                       "Robust Deep Learning for Graph"))  # fmt: skip
    for item in (one, two):
        del item["id"]
    library, report = imported(tmp_path, "listing.json", [one, two])
    assert (report.added, report.merged) == (1, 1)


def test_entries_of_an_export_with_one_id_or_one_doi_are_one_paper(tmp_path):
    library, report = imported(tmp_path, "export.json", [
        entry("a" * 16, "Robust Deep Learning for Graphs", year=2020),
        entry("a" * 16, "Robust Deep Learning for Graphs", year=2020, upvotes=3),
        entry("b" * 16, "A Title", identifiers={"doi": "10.1/x"}),
        entry("c" * 16, "The Same Paper, Retitled", identifiers={"doi": "10.1/X"}),
    ])  # fmt: skip
    assert (report.added, report.merged) == (2, 2)
    assert {p.id for p in library.papers()} == {"a" * 16, "b" * 16}


def test_an_export_imported_again_merges_into_the_records_it_came_from(tmp_path):
    library, _ = imported(tmp_path, "first.json", [
        entry(f"{i:016x}", f"Paper number {word} on learning", year=2020)
        for i, word in enumerate(["one", "two", "three", "four"])
    ])  # fmt: skip
    again = [p.to_json() for p in library.papers()]
    for item in again:  # retitled a little on the other machine: still the same records
        item["title"] += "."
    library, report = imported(tmp_path, "again.json", again, library)
    assert (report.added, report.merged) == (0, 4)


# The index of a batch named apart, against the whole index, merge after merge.

WORDS = ["deep", "learning", "graph", "neural", "networks", "AMS", "VMS", "site", "report", "3"]
paper_fields = st.fixed_dictionaries(
    {
        "title": st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join),
        "year": st.sampled_from([None, 2020, 2021]),
        "abstract": st.sampled_from(["", "Keywords", LONG.format("learning"), LONG.format("x")]),
        "authors": st.sampled_from([[], ["Ada Lovelace"], ["Alan Turing"]]),
        "doi": st.sampled_from([None, None, "10.1/a", "10.1/b"]),
        "key": st.sampled_from(["", "smith2020", "k1", "k2"]),  # a stored key may be a batch's
    }
)


def imports(index: DedupeIndex, batch: list[Paper]) -> list:
    """What an import finds for each paper of `batch`; a found paper is merged as
    `Library.import_papers` merges it (taken out, put back changed, in the batch)."""
    seen = []
    for paper in batch:
        found = index.find_reason(paper)
        seen.append(found)
        if found is not None:
            stored = index._papers[found[0]]
            index.remove(stored)
            paper = dedupe.merge(stored, paper)
        elif paper.id in index._papers:  # (the same content, unless `may_be`: a new id)
            paper = replace(paper, id=dedupe.distinct_id(paper, index._papers))
        index.add(paper, batch=True)
    return seen


def agree(stored: list[Paper], batch: list[Paper], named: bool) -> None:
    """The apart index finds what the whole one finds, paper after paper, until the whole
    index's few near checks were all taken by entries of the file that cannot match: then
    the apart one may find a stored paper with a near title that the whole one missed."""
    assert dedupe.named_apart(batch, named)
    whole = imports(DedupeIndex(stored, named=named), batch)
    apart = imports(DedupeIndex(stored, named=named, apart=True), batch)
    ids = {paper.id for paper in stored}
    for mine, theirs in zip(apart, whole, strict=True):
        if mine != theirs:
            assert theirs is None and mine is not None, (mine, theirs)
            assert mine[0] in ids and mine[1] == "nearly the same title"
            return


@settings(max_examples=200, deadline=None)
@given(st.lists(paper_fields, min_size=2, max_size=30), st.integers(0, 30), st.booleans())
def test_an_index_of_a_batch_named_apart_finds_what_the_whole_index_finds(rows, split, named):
    papers = [Paper(id=f"{i:016x}", **fields) for i, fields in enumerate(rows)]
    split = min(split, len(papers) - 1)
    stored, batch = papers[:split], papers[split:]
    if named:  # an export's entries: ids of their own (a stored paper's, some), keys as read
        batch = [replace(p, id=f"{i:016x}") for i, p in enumerate(batch)]
    else:  # a BibTeX file's: keys of their own (a stored paper's, some)
        batch = [replace(p, key=f"k{i}") for i, p in enumerate(batch)]
    agree(stored, batch, named)


def test_a_batch_with_a_shared_or_missing_name_is_not_named_apart():
    one, two = Paper(id="a" * 16, title="A", key="k"), Paper(id="b" * 16, title="B", key="k")
    assert not dedupe.named_apart([one, two], named=False)  # one key twice
    assert dedupe.named_apart([one, two], named=True)  # two ids
    assert not dedupe.named_apart([one, replace(two, key="")], named=False)
    assert not dedupe.named_apart([one, replace(two, id=one.id)], named=True)


def test_a_stored_record_an_entry_merged_into_is_found_by_its_title_again():
    # `k1` in the library; the file's `k0` merges into it by DOI, then the file's own
    # `k1` (the same name) is the same paper by its title, as the whole index finds.
    stored = Paper(id="a" * 16, title="Robust deep learning", key="k1", doi="10.1/a")
    batch = [Paper(id="b" * 16, title="Robust deep learning, extended", key="k0", doi="10.1/a"),
             Paper(id="c" * 16, title="Robust deep learning", key="k1")]  # fmt: skip
    found = imports(DedupeIndex([stored], apart=True), batch)
    assert found == [(stored.id, "same DOI"), (stored.id, "same title")]
    agree([stored], batch, named=False)
