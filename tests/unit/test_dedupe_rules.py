"""De-duplication that does not invent papers: each rule of dedupe.py on small entries."""

from dataclasses import replace

from readinglist.dedupe import DedupeIndex, conflict
from readinglist.parsing import bibtex
from readinglist.persistence.library import Library

LONG = (
    "We survey the field, its methods and its open problems, and compare the systems "
    "built so far on the tasks where they were evaluated, with their strengths and limits."
)


def papers(text: str):
    return bibtex.parse(text, source="refs.bib")


def test_a_shared_doi_merges_whatever_the_abstract_says():
    a, b = papers(
        "@article{a, title={Deep Nets}, doi={10.1/X}, abstract={Keywords}, pages={1--9}}\n"
        f"@article{{b, title={{Deep Networks, Revisited}}, doi={{https://doi.org/10.1/x}}, "
        f"abstract={{{LONG}}}}}\n"
    )
    assert DedupeIndex([a]).find_reason(b) == (a.id, "same DOI")


def test_a_shared_arxiv_id_merges_across_versions():
    (a,) = papers("@misc{a, title={One}, eprint={2101.00001v1}, archiveprefix={arXiv}}")
    (b,) = papers("@misc{b, title={Other}, eprint={2101.00001v3}, archiveprefix={arXiv}}")
    assert DedupeIndex([a]).find_reason(b) == (a.id, "same arXiv id")


def test_different_dois_are_never_one_paper():
    a, b = papers(
        f"@article{{a, title={{A Survey of Augmented Reality}}, doi={{10.1/a}}, abstract={{{LONG}}}}}\n"
        f"@article{{b, title={{A Survey of Augmented Reality}}, doi={{10.1/b}}, abstract={{{LONG}}}}}\n"
    )
    assert conflict(a, b) == "different DOIs"
    assert DedupeIndex([a]).find(b) is None


def test_different_years_and_no_common_author_are_different_papers():
    a, b = papers(
        "@article{azuma, title={A Survey of Augmented Reality}, author={Azuma, Ronald T.},"
        " year=1997, journal={Presence}}\n"
        "@article{billinghurst, title={A Survey of Augmented Reality},"
        " author={Billinghurst, Mark and Clark, Adrian}, year=2015}\n"
    )
    assert conflict(a, b) == "different years and no author in common"
    assert DedupeIndex([replace(a, key="")]).find(replace(b, key="")) is None


def test_a_junk_abstract_is_no_evidence_and_does_not_merge_by_content_id(tmp_path):
    text = (
        "@article{one, title={Haptic Gloves}, abstract={Keywords}, year=2015}\n"
        "@article{two, title={Sound Maps for the Blind}, abstract={Keywords}, year=2015}\n"
    )
    path = tmp_path / "j.bib"
    path.write_text(text)
    lib = Library(tmp_path / "lib")
    report = lib.import_papers(papers(text), source="j.bib")
    assert (report.added, report.merged) == (2, 0)
    assert sorted(p.title for p in lib.papers()) == ["Haptic Gloves", "Sound Maps for the Blind"]


def test_an_abstract_shared_by_records_that_differ_is_boilerplate():
    a, b, c = papers(
        f"@article{{a, title={{First}}, doi={{10.1/a}}, abstract={{{LONG}}}}}\n"
        f"@article{{b, title={{Second}}, doi={{10.1/b}}, abstract={{{LONG}}}}}\n"
        f"@article{{c, title={{Third}}, abstract={{{LONG}}}}}\n"
    )
    index = DedupeIndex([a])
    assert index.find(b) is None  # different DOIs: the abstract is now known boilerplate
    index.add(b)
    assert index.find(c) is None


def test_an_acronym_difference_is_a_different_paper():
    a, b = papers("@misc{a, title={{AMS} site report}}\n@misc{b, title={{VMS} site report}}\n")
    assert DedupeIndex([replace(a, key="")]).find(replace(b, key="")) is None
    (shout,) = papers("@misc{c, title={AMS SITE REPORT}}")
    assert DedupeIndex([a]).find(shout) == a.id  # a title in capitals has no acronyms


def test_one_file_two_keys_merge_only_on_an_identifier(tmp_path):
    text = (
        "@inproceedings{houthooft2016vime, title={VIME: Variational Information Maximizing"
        " Exploration}, year=2016}\n"
        "@article{houthooft2016variational, title={VIME: Variational Information Maximizing"
        " Exploration}, year=2016}\n"
        "@misc{same1, title={Dropout}, doi={10.5/d}}\n@misc{same2, title={Dropout!}, doi={10.5/D}}\n"
    )
    lib = Library(tmp_path / "lib")
    report = lib.import_papers(papers(text), source="refs.bib")
    assert (report.added, report.merged) == (3, 1)
    merged = lib.get("same2")
    assert merged.key == "same1" and merged.key_aliases == ["same2"]
    assert lib.get("houthooft2016variational").id != lib.get("houthooft2016vime").id


def test_a_later_file_merges_and_every_key_stays_resolvable(tmp_path):
    lib = Library(tmp_path / "lib")
    lib.import_papers(papers("@misc{first, title={Dropout}, year=2014}"), source="a.bib")
    lib.import_papers(papers("@misc{second, title={Dropout}, year=2014}"), source="b.bib")
    (paper,) = lib.papers()
    assert lib.get("second").id == lib.get("first").id == paper.id
    assert paper.key_aliases == ["second"]
    lib.import_papers(papers("@misc{second, title={Something Else}}"), source="c.bib")
    assert lib.get("second").id == paper.id  # an alias is taken: the newcomer gets a suffix


def test_merged_keys_are_exported_as_ids_and_read_back(tmp_path):
    from readinglist.exporting import export

    lib = Library(tmp_path / "lib")
    lib.import_papers(papers("@misc{first, title={Dropout}, year=2014}"), source="a.bib")
    lib.import_papers(papers("@misc{second, title={Dropout}, year=2014}"), source="b.bib")
    text = export(lib.papers(), "bibtex")
    assert "  ids" in text and "{second}," in text
    (back,) = papers(text)
    assert back.key == "first" and back.key_aliases == ["second"]


def test_dry_run_lists_each_add_and_merge_with_its_reason(tmp_path, capsys):
    from readinglist.cli import main

    path = tmp_path / "refs.bib"
    path.write_text(
        "@misc{a, title={Dropout}, doi={10.5/d}}\n@misc{b, title={Other}, doi={10.5/d}}\n"
    )
    assert main(["--library", str(tmp_path / "lib"), "import", "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "  add    a 'Dropout'"
    assert out[1].startswith("  merge  b 'Other' into ") and out[1].endswith("'Dropout' (same DOI)")
    assert out[2] == "refs.bib: parsed 2, would add 1, merged 1"
