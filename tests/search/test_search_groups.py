"""Saved groups changed before they are decoded hold what groups changed decoded hold:
the same masks and the same keys (a group emptied is gone), and a change that cannot
empty a group decodes none."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.search import state as state_module
from readinglist.search.state import Groups

PAPERS = 6
KEYS = ["a", "b", "c", "d"]

members = st.dictionaries(
    st.sampled_from(KEYS), st.sets(st.integers(0, PAPERS - 1), min_size=1), max_size=4
)
changes = st.lists(
    st.tuples(st.booleans(), st.sampled_from([*KEYS, "new"]), st.integers(0, PAPERS + 3)),
    max_size=12,
)


def _saved(groups: Groups[str]) -> Groups[str]:
    return Groups.saved(groups.dump(), str, PAPERS + 4)


@settings(max_examples=300, deadline=None)
@given(members, changes, st.sets(st.sampled_from(KEYS)))
def test_changes_waiting_for_the_decode_give_the_masks_and_keys_of_changes_made_decoded(
    start, steps, looked_at
):
    built = Groups({key: sorted(found) for key, found in start.items()})
    saved = _saved(built)
    for key in looked_at:  # some decoded before the changes, some after
        saved.mask([key])
    for on, key, pos in steps:
        for groups in (built, saved):
            (groups.add if on else groups.discard)(key, pos)
    assert set(saved.names()) == set(built.names())
    assert {key: saved.masks[key] for key in KEYS + ["new"] if key in saved.masks} == dict(
        built.masks
    )
    assert all(saved.masks[key] for key in saved.names())  # no key with an empty group


def test_taking_a_paper_out_and_another_in_decodes_no_group_it_cannot_empty(monkeypatch):
    built = Groups({"big": [1, 2, 3], "one": [4]})
    saved = _saved(built)
    decoded: list[bytes] = []
    real = state_module.to_mask
    monkeypatch.setattr(state_module, "to_mask", lambda raw: decoded.append(raw) or real(raw))
    saved.discard("big", 2)
    saved.add("big", 20)
    saved.discard("big", 3)
    assert decoded == []
    saved.discard("one", 4)  # its last paper: decoded, and the key is gone
    assert len(decoded) == 1 and "one" not in saved.masks
    saved.discard("big", 1)  # could be its last: decoded, and it holds 20 still
    assert saved.mask(["big"]) == 1 << 20 and len(decoded) == 2
