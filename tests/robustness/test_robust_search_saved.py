"""A search reads the saved index, the saved state and the lines of the papers it
prints: never the whole corpus nor every state shard, and it answers what a search
over the whole library answers. Anything not current or not usable (the index, its
rows, the saved state, the directory) sends it the whole way, with the same answers."""

from __future__ import annotations

import json
from array import array

import pytest

from readinglist.cli import main
from readinglist.persistence import records
from readinglist.persistence.library import Library
from readinglist.persistence.shards import StateShards
from readinglist.persistence.storage import read_manifest
from readinglist.search import cache as index_cache
from readinglist.search import changes, saved_state
from readinglist.search import index as index_module
from readinglist.search import state as state_module
from readinglist.search.index import SearchIndex
from readinglist.search.state import grouped

QUERIES = [
    "alpha",
    "alph",  # a prefix
    "gamam",  # a typo
    "beta -gamma",
    '"alpha beta"',  # a phrase: abstracts read through the directory
    '"careful survey"',  # a phrase only in one abstract
    "tag:keep",
    "is:read",
    "-is:read alpha",
    "pangolin",  # a note word
    "author:hopper",
    "hopper",  # a family name
    "venue:journal of crystals",
    "year:2019..2021",
    "upvotes:>5",
    "source:base.json",
    "title:kappa",
    "cnn",  # an acronym a paper defines, matched in titles
]


def _papers(make_paper, numbered_papers) -> list:
    papers = numbered_papers(40)
    for i, paper in enumerate(papers):
        paper.year = 2015 + i % 8
        paper.upvotes = i % 11
        paper.authors = [f"Grace Hopper{i % 3}" if i % 3 else "Grace Hopper", "Alan Turing"]
        paper.journal = "Journal of Crystals" if i % 4 == 0 else None
    for paper in papers[::5]:
        paper.read, paper.read_at = True, "2025-01-01T00:00:00+00:00"
    for paper in papers[::7]:
        paper.tags = ["keep"]
    papers[3].note = "remember the pangolin"
    papers.append(make_paper("A careful survey", "A careful survey of things, done slowly."))
    papers.append(
        make_paper("Convolutional neural networks", "Convolutional neural networks (CNN) see.")
    )
    return papers


@pytest.fixture
def library(tmp_path, make_paper, numbered_papers) -> Library:
    lib = Library(tmp_path / "library")
    lib.import_papers(_papers(make_paper, numbered_papers), source="base.json")
    return lib


def _fresh(root, text: str) -> list[tuple[str, float]]:
    """What a search over the whole library answers (an index built from every paper)."""
    papers = Library(root).papers()
    result = SearchIndex(papers).search(text, None)
    return [(pid, result.scores[pid]) for pid in result.ids]


def _answers(root) -> dict[str, list[tuple[str, float]]]:
    return {text: _fresh(root, text) for text in QUERIES}


def _searched(root, text: str) -> list[tuple[str, float]]:
    return [(paper.id, score) for paper, score in Library(root).search(text)]


def test_a_search_on_a_current_index_never_reads_the_whole_library(library, no_whole_reads):
    expected = _answers(library.root)
    Library(library.root).search("alpha")  # saves the state beside the index
    no_whole_reads(Library._load_corpus, StateShards.read_all, Library.papers)
    for text in QUERIES:
        assert _searched(library.root, text) == expected[text], text
    hits = Library(library.root).search('"careful survey"')
    assert [p.abstract for p, _ in hits] == ["A careful survey of things, done slowly."]
    assert all(p.tags == ["keep"] for p, _ in Library(library.root).search("tag:keep"))


def test_after_an_import_an_edit_and_a_removal_it_still_reads_only_what_it_prints(
    library, no_whole_reads, monkeypatch, make_paper
):
    monkeypatch.setattr(index_cache, "LOG_SHARE", 1.0)  # the log keeps every write
    root = library.root
    Library(root).import_papers([make_paper("Zanzibarite crystals")], source="more.json")
    victim, edited = (p.id for p in Library(root).papers()[7:9])
    Library(root).remove([victim])
    Library(root).edit(edited, title="Quasicrystal growth", authors=["Ada Lovelace"])
    Library(root).add_tags([edited], ["fresh"])
    expected = _answers(root)
    extra = {t: _fresh(root, t) for t in ("zanzibarite", "quasicrystal", "author:lovelace")}
    no_whole_reads(Library._load_corpus, StateShards.read_all, Library.papers)
    for text, found in {**expected, **extra, "tag:fresh": [(edited, 0.0)]}.items():
        assert _searched(root, text) == found, text
    assert victim not in [pid for pid, _ in _searched(root, "paper")]


def test_a_state_change_reads_the_one_shard_it_changed(library, no_whole_reads, shards_read):
    root = library.root
    Library(root).search("alpha")
    pid = Library(root).papers()[11].id
    Library(root).add_tags([pid], ["urgent"])
    Library(root).set_note(pid, "a wombat appears")
    Library(root).set_read([pid])
    expected = _answers(root)
    read = shards_read()
    no_whole_reads(Library._load_corpus, StateShards.read_all, Library.papers)
    assert _searched(root, "tag:urgent") == [(pid, 0.0)]
    assert _searched(root, "wombat")[0][0] == pid
    assert read == [pid[:3]]  # one shard, once: then the saved state is current again
    for text in QUERIES:
        assert _searched(root, text) == expected[text], text


def test_the_first_search_after_an_import_reads_no_state_shard(
    library, no_whole_reads, monkeypatch, shards_read
):
    """The import saves the state a search reads (under its lock, after its last write of
    shards): the first search reads no shard, and a later tag is still seen."""
    root = library.root
    expected = _answers(root)
    assert (root / saved_state.STATE_NAME).exists()
    read = shards_read()
    no_whole_reads(Library._load_corpus, StateShards.read_all, Library.papers)
    for text in QUERIES:
        assert _searched(root, text) == expected[text], text
    assert read == []
    pid = expected["alpha"][-1][0]
    monkeypatch.undo()
    Library(root).add_tags([pid], ["later"])
    assert _searched(root, "tag:later") == [(pid, 0.0)]


@pytest.mark.parametrize(
    "damage",
    [
        "missing",
        "garbage",
        "cut",
        "wrong shape",
        "wrong groups",
        "earlier format",
        "old signatures",
    ],
)
def test_a_damaged_or_missing_saved_state_is_made_again_from_the_shards(library, damage):
    root = library.root
    Library(root).search("alpha")
    path = root / saved_state.STATE_NAME
    pid = Library(root).papers()[2].id
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"not a cache file")
    elif damage == "cut":
        path.write_bytes(path.read_bytes()[:-7])
    elif damage == "wrong shape":
        groups = {"read": [], "tags": {}, "words": {}}
        path.write_bytes(
            records.pack([{"format": saved_state.FORMAT}, {}, {pid: [1, 2, 3]}, groups])
        )
    elif damage == "wrong groups":
        head, signatures, states, groups = records.unpack(path.read_bytes())
        groups["tags"]["keep"] = pid  # not a list of ids
        path.write_bytes(records.pack([head, signatures, states, groups]))
    elif damage == "earlier format":  # current as format 1 had it (no groups): never misread
        head, signatures, states, _ = records.unpack(path.read_bytes())
        states[pid] = [True, ["late"], ""]
        path.write_bytes(records.pack([{**head, "format": 1}, signatures, states]))
    else:  # saved before a tag: that shard's signature differs
        saved = path.read_bytes()
        Library(root).add_tags([pid], ["late"])
        path.write_bytes(saved)
    expected = _answers(root)
    for text in [*QUERIES, "tag:late"]:
        assert _searched(root, text) == _fresh(root, text) == expected.get(text, _fresh(root, text))


def test_the_saved_state_holds_its_groups_and_a_search_groups_none(library, monkeypatch):
    """A search on a current saved state takes the groups saved with it; a state
    changed since is grouped again and saved with its new groups."""
    root = library.root
    pid = Library(root).papers()[2].id
    Library(root).add_tags([pid], ["late"])
    Library(root).set_note(pid, "a wombat")
    expected = {text: _fresh(root, text) for text in [*QUERIES, "tag:late", "wombat"]}
    assert _searched(root, "alpha") == expected["alpha"]  # reads the shard, saves the state
    _, _, states, groups = records.unpack((root / saved_state.STATE_NAME).read_bytes())
    read, tags, words = grouped((key, *state) for key, state in states.items())
    assert groups == {"read": read, "tags": tags, "words": words}
    assert groups["tags"]["late"] == groups["words"]["wombat"] == [pid]
    monkeypatch.setattr(state_module, "grouped", None)  # grouping again would fail
    for text, found in expected.items():
        assert _searched(root, text) == found, text


@pytest.mark.parametrize("part", ["rows", "rank", "ranks", "facets"])
def test_an_index_whose_search_parts_do_not_fit_is_rebuilt(library, part):
    root = library.root
    path = root / index_cache.CACHE_NAME
    data = index_cache._read(path)
    if part == "rows":
        data["row_ends"] = data["row_ends"][:-4]
    elif part == "rank":
        data["rank"] = data["rank"][:-4] + data["rank"][:4]  # one paper twice, one missing
    elif part == "ranks":
        data["ranks"] = data["ranks"][:-4]
    else:
        data["facets"].pop("year")
    data.pop("format")
    stamp = data.pop("stamp")
    index_cache.atomic_write(path, index_cache.packed(data, stamp))
    assert index_cache._read(path) is None
    for text in QUERIES:
        assert _searched(root, text) == _fresh(root, text), text
    assert index_cache._read(path) is not None  # saved again, whole


def test_a_row_of_the_wrong_shape_sends_the_search_the_whole_way(library, monkeypatch):
    root = library.root
    expected = _answers(root)
    real = index_module.Rows.__getitem__

    def broken(self, pos):
        if pos in self._held:
            return real(self, pos)
        raise index_module.Unavailable(pos)

    monkeypatch.setattr(index_module.Rows, "__getitem__", broken)
    for text in QUERIES:
        assert _searched(root, text) == expected[text], text


def test_without_a_directory_or_with_a_journal_the_whole_library_is_read(library):
    root = library.root
    expected = _answers(root)
    (root / "directory.bin").unlink()
    for text in QUERIES:
        assert _searched(root, text) == expected[text], text


def test_a_damaged_shard_changed_since_the_state_was_saved_is_reported(library, capsys):
    root = library.root
    Library(root).search("alpha")
    pid = Library(root).papers()[5].id
    shard = root / "state" / f"{pid[:3]}.json"
    shard.write_text(json.dumps({"state": {pid: {"read": "yes"}}}))
    assert main(["--library", str(root), "search", "alpha"]) == 1
    err = capsys.readouterr().err.strip()
    assert str(shard) in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_the_cli_prints_what_it_printed_from_the_whole_library(library, capsys, monkeypatch):
    root = library.root
    args = ["--library", str(root), "search"]
    main([*args, "alpha", "--json"])
    main([*args, "alpha"])
    capsys.readouterr()
    outputs = []
    for lean in (True, False):
        if not lean:
            monkeypatch.setattr(Library, "_search_saved", lambda self, text, limit: None)
        main([*args, "alpha", "--json"])
        json_out = capsys.readouterr().out
        main([*args, "alpha"])
        outputs.append((json.loads(json_out), capsys.readouterr().out))
    assert outputs[0] == outputs[1] and len(outputs[0][0]) == len(_fresh(root, "alpha"))


def test_a_state_write_is_found_through_its_note_where_signatures_repeat(library, monkeypatch):
    """On a file system with 1-second times and recycled inodes a rewritten shard can
    keep its signature: the note of the write names it all the same."""
    root = library.root
    Library(root).search("alpha")
    frozen = StateShards(root / "state").signatures()
    monkeypatch.setattr(StateShards, "signatures", lambda self: frozen)
    pid = Library(root).papers()[11].id
    Library(root).add_tags([pid], ["urgent"])
    assert _searched(root, "tag:urgent") == [(pid, 0.0)]
    Library(root).remove_tags([pid], ["urgent"])
    assert _searched(root, "tag:urgent") == []


def test_shards_written_without_a_note_are_all_read_again(library, monkeypatch, shards_read):
    """A writer that notes nothing (an earlier release, a restore, a sync tool) moves the
    marker with no way to it in the log: every shard is read."""
    root = library.root
    Library(root).search("alpha")
    monkeypatch.setattr(Library, "_note_state_write", lambda self, *args: None)
    pid = Library(root).papers()[11].id
    Library(root).add_tags([pid], ["urgent"])
    read = shards_read()
    assert _searched(root, "tag:urgent") == [(pid, 0.0)]
    assert sorted(read) == sorted(StateShards(root / "state").signatures())


def test_each_write_appends_its_note_and_the_log_is_cut_back_when_it_outgrows(
    library, monkeypatch, shards_read
):
    root = library.root
    Library(root).search("alpha")
    pid = Library(root).papers()[11].id
    writer = Library(root)
    for n in range(5):
        writer.set_read([pid], n % 2 == 0)
    notes = saved_state._read_log(root)
    assert len(notes) == 5 and {note.ids for note in notes} == {(pid[:3],)}
    assert [a.after for a in notes[:-1]] == [b.before for b in notes[1:]]  # one chain
    assert _searched(root, "is:read") == _fresh(root, "is:read")  # the state saved again
    monkeypatch.setattr(saved_state, "LOG_BYTES", 1)  # every write now writes it anew
    monkeypatch.setattr(saved_state, "LOG_ENTRIES", 3)
    writer.set_read([pid], False)
    writer.set_read([pid])
    kept = saved_state._read_log(root)
    assert len(kept) == 3 and kept[0] == notes[-1]  # the last three, the two new ones last
    read = shards_read()
    assert _searched(root, "is:read") == _fresh(root, "is:read")
    assert read == [pid[:3]]  # the way from the saved state is in the log still


def test_a_log_cut_short_reads_as_none_and_the_next_note_starts_it_anew(library, shards_read):
    root = library.root
    Library(root).search("alpha")
    pid = Library(root).papers()[11].id
    writer = Library(root)
    writer.add_tags([pid], ["urgent"])
    writer.set_note(pid, "a wombat appears")
    log = root / saved_state.LOG_NAME
    log.write_bytes(log.read_bytes()[:-5])  # a crash during the last append
    read = shards_read()
    assert _searched(root, "tag:urgent") == [(pid, 0.0)]
    assert _searched(root, "wombat")[0][0] == pid
    assert len(read) > 1 and not log.exists()  # every shard read once; the log dropped
    read.clear()
    writer.set_read([pid])
    assert len(saved_state._read_log(root)) == 1
    assert _searched(root, "is:read") == _fresh(root, "is:read") and read == [pid[:3]]


def test_a_search_printing_many_papers_reads_the_whole_library(library, monkeypatch):
    monkeypatch.setattr("readinglist.persistence.library.SEARCH_LINES", 3)
    expected = _answers(library.root)
    loads: list[int] = []
    real = Library._load_corpus
    monkeypatch.setattr(Library, "_load_corpus", lambda self: loads.append(1) or real(self))
    assert _searched(library.root, "alpha") == expected["alpha"]
    assert loads == [1]
    assert _searched(library.root, '"careful survey"') == expected['"careful survey"']
    assert loads == [1]  # one paper: through the directory


@pytest.mark.parametrize("part", ["abstract rare", "title mask", "family names", "acronyms"])
def test_a_saved_value_that_does_not_fit_is_found_as_it_is_decoded(library, part):
    """A search decodes only the arrays and masks its query uses, and checks each then:
    one that does not fit sends it the whole way, which rebuilds the index."""
    root = library.root
    path = root / index_cache.CACHE_NAME
    expected = _answers(root)
    data = index_cache._read(path)
    beyond = array("I", [len(data["ids"]) + 5]).tobytes()
    if part == "abstract rare":
        data["abstract"]["rare"]["careful"], query = beyond, '"careful survey"'
    elif part == "title mask":
        data["title"]["masks"]["alpha"], query = b"\xff" * 4096, "alpha"
    elif part == "family names":
        data["names"]["family"]["hopper"], query = beyond, "hopper"
    else:
        data["acronyms"]["cnn"], query = [["convolutional", 7]], "cnn"
    data.pop("format")
    index_cache.atomic_write(path, index_cache.packed(data, data.pop("stamp")))
    assert index_cache._read(path, lazy=True) is not None  # not checked until decoded
    assert _searched(root, query) == expected[query]
    assert index_cache._read(path) is not None  # rebuilt whole
    for text in QUERIES:
        assert _searched(root, text) == expected[text], text


def test_an_edit_through_the_directory_is_searched_and_the_index_then_saved(library):
    """An edit of one paper writes its line only and holds a few papers: past the log's
    share it leaves the index to the next search, which reads the whole library once."""
    root = library.root
    Library(root).fix_keys([p.id for p in Library(root).papers()])
    target = Library(root).papers()[4].id
    assert main(["--library", str(root), "edit", target, "--title", "Zymurgy of lines"]) == 0
    assert changes.read_log(root) != []
    assert _searched(root, "zymurgy") == _fresh(root, "zymurgy") != []
    assert changes.read_log(root) == []
    assert index_cache.saved_stamp(root / index_cache.CACHE_NAME) == _generation(root)
    for text in QUERIES:
        assert _searched(root, text) == _fresh(root, text), text


def _generation(root) -> str:
    return read_manifest(root / "manifest.json")["generation"]
