"""Cite keys: stored with the paper, provisional until used, then never renamed.

A key is fixed once written out (a BibTeX citation, an export), set with `edit --key`, or
read from a BibTeX file; until then it follows the authors, year and title.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from readinglist import cli
from readinglist.citations import cite_keys
from readinglist.errors import ReadingListError
from readinglist.model import Paper, paper_id
from readinglist.persistence.library import Library


def make(title: str, authors: list[str], year: int, added: str) -> Paper:
    abstract = f"An abstract about {title} that is long enough to be compared with others."
    return Paper(
        id=paper_id(title, abstract),
        title=title,
        abstract=abstract,
        authors=authors,
        year=year,
        added=added,
    )


@pytest.fixture
def clashing() -> list[Paper]:
    """Three papers whose made-up keys clash: smith2024robust, then a and b suffixes."""
    titles = ["Robust Training at Scale", "Robust Vision Heads", "Robust Speech Decoding"]
    return [
        make(title, ["Jane Smith"], 2024, f"2024-01-0{i + 1}T00:00:00+00:00")
        for i, title in enumerate(titles)
    ]


def _keys(lib: Library) -> dict[str, str]:
    return {p.title: p.key for p in Library(lib.root).papers()}


def test_import_stores_keys_and_deleting_one_renames_no_other(tmp_path, clashing):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing, source="a.json")
    before = _keys(lib)
    assert sorted(before.values()) == ["smith2024robust", "smith2024robusta", "smith2024robustb"]
    lib.remove([clashing[0].id])
    after = _keys(lib)
    assert after == {t: k for t, k in before.items() if t != clashing[0].title}


def test_a_library_stored_without_keys_keeps_the_keys_it_cited_by(tmp_path, clashing):
    """Records from before keys were stored get the keys they had, at the next corpus write."""
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing, source="a.json")
    path = lib.root / "papers.json"
    data = json.loads(path.read_text())
    for record in data["papers"].values():
        record.pop("key")
    path.write_text(json.dumps(data))
    old = Library(lib.root)
    cited = cite_keys(old.papers())
    gone = old.remove([clashing[0].id])
    assert gone[0].key == cited[clashing[0].id], "undo must bring the key back"
    assert {p.id: p.key for p in Library(lib.root).papers()} == {
        pid: key for pid, key in cited.items() if pid != clashing[0].id
    }
    old.put(gone)
    assert {p.id: p.key for p in Library(lib.root).papers()} == cited


def test_a_provisional_key_follows_what_it_is_made_of(tmp_path, clashing):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing[:1], source="a.json")
    assert Library(lib.root).get(clashing[0].id).key_fixed is False
    lib.edit(clashing[0].id, title="Entirely New Words", authors=["Ada Lovelace"], year=1843)
    assert Library(lib.root).get(clashing[0].id).key == "lovelace1843entirely"


def test_a_key_written_out_is_fixed_and_editing_keeps_it(tmp_path, clashing):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing[:1], source="a.json")
    lib.fix_keys([clashing[0].id])
    lib.edit(clashing[0].id, title="Entirely New Words", authors=["Ada Lovelace"], year=1843)
    paper = Library(lib.root).get(clashing[0].id)
    assert (paper.key, paper.key_fixed) == ("smith2024robust", True)


def test_keys_stored_before_provisional_keys_existed_are_fixed(tmp_path, clashing):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing[:1], source="a.json")
    path = lib.root / "papers.json"
    data = json.loads(path.read_text())
    for record in data["papers"].values():
        record.pop("key_fixed")  # as an earlier release wrote it
    path.write_text(json.dumps(data))
    lib = Library(lib.root)
    lib.edit(clashing[0].id, authors=["Ada Lovelace"])
    assert Library(lib.root).get(clashing[0].id).key == "smith2024robust"


def test_citing_in_bibtex_or_exporting_fixes_the_key_and_show_says_so(tmp_path, clashing, capsys):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing[:2], source="a.json")
    first, second = (p.id for p in clashing[:2])
    root = ["--library", str(lib.root)]
    assert cli.main([*root, "cite", first, "--style", "apa"]) == 0
    assert cli.main([*root, "cite", first, "--style", "bibtex"]) == 0
    assert cli.main([*root, "export", "--format", "csv", "--query", "vision"]) == 0
    capsys.readouterr()
    assert cli.main([*root, "show", first, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["key_fixed"] is True
    assert Library(lib.root).get(second).key_fixed is True
    lib = Library(lib.root)
    lib.edit(first, authors=["Ada Lovelace"])
    assert Library(lib.root).get(first).key == "smith2024robust"


def test_bibtex_entry_keys_are_kept_and_a_clash_gets_a_suffix(tmp_path):
    lib = Library(tmp_path / "lib")
    listing = tmp_path / "mine.bib"
    listing.write_text(
        "@article{Vaswani:2017,\n  title = {Attention Is All You Need},\n"
        "  author = {Vaswani, Ashish},\n  year = {2017}\n}\n"
        "@article{other_key,\n  title = {Deep Residual Learning},\n"
        "  author = {He, Kaiming},\n  year = {2016}\n}\n",
        encoding="utf-8",
    )
    assert cli.main(["--library", str(lib.root), "import", str(listing)]) == 0
    keys = {p.title: p.key for p in lib.papers()}
    assert keys == {
        "Attention Is All You Need": "Vaswani:2017",
        "Deep Residual Learning": "other_key",
    }
    clash = tmp_path / "clash.json"
    clash.write_text(
        json.dumps(
            [
                {"title": "A Different Paper", "key": "other_key"},
                {"title": "Badly Keyed", "key": "has space"},
            ]
        )
    )
    assert cli.main(["--library", str(lib.root), "import", str(clash)]) == 0
    keys = {p.title: p.key for p in Library(lib.root).papers()}
    assert keys["Deep Residual Learning"] == "other_key"
    assert keys["A Different Paper"] == "other_keya"
    assert keys["Badly Keyed"] == "badlynd"  # no authors, no year: firstword + "nd"


def test_edit_key_checks_form_and_uniqueness(tmp_path, clashing, capsys):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing, source="a.json")
    first, second = clashing[0].id, clashing[1].id
    root = ["--library", str(lib.root)]
    assert cli.main([*root, "edit", first, "--key", "Smith:Robust/2024"]) == 0
    assert Library(lib.root).get(first).key == "Smith:Robust/2024"
    for bad, message in (
        ("two words", "a cite key is"),
        ("{x}", "a cite key is"),
        ("smith2024robusta", f"already the cite key of paper {second}"),
    ):
        capsys.readouterr()
        assert cli.main([*root, "edit", first, "--key", bad]) == 1
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1
    assert Library(lib.root).get(first).key == "Smith:Robust/2024"
    with pytest.raises(ReadingListError):
        lib.edit(second, key="Smith:Robust/2024")


def test_a_paper_is_found_by_its_cite_key(tmp_path, clashing, capsys):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing, source="a.json")
    assert lib.get("smith2024robusta").id == clashing[1].id
    assert cli.main(["--library", str(lib.root), "read", "smith2024robustb"]) == 0
    assert Library(lib.root).get(clashing[2].id).read
    capsys.readouterr()
    assert cli.main(["--library", str(lib.root), "show", "smith2024robust"]) == 0
    assert "cite key: smith2024robust (provisional)\n" in capsys.readouterr().out


def test_a_library_citing_by_made_up_keys_shows_them(tmp_path, clashing, capsys):
    lib = Library(tmp_path / "lib")
    lib.import_papers([replace(p, key="") for p in clashing], source="a.json")
    path = lib.root / "papers.json"
    data = json.loads(path.read_text())
    for record in data["papers"].values():
        record.pop("key")
    path.write_text(json.dumps(data))
    assert cli.main(["--library", str(lib.root), "show", clashing[1].id]) == 0
    assert "cite key: smith2024robusta (provisional)\n" in capsys.readouterr().out


def test_keys_differ_in_more_than_case(tmp_path, clashing, capsys):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing[:1], source="a.json")
    shouting = tmp_path / "b.json"
    shouting.write_text(json.dumps([{"title": "Other Work", "key": "SMITH2024ROBUST"}]))
    assert cli.main(["--library", str(lib.root), "import", str(shouting)]) == 0
    assert Library(lib.root).get("smith2024robust").id == clashing[0].id
    assert {p.key for p in Library(lib.root).papers()} == {"smith2024robust", "SMITH2024ROBUSTa"}
    with pytest.raises(ReadingListError, match="already the cite key"):
        Library(lib.root).edit("SMITH2024ROBUSTa", key="Smith2024Robust")


def test_an_undo_never_gives_two_papers_one_key(tmp_path, clashing):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing, source="a.json")
    b, c = clashing[1].id, clashing[2].id
    old_b = lib.get(b)
    lib.edit(b, key="renamed")
    lib.edit(c, key=old_b.key)
    lib.put([old_b])  # undo of the first edit: its key is C's now
    keys = [p.key for p in Library(lib.root).papers()]
    assert len({k.casefold() for k in keys}) == 3
    assert Library(lib.root).get(c).key == old_b.key


def test_a_key_that_is_also_an_id_prefix_is_ambiguous(tmp_path, clashing):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing, source="a.json")
    a, b = clashing[0].id, clashing[1].id
    with pytest.raises(ReadingListError, match="id"):
        lib.edit(a, key=b[:6])  # would shadow paper B's short id
    imported = tmp_path / "b.json"
    imported.write_text(json.dumps([{"title": "Numbered", "key": b[:6]}]))
    Library(lib.root).import_papers(_parse(imported), source="b.json")
    with pytest.raises(ReadingListError, match="ambiguous"):
        Library(lib.root).resolve(b[:6])
    assert Library(lib.root).resolve(b[:8]) == b


def _parse(path):
    from readinglist.parsing import jsonfmt

    return jsonfmt.parse(path.read_text(), source=path.name)


def test_the_first_of_two_entries_wanting_one_key_keeps_it(tmp_path):
    listing = tmp_path / "dups.bib"
    listing.write_text(
        "@article{dup, title = {One}, author = {A, B}, year = {2020}}\n"
        "@article{DUP, title = {Two}, author = {C, D}, year = {2021}}\n",
        encoding="utf-8",
    )
    lib = Library(tmp_path / "lib")
    assert cli.main(["--library", str(lib.root), "import", str(listing)]) == 0
    assert {p.title: p.key for p in Library(lib.root).papers()} == {"One": "dup", "Two": "DUPa"}


def test_refs_that_name_no_paper_say_so_in_one_line(tmp_path, clashing):
    lib = Library(tmp_path / "lib")
    lib.import_papers(clashing, source="a.json")
    for ref, message in (("", "empty id"), ("zz", "at least 4 characters"), ("zzzz9", "no paper")):
        with pytest.raises(ReadingListError, match=message):
            lib.resolve(ref)


@pytest.mark.parametrize(
    ("author", "key"),
    [
        ("Guy Van den Broeck", "vandenbroeck2020study"),
        ("Joao Da Costa", "dacosta2020study"),
        ("María de la Fuente", "delafuente2020study"),
        ("Ira E. Hyman Jr", "hyman2020study"),  # the suffix is not the last name
        ("Hyman, Jr., Ira E.", "hyman2020study"),
        ("Ashish Vaswani", "vaswani2020study"),
    ],
)
def test_a_made_key_takes_the_whole_family_name(author, key):
    paper = Paper(id=paper_id("A Study", ""), title="A Study", authors=[author], year=2020)
    assert cite_keys([paper])[paper.id] == key
