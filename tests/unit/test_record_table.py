"""RecordTable: batched writes through the storage's public read/write."""

from __future__ import annotations

import orjson
import pytest

from readinglist.persistence.storage import AtomicJSONStorage, RecordTable


class CountingStorage(AtomicJSONStorage):
    writes = 0

    def write(self, data: dict) -> None:
        self.writes += 1
        super().write(data)


def _table(tmp_path) -> RecordTable[CountingStorage]:
    return RecordTable(CountingStorage(tmp_path / "papers.json"), "papers")


def test_a_change_is_one_write_and_raw_reads_it_back(tmp_path):
    table = _table(tmp_path)
    table.change(lambda docs: docs.update({"a1": {"title": "A"}, "b2": {"title": "B"}}))
    table.change(lambda docs: docs.pop("a1"))
    assert table.storage.writes == 2
    assert table.raw() == {"b2": {"title": "B"}}
    on_disk = orjson.loads((tmp_path / "papers.json").read_bytes())
    assert on_disk["papers"] == {"b2": {"title": "B"}}


def test_a_failing_change_writes_nothing_and_keeps_what_was_read(tmp_path):
    table = _table(tmp_path)
    table.change(lambda docs: docs.update({"a1": {"title": "A"}}))
    before = (tmp_path / "papers.json").read_bytes()

    def half_done(docs: dict) -> None:
        docs["b2"] = {"title": "B"}
        del docs["a1"]
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        table.change(half_done)
    assert table.storage.writes == 1
    assert table.raw() == {"a1": {"title": "A"}}
    assert (tmp_path / "papers.json").read_bytes() == before


def test_an_empty_library_reads_as_no_documents(tmp_path):
    assert _table(tmp_path).raw() == {}


def test_documents_are_keyed_by_their_content_ids(tmp_path):
    table = _table(tmp_path)
    table.change(lambda docs: docs.update({"5f3a": {"title": "A"}}))
    assert table.get(doc_id="5f3a") == {"title": "A"}


def test_a_file_written_in_pieces_holds_the_lines_of_one_whole_write(tmp_path, monkeypatch):
    from readinglist.persistence import lines

    monkeypatch.setattr(lines, "CHUNK_LINES", 3)  # 10 records: in pieces
    written: list[bytes] = []
    monkeypatch.setattr(
        "readinglist.persistence.storage.write_bytes",
        lambda handle, data: (written.append(data), handle.write(data)),
    )
    storage = AtomicJSONStorage(tmp_path / "papers.json", table="papers")
    docs = {f"{n:06x}": {"title": f"T{n}", "tags": ["a"] * n} for n in range(10)}
    storage.write({"papers": docs})
    raw = (tmp_path / "papers.json").read_bytes()
    whole, spans = lines.lines_of({"_meta": storage.read()["_meta"], "papers": docs}, "papers")
    assert len(written) > 2 and b"".join(written) == raw == whole
    assert storage.spans == spans
    for pid, (at, size) in spans.items():
        assert raw[at : at + size] == orjson.dumps(pid) + b":" + orjson.dumps(docs[pid])
