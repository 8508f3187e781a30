"""Format detection, reading files and stdin, and load() over every seed."""

import io
import json
import os
import sys

import pytest
from parse_helpers import SEEDS, TODAY, seed_path, seed_text

from readinglist.errors import ParseError
from readinglist.model import Paper
from readinglist.parsing import FORMATS, detect, load, parse, read_source, source

SEED_COUNTS = {"000": 4, "001": 11, "002": 41, "003": 52, "004": 33}
SEED_FORMATS = {"000": "abstracts", "001": "abstracts", "002": "hf", "003": "hf", "004": "hf"}


def test_formats():
    assert FORMATS == ("hf", "abstracts", "bibtex", "json", "csl-json", "ris", "arxiv")


def test_the_command_line_offers_every_format():
    from readinglist import cli

    assert ("auto", *FORMATS) == cli.FORMATS


def test_every_export_format_of_the_table_writes_a_file():
    from readinglist import exporting
    from readinglist.export_formats import EXPORT_TABLE

    paper = Paper(id="a" * 16, title="Attention is all you need", authors=["Ashish Vaswani"])
    for spec in EXPORT_TABLE:
        text = exporting.export([paper], spec.name, {paper.id: "vaswani2017"})
        assert "Attention is all you need" in text, spec.name
        assert ("vaswani2017" in text) == spec.keyed, spec.name


@pytest.mark.parametrize("number", sorted(SEED_FORMATS))
def test_detect_every_seed(number):
    assert detect(seed_text(number)) == SEED_FORMATS[number]


@pytest.mark.parametrize("number", sorted(SEED_COUNTS))
def test_load_every_seed(number):
    found = load(str(seed_path(number)), today=TODAY)
    assert len(found) == SEED_COUNTS[number]
    assert all(paper.sources == [seed_path(number).name] for paper in found)


def test_total_and_duplicates_across_seeds():
    found = [paper for path in sorted(SEEDS.glob("*.txt")) for paper in load(str(path))]
    assert len(found) == 141
    assert len({paper.id for paper in found}) == 137


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("@article{k, title={T}}", "bibtex"),
        ("% a comment\n\n  @InProceedings(k, title={T})", "bibtex"),
        ('[{"title": "T"}]', "json"),
        ("\ufeff  [\n]", "json"),
        ("Title one\n\nA short abstract.\n\nTitle two\n\nAnother one.\n", "hf"),
        ("Abstract: Short.", "abstracts"),
        ("We study a problem that is hard and we solve it well.", "abstracts"),
    ],
)
def test_detect_other_content(text, fmt):
    assert detect(text) == fmt


@pytest.mark.parametrize("text", ["", " \n\n\t", "hello", "[not json"])
def test_detect_unknown(text):
    with pytest.raises(ParseError) as caught:
        detect(text, "thing.txt")
    assert str(caught.value).startswith("thing.txt")


def test_unknown_format_name():
    with pytest.raises(ParseError, match="unknown format 'csv'"):
        parse("x", "csv", source="s")


def test_read_source_returns_base_name(tmp_path):
    path = tmp_path / "papers.txt"
    path.write_text("hello\n", encoding="utf-8")
    assert read_source(str(path)) == ("hello\n", "papers.txt")


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffhello".encode(),
        "hello".encode("utf-16"),
        "hello".encode("utf-32"),
    ],
    ids=["utf-8-bom", "utf-16-bom", "utf-32-bom"],
)
def test_read_source_encodings(tmp_path, data):
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    assert read_source(str(path))[0].lstrip("\ufeff") == "hello"


def test_load_utf16_seed(tmp_path):
    path = tmp_path / "hf16.txt"
    path.write_bytes(seed_text("002").encode("utf-16"))
    assert len(load(str(path), today=TODAY)) == 41


def make(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\r\n\t ", "empty file"),
        ("bom-only.txt", b"\xef\xbb\xbf\n", "empty file"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("controls.bin", bytes(range(1, 9)) * 100, "binary"),
    ],
)
def test_read_source_errors_name_the_file(tmp_path, name, data, words):
    with pytest.raises(ParseError) as caught:
        read_source(make(tmp_path, name, data))
    assert name in str(caught.value) and words in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(ParseError, match="nope.txt: no such file"):
        load(str(tmp_path / "nope.txt"))


def test_directory(tmp_path):
    with pytest.raises(ParseError, match="is a directory"):
        load(str(tmp_path))


def test_permission_denied(tmp_path, monkeypatch):
    path = make(tmp_path, "secret.txt", b"We study things in detail here today.")
    os.chmod(path, 0)
    if os.access(path, os.R_OK):  # running as root: simulate the refusal

        def refuse(*_args, **_kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(source, "open", refuse, raising=False)
    with pytest.raises(ParseError, match="secret.txt: permission denied"):
        load(path)


def test_bad_bytes_in_a_named_encoding_name_the_line(tmp_path):
    path = make(tmp_path, "bad.txt", b"fine line\nsecond \xff line\n")
    with pytest.raises(ParseError, match="not utf-8 text") as caught:
        read_source(path, encoding="UTF-8")
    assert caught.value.line == 2


def test_an_unknown_encoding_is_one_line(tmp_path):
    with pytest.raises(ParseError, match="unknown encoding 'klingon'"):
        read_source(make(tmp_path, "a.txt", b"text\n"), encoding="klingon")


@pytest.mark.parametrize(
    ("data", "encoding", "how"),
    [
        (b"% -*- coding: latin-9-unix -*-\n\xa6ome title\n", "iso8859-15", "declared"),
        (b"% Encoding: windows-1252\nd\xe9j\xe0 vu\n", "cp1252", "declared"),
        (b"@comment{jabref-meta: encoding:ISO-8859-1;}\nM\xfcller\n", "iso8859-1", "declared"),
        (b"% !TeX encoding = latin1\nM\xfcller\n", "iso8859-1", "declared"),
    ],
)
def test_a_declared_encoding_is_used_and_reported(tmp_path, data, encoding, how):
    notes = []
    text, _ = read_source(make(tmp_path, "x.bib", data), notes=notes)
    assert text == data.decode(encoding)
    assert [str(n) for n in notes] == [f"x.bib: not UTF-8; read as {encoding} ({how} in the file)"]


def test_undeclared_non_utf8_is_guessed_and_reported(tmp_path):
    data = "Müller, Jörg and Ærøskøbing: Études françaises\n".encode("latin-1") * 5
    notes = []
    text, _ = read_source(make(tmp_path, "x.bib", data), notes=notes)
    assert "Müller" in text and "Études" in text
    assert len(notes) == 1 and "read as" in str(notes[0]) and "(guessed)" in str(notes[0])


def test_utf8_needs_no_note_and_encoding_overrides(tmp_path):
    notes = []
    path = make(tmp_path, "x.bib", "Müller\n".encode())
    assert read_source(path, notes=notes)[0] == "Müller\n" and notes == []
    assert read_source(path, encoding="latin-1")[0] == "MÃ¼ller\n"


def test_stdin(monkeypatch):
    stream = io.TextIOWrapper(io.BytesIO(seed_text("001").encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stream)
    found = load("-")
    assert len(found) == 11 and found[0].sources == ["stdin"]


def test_load_is_all_or_nothing(tmp_path):
    good = Paper(id="0123456789abcdef", title="Good").to_json()
    path = make(tmp_path, "lib.json", json.dumps([good, {"title": 5}]).encode())
    with pytest.raises(ParseError, match="lib.json: entry 1"):
        load(path)
