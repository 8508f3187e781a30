"""The field table: every list of fields, check, default and merge rule comes from it."""

from __future__ import annotations

import json
from dataclasses import MISSING, dataclass, fields

import pytest

from readinglist import dedupe, exporting, model, validation
from readinglist.fields import FLAG, STATE, TEXT, TEXTS, entry, first, table, union, whole
from readinglist.model import FIELDS, STAMP_FIELDS, Paper
from readinglist.parsing import csljson, jsonfmt
from readinglist.persistence import shards


def test_every_field_but_the_id_and_the_stamps_is_an_entry_of_the_table():
    declared = [f.name for f in fields(Paper)]
    assert declared == ["id", *FIELDS, *STAMP_FIELDS]
    assert tuple(FIELDS) == model.BIB_FIELDS + model.STATE_FIELDS
    assert model.STATE_FIELDS == ("read", "read_at", "tags", "note")


def test_the_lists_of_fields_are_the_tables():
    assert set(model.RECORD_FIELDS) == {n for n, s in FIELDS.items() if s.record}
    assert set(model.RECORD_FIELDS) <= set(model.BIB_FIELDS)
    assert tuple(FIELDS) == model.STAMPED_FIELDS
    assert set(validation.FIELD_CHECKS) == set(FIELDS)
    assert shards.EMPTY_STATE == {"read": False, "read_at": None, "tags": [], "note": ""}
    assert exporting.CSV_COLUMNS[0] == "id" and set(exporting.CSV_COLUMNS[1:]) <= set(FIELDS)
    assert csljson.CUSTOM_FIELDS == exporting.CSL_CUSTOM  # what the export writes is read


def test_the_json_shape_puts_identifiers_apart_and_the_entry_type_under_type():
    paper = Paper("ab" * 8, "T", doi="10.1/x", isbn="978", entry_type="book")
    data = paper.to_json(changed=False)
    assert list(data["identifiers"]) == list(model.IDENTIFIER_FIELDS)
    assert data["identifiers"]["doi"] == "10.1/x" and "doi" not in data
    assert data["type"] == "book" and "entry_type" not in data
    assert Paper.from_json(data) == paper


def test_a_default_is_what_an_untouched_paper_holds_and_passes_its_check():
    paper = Paper("ab" * 8, "T")
    for name, spec in FIELDS.items():
        if spec.default is not MISSING:
            assert getattr(paper, name) == spec.default == spec.empty()
            assert spec.kind.check(spec.default) is None, name


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("year", 2024, 10_000),
        ("upvotes", 0, -1),
        ("tags", ["a"], "a"),
        ("venue", {"volume": "3"}, {"volume": 3}),
        ("names", [{"family": "Li"}], [{"nick": "Li"}]),
        ("read", True, 1),
        ("note", "n", None),
        ("doi", None, 10),
    ],
)
def test_each_check_follows_the_entrys_kind_and_range(name, good, bad):
    assert validation.value_problem(name, good) is None
    assert validation.value_problem(name, bad).startswith(f"{name} must be")


def test_a_json_import_checks_the_type_of_each_field_from_the_table():
    bad = [{"title": "T", "key_fixed": "yes"}]
    with pytest.raises(Exception, match="'key_fixed' has the wrong type"):
        jsonfmt.parse(json.dumps(bad), source="x.json")


def test_a_merge_follows_each_fields_rule():
    kept = Paper(
        "aa" * 8, "Derived words", title_derived=True, abstract="short", year=2020,
        year_inferred=True, upvotes=3, tags=["a"], note="", read=False, venue={"pages": "1"},
    )  # fmt: skip
    new = Paper(
        "bb" * 8, "The Stated Title", abstract="a longer abstract", year=2019,
        published="2019-05-01", upvotes=9, tags=["b", "a"], note="theirs", read=True,
        venue={"pages": "2", "volume": "4"}, authors=["Ada Lovelace"],
    )  # fmt: skip
    merged = dedupe.merge(kept, new)
    assert (merged.id, merged.title, merged.title_derived) == (kept.id, new.title, False)
    assert (merged.abstract, merged.upvotes) == ("a longer abstract", 9)
    assert (merged.year, merged.published, merged.year_inferred) == (2019, "2019-05-01", False)
    assert merged.tags == ["a", "b"] and merged.aliases == [new.id]
    assert (merged.note, merged.read) == ("theirs", True)
    assert merged.venue == {"pages": "1", "volume": "4"}
    assert merged.authors == ["Ada Lovelace"]


def test_a_new_field_is_one_entry():
    @dataclass
    class Record:
        id: str
        title: str = entry(TEXT, merge=first, csv=1)
        stars: int | None = entry(whole(0, 5), default=None, csv=2)
        seen: bool = entry(FLAG, default=False, part=STATE)
        labels: list[str] = entry(TEXTS, factory=list, part=STATE, merge=union)

    found = table(Record)
    assert list(found) == ["title", "stars", "seen", "labels"]
    assert found["stars"].kind.check(6) == "must be a whole number from 0 to 5"
    assert found["labels"].empty() == [] and found["labels"].empty() is not found["labels"].empty()
    assert [n for n, s in found.items() if s.part == STATE] == ["seen", "labels"]
    kept, new = Record("1", "A", labels=["x"]), Record("2", "B", labels=["y", "x"])
    assert found["labels"].merge(kept, new, "labels") == ["x", "y"]
    assert found["title"].merge(kept, new, "title") == "A"
