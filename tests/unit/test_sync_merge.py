"""The per-field merge rules: records and states as stored, built by the library's own edits."""

from __future__ import annotations

from readinglist import edits
from readinglist.edits import AddTags, EditFields, MarkRead, RemoveTags, SetNote, Stamp
from readinglist.model import Paper, paper_id
from readinglist.sync.merge import NOTE_MARK, merge_record, merge_state
from readinglist.sync.tables import View, make_whole, merge_corpus, merge_states

T = [f"2026-01-01T10:00:{s:02d}.000000+00:00" for s in range(60)]
MADE = Stamp(T[0], "aaaa", "import:a.json")


def at(second: int, replica: str = "aaaa", source: str = "user") -> Stamp:
    return Stamp(T[second], replica, source)


def paper(title: str = "Attention Is All You Need", **fields) -> Paper:
    return edits.new_record(Paper(id=paper_id(title, ""), title=title, **fields), MADE)


def bib(p: Paper) -> dict:
    return p.stored_bib()


def state(p: Paper) -> dict:
    return p.stored_state()


def both(base: Paper, ours: Paper, theirs: Paper) -> tuple[dict, dict]:
    """The merged record and state, checked to be the same whichever side merges."""
    record = merge_record(bib(base), bib(ours), bib(theirs))
    assert record == merge_record(bib(base), bib(theirs), bib(ours))
    st = merge_state(state(base), state(ours), state(theirs))
    assert st == merge_state(state(base), state(theirs), state(ours))
    return record, st


def test_read_on_one_side_and_tagged_on_the_other_keeps_both():
    base = paper()
    ours = MarkRead(at(5, "aaaa")).apply(base)
    theirs = AddTags(at(6, "bbbb"), ("nlp",)).apply(base)
    _, st = both(base, ours, theirs)
    assert st["read"] is True and st["read_at"] == T[5]
    assert st["tags"] == ["nlp"]
    assert st["tag_stamps"]["nlp"] == [at(6, "bbbb").stored(), None]


def test_one_side_changing_a_field_wins_even_with_an_earlier_clock():
    base = MarkRead(at(10)).apply(paper())
    theirs = MarkRead(at(3, "bbbb"), False).apply(base)  # its clock went backwards
    _, st = both(base, base, theirs)
    assert st["read"] is False and st["read_at"] is None


def test_a_field_changed_on_both_takes_the_later_change():
    base = paper()
    ours = EditFields(at(5), {"title": "Ours"}).apply(base)
    theirs = EditFields(at(7, "bbbb"), {"title": "Theirs"}).apply(base)
    record, _ = both(base, ours, theirs)
    assert record["title"] == "Theirs"
    assert record["stamps"]["title"] == at(7, "bbbb").stored()


def test_a_users_change_beats_a_later_fill_from_a_public_source():
    base = paper()
    ours = EditFields(at(5), {"doi": "10.1/user"}).apply(base)
    theirs = EditFields(at(9, "bbbb", "crossref"), {"doi": "10.1/filled"}).apply(base)
    record, _ = both(base, ours, theirs)
    assert record["doi"] == "10.1/user"


def test_equal_times_are_broken_by_replica_the_same_way_on_both_sides():
    base = paper()
    ours = EditFields(at(5, "aaaa"), {"title": "From a"}).apply(base)
    theirs = EditFields(at(5, "bbbb"), {"title": "From b"}).apply(base)
    record, _ = both(base, ours, theirs)
    assert record["title"] == "From b"


def test_fields_edited_together_are_never_split():
    base = paper(year=2017, published="2017-06-12")
    ours = EditFields(at(5), {"year": 2018, "year_inferred": False, "published": None}).apply(base)
    theirs = EditFields(at(4, "bbbb"), {"published": "2016-01-01"}).apply(base)
    record, _ = both(base, ours, theirs)
    assert record["year"] == 2018 and "published" not in record


def test_a_note_edited_on_both_keeps_both_texts_later_first():
    base = SetNote(at(1), "first thoughts").apply(paper())
    ours = SetNote(at(5), "laptop: good intro").apply(base)
    theirs = SetNote(at(8, "bbbb"), "desktop: weak eval").apply(base)
    _, st = both(base, ours, theirs)
    mark = NOTE_MARK.format(when="2026-01-01 10:00 UTC")
    assert st["note"] == f"desktop: weak eval\n\n{mark}\nlaptop: good intro"


def test_a_note_cleared_on_one_side_and_edited_on_the_other_keeps_the_text():
    base = SetNote(at(1), "old").apply(paper())
    ours = SetNote(at(9), "").apply(base)
    theirs = SetNote(at(5, "bbbb"), "new text").apply(base)
    _, st = both(base, ours, theirs)
    assert st["note"] == "new text"


def test_a_tag_removed_on_one_side_and_kept_on_the_other_is_removed():
    base = AddTags(at(1), ("nlp", "to-read")).apply(paper())
    ours = RemoveTags(at(5), ("nlp",)).apply(base)
    _, st = both(base, ours, base)
    assert st["tags"] == ["to-read"]
    assert st["tag_stamps"]["nlp"][1] == at(5).stored(), "the tombstone stays"


def test_a_tag_removed_on_one_and_added_again_on_the_other_follows_the_later_act():
    base = AddTags(at(1), ("nlp",)).apply(paper())
    ours = RemoveTags(at(5), ("nlp",)).apply(base)
    again = AddTags(at(7, "bbbb"), ("nlp",)).apply(RemoveTags(at(6, "bbbb"), ("nlp",)).apply(base))
    _, st = both(base, ours, again)
    assert st["tags"] == ["nlp"]
    later_removal = RemoveTags(at(9), ("nlp",)).apply(base)
    _, st = both(base, later_removal, again)
    assert st["tags"] == []


def test_a_removal_of_an_addition_the_other_side_still_has_wins_whatever_the_clock():
    base = paper()
    added = AddTags(at(10), ("nlp",)).apply(base)
    removed = RemoveTags(at(2, "bbbb"), ("nlp",)).apply(added)  # a slow clock
    _, st = both(base, added, removed)
    assert st["tags"] == []


def test_tags_added_on_both_sides_come_in_the_order_they_were_added():
    base = AddTags(at(1), ("a",)).apply(paper())
    ours = AddTags(at(6), ("c",)).apply(base)
    theirs = AddTags(at(4, "bbbb"), ("b",)).apply(base)
    _, st = both(base, ours, theirs)
    assert st["tags"] == ["a", "b", "c"]


def test_without_a_base_two_versions_merge_by_their_stamps():
    one = MarkRead(at(5)).apply(paper())
    two = AddTags(at(6, "bbbb"), ("x",)).apply(paper())
    st = merge_state(None, state(one), state(two))
    assert st == merge_state(None, state(two), state(one))
    assert st["read"] is True and st["tags"] == ["x"]


def test_a_provisional_key_yields_to_a_fixed_one():
    base = paper(key="vaswani2017attention", key_fixed=False)
    ours = EditFields(at(9), {"key": "vaswani2017attentionb", "key_fixed": False}).apply(base)
    theirs = EditFields(at(3, "bbbb"), {"key": "transformer", "key_fixed": True}).apply(base)
    record, _ = both(base, ours, theirs)
    assert record["key"] == "transformer" and record.get("key_fixed", True) is True


def test_two_papers_fixing_one_key_the_first_fixed_keeps_it():
    base = {}
    one, two = paper("One"), paper("Two")
    one = EditFields(at(3), {"key": "smith2020", "key_fixed": True}).apply(one)
    two = EditFields(at(8, "bbbb"), {"key": "Smith2020", "key_fixed": True}).apply(two)
    merged = merge_corpus(base, {one.id: bib(one)}, {two.id: bib(two)})
    assert merged.docs[one.id]["key"] == "smith2020"
    assert merged.docs[two.id]["key"] == "Smith2020a"
    assert merged.renamed == {two.id: ("Smith2020", "Smith2020a")}


def test_a_paper_deleted_on_one_side_and_changed_on_the_other_comes_back():
    p = paper()
    tagged = AddTags(at(5, "bbbb"), ("keep",)).apply(p)
    base = View({p.id: bib(p)}, {p.id: state(p)})
    ours = View({}, {})  # deleted here
    theirs = View({p.id: bib(tagged)}, {p.id: state(tagged)})
    papers = merge_corpus(base.papers, ours.papers, theirs.papers)
    states = merge_states(base.states, ours.states, theirs.states)
    assert papers.docs == {} and states.came_back == [p.id], "each file alone keeps the change"
    merged = View(papers.docs, states.docs)
    assert make_whole(ours, theirs, merged) == [p.id]
    assert merged.papers[p.id] == bib(tagged) and merged.states[p.id]["tags"] == ["keep"]


def test_a_paper_deleted_on_one_side_and_left_alone_on_the_other_is_gone():
    p = paper()
    merged = merge_corpus({p.id: bib(p)}, {}, {p.id: bib(p)})
    assert merged.docs == {} and merged.came_back == []


def test_the_same_paper_imported_on_both_merges_into_one_record():
    one = edits.new_record(Paper(id="ab" * 8, title="T", upvotes=3, added=T[1]), at(1, "a", "i"))
    two = edits.new_record(Paper(id="ab" * 8, title="T", upvotes=9, added=T[4]), at(4, "b", "i"))
    merged = merge_corpus(None, {one.id: bib(one)}, {two.id: bib(two)}).docs[one.id]
    assert merged["upvotes"] == 9, "the later import's count"
    assert merged["added"] == T[1], "added: the earlier date"
    assert merged["stamps"]["*"] == at(1, "a", "i").stored()
