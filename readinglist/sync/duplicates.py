"""One paper imported on two machines under two ids, made one paper by the merge.

Each machine de-duplicates what it imports against its own library, so the same
paper imported on two machines before they synced (from two listings: one with
the abstract, one without, say) can have two content ids. After the files are
merged, the papers that each side added since the common version are compared by
the library's own rules (`dedupe.DedupeIndex`), and each pair found is joined:

- the paper added first keeps its id (ties: the smaller id), so every machine
  makes the same choice; the other id becomes an alias, and still finds it;
- fields are merged by their stamps as a sync merges one paper changed on two
  machines (a field only one had is kept; a user's edit wins over an import;
  otherwise the later change), without a common version; the listings it came
  from are united;
- its state too (tags one by one, the later read flag, both notes);
- a cite key the other had fixed (it may be in a `\\cite{}`) stays as a key alias.
"""

from __future__ import annotations

from readinglist.dedupe import DedupeIndex
from readinglist.model import Paper
from readinglist.sync.merge import RECORD_STAMP, STAMPS, merge_record, merge_state, order
from readinglist.sync.tables import View

UNITED = ("sources", "aliases", "key_aliases")  # lists whose entries both records keep


class Joined:
    """Two ids of one paper made one: `kept` is the id that stays, `gone` an alias now."""

    __slots__ = ("kept", "gone", "reason")

    def __init__(self, kept: str, gone: str, reason: str) -> None:
        self.kept, self.gone, self.reason = kept, gone, reason


def join_duplicates(base: View | None, ours: View, theirs: View, merged: View) -> list[Joined]:
    """Join (in `merged`, in place) each paper added on our side since `base` with the
    paper added on theirs that the library's rules find to be the same one."""
    was = base.papers if base is not None else {}
    added_here = [pid for pid in ours.papers if pid not in was and pid not in theirs.papers]
    added_there = [pid for pid in theirs.papers if pid not in was and pid not in ours.papers]
    there = {pid: p for pid in added_there if (p := _paper(merged, pid)) is not None}
    if not added_here or not there:
        return []
    index = DedupeIndex(there.values())
    joined: list[Joined] = []
    for pid in added_here:
        paper = _paper(merged, pid)
        found = index.find_reason(paper) if paper is not None else None
        if paper is None or found is None or found[0] not in merged.papers:
            continue
        other = there[found[0]]
        index.remove(other)
        kept, gone = sorted((pid, found[0]), key=lambda p: _first_added(merged, p))
        _join(merged, kept, gone)
        joined.append(Joined(kept, gone, found[1]))
        survivor = _paper(merged, kept)
        if survivor is not None:
            there[kept] = survivor
            index.add(survivor)
    return joined


def _paper(view: View, pid: str) -> Paper | None:
    """The paper a merged record describes (None: one the library could not read)."""
    record = view.papers.get(pid)
    try:
        return Paper(pid, **(record or {}))
    except TypeError:
        return None


def _first_added(view: View, pid: str) -> tuple:
    record = view.papers[pid]
    made = record.get(STAMPS, {}).get(RECORD_STAMP)
    return (str(record.get("added", "")), order(made)[1:], pid)


def _join(view: View, kept: str, gone: str) -> None:
    """Merge paper `gone` into paper `kept` (record and state); drop `gone`."""
    mine, other = view.papers[kept], view.papers.pop(gone)
    record = merge_record(None, mine, other)
    for name in UNITED:
        record[name] = _united(mine.get(name), other.get(name))
    record["aliases"] = _united(record["aliases"], [gone])
    record["key_aliases"] = _united(record["key_aliases"], _fixed_keys(mine, other, record))
    try:  # as the library stores it (its field order, nothing at its default)
        view.papers[kept] = Paper(kept, **record).stored_bib()
    except TypeError:  # a field this version does not know: kept as merged
        view.papers[kept] = record
    state, other_state = view.states.get(kept), view.states.pop(gone, None)
    if state is not None and other_state is not None:
        view.states[kept] = merge_state(None, state, other_state)
    elif other_state is not None:
        view.states[kept] = other_state


def _united(*lists: object) -> list:
    found: dict = {}
    for items in lists:
        if isinstance(items, list):
            found.update(dict.fromkeys(items))
    return list(found)


def _fixed_keys(mine: dict, other: dict, merged: dict) -> list[str]:
    """The fixed cite keys of the two records that the merged one no longer has."""
    key = str(merged.get("key", "")).casefold()
    return [
        record["key"]
        for record in (mine, other)
        if record.get("key") and record.get("key_fixed", True) and record["key"].casefold() != key
    ]
