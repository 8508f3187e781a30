"""Values of the wrong type or out of range, in imports, edits and the library's own files:
one-line errors naming the file, the paper and the field; never a traceback."""

from __future__ import annotations

import json

import pytest

from readinglist import cli
from readinglist.persistence.library import Library

BIG = 2**70  # past what a 64-bit integer holds
BIBTEX = "@article{{a, title={{T}}, {}}}"

CORPUS_CASES = [
    ("key", 7, "key must be a string"),
    ("added", 1, "added must be a string"),
    ("aliases", [1], "aliases must be a list of strings"),
    ("sources", ["a", 1], "sources must be a list of strings"),
    ("authors", "Ada Lovelace", "authors must be a list of strings"),
    ("title_derived", "yes", "title_derived must be true or false"),
    ("year", BIG, "year must be a whole number from 0 to 9,999"),
    ("year", "2020", "year must be a whole number"),
    ("upvotes", BIG, "upvotes must be a whole number from 0 to"),
    ("upvotes", -1, "upvotes must be a whole number from 0 to"),
    ("author_count", 2.5, "author_count must be a whole number"),
    ("doi", 10, "doi must be a string"),
    ("entry_type", 3, "entry_type must be a string"),
    ("names", ["Ada Lovelace"], "names must be a list of names"),
    ("names", [{"family": 1}], "names must be a list of names"),
    ("editors", [{"nickname": "Ada"}], "editors must be a list of names"),
    ("others", "yes", "others must be true or false"),
    ("venue", {"volume": 3}, "venue must be a map of strings to strings"),
    ("extra", ["note"], "extra must be a map of strings to strings"),
    ("isbn", 9780, "isbn must be a string"),
    ("arxiv_class", ["cs.LG"], "arxiv_class must be a string"),
    ("key_aliases", "smith2020", "key_aliases must be a list of strings"),
    ("stamps", {"*": "yesterday"}, "stamps must map field names to stamps"),
    ("stamps", {"doi": ["2025-01-01T00:00:00+00:00", "r1"]}, "stamps must map field names"),
    ("stamps", {"title": ["2025-01-01", 7, "user"]}, "stamps must map field names"),
    ("stamps", ["*"], "stamps must map field names to stamps"),
]
STATE_CASES = [
    ("tags", [1], "tags must be a list of strings"),
    ("read", "yes", "read must be true or false"),
    ("note", 5, "note must be a string"),
    ("read_at", 3, "read_at must be a string"),
    ("stamps", {"read": [1, 2, 3]}, "stamps must map field names to stamps"),
    ("stamps", {"note": None}, "stamps must map field names to stamps"),
    ("tag_stamps", {"x": [["t", "r", "user"]]}, "tag_stamps must map tags to [added, removed]"),
    ("tag_stamps", {"x": [["t", "r", "user"], "gone"]}, "tag_stamps must map tags"),
]


@pytest.fixture
def stored(tmp_path, make_paper):
    """A library of two papers, one read and tagged (it has a state shard)."""
    lib = Library(tmp_path / "lib")
    papers = [make_paper("Typed values"), make_paper("Another paper")]
    lib.import_papers(papers, source="a.json")
    lib.set_read([papers[0].id])
    lib.add_tags([papers[0].id], ["x"])
    return lib, papers[0].id


def _one_line_error(capsys, *argv: str) -> str:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert status == 1, (argv, out, err)
    assert err.count("\n") == 1 and err.startswith("readinglist: "), err
    return err


@pytest.mark.parametrize(("field", "value", "message"), CORPUS_CASES)
def test_a_wrong_value_in_the_corpus_names_file_paper_and_field(
    stored, capsys, field, value, message
):
    lib, pid = stored
    path = lib.root / "papers.json"
    data = json.loads(path.read_text())
    data["papers"][pid][field] = value
    path.write_text(json.dumps(data))
    for command in (["list"], ["cite", pid[:6]]):
        err = _one_line_error(capsys, "--library", str(lib.root), *command)
        assert f"papers.json: paper {pid}: {message}" in err, err


@pytest.mark.parametrize(("field", "value", "message"), STATE_CASES)
def test_a_wrong_value_in_a_state_shard_is_reported_against_the_shard(
    stored, capsys, shard_file, field, value, message
):
    lib, pid = stored
    shard = shard_file(lib.root, pid)
    data = json.loads(shard.read_text())
    data["state"][pid][field] = value
    shard.write_text(json.dumps(data))
    for command in (["list"], ["tag", pid[:6], "y"], ["read", pid[:6]]):
        err = _one_line_error(capsys, "--library", str(lib.root), *command)
        assert f"state/{shard.name}: paper {pid}: {message}" in err, err
        assert "papers.json" not in err


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("big.json", json.dumps([{"title": "T", "upvotes": BIG}]), "upvotes must be"),
        ("year.json", json.dumps([{"title": "T", "year": BIG}]), "year must be"),
        ("neg.json", json.dumps([{"title": "T", "author_count": -3}]), "author_count must be"),
        ("votes.bib", BIBTEX.format(f"readinglist-upvotes={{{BIG}}}"), "upvotes"),
        ("digits.bib", BIBTEX.format(f"readinglist-upvotes={{{'9' * 5000}}}"), "upvotes"),
        ("odd.json", '[{"title": "T \\ud800 lone"}]', "title must be valid text"),
    ],
)
def test_an_import_with_an_out_of_range_number_is_one_line_error(
    tmp_path, capsys, name, text, message
):
    listing = tmp_path / name
    listing.write_text(text, encoding="utf-8")
    root = str(tmp_path / "lib")
    # BibTeX skips a bad entry with a note; --strict makes it the file's one error.
    strict = ["--strict"] if name.endswith(".bib") else []
    err = _one_line_error(capsys, "--library", root, "import", *strict, str(listing))
    assert name in err and message in err
    assert not (tmp_path / "lib" / "papers.json").exists()  # nothing stored


def test_edit_year_out_of_range_is_one_line_error_and_stores_nothing(stored, capsys):
    lib, pid = stored
    err = _one_line_error(capsys, "--library", str(lib.root), "edit", pid[:6], "--year", str(BIG))
    assert f"paper {pid}: year must be a whole number from 0 to 9,999" in err
    assert Library(lib.root).get(pid).year is None


def test_an_empty_library_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--library", "", "list"])
    assert stop.value.code == 2
    assert "--library: an empty folder name" in capsys.readouterr().err


def test_a_lock_problem_is_reported_against_the_lock_file(stored, capsys):
    lib, pid = stored
    (lib.root / ".lock").unlink(missing_ok=True)
    (lib.root / ".lock").mkdir()
    err = _one_line_error(capsys, "--library", str(lib.root), "unread", pid[:6])
    assert f"{lib.root / '.lock'}: cannot take the lock" in err
