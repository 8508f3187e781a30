"""Parsers for each service's shapes and traps, the matching rule, the fill rule, `add` ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from payloads import atom_entry, atom_error, atom_feed, crossref_work, hf_item, hf_paper

from readinglist.model import Paper
from readinglist.sources import arxiv, crossref, hf, s2
from readinglist.sources.errors import SourceError
from readinglist.sources.fill import plan
from readinglist.sources.ids import parse_ref
from readinglist.sources.matching import choose
from readinglist.sources.record import Record, web_url

ABSTRACT = (
    "We present Centaur, a method that adapts a planner at test time by minimising the "
    "uncertainty of its own trajectory predictions, with no extra supervision."
)
_REPO = Path(__file__).resolve().parents[2]
# Recorded answers live in shared/ beside the checkout (or beside the folder of worktrees).
RAW = (
    next(
        (p for p in (_REPO.parent / "shared", _REPO.parent.parent / "shared") if p.is_dir()),
        _REPO.parent / "shared",
    )
    / "fixtures-raw"
)


# ----- Hugging Face ----------------------------------------------------------------------


def test_hf_daily_item_keeps_hidden_authors_and_only_paper_upvotes():
    paper = hf_paper("2503.11650", "Centaur", ABSTRACT, ["A One", "B Two"], upvotes=7)
    paper["authors"][1]["hidden"] = True
    item = hf_item(paper, upvotes=999)  # a top-level count is not the paper's
    record = hf.parse_paper(item)
    assert record.authors == ["A One", "B Two"]
    assert record.upvotes == 7 and record.arxiv == "2503.11650"
    assert record.published == "2025-03-14"  # the arXiv date, not the Daily Papers day


def test_hf_accepts_bare_papers_and_items_in_lists():
    bare = hf_paper("2503.00001", "Bare")
    wrapped = hf_item(hf_paper("2503.00002", "Wrapped"))
    records = hf.parse_list([bare, wrapped, "junk", {"paper": None}, {"title": ""}])
    assert [r.arxiv for r in records] == ["2503.00001", "2503.00002"]


def test_hf_2024_real_time_is_cut_to_the_date():
    record = hf.parse_paper(hf_paper("2410.17243", "Old", publishedAt="2024-10-22T15:29:37.000Z"))
    assert record.published == "2024-10-22"


# ----- arXiv -----------------------------------------------------------------------------


def test_arxiv_entry_is_versioned_and_keeps_doi_and_journal():
    feed = atom_feed(
        atom_entry(
            "2503.11650v2",
            "Centaur:\n   Robust   Driving",
            "  " + ABSTRACT,
            ["Chonghao Sima", "Kashyap Chitta"],
            doi="10.1109/X.2025.1",
            journal="CVPR 2025",
        )
    )
    (record,) = arxiv.parse_feed(feed.encode())
    assert (record.arxiv, record.arxiv_version) == ("2503.11650", "v2")
    assert record.title == "Centaur: Robust Driving"  # hard wraps collapsed
    assert record.abstract == ABSTRACT
    assert record.doi == "10.1109/x.2025.1" and record.journal == "CVPR 2025"
    assert record.authors == ["Chonghao Sima", "Kashyap Chitta"]


def test_arxiv_error_feed_is_never_a_paper():
    with pytest.raises(SourceError) as caught:
        arxiv.parse_feed(atom_error("abc").encode())
    assert "incorrect id format for abc" in str(caught.value)


def test_arxiv_old_style_ids_and_empty_feeds():
    (record,) = arxiv.parse_feed(atom_feed(atom_entry("hep-th/9901001v1", "Old")).encode())
    assert (record.arxiv, record.arxiv_version) == ("hep-th/9901001", "v1")
    assert arxiv.parse_feed(atom_feed().encode()) == []


def test_arxiv_rejects_what_is_not_xml():
    with pytest.raises(SourceError, match="not an Atom feed"):
        arxiv.parse_feed(b"<html><body>Service down")


# ----- Crossref --------------------------------------------------------------------------


def test_crossref_work_arrays_dates_and_organisations():
    work = crossref_work("10.1234/ABC", "Title", ["Ada Lovelace"], year=2024)
    work["author"].append({"name": "The Consortium", "sequence": "additional"})
    work["abstract"] = "<jats:p>An <jats:italic>abstract</jats:italic>.</jats:p>"
    record = crossref.parse_work(work)
    assert record.title == "Title" and record.doi == "10.1234/abc"
    assert record.authors == ["Ada Lovelace", "The Consortium"]
    assert record.published == "2024-06-01" and record.journal == "Journal of Tests"
    assert record.abstract == "An abstract ."


def test_crossref_preprints_have_no_venue_and_missing_dates_are_none():
    work = crossref_work("10.1234/p", "Pre", type="posted-content")
    del work["issued"]
    record = crossref.parse_work(work)
    assert record.journal is None and record.published is None
    assert crossref.parse_work({"title": []}) is None


# ----- Semantic Scholar ----------------------------------------------------------------


def s2_paper(**extra) -> dict:
    paper = {
        "paperId": "abc",
        "externalIds": {"ArXiv": "2503.11650", "DOI": "10.1109/CVPR.2025.1", "CorpusId": 1},
        "title": "Centaur",
        "abstract": None,
        "venue": "Computer Vision and Pattern Recognition",
        "journal": {"name": "CVPR", "pages": "1-9"},
        "year": 2025,
        "publicationDate": None,
        "authors": [{"authorId": "1", "name": "C. Sima"}],
        "url": "https://www.semanticscholar.org/paper/abc",
    }
    paper.update(extra)
    return paper


def test_s2_paper_gives_the_published_version():
    record = s2.parse_paper(s2_paper())
    assert (record.arxiv, record.doi, record.journal) == (
        "2503.11650",
        "10.1109/cvpr.2025.1",
        "CVPR",
    )
    assert record.published == "2025" and record.abstract == "" and record.pages == "1-9"


def test_s2_arxiv_is_no_venue_and_the_arxiv_doi_no_published_version():
    record = s2.parse_paper(
        s2_paper(journal=None, venue="arXiv.org", externalIds={"DOI": "10.48550/arXiv.2503.11650"})
    )
    assert record.journal is None and record.doi is None


def test_s2_published_version_fills_doi_and_venue():
    paper = listing(year=2025)
    records = [
        Record("arxiv", title="x", arxiv="2503.11650", published="2025-03-14"),
        s2.parse_paper(s2_paper()),
    ]
    new = plan(paper, records).paper
    assert (new.doi, new.journal) == ("10.1109/cvpr.2025.1", "CVPR")


# ----- untrusted text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "http://", "https://a b", "data:x"]
)
def test_only_http_urls_are_kept(url):
    assert web_url(url) is None


def test_hostile_title_is_kept_literally_and_url_dropped():
    hostile = "[bold red]Pwn[/] \x1b[2J<script>x</script>"
    record = hf.parse_paper(hf_paper("2503.11650", hostile))
    assert record.title == hostile  # kept as data; printing escapes it
    work = crossref_work("10.1234/x", "T", URL="javascript:alert(1)")
    assert crossref.parse_work(work).url is None


# ----- matching --------------------------------------------------------------------------


def listing(title="Centaur: Robust End-to-End Autonomous Driving with Test-Time Training", **kw):
    return Paper(id="p1", title=title, abstract=kw.pop("abstract", ABSTRACT), **kw)


def candidate(title, abstract=ABSTRACT, authors=8, arxiv_id="2503.11650"):
    names = [f"Author {i}" for i in range(authors)]
    return Record("hf", title=title, abstract=abstract, authors=names, arxiv=arxiv_id)


def test_a_close_title_with_the_same_abstract_and_author_count_matches():
    paper = listing(author_count=8)
    title = "Centaur: Robust End-to-End Autonomous Driving with Test-time Training"
    match = choose(paper, [candidate(title)])
    assert match.record is not None and not match.ambiguous


@pytest.mark.parametrize(
    "record",
    [
        candidate("A Completely Different Paper About Driving"),
        candidate(listing().title, abstract="Another abstract entirely " * 5),
        candidate(listing().title, authors=3),
    ],
    ids=["title", "abstract", "author-count"],
)
def test_one_disagreement_rejects_the_candidate(record):
    assert choose(listing(author_count=8), [record]).record is None


def test_two_different_papers_passing_is_ambiguous():
    near = [
        candidate(listing().title, arxiv_id="2503.11650"),
        candidate(listing().title + ".", arxiv_id="2504.00001"),
    ]
    match = choose(listing(), near)
    assert match.ambiguous and match.record is None


def test_the_same_paper_found_twice_is_not_ambiguous():
    same = [candidate(listing().title), candidate(listing().title)]
    assert choose(listing(), same).record is not None


# ----- filling ---------------------------------------------------------------------------


def test_fill_adds_what_is_missing_and_keeps_what_is_set():
    paper = listing(
        author_count=2, year=2026, year_inferred=True, upvotes=9, url="https://mine.example"
    )
    records = [
        Record(
            "hf",
            title="x",
            authors=["A", "B"],
            arxiv="2503.11650",
            upvotes=3,
            published="2025-03-14",
        ),
        Record(
            "arxiv",
            title="x",
            authors=["Ann A", "Bob B"],
            arxiv="2503.11650",
            arxiv_version="v2",
            url="https://arxiv.org/abs/2503.11650",
            published="2025-03-14",
        ),
    ]
    fill = plan(paper, records)
    new = fill.paper
    assert new.authors == ["Ann A", "Bob B"] and fill.sources["authors"] == "arxiv"
    assert (new.arxiv, new.arxiv_version) == ("2503.11650", "v2")
    assert (new.published, new.year, new.year_inferred) == ("2025-03-14", 2025, False)
    assert new.upvotes == 9 and new.url == "https://mine.example"  # larger count, user's URL
    assert set(fill.filled) == {"authors", "arxiv", "arxiv_version", "published"}


def test_published_version_brings_doi_venue_and_date_together():
    paper = listing(year=2025)
    records = [
        Record("arxiv", title="x", arxiv="2503.11650", published="2025-03-14", doi="10.1234/pub"),
        Record("crossref", title="x", doi="10.1234/pub", journal="Journal", published="2025-09-01"),
    ]
    new = plan(paper, records).paper
    assert (new.doi, new.journal, new.published) == ("10.1234/pub", "Journal", "2025-09-01")


def test_protected_fields_are_never_changed():
    paper = listing()
    fill = plan(
        paper, [Record("arxiv", title="x", authors=["A"], arxiv="1")], frozenset({"authors"})
    )
    assert fill.paper.authors == [] and "authors" not in fill.filled


# ----- ids for `add` --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind", "value", "version"),
    [
        ("2503.11650", "arxiv", "2503.11650", None),
        ("2503.11650v2", "arxiv", "2503.11650", "v2"),
        ("hep-th/9901001", "arxiv", "hep-th/9901001", None),
        ("https://arxiv.org/abs/2503.11650v1", "arxiv", "2503.11650", "v1"),
        ("arxiv.org/pdf/2503.11650.pdf", "arxiv", "2503.11650", None),
        ("https://huggingface.co/papers/2503.11650", "arxiv", "2503.11650", None),
        ("10.1038/srep16696", "doi", "10.1038/srep16696", None),
        ("https://doi.org/10.1038/SREP16696", "doi", "10.1038/srep16696", None),
    ],
)
def test_add_understands_ids_and_urls(typed, kind, value, version):
    ref = parse_ref(typed)
    assert (ref.kind, ref.value, ref.version) == (kind, value, version)


@pytest.mark.parametrize(
    "typed", ["abc", "x2503.11650", "https://evil.example/abs/2503.11650", "javascript:1"]
)
def test_add_refuses_what_is_no_id(typed):
    assert parse_ref(typed) is None


# ----- conformance with real recorded answers (skipped without them) ------------------------


@pytest.mark.skipif(not RAW.is_dir(), reason="no recorded answers beside the project")
def test_every_recorded_answer_parses_or_fails_cleanly():
    parsed = 0
    for path in sorted(RAW.iterdir()):
        body = path.read_bytes()
        try:
            if path.name.startswith("arxiv_"):
                records = arxiv.parse_feed(body)
            elif path.name.startswith("hf_"):
                records = hf.parse_list(json.loads(body))
            elif path.name.startswith("crossref_") and path.suffix == ".json":
                message = json.loads(body).get("message")
                items = message.get("items") if isinstance(message, dict) else None
                records = [crossref.parse_work(w) for w in (items or [message])]
            else:
                continue
        except SourceError:
            assert "error" in path.name
            continue
        except ValueError:
            assert "TRUNCATED" in path.name  # cut recordings are not JSON
            continue
        parsed += len([r for r in records if r])
        for record in filter(None, records):
            assert record.title and all(isinstance(n, str) and n for n in record.authors)
            assert record.url is None or record.url.startswith("http")
    assert parsed > 20
