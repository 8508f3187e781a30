"""One paper added on two machines under two ids: joined after the merge of the files."""

from __future__ import annotations

import copy

from readinglist import edits
from readinglist.edits import AddTags, EditFields, MarkRead, Stamp
from readinglist.model import Paper, paper_id
from readinglist.sync.duplicates import join_duplicates
from readinglist.sync.tables import View, merge_library

ABSTRACT = "A long abstract that says what this paper is about, in many more words than twenty. "
EARLY = Stamp("2026-01-01T10:00:00.000000+00:00", "aaaa", "import:daily.json")
LATE = Stamp("2026-01-01T11:00:00.000000+00:00", "bbbb", "import:feed.json")


def made(stamp: Stamp, **values) -> Paper:
    paper = Paper(id="", **values)
    paper.id = paper_id(paper.title, paper.abstract)
    paper.added = stamp.time[:19] + "+00:00"
    paper.sources = [stamp.source.removeprefix("import:")]
    return edits.new_record(paper, stamp)


def store(view: View, paper: Paper) -> None:
    view.papers[paper.id] = paper.stored_bib()
    if paper.stored_state() != Paper(paper.id, "").stored_state():
        view.states[paper.id] = paper.stored_state()


def two_sides(mine: Paper, theirs: Paper) -> tuple[View, View, View]:
    base = View({}, {})
    ours, other = View({}, {}), View({}, {})
    store(ours, mine)
    store(other, theirs)
    return base, ours, other


def joined(base: View, ours: View, theirs: View) -> tuple[View, list]:
    merged, _ = merge_library(base, ours, theirs)
    found = join_duplicates(base, ours, theirs, merged)
    return merged, found


def test_the_same_arxiv_paper_under_two_ids_is_one_paper_either_way():
    first = made(EARLY, title="One preprint", abstract=ABSTRACT * 2, arxiv="2401.01234")
    first = AddTags(Stamp("2026-01-01T10:05:00.000000+00:00", "aaaa"), ("daily",)).apply(first)
    second = made(LATE, title="One preprint", arxiv="2401.01234", year=2024)
    second = MarkRead(Stamp("2026-01-01T11:05:00.000000+00:00", "bbbb")).apply(second)
    second = AddTags(Stamp("2026-01-01T11:06:00.000000+00:00", "bbbb"), ("feed",)).apply(second)
    assert first.id != second.id
    here, found = joined(*two_sides(first, second))
    there, found_there = joined(*reversed_sides(*two_sides(first, second)))
    assert here == there, "the same library whichever machine merges"
    assert [(j.kept, j.gone, j.reason) for j in found] == [(first.id, second.id, "same arXiv id")]
    assert [(j.kept, j.gone) for j in found_there] == [(first.id, second.id)]
    assert list(here.papers) == [first.id] and list(here.states) == [first.id]
    record, state = here.papers[first.id], here.states[first.id]
    assert record["aliases"] == [second.id]
    assert record["abstract"] == first.abstract and record["year"] == 2024, "each fills the other"
    assert record["sources"] == ["daily.json", "feed.json"]
    assert state["read"] is True and state["tags"] == ["daily", "feed"]


def reversed_sides(base: View, ours: View, theirs: View) -> tuple[View, View, View]:
    return base, theirs, ours


def test_a_users_edit_wins_over_the_other_import_and_a_fixed_key_stays_an_alias():
    first = made(EARLY, title="One preprint", abstract=ABSTRACT * 2, doi="10.1/x")
    edit = Stamp("2026-01-01T10:30:00.000000+00:00", "aaaa")
    first = EditFields(edit, {"title": "One Preprint (my title)", "key": "mine2024"}).apply(first)
    first.key_fixed = True
    second = made(LATE, title="One preprint: the journal version", doi="10.1/X")
    second.key = "theirs2024"
    second.key_fixed = True
    merged, found = joined(*two_sides(first, second))
    assert len(found) == 1 and found[0].reason == "same DOI"
    record = merged.papers[found[0].kept]
    assert record["title"] == "One Preprint (my title)", "the user's change wins"
    assert {record["key"], *record["key_aliases"]} == {"mine2024", "theirs2024"}


def test_different_papers_and_papers_both_sides_had_are_left_alone():
    one = made(EARLY, title="A first paper", arxiv="2401.00001")
    other = made(LATE, title="A first paper", arxiv="2401.00002")  # same title, other id
    merged, found = joined(*two_sides(one, other))
    assert found == [] and set(merged.papers) == {one.id, other.id}
    shared = made(EARLY, title="Already on both", abstract=ABSTRACT * 2)
    twin = made(LATE, title="Already on both", arxiv="2401.00003")
    base = View({}, {})
    for paper in (shared, twin):
        store(base, paper)
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.papers[shared.id] = {**ours.papers[shared.id], "journal": "J"}
    merged, found = joined(base, ours, theirs)
    assert found == [], "only papers new on both sides since the last sync are compared"
    assert set(merged.papers) == {shared.id, twin.id}


def test_the_joined_papers_state_left_in_its_shard_is_dropped():
    first = made(EARLY, title="Same title here", abstract=ABSTRACT * 2)
    second = made(LATE, title="Same title here")
    second = MarkRead(Stamp("2026-01-01T11:05:00.000000+00:00", "bbbb")).apply(second)
    merged, found = joined(*two_sides(first, second))
    assert [j.reason for j in found] == ["same title"]
    assert set(merged.states) == {first.id} and merged.states[first.id]["read"] is True
