"""Caches prove they match the corpus (a generation token), and no cache file can crash a reader."""

from __future__ import annotations

import random
import struct
import zlib
from array import array

import orjson
import pytest

from readinglist.cli import main
from readinglist.persistence import records, storage
from readinglist.persistence.library import MANIFEST_FILE, Library
from readinglist.search import cache as index_cache
from readinglist.search.index import SearchIndex

QUERIES = ["alpha", "beta gamma", "paper 00012", "abstract", "kappa -zeta", "tag:keep"]


def _generation(root) -> str:
    return orjson.loads((root / MANIFEST_FILE).read_bytes())["generation"]


def test_every_corpus_write_names_a_new_generation_in_the_manifest_and_the_file(small_library):
    root, seen = small_library.root, set()
    pid = small_library.papers()[0].id
    for year in range(2000, 2010):
        small_library.edit(pid, year=year)
        token = _generation(root)
        assert len(token) == 32 and token not in seen
        seen.add(token)
        written = orjson.loads((root / "papers.json").read_bytes())
        assert written["_meta"]["1"]["generation"] == token
        reader = Library(root)
        reader.papers()
        assert reader.corpus_generation() == token


def test_a_long_lived_writer_sees_every_change_even_when_the_file_stamp_repeats(
    small_library, monkeypatch
):
    """Equal (inode, size, mtime) for two versions of papers.json: a 1-second-mtime file
    system that recycles inodes. Nothing may trust that stamp."""
    monkeypatch.setattr(storage, "signature", lambda path: (1, 1, 1) if path.exists() else None)
    root = small_library.root
    first, second, third = (p.id for p in small_library.papers()[:3])
    writer = Library(root)
    writer.edit(first, year=1999)
    assert Library(root).get(first).year == 1999  # a fresh reader
    other = Library(root)
    other.edit(second, year=1998)
    other.edit(third, year=1997)
    writer.edit(first, year=1996)  # the long-lived writer must not store its old view
    fresh = Library(root)
    assert [fresh.get(pid).year for pid in (first, second, third)] == [1996, 1998, 1997]
    assert writer.get(second).year == 1998


def test_the_saved_index_is_trusted_only_for_the_generation_it_was_built_from(
    small_library, monkeypatch, capsys
):
    root = small_library.root
    assert main(["--library", str(root), "search", "alpha"]) == 0
    head = next(records.unpack((root / index_cache.CACHE_NAME).read_bytes()))
    assert head["stamp"] == _generation(root)
    pid = small_library.papers()[5].id
    small_library.edit(pid, title="Completely different wording here")
    checked: list = []
    real = index_cache.SearchIndex.restore

    def spying(data, papers, *, trusted=False):
        checked.append(trusted)
        return real(data, papers, trusted=trusted)

    monkeypatch.setattr(index_cache.SearchIndex, "restore", spying)
    capsys.readouterr()
    assert main(["--library", str(root), "search", "completely different wording"]) == 0
    assert checked == [False], "a new generation: each paper's text is checked"
    assert pid[:6] in capsys.readouterr().out


def test_an_earlier_releases_marshal_copy_is_never_read_and_the_next_writer_removes_it(
    small_library,
):
    root = small_library.root
    (root / "papers.copy").write_bytes(b"\xe3" + b"\x00" * 214)  # a crafted marshal record
    assert len(Library(root).papers()) == 40
    Library(root).set_read([small_library.papers()[0].id])
    assert not (root / "papers.copy").exists()


# ----- the framed record format and the fuzz run over saved index files -------------


def test_records_round_trip_and_any_damage_is_a_record_error():
    values = [{"a": [1, "x", None]}, b"\x00\x01", {"t": b"\x01\x02\x03\x04", "u": b""}]
    blob = records.pack(values)
    assert list(records.unpack(blob)) == values
    for cut in range(len(blob)):
        with pytest.raises(records.RecordError):
            list(records.unpack(blob[:cut] + b"\xff" + blob[cut + 1 :]))


def _crafted(rng: random.Random, blob: bytes) -> bytes:
    """A file whose records all pass their checksums, but one holds the wrong shape."""
    pieces = list(records.unpack(blob))
    head, body = pieces[0], pieces[1:]
    i = rng.randrange(len(body))
    wrong = rng.choice(
        [
            {"x": 1},
            [1, 2, 3],
            "text",
            None,
            b"\xff" * rng.randrange(1, 64),
            {"tok": struct.pack("<I", 10**6)},
            {"tok": b"\xff" * 9},
            [[1]],
        ]
    )
    body[i] = wrong
    if rng.random() < 0.3:
        head = rng.choice([{"format": index_cache.FORMAT, "names": ["ids"] * 3}, {"names": 1}, []])
    return records.pack([head, *body])


def _mutated(rng: random.Random, blob: bytes) -> bytes:
    choice = rng.randrange(5)
    if choice == 0:  # flip bytes
        data = bytearray(blob)
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return bytes(data)
    if choice == 1:  # cut short
        return blob[: rng.randrange(len(blob))]
    if choice == 2:  # extended
        return blob + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    if choice == 3:  # a frame with a forged length and a matching checksum
        payload = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
        kind = rng.choice([b"J", b"B", b"M", b"Z"])
        frame = struct.pack("<cII", kind, len(payload), zlib.crc32(payload)) + payload
        at = rng.randrange(len(records.MAGIC), len(blob))
        return blob[:at] + frame + blob[at:]
    return _crafted(rng, blob)


def _fuzz(small_library, runs: int, seed: int) -> None:
    papers = small_library.papers()
    expected = {q: _ranked(SearchIndex(papers), q) for q in QUERIES}
    folder = small_library.root
    path = folder / index_cache.CACHE_NAME
    generation = small_library.corpus_generation()
    index_cache.save_index(SearchIndex(papers), path, generation)
    pristine = path.read_bytes()
    rng = random.Random(seed)
    for run in range(runs):
        damaged = _mutated(rng, pristine)
        path.write_bytes(damaged)
        index, _ = index_cache.load_or_build(papers, folder, generation)
        query = QUERIES[run % len(QUERIES)]
        assert _ranked(index, query) == expected[query], f"run {run}: {damaged[:60]!r}"


def _ranked(index: SearchIndex, query: str) -> list[str]:
    from readinglist.search.query import parse_query

    result = index.search(parse_query(query), None)
    return [(pid, round(result.scores[pid], 6)) for pid in result.ids]


def test_cache_fuzz_sample_never_crashes_and_finds_what_a_fresh_index_finds(small_library):
    _fuzz(small_library, runs=500, seed=1)


@pytest.mark.slow
def test_cache_fuzz_ten_thousand_mutations(small_library):
    _fuzz(small_library, runs=10_000, seed=2)


def test_crafted_postings_outside_the_library_are_refused(small_library):
    papers = small_library.papers()
    parts = SearchIndex(papers).bibliographic()
    parts["title"]["rare"] = {"zz": array("I", [len(papers) + 5]).tobytes()}
    assert not index_cache._well_formed(parts)
