"""The command line, driven through `main()`: exit codes, output, and what is stored."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from readinglist.cli import main


@pytest.fixture
def seeded(run, seeds):
    status, out, err = run("import", *map(str, seeds))
    assert status == 0, err
    return run


def listed(run, *args: str) -> list[dict]:
    """`list --json ARGS`: exit status 0 with papers, 1 with none (and `[]`)."""
    status, out, _ = run("list", "--json", *args)
    papers = json.loads(out)
    assert status == (0 if papers else 1)
    return papers


def test_import_reports_per_file_and_reimport_changes_nothing(run, seeds):
    status, out, _ = run("import", *map(str, seeds))
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == len(seeds)
    assert all("parsed" in line and "added" in line and "merged" in line for line in lines)
    before = listed(run)
    status, out, _ = run("import", *map(str, seeds))
    assert all(", added 0," in line for line in out.splitlines())
    assert listed(run) == before


def test_every_paper_once_with_the_json_contract(seeded):
    papers = listed(seeded)
    ids = [p["id"] for p in papers]
    assert len(ids) == len(set(ids))
    titles = [p["title"].casefold() for p in papers if not p["title_derived"]]
    assert len(titles) == len(set(titles))
    keys = {
        "id",
        "title",
        "title_derived",
        "abstract",
        "authors",
        "author_count",
        "published",
        "year",
        "year_inferred",
        "upvotes",
        "identifiers",
        "tags",
        "read",
        "read_at",
        "note",
        "sources",
        "added",
    }
    for paper in papers:
        assert keys <= set(paper)
        assert set(paper["identifiers"]) == {
            "doi",
            "arxiv",
            "arxiv_class",
            "isbn",
            "issn",
            "url",
            "file",
        }
        assert all("/" not in source for source in paper["sources"])


def test_a_known_seed_paper_has_its_fields(seeded):
    (paper,) = [
        p for p in listed(seeded) if p["title"] == "Robust Training Using Natural Transformation"
    ]
    assert paper["author_count"] == 6
    assert paper["published"] == "2021-05-09"
    assert paper["year"] == 2021 and paper["year_inferred"] is False
    assert paper["sources"] == ["002_c6ecafa1e95c7928.txt"]


def test_read_survives_reimport(seeded, seeds):
    paper = listed(seeded)[0]
    status, out, _ = seeded("read", paper["id"][:6])
    assert status == 0 and "Marked 1 paper read" in out
    seeded("import", *map(str, seeds))
    (again,) = [p for p in listed(seeded) if p["id"] == paper["id"]]
    assert again["read"] is True and again["read_at"]
    assert [p["id"] for p in listed(seeded, "--read")] == [paper["id"]]
    assert paper["id"] not in {p["id"] for p in listed(seeded, "--unread")}


def test_tag_untag_note_edit_rm(seeded):
    pid = listed(seeded)[0]["id"]
    assert seeded("tag", pid[:8], "Robust Training,ml")[0] == 0
    assert [p["id"] for p in listed(seeded, "--tag", "robust-training")] == [pid]
    seeded("untag", pid[:8], "ml")
    seeded("note", pid[:8], "--", "-read", "later")
    seeded("edit", pid[:8], "--authors", "Ada Lovelace; Alan Turing", "--doi", "10.1/x")
    status, out, _ = seeded("show", pid[:8], "--json")
    shown = json.loads(out)
    assert shown["tags"] == ["robust-training"]
    assert shown["note"] == "-read later"
    assert shown["authors"] == ["Ada Lovelace", "Alan Turing"]
    assert shown["identifiers"]["doi"] == "10.1/x"
    total = len(listed(seeded))
    assert seeded("rm", pid)[0] == 0
    assert len(listed(seeded)) == total - 1


def test_stats_counts(seeded):
    papers = listed(seeded)
    seeded("read", papers[0]["id"], papers[1]["id"])
    seeded("tag", papers[0]["id"], "x")
    status, out, _ = seeded("stats", "--json")
    assert json.loads(out) == {
        "papers": len(papers),
        "read": 2,
        "unread": len(papers) - 2,
        "tags": {"x": 1},
    }


def test_human_list_fits_80_columns(seeded, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    status, out, _ = seeded("list")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == len(listed(seeded))
    assert all(len(line) <= 80 for line in lines)
    assert all(line[0] in "•✓" for line in lines)


def test_search_ranks_and_scores(seeded):
    status, out, _ = seeded("search", "--json", "natural", "transformation")
    hits = json.loads(out)
    assert status == 0 and hits
    assert hits[0]["title"] == "Robust Training Using Natural Transformation"
    assert "score" in hits[0]


def test_search_query_may_start_with_a_dash(seeded):
    status, _, err = seeded("search", "--", "-robust", "training")
    assert "Traceback" not in err


def test_export_import_round_trip(seeded, tmp_path):
    papers = listed(seeded)
    seeded("read", papers[0]["id"])
    seeded("tag", papers[1]["id"], "keep")
    export = tmp_path / "out.json"
    assert seeded("export", "--output", str(export))[0] == 0
    other = tmp_path / "other"
    assert main(["--library", str(other), "import", str(export)]) == 0
    assert main(["--library", str(other), "export", "--output", str(tmp_path / "again.json")]) == 0
    assert json.loads(export.read_text()) == json.loads((tmp_path / "again.json").read_text())


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d: d / "missing.txt", "missing.txt"),
        (lambda d: d, ""),
        (lambda d: _write(d / "empty.txt", b""), "empty.txt"),
        (lambda d: _write(d / "binary.bin", bytes(range(256)) * 4), "binary.bin"),
        (lambda d: _write(d / "weird.txt", b"{]]] not a listing [[[\n"), "weird.txt"),
    ],
)
def test_bad_files_give_one_line_and_add_nothing(run, tmp_path, seeds, make, needle):
    bad = make(tmp_path)
    status, out, err = run("import", str(bad), str(seeds[0]))
    assert status == 0  # a partial success: the good file still imported
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in err
    assert "parsed" in out
    status, out, err = run("import", str(bad))
    assert status == 1 and out == "" and len(err.strip().splitlines()) == 1


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("command", ["show", "read", "tag", "rm", "note"])
def test_unknown_id_is_one_line_naming_it(seeded, command):
    extra = {"tag": ["x"], "note": ["text"]}.get(command, [])
    status, out, err = seeded(command, "ffffffffff", *extra)
    assert status == 1
    assert err.strip() == "readinglist: ffffffffff: no paper has this id or cite key"


def test_too_short_id_is_refused(seeded):
    status, _, err = seeded("show", "ab")
    assert status == 1 and "at least 4" in err


def test_import_from_stdin(run, seeds, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(seeds[0].read_text()))
    status, out, _ = run("import", "-")
    assert status == 0 and out.startswith("stdin: parsed")


def test_dry_run_stores_nothing(run, seeds):
    status, out, _ = run("import", "--dry-run", str(seeds[2]))
    assert status == 0 and "would add" in out
    assert listed(run) == []


def test_locate_honours_option_and_environment(run, monkeypatch, tmp_path, capsys):
    assert run("locate")[1].strip() == str(run.library)
    monkeypatch.setenv("READINGLIST_LIBRARY", str(tmp_path / "env"))
    assert main(["locate"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "env")


def test_no_command_without_a_terminal_prints_help(run):
    status, out, _ = run()
    assert status == 0 and "usage: readinglist" in out


def test_cli_never_imports_textual():
    code = (
        "import sys; from readinglist.cli import main; "
        "main(['--library', sys.argv[1], 'list']); "
        "import readinglist.parsing, readinglist.search, readinglist.persistence.library; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code, "/nonexistent-lib-dir"], check=True)


def test_list_loads_no_parser_though_import_offers_every_format(tmp_path):
    """`--format` choices come from the format table; the readers load when a file is read."""
    code = (
        "import sys; from readinglist.cli import FORMATS, main; "
        "from readinglist.parsing import FORMAT_TABLE; "
        "main(['--library', sys.argv[1], 'list']); "
        "assert FORMATS == ('auto', *(f.name for f in FORMAT_TABLE)), FORMATS; "
        "loaded = [m for m in ('bibtexparser', 'readinglist.parsing.hf', "
        "'readinglist.parsing.reading', 'readinglist.parsing.detection') if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "lib")], check=True)


def test_closed_pipe_ends_quietly(tmp_path, seeds):
    lib = tmp_path / "lib"
    subprocess.run(
        [sys.executable, "-m", "readinglist", "--library", str(lib), "import", *map(str, seeds)],
        check=True,
        capture_output=True,
    )
    proc = subprocess.run(
        f"{sys.executable} -m readinglist --library {lib} list --json | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in proc.stderr and proc.stderr == ""


def test_usage_mistakes_are_one_line(run, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run("search", "--limit", "-1", "x")
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.count("\n") == 1 and "--limit" in err


def test_json_import_normalises_tags_and_refuses_bad_ones(run, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps([{"title": "Tagged", "abstract": "An abstract.", "tags": ["Has Space"]}])
    )
    assert run("import", str(good))[0] == 0
    assert listed(run, "--tag", "has-space")[0]["tags"] == ["has-space"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"title": "Evil", "tags": ["\x1b]0;pwned\x07"]}]))
    status, _, err = run("import", str(bad))
    assert status == 1 and "bad.json: entry 0: bad tag" in err and "\x1b" not in err


def test_tag_output_uses_the_short_id(seeded):
    paper = listed(seeded)[0]
    status, out, _ = seeded("tag", paper["id"], "x")
    short = out.split(":")[0]
    assert status == 0 and paper["id"].startswith(short) and 6 <= len(short) < 16


def test_seed_counts_per_file_and_in_total(run, seeds):
    status, out, _ = run("import", *map(str, seeds))
    assert status == 0
    assert out.splitlines() == [
        "000_b67b1bff61b389e8.txt: parsed 4, added 4, merged 0",
        "001_6fdb0227c5aed6b7.txt: parsed 11, added 10, merged 1",
        "002_c6ecafa1e95c7928.txt: parsed 41, added 41, merged 0",
        "003_99de5e076ab10bbe.txt: parsed 52, added 51, merged 1",
        "004_510941cbbad2a461.txt: parsed 33, added 31, merged 2",
    ]
    assert len(listed(run)) == 137
