"""Writes in place, at the edges: what reaches the disk first, a journal that points past
the file, a reader that never finds the file settled, a directory save that fails."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from readinglist.errors import LibraryError
from readinglist.persistence import directory as directory_module
from readinglist.persistence import splice, storage
from readinglist.persistence.directory import Directory
from readinglist.persistence.journal import InPlace, Journal
from readinglist.persistence.library import Library
from readinglist.persistence.lines import spans_in


def test_line_one_is_written_only_once_the_lines_it_names_are_on_disk(tmp_path, monkeypatch):
    """A power cut may keep any write not yet synced: line 1 (the new generation) must
    never be on disk without the lines it names."""
    path = tmp_path / "papers.json"
    path.write_bytes(b"0123456789abcdef")
    events: list[tuple] = []

    def write_at(fd: int, data: bytes, offset: int) -> None:
        events.append(("write", offset, data))
        os.pwrite(fd, data, offset)

    monkeypatch.setattr(storage, "write_at", write_at)
    monkeypatch.setattr(storage, "fsync", lambda fd: events.append(("sync",)))
    splice.patch(path, [(4, b"XX"), (10, b"YY"), (0, b"HE")])
    assert events == [
        ("write", 4, b"XX"),
        ("write", 10, b"YY"),
        ("sync",),
        ("write", 0, b"HE"),
        ("sync",),
    ]
    assert path.read_bytes() == b"HE23XX6789YYcdef"


def test_a_journal_write_past_the_end_of_the_file_is_damage(tmp_path):
    journal = Journal(tmp_path)
    journal.begin("new", {}, InPlace("old", 10, [(6, b"abcd")]))
    assert journal.writes("new", "old", 10) == [(6, b"abcd")]
    journal.begin("new", {}, InPlace("old", 10, [(8, b"abcd")]))
    with pytest.raises(LibraryError, match=r"\.journal: damaged"):
        journal.writes("new", "old", 10)


def test_a_reader_that_never_finds_the_file_settled_says_so(small_library, monkeypatch):
    """A manifest that changes between every two looks (writers without end): after a
    while a one-line error, never bytes of a mixed file."""
    root = small_library.root
    tokens = iter(range(10**6))
    monkeypatch.setattr(storage.CorpusStorage, "named", lambda self: f"g{next(tokens)}")
    monkeypatch.setattr(storage, "_READ_WAIT", 0.05)
    with pytest.raises(LibraryError, match="being written by another process"):
        Library(root).papers()


def test_a_directory_save_that_fails_names_nothing_as_saved(small_library, monkeypatch):
    """Else a later write in place would rename directory.bin's older orders as current."""
    root = small_library.root
    raw = (root / "papers.json").read_bytes()
    data = orjson.loads(raw)
    generation = data["_meta"]["1"]["generation"]
    built = Directory.build(generation, data["papers"], spans_in(raw, "papers"))
    built.save(root)
    assert built.stored == generation

    def failing(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(directory_module, "atomic_write", failing)
    with pytest.raises(OSError):
        built.save(Path(root))
    assert built.stored is None
