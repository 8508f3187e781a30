"""Edits as values: each edit's apply, its revert, and its revert after another change."""

from __future__ import annotations

from dataclasses import replace

import pytest

from readinglist import edits
from readinglist.edits import (
    AddTags,
    Delete,
    EditFields,
    ImportMerge,
    MarkRead,
    RemoveTags,
    Restore,
    SetNote,
    Stamp,
    Undo,
)
from readinglist.errors import ReadingListError
from readinglist.model import Paper, paper_id

T1, T2, T3, T4 = (f"2026-01-0{d}T10:00:00.000001+00:00" for d in (1, 2, 3, 4))
FIRST = Stamp(T1, "aaaa", "import:a.json")
MINE = Stamp(T2, "bbbb")
OTHER = Stamp(T3, "cccc")
UNDO = Stamp(T4, "bbbb")


def paper(**fields) -> Paper:
    title = fields.pop("title", "Attention Is All You Need")
    made = Paper(id=paper_id(title, ""), title=title, **fields)
    return edits.new_record(made, FIRST)


def test_a_stamp_is_stored_as_time_replica_source():
    stamp = Stamp.now("r1")
    assert stamp.stored() == [stamp.time, "r1", "user"]
    assert stamp.time.endswith("+00:00") and len(stamp.time.split(".")[1]) == len("000000+00:00")


def test_a_new_record_carries_one_stamp_for_its_fields_and_its_own_for_state():
    p = paper(year=2017, tags=["nlp"])
    assert p.stamp("title") == p.stamp("year") == FIRST.stored()
    assert p.stamp("tags") == FIRST.stored()
    assert p.tag_stamp("nlp") == [FIRST.stored(), None]
    assert p.stamp("doi") is None, "a field never set has no stamp"
    assert "doi" not in p.changed() and p.changed()["title"] == FIRST.stored()


# ----- mark read -------------------------------------------------------------------------


def test_mark_read_uses_the_edits_time_as_the_read_time():
    after = MarkRead(MINE, True).apply(paper())
    assert after.read and after.read_at == T2
    assert after.stamp("read") == after.stamp("read_at") == MINE.stored()
    assert after.stamp("title") == FIRST.stored()


def test_mark_unread_clears_the_time_and_stamps_both_fields():
    before = MarkRead(MINE, True).apply(paper())
    after = MarkRead(OTHER, False).apply(before)
    assert not after.read and after.read_at is None
    assert after.stamp("read") == OTHER.stored()


def test_marking_a_paper_as_it_is_changes_nothing():
    p = paper()
    assert MarkRead(MINE, False).apply(p) is p


def test_revert_of_mark_read_puts_back_the_values_and_their_stamps():
    edit = MarkRead(MINE, True)
    before = paper()
    after = edit.apply(before)
    reverted = edit.revert(before, after, after)
    assert (reverted.read, reverted.read_at) == (False, None)
    assert reverted.state_stamps == before.state_stamps


def test_revert_of_mark_read_after_a_tag_from_elsewhere_keeps_the_tag():
    edit = MarkRead(MINE, True)
    before = paper()
    after = edit.apply(before)
    current = AddTags(OTHER, ("from-cli",)).apply(after)
    reverted = edit.revert(before, after, current)
    assert not reverted.read and reverted.tags == ["from-cli"]
    assert reverted.stamp("tags") == OTHER.stored()


def test_revert_of_mark_read_leaves_a_later_unread_alone():
    edit = MarkRead(MINE, True)
    before = MarkRead(FIRST, True).apply(paper())
    after = edit.apply(before)
    current = MarkRead(OTHER, False).apply(after)
    reverted = edit.revert(before, after, current)
    assert reverted.read is False, "the later change stays"
    assert reverted.stamp("read") == OTHER.stored()


# ----- tags ------------------------------------------------------------------------------


def test_add_tags_appends_new_ones_and_stamps_each():
    before = paper(tags=["nlp"])
    after = AddTags(MINE, ("nlp", "mine")).apply(before)
    assert after.tags == ["nlp", "mine"]
    assert after.tag_stamp("mine") == [MINE.stored(), None]
    assert after.tag_stamp("nlp") == [FIRST.stored(), None]
    assert after.stamp("tags") == MINE.stored()


def test_remove_tags_leaves_a_tombstone_with_both_times():
    after = RemoveTags(MINE, ("nlp",)).apply(paper(tags=["nlp", "x"]))
    assert after.tags == ["x"]
    assert after.tag_stamps["nlp"] == [FIRST.stored(), MINE.stored()]
    assert "nlp" not in after.to_json()["tags"], "a tombstone is never shown"


def test_revert_of_add_tags_drops_only_its_tags():
    edit = AddTags(MINE, ("mine",))
    before = paper(tags=["nlp"])
    after = edit.apply(before)
    reverted = edit.revert(before, after, after)
    assert reverted.tags == ["nlp"]
    assert "mine" not in reverted.tag_stamps


def test_revert_of_add_tags_after_another_tag_keeps_the_other():
    edit = AddTags(MINE, ("mine",))
    before = paper(tags=["nlp"])
    after = edit.apply(before)
    current = AddTags(OTHER, ("from-cli",)).apply(after)
    reverted = edit.revert(before, after, current)
    assert reverted.tags == ["nlp", "from-cli"]
    assert reverted.tag_stamp("from-cli") == [OTHER.stored(), None]


def test_revert_of_remove_tags_puts_the_tag_back_in_its_place():
    edit = RemoveTags(MINE, ("nlp",))
    before = paper(tags=["nlp", "transformers"])
    after = edit.apply(before)
    current = AddTags(OTHER, ("from-cli",)).apply(after)
    reverted = edit.revert(before, after, current)
    assert reverted.tags == ["nlp", "transformers", "from-cli"]
    assert reverted.tag_stamp("nlp") == [FIRST.stored(), None]


# ----- note ------------------------------------------------------------------------------


def test_set_note_and_its_revert():
    edit = SetNote(MINE, "classic")
    before = paper()
    after = edit.apply(before)
    assert after.note == "classic" and after.stamp("note") == MINE.stored()
    reverted = edit.revert(before, after, after)
    assert reverted.note == "" and reverted.stamp("note") is None


def test_revert_of_a_note_keeps_a_note_written_since_elsewhere():
    edit = SetNote(MINE, "mine")
    before = paper()
    after = edit.apply(before)
    current = SetNote(OTHER, "theirs").apply(after)
    assert edit.revert(before, after, current).note == "theirs"


# ----- edit fields -----------------------------------------------------------------------


def test_a_new_year_is_stated_and_drops_the_full_date_it_contradicts():
    edit = EditFields.correcting(MINE, year=2018)
    before = paper(published="2017-06-12", year=2017, year_inferred=True)
    after = edit.apply(before)
    assert (after.year, after.year_inferred, after.published) == (2018, False, None)
    for name in ("year", "year_inferred", "published"):
        assert after.stamp(name) == MINE.stored()
    assert after.stamp("title") == FIRST.stored()


def test_new_authors_set_the_count_and_a_new_title_is_no_longer_derived():
    edit = EditFields.correcting(
        MINE, title=" A Title ", authors=["Ada Lovelace", " ", "Alan Turing"]
    )
    after = edit.apply(paper(title_derived=True, author_count=6))
    assert (after.title, after.title_derived) == ("A Title", False)
    assert (after.authors, after.author_count) == (["Ada Lovelace", "Alan Turing"], 2)


def test_empty_identifiers_clear_and_an_empty_title_is_refused():
    after = EditFields.correcting(MINE, doi=" ").apply(paper(doi="10.1/x"))
    assert after.doi is None and after.stamp("doi") == MINE.stored()
    with pytest.raises(ReadingListError, match="--title"):
        EditFields.correcting(MINE, title="  ")
    with pytest.raises(ReadingListError, match="nothing to change"):
        EditFields.correcting(MINE)


def test_edit_fields_refuses_state_and_unknown_fields():
    with pytest.raises(ValueError, match="read"):
        EditFields(MINE, {"read": True})
    with pytest.raises(ValueError, match="colour"):
        EditFields(MINE, {"colour": "red"})


def test_revert_of_a_correction_after_another_correction_keeps_the_other():
    edit = EditFields.correcting(MINE, year=2018)
    before = paper(year=2017, doi="10.1/x")
    after = edit.apply(before)
    current = EditFields.correcting(OTHER, doi="10.2/y", year=2019).apply(after)
    reverted = edit.revert(before, after, current)
    assert reverted.doi == "10.2/y" and reverted.year == 2019, "both changed since: kept"
    plain = edit.revert(before, after, after)
    assert plain.year == 2017 and plain.stamp("year") == FIRST.stored()


# ----- import merge ----------------------------------------------------------------------


def test_an_import_merge_stamps_what_it_changed_with_the_files_source():
    kept = MarkRead(MINE, True).apply(paper(upvotes=3))
    stamp = Stamp(T3, "aaaa", "import:b.json")
    incoming = Paper(kept.id, kept.title, upvotes=9, doi="10.1/x", tags=["new"])
    after = ImportMerge(stamp, incoming).apply(kept)
    assert (after.upvotes, after.doi, after.tags, after.read) == (9, "10.1/x", ["new"], True)
    assert after.stamp("upvotes") == after.stamp("doi") == stamp.stored()
    assert after.stamp("read") == MINE.stored(), "what the merge left alone keeps its stamp"
    assert after.tag_stamp("new") == [stamp.stored(), None]


def test_revert_of_an_import_merge_keeps_a_later_edit():
    edit = ImportMerge(Stamp(T3, "aaaa", "import:b.json"), Paper("x", "T", doi="10.1/x", upvotes=9))
    before = paper(upvotes=3)
    after = edit.apply(before)
    current = EditFields.correcting(OTHER, doi="10.9/z").apply(after)
    reverted = edit.revert(before, after, current)
    assert (reverted.upvotes, reverted.doi) == (3, "10.9/z")


# ----- fills from the web ----------------------------------------------------------------

WEB = Stamp(T3, "bbbb", "web")


def test_a_fill_stamps_each_field_with_the_service_that_supplied_it():
    fill = edits.FillFields(
        WEB, {"authors": ["Ada Lovelace"], "arxiv": "1706.03762", "upvotes": 7},
        {"authors": "arxiv", "arxiv": "hf"},
    )  # fmt: skip
    after = fill.apply(paper())
    assert after.stamp("authors") == [T3, "bbbb", "arxiv"]
    assert after.stamp("arxiv") == [T3, "bbbb", "hf"]
    assert after.stamp("upvotes") == WEB.stored(), "a field no service is named for"
    assert after.stamp("title") == FIRST.stored()


def test_a_fill_never_changes_a_field_the_user_set():
    cleared = EditFields.correcting(MINE, arxiv="").apply(paper(arxiv="1706.03762"))
    assert edits.user_set(cleared) == {"arxiv"}
    fill = edits.FillFields(WEB, {"arxiv": "1706.03762", "upvotes": 7}, {"arxiv": "hf"})
    after = fill.apply(cleared)
    assert (after.arxiv, after.upvotes) == (None, 7)
    assert after.stamp("arxiv") == MINE.stored()
    assert fill.apply(fill.apply(cleared)) == after


def test_a_merge_keeps_the_stamps_a_filled_paper_brings():
    filled = edits.FillFields(WEB, {"doi": "10.1/x"}, {"doi": "crossref"}).apply(paper())
    twin = paper(title="Attention is all you need (preprint)")
    merged = ImportMerge(WEB, filled).apply(twin)
    assert merged.doi == "10.1/x" and merged.stamp("doi") == [T3, "bbbb", "crossref"]


# ----- delete and restore ----------------------------------------------------------------


def test_delete_reverts_to_the_whole_record_and_restore_puts_it_back():
    gone = MarkRead(MINE, True).apply(paper(tags=["nlp"]))
    delete = Delete(MINE)
    assert delete.removes and delete.revert(gone, gone, gone) == gone
    restore = Restore(UNDO, (gone,))
    assert restore.restores and restore.apply(replace(gone, note="other")) == gone


# ----- undo ------------------------------------------------------------------------------


def test_undo_takes_the_step_back_and_stamps_it_as_the_latest_change():
    edit = AddTags(MINE, ("mine",))
    before = paper(tags=["nlp"])
    after = edit.apply(before)
    current = MarkRead(OTHER, True).apply(after)
    undone = Undo(UNDO, edit, {before.id: (before, after)}).apply(current)
    assert undone.tags == ["nlp"] and undone.read
    assert undone.stamp("tags") == UNDO.stored()
    assert undone.tag_stamps["mine"] == [MINE.stored(), UNDO.stored()], "a tombstone again"
    assert undone.stamp("read") == OTHER.stored()


def test_undo_of_a_step_overtaken_everywhere_changes_nothing():
    edit = SetNote(MINE, "mine")
    before = paper()
    after = edit.apply(before)
    current = SetNote(OTHER, "theirs").apply(after)
    assert Undo(UNDO, edit, {before.id: (before, after)}).apply(current) is current
