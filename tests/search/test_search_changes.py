"""The change log of the saved index: which writes lead from one generation to another."""

from __future__ import annotations

from readinglist.persistence import records
from readinglist.search import changes
from readinglist.search.changes import Entry


def test_a_chain_follows_the_writes_from_one_generation_to_another():
    log = [Entry("a", "b", ("p1",)), Entry("b", "c", ("p2",)), Entry("c", "d", ())]
    assert changes.chain(log, "a", "d") == log
    assert changes.chain(log, "b", "c") == log[1:2]
    assert changes.chain(log, "c", "c") == []
    assert changes.chain(log, "d", "a") is None  # never backwards
    assert changes.chain(log, "x", "d") is None
    assert changes.changed_ids(log) == {"p1", "p2"}


def test_a_chain_after_a_restored_backup_takes_the_branch_that_leads_there():
    # b -> c, then a backup of b restored (generation b again), then b -> e
    log = [Entry("a", "b", ("p1",)), Entry("b", "c", ("p2",)), Entry("b", "e", ("p3",))]
    assert changes.chain(log, "a", "e") == [log[0], log[2]]
    assert changes.chain(log, "a", "c") == log[:2]


def test_the_log_round_trips_and_any_damage_or_wrong_shape_reads_as_empty(tmp_path):
    log = [Entry("a", "b", ("p1", "p2")), Entry("b", "c", ())]
    changes.write_log(tmp_path, log)
    assert changes.read_log(tmp_path) == log
    path = tmp_path / changes.CHANGES_NAME
    whole = path.read_bytes()
    for cut in (0, 5, len(whole) // 2, len(whole) - 1):
        path.write_bytes(whole[:cut])
        assert changes.read_log(tmp_path) == []
    for wrong in ({"before": "a", "after": 2, "ids": []}, {"before": "a"}, [1], "x"):
        head = {"format": changes.FORMAT}
        path.write_bytes(records.pack([head, {"before": "a", "after": "b", "ids": []}, wrong]))
        assert changes.read_log(tmp_path) == []
    path.write_bytes(records.pack([{"format": 99}, {"before": "a", "after": "b", "ids": []}]))
    assert changes.read_log(tmp_path) == []
    changes.write_log(tmp_path, [])
    assert not path.exists()
