"""`list` prints every paper from the saved index's rows, the saved state and the
directory, without the corpus: exactly what it prints from the whole library, for
every option. Anything not current or not usable sends it the whole way (which
reports a damaged file in one line)."""

from __future__ import annotations

import itertools
import json

import pytest

from readinglist.cli import main
from readinglist.persistence.library import Library
from readinglist.search import cache as index_cache
from readinglist.search import rows as rows_module

OPTIONS = [
    [],
    ["--read"],
    ["--unread"],
    ["--tag", "keep"],
    ["--tag", "KEEP"],
    ["--unread", "--tag", "keep", "--sort", "title"],
    ["--sort", "date"],
    ["--sort", "title"],
    ["--sort", "upvotes"],
    ["--read", "--sort", "upvotes"],
    ["--tag", "nosuch"],
    ["--query", "alpha"],  # a search: the whole way, as before
]


@pytest.fixture
def root(listed_root):
    return listed_root


def _list(root, capsys, options: list[str]) -> tuple[int, str, str]:
    status = main(["--library", str(root), "list", *options])
    out, err = capsys.readouterr()
    return status, out, err


def _whole(root, capsys, monkeypatch, options: list[str]) -> tuple[int, str, str]:
    """What `list` prints from the whole library."""
    with monkeypatch.context() as patch:
        patch.setattr(Library, "listed", lambda self: None)
        return _list(root, capsys, options)


@pytest.mark.parametrize("columns", ["200", "80", "30"])
def test_every_option_prints_what_the_whole_library_prints(root, capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    for options in OPTIONS:
        fast = _list(root, capsys, options)
        assert fast == _whole(root, capsys, monkeypatch, options), options
    assert "2016?" in _list(root, capsys, [])[1]  # an inferred year, from the rows


def test_it_reads_neither_the_corpus_nor_the_state_shards(
    root, capsys, monkeypatch, no_whole_reads
):
    expected = {tuple(o): _whole(root, capsys, monkeypatch, o) for o in OPTIONS[:10]}
    no_whole_reads()
    for options in OPTIONS[:10]:
        assert _list(root, capsys, options) == expected[tuple(options)], options


def test_papers_written_since_the_index_was_saved_are_read_in_full(
    root, capsys, monkeypatch, make_paper
):
    monkeypatch.setattr(index_cache, "LOG_SHARE", 1.0)  # the log keeps every write
    lib = Library(root)
    ids = [p.id for p in lib.papers()]
    Library(root).edit(ids[4], title="Quasicrystal growth, edited", year=1999)
    Library(root).remove([ids[9]])
    Library(root).import_papers([make_paper("Zanzibarite crystals")], source="more.json")
    Library(root).add_tags([ids[1]], ["late"])
    Library(root).set_read([ids[7]])
    assert Library(root).listed() is not None
    for options in OPTIONS:
        assert _list(root, capsys, options) == _whole(root, capsys, monkeypatch, options)
    out = _list(root, capsys, ["--sort", "title"])[1]
    assert "Quasicrystal growth, edited" in out and "Zanzibarite" in out and "#late" in out


def _break(path, how: str) -> None:
    data = index_cache._read(path)
    assert data is not None
    stamp = data.pop("stamp")
    data.pop("format")
    fmt = index_cache.FORMAT
    if how in ("row", "format"):  # the file whole and checksummed all the same
        ends = rows_module.array("I", data["row_ends"])
        rows = [json.loads(data["rows"][a:b]) for a, b in zip([0, *ends], ends, strict=False)]
        if how == "row":
            rows[3][0] = 3  # a title that is not text
        else:  # an earlier release's rows (without the year's flag), in its format
            rows, fmt = [row[:-1] if row else row for row in rows], fmt - 1
        blobs = [json.dumps(row, separators=(",", ":")).encode() for row in rows]
        data["rows"] = b"".join(blobs)
        ends, at = [], 0
        for blob in blobs:
            at += len(blob)
            ends.append(at)
        data["row_ends"] = rows_module.array("I", ends).tobytes()
    elif how == "missing":
        data["ids"][5] = ""  # one paper the index does not hold
    if fmt == index_cache.FORMAT:
        index_cache.atomic_write(path, index_cache.packed(data, stamp))
        return
    pieces = [r for name, part in data.items() for r in index_cache._records(name, part)]
    head = {"format": fmt, "stamp": stamp, "names": [n for n, _ in pieces]}
    index_cache.atomic_write(path, index_cache.records.pack([head, *(p for _, p in pieces)]))


@pytest.mark.parametrize("damage", ["row", "missing", "garbage", "gone", "format", "directory"])
def test_an_index_or_directory_not_usable_sends_it_the_whole_way(root, capsys, monkeypatch, damage):
    path = root / index_cache.CACHE_NAME
    if damage in ("row", "missing", "format"):
        _break(path, damage)
        assert (index_cache._read(path) is None) == (damage != "row")  # a row: when decoded
    elif damage == "garbage":
        path.write_bytes(path.read_bytes()[:1000] + b"\0" * 50)
    elif damage == "gone":
        path.unlink()
    else:
        (root / "directory.bin").unlink()
    assert Library(root).listed() is None
    for options in OPTIONS[:4]:
        assert _list(root, capsys, options) == _whole(root, capsys, monkeypatch, options)


def test_a_journal_or_restore_pending_sends_it_the_whole_way(root, capsys, monkeypatch):
    lib = Library(root)
    expected = _whole(root, capsys, monkeypatch, [])
    lib._journal.begin(lib._corpus.storage.reserve(), {})
    assert Library(root).listed() is None
    assert _list(root, capsys, []) == expected


def test_a_corpus_changed_behind_its_directory_is_read_whole_and_reported(root, capsys):
    corpus = root / "papers.json"
    corpus.write_bytes(corpus.read_bytes().replace(b'"year":2019', b'"year":"2019"', 1))
    assert Library(root).listed() is None
    status, out, err = _list(root, capsys, [])
    assert status == 1 and out == ""
    assert str(corpus) in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_a_damaged_state_shard_is_reported_in_one_line(root, capsys):
    pid = Library(root).papers()[5].id
    shard = root / "state" / f"{pid[:3]}.json"
    shard.write_text(json.dumps({"state": {pid: {"read": "yes"}}}))
    status, out, err = _list(root, capsys, [])
    assert status == 1 and out == ""
    assert str(shard) in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_an_empty_library_says_so(tmp_path, capsys):
    status = main(["--library", str(tmp_path / "none"), "list"])
    assert status == 1 and "No papers yet" in capsys.readouterr().err


def _record_payloads(path) -> dict[str, tuple[int, int]]:
    """Where each named record's payload lies in a saved index: name -> (start, size)."""
    from readinglist.persistence import records

    raw = path.read_bytes()
    at, found, names = len(records.MAGIC), {}, []
    for number in itertools.count():
        if at >= len(raw):
            return found
        _, size, _ = records._FRAME.unpack_from(raw, at)
        at += records._FRAME.size
        if number:
            found.setdefault(names[number - 1], (at, size))  # (a chunked part: its first)
        else:
            names = json.loads(raw[at : at + size])["names"]
        at += size
    return found


def _flip(path, start: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[start] ^= 0xFF
    path.write_bytes(bytes(raw))


def test_a_listing_reads_and_checks_only_the_rows_of_the_index(root, capsys, monkeypatch):
    path = root / index_cache.CACHE_NAME
    payloads = _record_payloads(path)
    expected = _whole(root, capsys, monkeypatch, [])
    posting = next(name for name in payloads if name.split(".")[0] == "title")
    _flip(path, payloads[posting][0] + payloads[posting][1] // 2)  # a search's part, not a list's
    assert index_cache._read(path, lazy=True) is None
    assert Library(root).listed() is not None
    assert _list(root, capsys, []) == expected
    _flip(path, payloads["rows"][0] + 3)  # a row: the whole way
    assert Library(root).listed() is None
    assert _list(root, capsys, []) == expected


def test_rows_the_index_holds_in_another_order_are_listed_in_the_corpus_order(
    root, capsys, monkeypatch
):
    expected = {tuple(o): _whole(root, capsys, monkeypatch, o) for o in OPTIONS[:3]}
    saved_rows = index_cache.saved_rows

    def reversed_rows(*args):
        held = saved_rows(*args)
        return None if held is None else dict(reversed(held.items()))

    monkeypatch.setattr(index_cache, "saved_rows", reversed_rows)
    in_order = [p.id for p in Library(root).papers()]
    assert [p.id for p in Library(root).listed() or []] == in_order
    for options in OPTIONS[:3]:
        assert _list(root, capsys, options) == expected[tuple(options)], options
