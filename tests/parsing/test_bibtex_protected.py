"""Brace-protected words of BibTeX titles: kept on the record, given back as braces by
the export and the BibTeX citation, and kept as written by CSL's sentence case."""

from __future__ import annotations

from readinglist.citations import cite
from readinglist.exporting import export
from readinglist.model import Paper
from readinglist.parsing import bibtex
from readinglist.parsing.bibprotect import brace_groups
from readinglist.persistence.library import Library

ENTRY = r"""@article{k,
  author  = {Doe, Jane},
  title   = {A {Kinect} Study of {{Transformer}} Nets, {BERT} and {Support Vector Machines} in Schr{\"o}dinger's {\"U}ber {\TeX} {T}ables},
  journal = {Journal of Things},
  year    = {2020},
}
"""


def _paper(text: str = ENTRY) -> Paper:
    (paper,) = bibtex.parse(text, source="refs.bib")
    return paper


def test_the_record_keeps_the_braced_words_and_phrases():
    paper = _paper()
    assert paper.title.startswith("A Kinect Study of Transformer Nets, BERT and Support")
    # {BERT} is an acronym, kept in any case: the record says only what is new.
    assert paper.protected == ["Kinect", "Transformer", "Support Vector Machines", "T"]


def test_special_characters_and_commands_are_not_protection():
    assert brace_groups(r"Schr{\"o}dinger {\"U}ber {\TeX} {a {b} c} \{x\}") == ["a {b} c"]


def test_a_title_braced_whole_is_one_phrase():
    paper = _paper(
        ENTRY.replace("title   = {A {Kinect}", "title   = {{A Kinect").replace(
            "{T}ables}", "Tables}}"
        )
    )
    assert paper.protected == [paper.title]


def test_a_title_without_braces_protects_nothing():
    paper = _paper(ENTRY.replace("{Kinect}", "Kinect").replace("{{Transformer}}", "Transformer"))
    assert "Kinect" not in paper.protected and "Transformer" not in paper.protected


def test_the_export_gives_the_braces_back_and_reads_back_the_same(tmp_path):
    library = Library(tmp_path / "lib")
    library.import_papers([_paper()], source="refs.bib")
    text = export(library.papers(), "bibtex")
    assert "A {Kinect} Study of {Transformer} Nets, {BERT} and {Support Vector Machines}" in text
    assert "{T}ables" in text
    (again,) = bibtex.parse(text, source="export.bib")
    assert (again.title, again.protected) == (library.papers()[0].title, _paper().protected)


def test_the_library_stores_them_and_json_carries_them(tmp_path):
    Library(tmp_path / "lib").import_papers([_paper()], source="refs.bib")
    (stored,) = Library(tmp_path / "lib").papers()
    assert stored.protected == _paper().protected
    data = stored.to_json()
    assert data["protected"] == stored.protected
    assert Paper.from_json(data).protected == stored.protected


def test_sentence_case_keeps_what_the_source_braced():
    out = cite([_paper()], "apa")
    assert "A Kinect study of Transformer nets, BERT and Support Vector Machines in" in out, out
    plain = _paper(ENTRY.replace("{Kinect}", "Kinect").replace("{{Transformer}}", "Transformer"))
    assert "A kinect study of transformer nets" in cite([plain], "apa")


def test_a_title_case_style_leaves_a_braced_phrase_as_written():
    paper = _paper(ENTRY.replace("{Support Vector Machines}", "{support vector machines}"))
    assert "support vector machines" in cite([paper], "mla")


def test_the_bibtex_citation_braces_them_too():
    out = cite([_paper()], "bibtex")
    assert "title   = {A {Kinect} Study of {Transformer} Nets, {BERT} and" in out


def test_an_everyday_compound_is_braced_only_when_the_source_braced_it():
    braced = _paper(ENTRY.replace("A {Kinect} Study", "A {Large-Scale} Study"))
    plain = _paper(ENTRY.replace("A {Kinect} Study", "A Large-Scale Study"))
    assert "Large-Scale" in braced.protected and "Large-Scale" not in plain.protected
    assert "{Large-Scale}" in cite([braced], "bibtex")
    assert "{Large-Scale}" not in cite([plain], "bibtex")
    assert "A Large-Scale study" in cite([braced], "apa")
    assert "A large-scale study" in cite([plain], "apa")


def test_a_merge_keeps_the_braces_of_either_record(tmp_path):
    library = Library(tmp_path / "lib")
    plain = _paper(ENTRY.replace("{Kinect}", "Kinect").replace("{{Transformer}}", "Transformer"))
    plain.protected = []
    library.import_papers([plain], source="a.bib")
    library.import_papers([_paper()], source="b.bib")
    (merged,) = library.papers()
    assert merged.protected == _paper().protected
