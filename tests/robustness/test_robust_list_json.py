"""`list --json` made from the stored records and states, without Paper objects, and
written a chunk at a time: the same bytes as the papers' `to_json` through the whole
read, for every option. A record it does not make itself goes through Paper; anything
it cannot tell (a journal or restore pending, another schema, a move under way, a
damaged record) sends it the whole way, which reports a damaged file in one line."""

from __future__ import annotations

import json
import subprocess
import sys

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readinglist
from readinglist import listing
from readinglist.cli import main
from readinglist.model import Paper, inferred_type, paper_id
from readinglist.persistence import listed_json
from readinglist.persistence.library import Library, _paper
from readinglist.persistence.shards import StateShards
from readinglist.safe_text import json_bytes

JSON_OPTIONS = [
    ["--json"],
    ["--json", "--read"],
    ["--json", "--unread"],
    ["--json", "--tag", "keep"],
    ["--json", "--tag", "KEEP"],
    ["--json", "--unread", "--tag", "keep", "--sort", "title"],
    ["--json", "--sort", "date"],
    ["--json", "--sort", "title"],
    ["--json", "--sort", "upvotes"],
    ["--json", "--read", "--sort", "upvotes"],
    ["--json", "--tag", "nosuch"],
    ["--json", "--query", "alpha"],  # a search: the whole way, as before
]


def _list(root, capsys, options: list[str]) -> tuple[int, str, str]:
    status = main(["--library", str(root), "list", *options])
    out, err = capsys.readouterr()
    return status, out, err


def _whole(root, capsys, monkeypatch, options: list[str]) -> tuple[int, str, str]:
    """What `list` prints through the whole read (Paper objects, `to_json`)."""
    with monkeypatch.context() as patch:
        patch.setattr(Library, "listed_json", lambda self: None)
        return _list(root, capsys, options)


def _same_for_every_option(root, capsys, monkeypatch) -> None:
    for options in JSON_OPTIONS:
        made = _list(root, capsys, options)
        assert made == _whole(root, capsys, monkeypatch, options), options


def test_every_option_prints_what_the_whole_read_prints(listed_root, capsys, monkeypatch):
    _same_for_every_option(listed_root, capsys, monkeypatch)
    out = _list(listed_root, capsys, ["--json"])[1]
    assert len(json.loads(out)) == 36
    assert "\x1b" not in out and "\\u001b[31m" in out  # untrusted text stays escaped


@pytest.mark.parametrize("size", [1, 2, 7])
def test_any_chunk_size_gives_the_same_bytes(listed_root, capsys, monkeypatch, size):
    expected = _whole(listed_root, capsys, monkeypatch, ["--json", "--sort", "title"])
    monkeypatch.setattr(listed_json, "CHUNK", size)
    assert _list(listed_root, capsys, ["--json", "--sort", "title"]) == expected


def test_it_builds_no_paper_and_reads_no_corpus_twice(
    listed_root, capsys, monkeypatch, no_whole_reads
):
    expected = {tuple(o): _whole(listed_root, capsys, monkeypatch, o) for o in JSON_OPTIONS[:10]}
    no_whole_reads(Library._load_corpus, Library.papers, Paper.to_json)
    for options in JSON_OPTIONS[:10]:
        assert _list(listed_root, capsys, options) == expected[tuple(options)], options


def _edit_record(root, pid: str, change) -> None:
    """Change paper `pid`'s stored record in the corpus file (its size may change)."""
    corpus = root / "papers.json"
    data = orjson.loads(corpus.read_bytes())
    change(data["papers"][pid])
    lines = [b'{"_meta":' + orjson.dumps(data["_meta"]) + b",", b'"papers":{']
    records = [orjson.dumps(k) + b":" + orjson.dumps(v) for k, v in data["papers"].items()]
    corpus.write_bytes(b"\n".join(lines) + b"\n" + b",\n".join(records) + b"\n}}\n")


def test_records_it_does_not_make_itself_go_through_paper(listed_root, capsys, monkeypatch):
    ids = [p.id for p in Library(listed_root).papers()]
    parts = [{"family": "Beethoven", "particle": "van", "given": "Ludwig"}]
    changes = {
        ids[0]: lambda r: r.update(authors=["Ludwig van Beethoven"], names=parts),
        ids[1]: lambda r: r.update(editors=[{"family": "Editor", "given": "Ed"}]),
        ids[2]: lambda r: r.update(a_field_of_a_later_release="kept out"),
        ids[3]: lambda r: r.pop("stamps"),  # a record made before stamps
        ids[4]: lambda r: r.update(stamps={"title": ["2025-01-01T00:00:00+00:00", "r", "x"]}),
        ids[5]: lambda r: r.update(abstract="", year_inferred=False),  # defaults, stored
        ids[6]: lambda r: r.update(venue={"journal": "J"}, journal="J", entry_type="Article"),
    }
    for pid, change in changes.items():
        _edit_record(listed_root, pid, change)
    Library(listed_root).set_read([ids[3]])
    Library(listed_root).remove_tags([ids[0]], ["keep"])  # a state stamp, no tag left
    made = Library(listed_root).listed_json()
    assert made is not None
    assert made == [p.to_json() for p in Library(listed_root).papers()]
    _same_for_every_option(listed_root, capsys, monkeypatch)


def test_the_note_says_whether_a_record_holds_a_field_at_its_default(
    listed_root, capsys, monkeypatch
):
    """None that this release writes does: a version found sound with none is not looked
    at for one again; one that holds one (an earlier release's, a hand edit) still is."""
    note = listed_root / listed_json.CHECKED_FILE
    assert _list(listed_root, capsys, ["--json"])[0] == 0
    assert orjson.loads(note.read_bytes())[-1] is False
    pid = Library(listed_root).papers()[2].id
    _edit_record(listed_root, pid, lambda r: r.update(abstract="", upvotes=None))
    expected = _whole(listed_root, capsys, monkeypatch, ["--json"])
    assert _list(listed_root, capsys, ["--json"]) == expected
    assert orjson.loads(note.read_bytes())[-1] is True
    assert _list(listed_root, capsys, ["--json"]) == expected  # found sound: still looked at


def test_the_library_of_the_bench_generator_prints_the_same(
    tmp_path, capsys, monkeypatch, bench_generate
):
    generate = bench_generate
    root = tmp_path / "library"
    for fmt, name in (("json", "gen.json"), ("bibtex", "kit.bib")):
        generate.write(60, tmp_path / name, seed=3, fmt=fmt)
        assert main(["--library", str(root), "import", str(tmp_path / name)]) == 0
    ids = [p.id for p in Library(root).papers()]
    main(["--library", str(root), "read", *ids[::3]])
    main(["--library", str(root), "unread", *ids[::6]])
    main(["--library", str(root), "tag", ids[1], "x,y"])
    capsys.readouterr()
    for options in (["--json"], ["--json", "--sort", "date"], ["--json", "--unread"]):
        assert _list(root, capsys, options) == _whole(root, capsys, monkeypatch, options)


def test_a_journal_pending_sends_it_the_whole_way(listed_root, capsys, monkeypatch):
    lib = Library(listed_root)
    paper = lib.papers()[1]
    state = {**paper.stored_state(), "read": True, "note": "from the journal"}
    lib._journal.begin(lib.corpus_generation(), {paper.id: state})
    assert Library(listed_root).listed_json() is None
    status, out, _ = _list(listed_root, capsys, ["--json"])
    assert status == 0
    assert [p for p in json.loads(out) if p["id"] == paper.id][0]["note"] == "from the journal"


def test_a_restore_pending_sends_it_the_whole_way(listed_root, capsys, monkeypatch):
    (listed_root / ".restoring").write_text("{}")
    assert Library(listed_root).listed_json() is None


@pytest.mark.parametrize("meta", [{"schema": 2}, {"moving": True}])
def test_another_schema_or_a_move_sends_it_the_whole_way(listed_root, capsys, monkeypatch, meta):
    corpus = listed_root / "papers.json"
    raw = corpus.read_bytes()
    head, rest = raw.split(b"\n", 1)
    current = orjson.loads(head[len(b'{"_meta":') : -1])
    current["1"].update(meta)
    corpus.write_bytes(b'{"_meta":' + orjson.dumps(current) + b",\n" + rest)
    assert Library(listed_root).listed_json() is None


def test_a_damaged_record_is_reported_in_one_line(listed_root, capsys):
    corpus = listed_root / "papers.json"
    corpus.write_bytes(corpus.read_bytes().replace(b'"year":2019', b'"year":"2019"', 1))
    assert Library(listed_root).listed_json() is None
    status, out, err = _list(listed_root, capsys, ["--json"])
    assert status == 1 and out == ""
    assert str(corpus) in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_a_damaged_state_is_reported_in_one_line(listed_root, capsys):
    pid = Library(listed_root).papers()[5].id
    shard = listed_root / "state" / f"{pid[:3]}.json"
    shard.write_text(json.dumps({"state": {pid: {"read": "yes"}}}))
    status, out, err = _list(listed_root, capsys, ["--json"])
    assert status == 1 and out == ""
    assert str(shard) in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_no_match_prints_an_empty_list_and_says_why(listed_root, capsys, monkeypatch):
    status, out, err = _list(listed_root, capsys, ["--json", "--tag", "nosuch"])
    assert (status, out) == (1, "[]\n") and "no paper has tag 'nosuch'" in err


def test_a_closed_pipe_ends_quietly_mid_stream(tmp_path, numbered_papers):
    root = tmp_path / "library"
    Library(root).import_papers(numbered_papers(400), source="many.json")
    proc = subprocess.Popen(
        [sys.executable, "-m", "readinglist", "--library", str(root), "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(11) == b'[\n  {\n    "'
    proc.stdout.close()  # long before the 400 papers are written
    err = proc.stderr.read()
    assert proc.wait() == 141 and err == b""


def test_the_shape_is_to_json_key_for_key():
    paper = Paper(id=paper_id("T", "A"), title="T")
    assert list(listed_json._TEMPLATE) == list(paper.to_json())


@pytest.mark.parametrize("journal", [None, "", "J"])
@pytest.mark.parametrize("authors", [[], ["A B"]])
@pytest.mark.parametrize("year", [None, 0, 2020])
def test_the_inferred_type_is_the_models(journal, authors, year):
    paper = Paper(id="ab" * 8, title="T", journal=journal, authors=authors, year=year)
    assert listed_json._inferred_type(journal, authors, year) == inferred_type(paper)


_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=8)
_STAMP = st.lists(_TEXT, min_size=3, max_size=3)
_VALUES = {
    "title_derived": st.booleans(),
    "abstract": _TEXT,
    "authors": st.lists(st.sampled_from(["Ada Lovelace", "Grace Hopper", "van Dam, A.", ""])),
    "author_count": st.none() | st.integers(0, 9),
    "published": st.none() | st.sampled_from(["2020-01-02", "2021"]),
    "year": st.none() | st.integers(0, 2030),
    "year_inferred": st.booleans(),
    "upvotes": st.none() | st.integers(0, 99),
    "doi": st.none() | _TEXT,
    "journal": st.none() | st.sampled_from(["", "J"]),
    "sources": st.lists(_TEXT, max_size=2),
    "added": _TEXT,
    "key": _TEXT,
    "key_fixed": st.booleans(),
    "entry_type": st.sampled_from(["", "article", "book"]),
    "venue": st.dictionaries(st.sampled_from(["journal", "pages"]), _TEXT, max_size=2),
    "extra": st.dictionaries(_TEXT, _TEXT, max_size=1),
}
_NAMES = ["title", *_VALUES, "read", "read_at", "tags", "note"]
_RECORDS = st.fixed_dictionaries(
    {"title": _TEXT},
    optional={
        **_VALUES,
        "stamps": st.fixed_dictionaries(  # the record's stamp, and a few fields' own
            {"*": _STAMP}, optional={name: _STAMP for name in _NAMES[::3]}
        )
        | st.dictionaries(st.sampled_from(_NAMES), _STAMP, max_size=2),  # (a record of old)
    },
)
_STATES = st.none() | st.fixed_dictionaries(
    {
        "read": st.booleans(),
        "read_at": st.none() | st.just("2025-02-03T00:00:00+00:00"),
        "tags": st.lists(st.sampled_from(["a", "b"]), unique=True),
        "note": st.sampled_from(["", "n"]),
    },
    optional={"stamps": st.dictionaries(st.sampled_from(_NAMES[::2]), _STAMP, max_size=2)},
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_RECORDS, _STATES), min_size=1, max_size=6))
def test_shapes_are_to_json_of_the_papers_the_whole_read_makes(pairs):
    made, whole = _shapes_and_whole(pairs)
    assert made == whole
    assert json_bytes(made) == json_bytes(whole)


def _shapes_and_whole(pairs: list) -> tuple[list, list]:
    """`listed_json.shapes` of (record, state) pairs, and `to_json` of the papers the
    whole read makes of them."""
    records = {f"{i:016x}": record for i, (record, _) in enumerate(pairs)}
    states = {f"{i:016x}": state for i, (_, state) in enumerate(pairs) if state is not None}
    papers = [_paper(pid, record, states.get(pid)) for pid, record in records.items()]
    whole = [p.to_json() for p in papers if p is not None]
    return listed_json.shapes(records, states, _paper), whole


def test_bytes_of_another_generation_than_the_manifest_names_send_it_the_whole_way(
    listed_root, capsys, monkeypatch
):
    """Bytes read while a write (in place: the manifest first, line 1 last) is under way."""
    before = listed_root.parent / "papers-before.json"
    before.write_bytes((listed_root / "papers.json").read_bytes())
    pid = Library(listed_root).papers()[0].id
    Library(listed_root).edit(pid, title="Edited while it was read")
    lined_records = listed_json.lined_records
    monkeypatch.setattr(listed_json, "lined_records", lambda path: lined_records(before))
    assert Library(listed_root).listed_json() is None
    status, out, _ = _list(listed_root, capsys, ["--json"])
    assert status == 0 and "Edited while it was read" in out


@pytest.mark.parametrize("sort", listing.SORTS)
def test_every_sort_the_listing_knows_is_served_alike(listed_root, capsys, monkeypatch, sort):
    """A sort added to `listing.SORTS` must be added to `listed_json.sort_key` too."""
    options = ["--json", "--sort", sort]
    assert _list(listed_root, capsys, options) == _whole(listed_root, capsys, monkeypatch, options)


_ONE_LAYOUT = st.fixed_dictionaries(  # every record holds the same keys, values vary
    {
        "title": _TEXT,
        **{name: _VALUES[name] for name in ("abstract", "authors", "year", "journal", "venue")},
        **{name: _VALUES[name] for name in ("doi", "entry_type", "upvotes")},
        "stamps": st.fixed_dictionaries({"*": _STAMP}, optional={"abstract": _STAMP}),
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_ONE_LAYOUT, _STATES), min_size=2, max_size=8))
def test_records_of_one_layout_each_show_their_own_values(pairs):
    """What is worked out once for records of the same keys holds no paper's values."""
    made, whole = _shapes_and_whole(pairs)
    assert made == whole


def _checks(monkeypatch) -> list[str]:
    """The ids whose records `list --json` checks from now on."""
    checked: list[str] = []
    real = listed_json.stored_problem

    def counted(pid, bib, names=None):
        checked.append(pid)
        return real(pid, bib, names)

    monkeypatch.setattr(listed_json, "stored_problem", counted)
    return checked


def test_a_version_of_the_corpus_found_sound_is_not_checked_again(listed_root, capsys, monkeypatch):
    checked = _checks(monkeypatch)
    first = _list(listed_root, capsys, ["--json"])
    assert len(checked) == 36 and (listed_root / listed_json.CHECKED_FILE).exists()
    assert _list(listed_root, capsys, ["--json"]) == first and len(checked) == 36
    assert first == _whole(listed_root, capsys, monkeypatch, ["--json"])
    pid = Library(listed_root).papers()[0].id
    Library(listed_root).edit(pid, title="A new title")  # another version: checked again
    status, out, _ = _list(listed_root, capsys, ["--json"])
    assert status == 0 and "A new title" in out and len(checked) == 72


def test_a_corpus_damaged_since_it_was_found_sound_is_reported_in_one_line(listed_root, capsys):
    assert _list(listed_root, capsys, ["--json"])[0] == 0
    corpus = listed_root / "papers.json"
    corpus.write_bytes(corpus.read_bytes().replace(b'"year":2019', b'"year":"2019"', 1))
    status, out, err = _list(listed_root, capsys, ["--json"])
    assert status == 1 and out == ""
    assert str(corpus) in err and "Traceback" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("saved", [b"", b"[1, 2", b"{}", b'["0.0.1", "gen", 1, 2, 3]', b"\xff\xfe"])
def test_a_note_of_another_version_or_damaged_is_no_reason_to_skip_the_checks(
    listed_root, capsys, monkeypatch, saved
):
    expected = _whole(listed_root, capsys, monkeypatch, ["--json"])
    (listed_root / listed_json.CHECKED_FILE).write_bytes(saved)
    checked = _checks(monkeypatch)
    assert _list(listed_root, capsys, ["--json"]) == expected and len(checked) == 36
    note = orjson.loads((listed_root / listed_json.CHECKED_FILE).read_bytes())
    manifest = orjson.loads((listed_root / "manifest.json").read_bytes())
    assert note[:2] == [readinglist.__version__, manifest["generation"]]


def test_the_states_come_from_one_saved_file_kept_current(
    listed_root, capsys, monkeypatch, shards_read
):
    from readinglist.search.saved_state import STATE_NAME, WHOLE_NAME

    expected = _whole(listed_root, capsys, monkeypatch, ["--json"])
    assert _list(listed_root, capsys, ["--json"]) == expected  # reads every shard, saves
    assert (listed_root / WHOLE_NAME).exists()
    (listed_root / STATE_NAME).unlink(missing_ok=True)  # no search's: writes note for it
    read = shards_read(StateShards._read)
    assert _list(listed_root, capsys, ["--json"]) == expected and read == []
    pid = Library(listed_root).papers()[4].id
    Library(listed_root).add_tags([pid], ["fresh"])
    read.clear()
    changed = _list(listed_root, capsys, ["--json"])
    assert read == [pid[:3]]  # the one shard the write changed
    assert changed == _whole(listed_root, capsys, monkeypatch, ["--json"])
    assert "fresh" in changed[1]


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-7],  # cut short
        lambda blob: blob[:20] + bytes([blob[20] ^ 1]) + blob[21:],  # a flipped bit
        lambda blob: b"not a saved file",
    ],
)
def test_a_damaged_saved_file_of_states_is_made_again(
    listed_root, capsys, monkeypatch, damage, shards_read
):
    from readinglist.search.saved_state import WHOLE_NAME

    expected = _whole(listed_root, capsys, monkeypatch, ["--json"])
    _list(listed_root, capsys, ["--json"])
    saved = listed_root / WHOLE_NAME
    saved.write_bytes(damage(saved.read_bytes()))
    assert _list(listed_root, capsys, ["--json"]) == expected
    read = shards_read(StateShards._read)
    assert _list(listed_root, capsys, ["--json"]) == expected and read == []  # made again


def test_saved_states_of_the_wrong_shape_are_not_printed(listed_root, capsys, monkeypatch):
    from readinglist.persistence import records
    from readinglist.search import saved_state

    expected = _whole(listed_root, capsys, monkeypatch, ["--json"])
    _list(listed_root, capsys, ["--json"])
    saved = listed_root / saved_state.WHOLE_NAME
    head, signatures, pieces = records.unpack(saved.read_bytes())
    pid = Library(listed_root).papers()[5].id
    crafted = {**pieces, pid[:3]: orjson.dumps({pid: {"read": "yes", "tags": []}})}
    saved.write_bytes(records.pack([head, signatures, crafted]))  # checksums that fit
    assert saved_state.whole_states(listed_root, Library(listed_root)._state) is None
    assert _list(listed_root, capsys, ["--json"]) == expected  # the shards themselves
