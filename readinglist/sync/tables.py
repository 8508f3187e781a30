"""Merging whole files of records (the corpus, a state shard) and the rules that span them.

Pure functions over `{id: record}` dicts (no I/O; standard library only, like
`merge`): a paper deleted on one side and changed on the other comes back with the
change; cite keys stay unique across the merged corpus; a paper whose record and
state lie in different files is made whole again after each file was merged alone.
"""

from __future__ import annotations

from readinglist.sync.merge import BIB_UNITS, STAMPS, merge_record, merge_state, order

TYPE_CHECKING = False  # (not typing's: the driver must not pay its import)
if TYPE_CHECKING:
    from collections.abc import Callable

Docs = dict[str, dict]
KEY_UNIT = BIB_UNITS[-1]


class Merged:
    """A merged file: its records, the papers that came back, the keys that moved.

    (Plain classes here, not dataclasses: importing those costs the merge driver more
    than its whole merge.)
    """

    __slots__ = ("docs", "came_back", "renamed")

    def __init__(
        self,
        docs: Docs,
        came_back: list[str] | None = None,
        renamed: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.docs = docs
        self.came_back = came_back or []
        self.renamed = renamed or {}  # id -> (old key, new key)


def merge_docs(
    base: Docs | None,
    ours: Docs,
    theirs: Docs,
    merge_one: Callable[[dict | None, dict, dict], dict],
) -> Merged:
    """Every record of two versions of one file (`base`: their common version, if any).

    A record only one side has was added there (kept), or deleted on the other side:
    then it is dropped if the side that has it left it as it was, and kept (it comes
    back) if that side changed it.
    """
    docs: Docs = {}
    came_back: list[str] = []
    for pid in [*ours, *(pid for pid in theirs if pid not in ours)]:  # the stored order
        mine, other = ours.get(pid), theirs.get(pid)
        was = base.get(pid) if base is not None else None
        if mine is not None and other is not None:
            docs[pid] = merge_one(was, mine, other)
            continue
        present = mine if mine is not None else other
        assert present is not None
        if was is None:
            docs[pid] = present
        elif present != was:
            docs[pid] = present
            came_back.append(pid)
    return Merged(docs, came_back)


def merge_corpus(base: Docs | None, ours: Docs, theirs: Docs) -> Merged:
    """The corpus: records merged field by field, then cite keys made unique."""
    merged = merge_docs(base, ours, theirs, merge_record)
    merged.renamed = unique_keys(merged.docs)
    return merged


def merge_states(base: Docs | None, ours: Docs, theirs: Docs) -> Merged:
    """A state shard: each paper's state merged field by field, tag by tag."""
    return merge_docs(base, ours, theirs, merge_state)


def unique_keys(docs: Docs) -> dict[str, tuple[str, str]]:
    """Give every paper that shares a cite key with another (case ignored) but one a
    free key (the key with the usual a, b, ... suffix), in place; return the moves.

    A fixed key wins over a provisional one; between fixed keys the one fixed first
    keeps it (ties: the smaller id).
    """
    owners: dict[str, list[str]] = {}
    for pid, record in docs.items():
        key = record.get("key")
        if isinstance(key, str) and key:
            owners.setdefault(key.casefold(), []).append(pid)
    used = set(owners)
    moved: dict[str, tuple[str, str]] = {}
    for folded in sorted(owners):
        pids = owners[folded]
        if len(pids) < 2:
            continue
        for pid in sorted(pids, key=lambda p: _key_claim(p, docs[p]))[1:]:
            old = docs[pid]["key"]
            new = _free_key(old, used)
            docs[pid] = {**docs[pid], "key": new}
            moved[pid] = (old, new)
    return moved


def _key_claim(pid: str, record: dict) -> tuple:
    """How strongly a paper holds its key (lower: stronger)."""
    provisional = record.get("key_fixed", True) is False
    stamps = record.get(STAMPS, {})
    fixed_at = None
    for name in KEY_UNIT:
        stamp = stamps.get(name) or stamps.get("*")
        if stamp is not None and order(stamp) > order(fixed_at):
            fixed_at = stamp
    return (provisional, order(fixed_at)[1:], pid)


def _free_key(key: str, used: set[str]) -> str:
    """`key` + 'a', 'b', ... 'z', 'aa': the first not used (case ignored); marked used."""
    n = 1
    while (key + suffix(n)).casefold() in used:
        n += 1
    used.add((key + suffix(n)).casefold())
    return key + suffix(n)


def suffix(n: int) -> str:
    """0 -> '', 1 -> 'a', 26 -> 'z', 27 -> 'aa' (as `citations.latex.suffix`)."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# ----- across files -------------------------------------------------------------------


class View:
    """A whole library's records: the corpus and every paper's state, by id."""

    __slots__ = ("papers", "states")

    def __init__(self, papers: Docs, states: Docs) -> None:
        self.papers = papers
        self.states = states

    def __eq__(self, other: object) -> bool:
        return isinstance(other, View) and (self.papers, self.states) == (
            other.papers,
            other.states,
        )


def make_whole(ours: View, theirs: View, merged: View) -> list[str]:
    """Give each merged paper both its record and its state (in place); return the ids
    that came back this way.

    Each file is merged alone: a paper deleted on one side and changed on the other
    keeps only what changed (its state, say) from the file merges. The rest comes
    from the side that kept the paper.
    """
    back: list[str] = []
    for pid in sorted(merged.states.keys() - merged.papers.keys()):
        record = ours.papers.get(pid) or theirs.papers.get(pid)
        if record is None:
            del merged.states[pid]  # state of no paper (a damaged side): never shown
            continue
        merged.papers[pid] = record
        back.append(pid)
    for pid in sorted(merged.papers.keys() - merged.states.keys()):
        keeper = ours if pid in ours.papers and pid in ours.states else theirs
        state = keeper.states.get(pid) if pid in keeper.papers else None
        if state is not None:
            merged.states[pid] = state
    return back


def merge_library(base: View | None, ours: View, theirs: View) -> tuple[View, Merged]:
    """Two versions of a whole library as one: each file's merge, then the rules across
    files (a paper whole again, cite keys unique). The `Merged` says what came back and
    which keys moved."""
    papers = merge_corpus(base.papers if base else None, ours.papers, theirs.papers)
    states = merge_states(base.states if base else None, ours.states, theirs.states)
    merged = View(papers.docs, states.docs)
    back = make_whole(ours, theirs, merged)
    renamed = {**papers.renamed, **unique_keys(merged.papers)}
    came_back = sorted({*papers.came_back, *states.came_back, *back})
    return merged, Merged(merged.papers, came_back, renamed)
