"""Random interleavings of edits on two machines, synced in random order through one remote.

Each machine keeps the version it last synced (git's merge base); a sync merges its
library with the remote's against that base and pushes the result. Clocks differ
between machines and may go backwards. After a final round of syncs both libraries
must be identical, and every edit must still show unless a later edit of the same
field (later by cause, or concurrent and later by the merge's order) replaced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist import edits
from readinglist.edits import AddTags, EditFields, MarkRead, RemoveTags, SetNote, Stamp
from readinglist.model import Paper
from readinglist.sync.merge import order
from readinglist.sync.tables import View, merge_library

IDS = ("a1" * 8, "b2" * 8, "c3" * 8)
TAGS = ("nlp", "cv", "todo")
OPS = ("read", "unread", "tag", "untag", "note", "title", "delete", "sync")


@dataclass
class Machine:
    name: str
    skew: int  # seconds its clock is off
    view: View
    base: View
    seen: set = field(default_factory=set)  # edits this machine's library has seen
    tick: int = 0


@dataclass
class Made:
    """One acknowledged edit: what it set, on which unit, with what stamp and knowledge."""

    n: int
    pid: str
    unit: str
    value: object
    stamp: list
    knew: frozenset


def start() -> View:
    papers, states = {}, {}
    for i, pid in enumerate(IDS):
        p = edits.new_record(Paper(id=pid, title=f"Paper {i}"), Stamp(_time(0), "seed", "i"))
        papers[pid] = p.stored_bib()
    return View(papers, states)


def _time(seconds: int) -> str:
    seconds = max(seconds, 0)
    return f"2026-01-01T{10 + seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000000+00:00"


def _copy(view: View) -> View:
    return View({k: dict(v) for k, v in view.papers.items()}, dict(view.states))


def paper_of(view: View, pid: str) -> Paper:
    p = Paper(pid, **view.papers[pid])
    st_ = view.states.get(pid)
    if st_:
        p.read, p.read_at, p.tags, p.note = st_["read"], st_["read_at"], st_["tags"], st_["note"]
        p.state_stamps = st_.get("stamps", {})
        p.tag_stamps = st_.get("tag_stamps", {})
    return p


def store(view: View, p: Paper) -> None:
    view.papers[p.id] = p.stored_bib()
    view.states[p.id] = p.stored_state()


def sync(m: Machine, remote: list[View]) -> None:
    merged, _ = merge_library(m.base, m.view, remote[0])
    remote[0] = _copy(merged)
    m.view, m.base = _copy(merged), _copy(merged)
    m.seen |= remote_seen[0]
    remote_seen[0] = set(m.seen)


remote_seen: list[set] = [set()]


def run(steps, skews) -> None:
    origin = start()
    remote = [_copy(origin)]
    remote_seen[0] = set()
    machines = [
        Machine(n, s, _copy(origin), _copy(origin)) for n, s in zip("AB", skews, strict=True)
    ]
    made: list[Made] = []
    deleted: list[Made] = []
    for who, op, pidx, arg, back in steps:
        m = machines[who]
        pid = IDS[pidx]
        if op == "sync":
            sync(m, remote)
            continue
        if pid not in m.view.papers:
            continue
        m.tick += 10
        stamp = Stamp(_time(1000 + m.tick + m.skew - back), f"r{m.name}")
        before = paper_of(m.view, pid)
        if op == "delete":
            del m.view.papers[pid]
            m.view.states.pop(pid, None)
            deleted.append(Made(len(made), pid, "*", None, stamp.stored(), frozenset(m.seen)))
            m.seen.add(("del", len(deleted)))
            continue
        edit, unit, value = _edit(op, stamp, arg)
        after = edit.apply(before)
        if after is before:  # nothing changed: nothing to acknowledge
            continue
        store(m.view, after)
        e = Made(len(made), pid, unit, value, stamp.stored(), frozenset(m.seen))
        made.append(e)
        m.seen.add(e.n)
    for m in (*machines, *machines):
        sync(m, remote)
    a, b = machines
    assert a.view.papers == b.view.papers and a.view.states == b.view.states
    check_nothing_lost(a.view, made, deleted)


def _edit(op: str, stamp: Stamp, arg: int):
    tag = TAGS[arg % len(TAGS)]
    if op == "read":
        return MarkRead(stamp, True), "read", True
    if op == "unread":
        return MarkRead(stamp, False), "read", False
    if op == "tag":
        return AddTags(stamp, (tag,)), f"tag:{tag}", True
    if op == "untag":
        return RemoveTags(stamp, (tag,)), f"tag:{tag}", False
    if op == "note":
        text = f"note {stamp.replica} {arg}"
        return SetNote(stamp, text), "note", text
    title = f"Title {stamp.replica} {arg}"
    return EditFields(stamp, {"title": title}), "title", title


def check_nothing_lost(final: View, made: list[Made], deleted: list[Made]) -> None:
    for d in deleted:  # gone, unless a change the delete did not see brought it back
        if d.pid in final.papers:
            assert any(e.pid == d.pid and e.n not in d.knew for e in made), d
    for e in made:
        if any(d.pid == e.pid and _seen_by(d, e, made) for d in deleted):
            continue  # a delete that saw it replaced it (the paper may come back without it)
        assert e.pid in final.papers, e
        replaced = any(
            o.pid == e.pid
            and o.unit == e.unit
            and o is not e
            and (e.n in o.knew or (o.n not in e.knew and order(o.stamp) > order(e.stamp)))
            for o in made
        )
        if e.unit == "note":
            note = paper_of(final, e.pid).note
            assert replaced or e.value in note, (e, note)
            continue
        if replaced:
            continue
        p = paper_of(final, e.pid)
        if e.unit == "read":
            assert p.read is e.value, e
        elif e.unit == "title":
            assert p.title == e.value, e
        else:
            assert (e.unit[4:] in p.tags) is e.value, (e, p.tags, p.tag_stamps)


def _seen_by(d: Made, e: Made, made: list[Made]) -> bool:
    """Whether delete `d` saw edit `e`, or an edit of the same field that won over it
    (made after it, or concurrently and later): then nothing of `e` is left that the
    delete did not see."""
    return e.n in d.knew or any(
        o.pid == e.pid
        and o.unit == e.unit
        and o.n in d.knew
        and (e.n in o.knew or (o.n not in e.knew and order(o.stamp) > order(e.stamp)))
        for o in made
    )


STEPS = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(OPS),
        st.integers(0, len(IDS) - 1),
        st.integers(0, 5),
        st.sampled_from((0, 0, 0, 25)),  # sometimes the clock went back
    ),
    max_size=40,
)
SKEWS = st.tuples(st.integers(-30, 30), st.integers(-30, 30))


def test_a_flag_set_back_to_its_base_value_still_beats_an_earlier_concurrent_change():
    """A reads twice then unreads (the flag ends as it began, its stamps later); B,
    concurrently and earlier, tags then reads. The unread is the later act: it wins."""
    steps = [(0, "read", 0, 0, 0)] * 2 + [(0, "unread", 0, 0, 0)]
    steps += [(1, "tag", 0, 0, 0), (1, "sync", 0, 0, 0), (1, "read", 0, 0, 0)]
    run(steps, (0, 0))


def test_a_delete_that_saw_a_later_equal_change_wins_over_the_earlier_one():
    """A reads a paper; B, its clock ahead, reads it too (later), syncs and deletes it.
    A's read lost to B's, which the delete saw: the paper stays deleted."""
    steps = [(0, "read", 0, 0, 0), (1, "read", 0, 0, 0), (1, "sync", 0, 0, 0)]
    steps += [(1, "delete", 0, 0, 0)]
    run(steps, (0, 20))


def test_a_later_act_on_a_clock_gone_back_still_beats_a_concurrent_one():
    """B reads a paper (its clock 25 s ahead), both sync, A reads it again (a new read
    time), B's clock goes back and B unreads it: B's unread is stamped after A's read
    (same second, rB after rA), though the read flag A left alone carries B's earlier,
    later-stamped read. What ranks a side is the stamps of what it changed: unread wins."""
    steps = [(1, "read", 1, 0, 0), (1, "sync", 0, 0, 0), (0, "sync", 0, 0, 0)]
    steps += [(0, "read", 1, 0, 0), (1, "unread", 1, 0, 25)]
    run(steps, (0, 25))


# The default run's sample is the same every run (a failure there is reproducible); the
# slow run below draws new cases each time.
@settings(
    max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
@given(STEPS, SKEWS)
def test_two_machines_converge_and_keep_every_edit_short_run(steps, skews):
    run(steps, skews)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS, SKEWS)
def test_two_machines_converge_and_keep_every_edit(steps, skews):
    run(steps, skews)
