import json
import os
from dataclasses import replace

import pytest

from readinglist.errors import LibraryError, UnknownIdError
from readinglist.model import Paper, paper_id
from readinglist.persistence.library import Library
from readinglist.persistence.storage import SCHEMA_VERSION


def make(title: str, abstract: str = "", **fields) -> Paper:
    abstract = abstract or f"An abstract about {title} that is long enough to be compared."
    return Paper(id=paper_id(title, abstract), title=title, abstract=abstract, **fields)


@pytest.fixture
def lib(tmp_path):
    return Library(tmp_path / "lib")


def test_import_adds_then_reimport_merges_without_duplicates(lib):
    papers = [make("Attention Is All You Need"), make("Deep Residual Learning")]
    first = lib.import_papers(papers, source="a.txt")
    again = lib.import_papers(papers, source="a.txt")
    assert (first.parsed, first.added, first.merged) == (2, 2, 0)
    assert (again.parsed, again.added, again.merged) == (2, 0, 2)
    assert sorted(p.title for p in lib.papers()) == [
        "Attention Is All You Need",
        "Deep Residual Learning",
    ]


def test_reimport_keeps_read_tags_and_note(lib):
    paper = make("Attention Is All You Need")
    lib.import_papers([paper], source="a.txt")
    lib.set_read([paper.id])
    lib.add_tags([paper.id], ["nlp"])
    lib.set_note(paper.id, "classic")
    lib.import_papers([paper], source="b.txt")
    stored = lib.get(paper.id)
    assert (stored.read, stored.tags, stored.note) == (True, ["nlp"], "classic")
    assert stored.sources == ["a.txt", "b.txt"]


def test_dry_run_stores_nothing(lib):
    report = lib.import_papers([make("A paper")], source="a", dry_run=True)
    assert report.added == 1
    assert lib.papers() == []
    assert not lib.exists()


def test_edits_are_seen_by_another_process_view(lib):
    paper = make("Shared paper")
    lib.import_papers([paper], source="a")
    other = Library(lib.root)
    other.set_read([paper.id[:6]])
    other.add_tags([paper.id], ["x", "y"])
    assert lib.refresh() is True
    stored = lib.get(paper.id)
    assert stored.read and stored.read_at and stored.tags == ["x", "y"]


def test_state_lives_in_small_shards_not_the_corpus(lib, shard_file):
    paper = make("Sharded")
    lib.import_papers([paper], source="a")
    corpus = (lib.root / "papers.json").read_bytes()
    lib.set_read([paper.id])
    assert (lib.root / "papers.json").read_bytes() == corpus
    shard = json.loads(shard_file(lib.root, paper.id).read_text())
    assert shard["state"][paper.id]["read"] is True
    assert shard["_meta"]["1"]["schema"] == SCHEMA_VERSION


def test_files_are_private_and_no_temp_files_remain(lib):
    paper = make("Private")
    lib.import_papers([paper], source="a")
    lib.set_read([paper.id])
    for path in [lib.root / "papers.json", *lib.root.joinpath("state").glob("*.json")]:
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert not list(lib.root.rglob("*.tmp"))


def test_ids_resolve_by_prefix_and_alias_and_fail_clearly(lib):
    a, b = make("First"), make("Second")
    lib.import_papers([a, b], source="x")
    assert lib.resolve(a.id[:6].upper()) == a.id
    with pytest.raises(UnknownIdError, match="at least 4"):
        lib.resolve("abc")
    with pytest.raises(UnknownIdError, match="ffff0000: no paper"):
        lib.resolve("ffff0000")


def test_ambiguous_prefix_is_reported(lib):
    first = replace(make("First paper"), id="abcd000000000001")
    second = replace(make("Second paper"), id="abcd000000000002")
    lib.import_papers([first, second], source="x")
    with pytest.raises(UnknownIdError, match="abcd0: ambiguous"):
        lib.resolve("abcd0")
    assert lib.short_ids()[first.id] == "abcd000000000001"


# An abstract is evidence of the same paper from twenty words on.
LONGER = " It trains faster, uses less memory and matches the accuracy of the best methods."


def test_merge_keeps_old_id_as_alias(lib):
    derived = make(
        "Derived",
        "We present X, a method for robust training of networks." + LONGER,
        title_derived=True,
    )
    lib.import_papers([derived], source="a")
    real = replace(
        make(
            "X: Robust Training", "We present X, a method for robust training of networks!" + LONGER
        )
    )
    real = replace(real, id="0123456789abcdef")
    lib.import_papers([real], source="b")
    (stored,) = lib.papers()
    assert stored.id == derived.id
    assert stored.title == "X: Robust Training" and not stored.title_derived
    assert lib.resolve("0123456789abcdef") == derived.id


def test_remove_and_put_back(lib):
    paper = make("Deleted")
    lib.import_papers([paper], source="a")
    lib.add_tags([paper.id], ["keep"])
    (gone,) = lib.remove([paper.id])
    assert lib.papers() == []
    lib.put([gone])
    assert lib.get(paper.id).tags == ["keep"]


def test_damaged_corpus_is_reported_and_never_overwritten(lib):
    lib.import_papers([make("Precious")], source="a")
    path = lib.root / "papers.json"
    path.write_bytes(b'{"papers": {"trunc')
    with pytest.raises(LibraryError, match="papers.json: damaged.*restore"):
        Library(lib.root).papers()
    with pytest.raises(LibraryError):
        Library(lib.root).import_papers([make("New")], source="b")
    assert path.read_bytes() == b'{"papers": {"trunc'


def test_newer_schema_is_refused(lib):
    lib.import_papers([make("Future")], source="a")
    path = lib.root / "papers.json"
    data = json.loads(path.read_text())
    data["_meta"]["1"]["schema"] = 99
    path.write_text(json.dumps(data))
    with pytest.raises(LibraryError, match="newer"):
        Library(lib.root).papers()


def test_stale_temp_files_are_removed_by_the_next_writer(lib):
    paper = make("Temp")
    lib.import_papers([paper], source="a")
    stale = lib.root / ".papers.json.crash.tmp"
    stale.write_text("half")
    Library(lib.root).set_read([paper.id])
    assert not stale.exists()


def test_bulk_changes_keep_bounded_backups(lib):
    papers = [make(f"Paper {i}") for i in range(3)]
    lib.import_papers(papers, source="a")
    for _ in range(8):
        lib.set_read([p.id for p in papers], True)
        lib.set_read([p.id for p in papers], False)
    names = sorted(os.listdir(lib.root / "backups"))
    assert 1 <= len(names) <= 5


def test_settings_are_remembered(lib):
    lib.set_setting("citation_style", "apa")
    assert Library(lib.root).settings() == {"citation_style": "apa"}


def test_same_content_id_never_overwrites_a_paper_and_its_state(lib):
    short = Paper(
        id=paper_id("", "Tiny abstract."),
        title="Tiny",
        abstract="Tiny abstract.",
        title_derived=True,
    )
    lib.import_papers([short], source="a.txt")
    lib.add_tags([short.id], ["keep"])
    report = lib.import_papers([short], source="a.txt")
    assert (report.added, report.merged) == (0, 1)
    assert lib.get(short.id).tags == ["keep"]
    old = Paper(id=paper_id("Same Title", ""), title="Same Title", year=2017)
    lib.import_papers([old], source="old.bib")
    lib.set_note(old.id, "mine")
    lib.import_papers([replace(old, year=2023)], source="new.bib")
    assert lib.get(old.id).note == "mine"


def test_a_damaged_record_is_named_not_a_traceback(lib):
    paper = make("Typed")
    lib.import_papers([paper], source="a")
    path = lib.root / "papers.json"
    data = json.loads(path.read_text())
    data["papers"][paper.id]["title"] = None
    path.write_text(json.dumps(data))
    with pytest.raises(
        LibraryError, match=f"papers.json: paper {paper.id}: title must be a string"
    ):
        Library(lib.root).papers()


def test_settings_that_are_not_an_object_are_reported(lib):
    lib.root.mkdir(parents=True)
    (lib.root / "settings.json").write_text("[1]")
    with pytest.raises(LibraryError, match="settings.json: damaged"):
        lib.settings()


def test_version_grows_only_when_changes_are_loaded_from_disk(lib):
    paper = make("Versioned")
    lib.import_papers([paper], source="a")
    lib.papers()
    seen = lib.version
    lib.set_read([paper.id])
    assert lib.version == seen  # our own write: nothing new to load
    Library(lib.root).add_tags([paper.id], ["x"])
    lib.set_note(paper.id, "n")  # the write absorbs the other process's change...
    assert lib.version > seen  # ...and says so
    assert lib.get(paper.id).tags == ["x"]


def test_records_store_only_fields_off_their_default_and_full_records_still_load(lib):
    plain = make("Plain")
    rich = make("Rich", doi="10.1/x", authors=["A. Author"], year=2020, title_derived=True)
    lib.import_papers([plain, rich], source="a.txt")
    path = lib.root / "papers.json"
    data = json.loads(path.read_text())
    # a new key is provisional (key_fixed false) until it is first written out
    assert set(data["papers"][plain.id]) == {
        "title",
        "abstract",
        "sources",
        "added",
        "key",
        "stamps",
        "key_fixed",
    }
    assert data["papers"][rich.id]["doi"] == "10.1/x"
    assert data["papers"][rich.id]["title_derived"] is True
    stored = Library(lib.root).papers()  # read back from the sparse file
    assert stored == lib.papers() and stored[1].doi == "10.1/x" and stored[0].authors == []
    for record, paper in zip(data["papers"].values(), stored, strict=True):
        record.update(paper.bib_dict())  # every field, as earlier versions wrote them
    path.write_text(json.dumps(data))
    assert Library(lib.root).papers() == stored
