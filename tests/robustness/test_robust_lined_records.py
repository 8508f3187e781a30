"""`list --json` parses the corpus a block of lines at a time (listed_json.lined_records).

It must take exactly what a whole parse of the file takes: the same records in the
same order at every block size, and nothing a whole parse would refuse or read
otherwise (any other layout, a cut, a byte too many or too few sends it the whole
way, which reads the file itself and reports a damaged one)."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.cli import main
from readinglist.persistence import listed_json
from readinglist.persistence.lines import lines_of

_META = {"1": {"schema": 3, "generation": "ab" * 16}}
_RECORDS = st.dictionaries(
    st.text("0123456789abcdef", min_size=6, max_size=16),
    st.fixed_dictionaries(
        {"title": st.text(max_size=12)},
        optional={"year": st.integers(0, 2030), "tags": st.lists(st.text(max_size=3))},
    ),
    min_size=1,
    max_size=12,
)
_BLOCKS = st.sampled_from([1, 7, 40, 300, 1 << 20])


def _lined(records: dict, padded: frozenset[int] = frozenset()) -> bytes:
    """The corpus file `lines_of` writes, with the lines numbered `padded` ending in
    spaces (as a change in place leaves a shorter record)."""
    raw, _ = lines_of({"_meta": _META, "papers": records}, "papers")
    lines = raw.split(b"\n")
    for i in padded:
        at = 2 + i % len(records)  # (after the `_meta` and `"papers":{` lines)
        lines[at] = lines[at].removesuffix(b",") + b"   " + b"," * lines[at].endswith(b",")
    return b"\n".join(lines)


def _read(tmp_path, raw: bytes, block: int) -> listed_json.Lined:
    corpus = tmp_path / "papers.json"
    corpus.write_bytes(raw)
    return listed_json.lined_records(corpus, block)


@settings(max_examples=150, deadline=None)
@given(_RECORDS, st.frozensets(st.integers(0, 20), max_size=3), _BLOCKS)
def test_every_block_size_reads_what_a_whole_parse_reads(tmp_path_factory, records, padded, block):
    raw = _lined(records, padded)
    meta, read, _ = _read(tmp_path_factory.mktemp("c"), raw, block)
    whole = orjson.loads(raw)
    assert meta == whole["_meta"]["1"]
    assert list(read.items()) == list(whole["papers"].items())


@settings(max_examples=300, deadline=None)
@given(_RECORDS, _BLOCKS, st.data())
def test_a_file_changed_anywhere_is_read_as_a_whole_parse_reads_it_or_not_at_all(
    tmp_path_factory, records, block, data
):
    raw = bytearray(_lined(records))
    ends = [i + step for i, byte in enumerate(raw) for step in (-2, -1, 0) if byte == 10]
    ends.append(len(raw))  # (after the end)
    at = data.draw(st.sampled_from(ends) | st.integers(0, len(raw)))  # (line ends often)
    change = data.draw(st.sampled_from(["drop", "insert", "replace", "cut"]))
    byte = bytes([data.draw(st.sampled_from(b',\n}{" 0a:'))])
    if change == "drop":
        del raw[at : at + 1]
    elif change == "insert":
        raw[at:at] = byte
    elif change == "replace":
        raw[at : at + 1] = byte
    else:
        del raw[at:]
    try:
        meta, read, _ = _read(tmp_path_factory.mktemp("c"), bytes(raw), block)
    except ValueError:
        return  # the whole read decides
    whole = orjson.loads(bytes(raw))  # (it took it: so must a whole parse)
    assert meta == whole["_meta"]["1"]
    assert list(read.items()) == list(whole["papers"].items())


@pytest.mark.parametrize(
    "layout",
    [
        lambda data: orjson.dumps(data),  # one line (an earlier release)
        lambda data: orjson.dumps(data, option=orjson.OPT_INDENT_2),
        lambda data: lines_of({**data, "papers": {}}, "papers")[0],  # no papers
        lambda data: lines_of(data, "papers")[0].replace(b"\n", b"\r\n"),
        lambda data: lines_of(data, "papers")[0] + b"\n",  # more after the end
        lambda data: lines_of(data, "papers")[0] + b",",
        lambda data: lines_of(data, "papers")[0][:-1],  # no last newline
    ],
)
@pytest.mark.parametrize("block", [1, 1 << 20])
def test_another_layout_is_left_to_the_whole_read(tmp_path, layout, block):
    raw = layout({"_meta": _META, "papers": {"abcdef12": {"title": "T"}, "abcdef13": {}}})
    with pytest.raises(ValueError):
        _read(tmp_path, raw, block)


def test_list_json_of_a_corpus_in_another_layout_prints_what_the_whole_read_prints(
    listed_root, capsys, monkeypatch
):
    """A corpus in one line (as an earlier release wrote it): the whole read answers."""
    corpus = listed_root / "papers.json"
    out = [main(["--library", str(listed_root), "list", "--json"]), capsys.readouterr()]
    corpus.write_bytes(orjson.dumps(orjson.loads(corpus.read_bytes())))
    calls = []
    monkeypatch.setattr(listed_json, "shapes", lambda *a: calls.append(a))
    assert [main(["--library", str(listed_root), "list", "--json"]), capsys.readouterr()] == out
    assert calls == []  # (not made from the stored records)
