"""The command line without slips: each command's exit status, stdout, stderr, and the
library before and after (nothing is written when nothing matched or changed)."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from readinglist.cli import build_parser, main
from readinglist.persistence.library import Library

PAPERS_A = [
    {
        "title": "Attention Is All You Need",
        "abstract": "We propose the Transformer, based solely on attention mechanisms.",
        "arxiv": "1706.03762",
        "year": 2017,
        "upvotes": 120,
    },
    {
        "title": "Deep Residual Learning for Image Recognition",
        "abstract": "We present a residual learning framework to ease the training of networks.",
        "year": 2016,
        "upvotes": 7,
        "tags": ["vision"],
    },
    {
        "title": "Graph Attention Networks",
        "abstract": "We present graph attention networks operating on graph-structured data.",
        "year": 2018,
    },
]
PAPERS_B = [
    PAPERS_A[2],  # brought by both imports: stays when b.json's papers are removed
    {
        "title": "Only In The Second File",
        "abstract": "A paper that only the second import brought into the library.",
        "year": 2024,
    },
]


def _invoke(library: Path, capsys, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--library", str(library), *args])
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def run(tmp_path, capsys):
    """`readinglist --library TMP ARGS...` -> (status, stdout, stderr); usage errors too."""
    library = tmp_path / "lib"

    def invoke(*args: str) -> tuple[int, str, str]:
        return _invoke(library, capsys, *args)

    invoke.library = library
    return invoke


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A library of four papers from two imports (a.json, b.json), one paper in both."""
    folder = tmp_path_factory.mktemp("template")
    for name, listing in (("a.json", PAPERS_A), ("b.json", PAPERS_B)):
        path = folder / name
        path.write_text(json.dumps(listing))
        assert main(["--library", str(folder / "lib"), "import", str(path), "--json"]) == 0
    ids = {p.title: p.id for p in Library(folder / "lib").papers()}
    return folder, ids


@pytest.fixture
def lib(run, tmp_path, template):
    """`run` on a copy of the template library; `lib.ids` maps titles to ids."""
    folder, ids = template
    shutil.copytree(folder / "lib", run.library)
    for name in ("a.json", "b.json"):
        shutil.copy(folder / name, tmp_path / name)
    run.ids = ids
    return run


def papers(run) -> dict[str, dict]:
    """Every paper's `show --json` object, by title."""
    status, out, _ = run("list", "--json")
    return {p["title"]: p for p in json.loads(out)}


def pid(run, title: str) -> str:
    return run.ids[title]


def files(root: Path) -> dict[str, bytes]:
    """The library's files (not its backups or caches) and their bytes."""
    skip = ("backups", "search-index.bin", "search-state", "papers.copy", ".lock")
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not str(p.relative_to(root)).startswith(skip)
    }


def backup_labels(run) -> list[str]:
    status, out, _ = run("restore")
    return [line.split("  ", 1)[1] for line in out.splitlines()] if status == 0 else []


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


ATTN = "Attention Is All You Need"
RES = "Deep Residual Learning for Image Recognition"
GAT = "Graph Attention Networks"
ONLY_B = "Only In The Second File"


# ----- note -----------------------------------------------------------------------------


@pytest.mark.parametrize("words", [[], [""], ["  "]])
def test_note_without_text_is_a_usage_error_and_keeps_the_note(lib, words):
    lib("note", pid(lib, ATTN), "keep me")
    before = files(lib.library)
    status, out, err = lib("note", pid(lib, ATTN), *words)
    assert status == 2 and out == ""
    assert "note: give TEXT, or use --clear" in err and err.count("\n") == 1
    assert files(lib.library) == before
    assert papers(lib)[ATTN]["note"] == "keep me"


def test_note_clear_clears_after_a_labelled_backup(lib):
    short = pid(lib, ATTN)[:6]
    lib("note", short, "read", "section", "3")
    status, out, err = lib("note", short, "--clear")
    assert (status, out, err) == (0, f"{short}: note cleared\n", "")
    assert papers(lib)[ATTN]["note"] == ""
    assert backup_labels(lib)[0] == f"before note --clear of {short}"


def test_note_clear_without_a_note_changes_nothing(lib):
    before = files(lib.library)
    short = pid(lib, ATTN)[:6]
    assert lib("note", short, "--clear") == (1, "", f"paper {short} has no note\n")
    assert files(lib.library) == before


def test_note_with_text_and_clear_is_a_usage_error(lib):
    status, _, err = lib("note", pid(lib, ATTN), "text", "--clear")
    assert status == 2 and "not both" in err


# ----- tag / untag ----------------------------------------------------------------------


def test_tag_several_ids_at_once(lib):
    ids = f"{pid(lib, ATTN)[:6]},{pid(lib, GAT)[:6]}"
    status, out, err = lib("tag", ids, "to-read", "Graphs")
    assert (status, out, err) == (0, "Added 'to-read', 'graphs' to 2 papers\n", "")
    shown = papers(lib)
    assert shown[ATTN]["tags"] == ["to-read", "graphs"]
    assert shown[GAT]["tags"] == ["to-read", "graphs"]
    assert shown[RES]["tags"] == ["vision"]
    assert backup_labels(lib)[0] == "before tag of 2 papers"


def test_tag_that_is_there_already_warns_and_tags_the_rest(lib):
    ids = f"{pid(lib, ATTN)[:6]},{pid(lib, RES)[:6]}"
    status, out, err = lib("tag", ids, "vision")
    assert (status, out) == (0, f"{pid(lib, ATTN)[:6]}: tags vision\n")
    assert err == f"paper {pid(lib, RES)[:6]} already has tag 'vision'\n"
    assert papers(lib)[ATTN]["tags"] == ["vision"]


def test_tag_that_changes_nothing_exits_1_and_writes_nothing(lib):
    before = files(lib.library)
    short = pid(lib, RES)[:6]
    assert lib("tag", short, "vision") == (1, "", f"paper {short} already has tag 'vision'\n")
    assert files(lib.library) == before


def test_untag_of_a_missing_tag_exits_1_and_writes_nothing(lib):
    before = files(lib.library)
    short = pid(lib, ATTN)[:6]
    assert lib("untag", short, "x") == (1, "", f"paper {short} has no tag 'x'\n")
    assert files(lib.library) == before


def test_bulk_untag_takes_a_labelled_backup(lib):
    lib("tag", f"{pid(lib, ATTN)},{pid(lib, GAT)}", "x")
    status, out, err = lib("untag", f"{pid(lib, ATTN)},{pid(lib, GAT)},{pid(lib, RES)}", "x")
    assert status == 0 and out == "Removed 'x' from 2 papers\n"
    assert err == f"paper {pid(lib, RES)[:6]} has no tag 'x'\n"
    assert all("x" not in p["tags"] for p in papers(lib).values())
    assert backup_labels(lib)[0] == "before untag of 2 papers (x)"


def test_tag_and_untag_by_query(lib):
    status, out, err = lib("tag", "--query", "attention", "attn")
    assert (status, out, err) == (0, "Added 'attn' to 2 papers\n", "")
    assert sorted(t for t, p in papers(lib).items() if "attn" in p["tags"]) == [ATTN, GAT]
    status, out, err = lib("untag", "--query", "attention", "attn")
    assert (status, out, err) == (0, "Removed 'attn' from 2 papers\n", "")
    assert not any("attn" in p["tags"] for p in papers(lib).values())


def test_a_query_that_matches_nothing_exits_1(lib):
    before = files(lib.library)
    assert lib("tag", "--query", "zzzqqq", "x") == (1, "", "No paper matches.\n")
    assert lib("read", "--query", "zzzqqq") == (1, "", "No paper matches.\n")
    assert files(lib.library) == before


def test_ids_and_a_query_together_are_a_usage_error(lib):
    status, _, err = lib("read", pid(lib, ATTN), "--query", "attention")
    assert status == 2 and "not both" in err
    status, _, err = lib("read")
    assert status == 2 and "--query" in err


def test_unknown_id_among_several_changes_nothing(lib):
    before = files(lib.library)
    status, out, err = lib("tag", f"{pid(lib, ATTN)},ffffffff", "x")
    assert status == 1 and out == ""
    assert err == "readinglist: ffffffff: no paper has this id or cite key\n"
    assert files(lib.library) == before


# ----- read / unread ----------------------------------------------------------------------


def test_read_by_query_counts_and_skips_papers_already_read(lib):
    lib("read", pid(lib, ATTN))
    read_at = papers(lib)[ATTN]["read_at"]
    status, out, err = lib("read", "--query", "attention")
    assert (status, out, err) == (0, "Marked 1 paper read\n", "1 matching paper unchanged\n")
    assert papers(lib)[GAT]["read"] is True
    assert papers(lib)[ATTN]["read_at"] == read_at  # the first time it was read stays
    assert lib("unread", "--tag", "vision") == (1, "", "1 matching paper unchanged\n")


def test_read_of_a_read_paper_exits_1(lib):
    short = pid(lib, ATTN)[:6]
    lib("read", short)
    before = files(lib.library)
    assert lib("read", short) == (1, "", f"paper {short} is already read\n")
    assert files(lib.library) == before


# ----- rm ----------------------------------------------------------------------------------


def test_rm_by_query_needs_yes_off_a_terminal(lib):
    before = files(lib.library)
    status, out, err = lib("rm", "--query", "attention")
    assert status == 2 and out == "" and "needs --yes" in err and err.count("\n") == 1
    assert files(lib.library) == before


def test_rm_by_query_asks_on_a_terminal(lib, monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeTerminal("n\n"))
    before = files(lib.library)
    status, out, err = lib("rm", "--query", "attention")
    assert (status, out) == (1, "")
    assert err == "Delete 2 papers? [y/N] Nothing deleted.\n"
    assert files(lib.library) == before
    monkeypatch.setattr(sys, "stdin", FakeTerminal("y\n"))
    status, out, err = lib("rm", "--query", "attention")
    assert status == 0 and out.startswith("Deleted 2 papers")
    assert sorted(papers(lib)) == [RES, ONLY_B]
    assert backup_labels(lib)[0] == "before rm of 2 papers"


def test_rm_by_tag_with_yes(lib):
    status, out, err = lib("rm", "--tag", "vision", "--yes")
    assert status == 0 and out.startswith("Deleted 1 paper ") and err == ""
    assert RES not in papers(lib)


def test_rm_of_a_tag_no_paper_has(lib):
    before = files(lib.library)
    assert lib("rm", "--tag", "nosuchtag", "--yes") == (1, "", "no paper has tag 'nosuchtag'\n")
    assert files(lib.library) == before


def test_rm_source_removes_what_that_import_alone_added(lib, tmp_path):
    status, out, err = lib("rm", "--source", str(tmp_path / "b.json"), "--yes")
    assert status == 0 and out.startswith("Deleted 1 paper ")
    assert err == "kept 1 paper that other imports brought too\n"
    assert sorted(papers(lib)) == [ATTN, RES, GAT]
    assert papers(lib)[GAT]["sources"] == ["a.json", "b.json"]


def test_rm_source_of_an_unknown_file(lib):
    status, out, err = lib("rm", "--source", "never.txt", "--yes")
    assert (status, out, err) == (1, "", "no paper came from an import of 'never.txt'\n")


def test_rm_by_id_needs_no_confirmation(lib):
    status, out, err = lib("rm", f"{pid(lib, ATTN)},{pid(lib, RES)}")
    assert status == 0 and out.startswith("Deleted 2 papers") and err == ""
    assert sorted(papers(lib)) == [GAT, ONLY_B]


# ----- first-run samples ---------------------------------------------------------------------


def test_samples_are_tagged_sample_and_one_command_removes_them(tmp_path, capsys):
    from readinglist.importer import import_samples
    from readinglist.persistence.library import open_library

    lib = open_library(tmp_path / "lib")
    count = import_samples(lib)
    assert count > 100 and all("sample" in p.tags for p in lib.papers())
    assert main(["--library", str(lib.root), "rm", "--tag", "sample", "--yes"]) == 0
    assert capsys.readouterr().out.startswith(f"Deleted {count} papers")
    assert open_library(lib.root).papers() == []


# ----- nothing matched: exit 1, one line, no file ----------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["list", "--query", "zzzqqq"], "No paper matches."),
        (["list", "--tag", "nosuchtag"], "no paper has tag 'nosuchtag'"),
        (["list", "--tag", "vision", "--read"], "No paper matches."),
        (["search", "zzzqqq"], "No paper matches."),
        (["cite", "--tag", "nosuchtag"], "no paper has tag 'nosuchtag'"),
        (["export", "--tag", "nosuchtag"], "no paper has tag 'nosuchtag'"),
    ],
)
def test_nothing_matched_exits_1_with_one_line(lib, args, line):
    assert lib(*args) == (1, "", line + "\n")


def test_export_of_nothing_writes_no_file(lib, tmp_path):
    target = tmp_path / "out.bib"
    status, out, err = lib("export", "--tag", "nosuchtag", "--format", "bibtex", "-o", str(target))
    assert (status, out, err) == (1, "", "no paper has tag 'nosuchtag'\n")
    assert not target.exists()


def test_json_listing_of_nothing_is_an_empty_array(lib):
    assert lib("list", "--json", "--query", "zzzqqq") == (1, "[]\n", "No paper matches.\n")
    assert lib("search", "--json", "zzzqqq") == (1, "[]\n", "No paper matches.\n")


# ----- --json on every changing command --------------------------------------------------------


def shown(run, *ids: str) -> list[dict]:
    return [json.loads(run("show", "--json", i)[1]) for i in ids]


def test_changing_commands_print_the_changed_papers_as_json(lib, tmp_path):
    a, g, r = pid(lib, ATTN), pid(lib, GAT), pid(lib, RES)
    for args, ids in (
        (["tag", f"{a},{g}", "x"], [a, g]),
        (["untag", "--query", "attention", "x"], [a, g]),
        (["read", a, g], [a, g]),
        (["unread", g], [g]),
        (["note", a, "a", "note"], [a]),
        (["note", a, "--clear"], [a]),
        (["edit", r, "--title", "ResNet"], [r]),
    ):
        status, out, err = lib(*args, "--json")
        assert status == 0 and err == "", args
        changed = sorted(json.loads(out), key=lambda p: p["id"])
        assert changed == sorted(shown(lib, *ids), key=lambda p: p["id"]), args
    gone = shown(lib, r)
    status, out, _ = lib("rm", r, "--json")
    assert status == 0 and json.loads(out) == gone
    again = tmp_path / "again.json"
    again.write_text(json.dumps([PAPERS_A[0], {"title": "New", "abstract": "A new one."}]))
    status, out, _ = lib("import", str(again), "--json")
    imported = json.loads(out)
    assert status == 0 and [p["title"] for p in imported] == [ATTN, "New"]
    assert imported == shown(lib, *(p["id"] for p in imported))


# ----- backups and restore ------------------------------------------------------------------------


def test_restore_lists_labels_newest_first_and_brings_a_backup_back(lib):
    short = pid(lib, ATTN)[:6]
    lib("note", short, "precious")
    lib("edit", short, "--title", "Attention")
    lib("rm", short)
    status, out, _ = lib("restore")
    lines = out.splitlines()
    assert status == 0
    assert [line.split("  ", 1)[1] for line in lines[:3]] == [
        "before rm of 1 paper",
        f"before edit of {short} (title)",
        "before import of b.json (2 papers)",
    ]
    name = lines[0].split()[0]
    status, out, err = lib("restore", name)
    assert (status, err) == (0, "")
    assert out == f"Restored {name} (4 papers), the backup taken before rm of 1 paper\n"
    restored = papers(lib)["Attention"]
    assert restored["note"] == "precious" and restored["title"] == "Attention"
    assert backup_labels(lib)[0] == f"before restore of {name}"


def test_restore_of_an_unknown_backup(lib):
    before = files(lib.library)
    status, out, err = lib("restore", "nosuch")
    assert status == 1 and "nosuch: no such backup" in err
    assert files(lib.library) == before


def test_edit_that_changes_nothing_exits_1(lib):
    before = files(lib.library)
    short = pid(lib, RES)[:6]
    status, out, err = lib("edit", short, "--year", "2016")
    assert (status, out, err) == (1, "", f"paper {short} already has these details\n")
    assert files(lib.library) == before


# ----- config, help, list ------------------------------------------------------------------------


def test_config_and_choices_ignore_case(lib):
    assert lib("config", "citation_style", "APA") == (0, "citation_style = apa\n", "")
    assert json.loads((lib.library / "settings.json").read_text())["citation_style"] == "apa"
    assert lib("config", "CITATION_STYLE")[1] == "citation_style = apa\n"
    assert lib("config", "citation_style", "Apa") == (1, "", "citation_style is already apa\n")
    status, out, _ = lib("cite", pid(lib, ATTN), "--style", "BibTeX")
    assert status == 0 and out.startswith("@")
    assert lib("list", "--sort", "UPVOTES")[0] == 0
    status, _, err = lib("config", "citation_style", "nosuch")
    assert status == 1 and "no such style" in err


def test_help_of_every_command_describes_its_arguments():
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "==SUPPRESS=="]
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if not action.option_strings:
                assert action.help, f"{name} {action.dest}: no description"
                assert action.help.split("(")[0].strip()[:30] in sub.format_help(), name


def _cell_of(line: str, text: str) -> int:
    from readinglist.cli.table import cell_width

    return cell_width(line[: line.index(text)])


def test_list_columns_stay_aligned_with_tags_and_wide_titles(lib, tmp_path, monkeypatch):
    wide = tmp_path / "wide.json"
    wide.write_text(json.dumps([{"title": "注意力机制就是你所需要的一切" * 3, "year": 2020}]))
    lib("import", str(wide))
    lib("tag", pid(lib, ATTN), "a-long-tag,another")
    monkeypatch.setenv("COLUMNS", "90")
    status, out, _ = lib("list")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 5
    years = {"注意力": "2020", "Only": "2024", "Graph": "2018", "Deep": "2016", "Attention": "2017"}
    at = [_cell_of(line, y) for line in lines for t, y in years.items() if f"  {t}" in line]
    assert len(at) == 5 and len(set(at)) == 1
    from readinglist.cli.table import cell_width

    assert all(cell_width(line) <= 90 for line in lines)
    assert any("#a-long-tag #another" in line for line in lines)
    assert any("#vision" in line for line in lines)


def test_sort_by_upvotes_shows_them(lib):
    status, out, _ = lib("list", "--sort", "upvotes")
    lines = out.splitlines()
    assert status == 0 and "▲120" in lines[0] and "▲7" in lines[1]


# ----- open -------------------------------------------------------------------------------------


def test_open_without_a_browser_says_so_and_prints_the_url(lib, monkeypatch):
    import webbrowser

    def no_browser():
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    status, out, err = lib("open", pid(lib, ATTN))
    assert status == 1 and out == "https://arxiv.org/abs/1706.03762\n"
    assert err == "No usable web browser found: open the link above yourself.\n"


def test_open_with_a_browser_opens_the_link(lib, monkeypatch):
    import webbrowser

    opened = []

    class Browser(webbrowser.BaseBrowser):
        def open(self, url, new=0, autoraise=True):
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda: Browser())
    assert lib("open", pid(lib, ATTN)) == (0, "https://arxiv.org/abs/1706.03762\n", "")
    assert opened == ["https://arxiv.org/abs/1706.03762"]
    short = pid(lib, GAT)[:6]
    assert lib("open", short) == (1, "", f"paper {short} has no link (no URL, arXiv id or DOI)\n")


# ----- files, stdin --------------------------------------------------------------------------------


def test_every_file_the_library_writes_is_private(lib, monkeypatch):
    monkeypatch.setattr(os, "umask", os.umask)  # restored even if the test fails
    old = os.umask(0o022)
    try:
        lib("search", "attention")
        lib("cite", pid(lib, ATTN), "--copy")
        lib("note", pid(lib, ATTN), "n")
        lib("config", "citation_style", "apa")
        name = lib("restore")[1].split()[0]
        lib("restore", name)
    finally:
        os.umask(old)
    written = [p for p in lib.library.rglob("*") if p.is_file()]
    assert {"last-citation.txt", ".lock", "settings.json", "papers.json"} <= {
        p.name for p in written
    }
    loose = [str(p) for p in written if stat.S_IMODE(p.stat().st_mode) != 0o600]
    assert loose == []


def test_import_from_a_terminal_prints_one_hint(run, monkeypatch):
    listing = json.dumps(PAPERS_A)
    monkeypatch.setattr(sys, "stdin", FakeTerminal(listing))
    status, out, err = run("import", "-")
    assert status == 0 and out.startswith("stdin: parsed 3")
    assert err == "Paste the listing, then Ctrl-D\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(listing))
    status, out, err = run("import", "-")
    assert status == 0 and err == ""
