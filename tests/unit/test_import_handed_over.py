"""An import leaves the papers it is given as they were, unless they are handed over to
it (a parser's, which nothing else holds): then each new one becomes its record in place,
and the library stores what copies would have given."""

from __future__ import annotations

from readinglist.importer import import_files
from readinglist.model import Paper, paper_id
from readinglist.persistence.library import ImportReport, Library


def _papers() -> list[Paper]:
    return [
        Paper(id=paper_id(f"Title {i}", ""), title=f"Title {i}", tags=["kept"], year=2020 + i)
        for i in range(3)
    ]


def _stored(library: Library) -> list[dict]:
    """Every paper as `list --json` gives it, but for the times it was made at."""
    return sorted(
        ({k: v for k, v in p.to_json().items() if k not in ("added", "changed")}
         for p in library.papers()),
        key=lambda shape: shape["id"],
    )  # fmt: skip


def test_papers_given_to_an_import_are_left_as_they_were(tmp_path):
    papers = _papers()
    before = [(p.to_json(), p.stamps, p.state_stamps, p.tag_stamps) for p in papers]
    Library(tmp_path).import_papers(papers, source="a.json", tags=["new"])
    assert [(p.to_json(), p.stamps, p.state_stamps, p.tag_stamps) for p in papers] == before


def test_handed_over_papers_are_stored_as_copies_of_them_would_be(tmp_path):
    copied, handed = Library(tmp_path / "copied"), Library(tmp_path / "handed")
    copied.import_papers(_papers(), source="a.json", tags=["new"])
    report = handed.import_papers(_papers(), source="a.json", tags=["new"], handed_over=True)
    assert report.added == 3
    assert _stored(handed) == _stored(copied)
    assert all(p.tags == ["kept", "new"] and p.sources == ["a.json"] for p in handed.papers())


def test_a_file_imported_twice_merges_into_the_papers_of_the_first_time(tmp_path):
    source = tmp_path / "papers.json"
    source.write_text(
        '[{"title": "Graph Networks", "abstract": "", "year": 2020},'
        ' {"title": "Vision Models", "abstract": "", "year": 2021}]',
        encoding="utf-8",
    )
    library = Library(tmp_path / "lib")
    first = [o for o in import_files(library, [str(source)]) if isinstance(o, ImportReport)]
    again = [o for o in import_files(library, [str(source)]) if isinstance(o, ImportReport)]
    assert (first[0].added, again[0].added, again[0].merged) == (2, 0, 2)
    assert len(library.papers()) == 2
