"""What changed between two versions of a library, in the words of a commit message:
"read 3, tagged 2, imported daily-2024-12-12.txt: 33 papers"."""

from __future__ import annotations

from collections import Counter

from readinglist.sync.merge import RECORD_STAMP, STAMPS
from readinglist.sync.tables import View

_IMPORT = "import:"
_ORDER = (
    "read",
    "unread",
    "tagged",
    "untagged",
    "noted",
    "edited",
    "changed",
    "deleted",
    "joined",
    "added",
)


def describe(before: View, after: View) -> str:
    """The changes from `before` to `after`, most common kinds first ("" if none)."""
    counts: Counter[str] = Counter()
    imported: Counter[str] = Counter()
    for pid in after.papers.keys() - before.papers.keys():
        source = str(after.papers[pid].get(STAMPS, {}).get(RECORD_STAMP, ["", "", ""])[2])
        if source.startswith(_IMPORT):
            imported[source[len(_IMPORT) :]] += 1
        else:
            counts["added"] += 1
    gone = before.papers.keys() - after.papers.keys()
    if gone:  # a paper stored under two ids made one: its other id is an alias now
        aliases = {alias for record in after.papers.values() for alias in _aliases(record)}
        counts["joined"] = len(gone & aliases)
        counts["deleted"] = len(gone - aliases)
    for pid in after.papers.keys() & before.papers.keys():
        kinds = _paper_changes(before, after, pid)
        if not kinds and _stored(before, pid) != _stored(after, pid):
            kinds = ["changed"]  # when, not what (a tag taken off and put back)
        for kind in kinds:
            counts[kind] += 1
    words = [f"{kind} {counts[kind]}" for kind in _ORDER if counts[kind]]
    words += [f"imported {name}: {_papers(n)}" for name, n in sorted(imported.items())]
    return ", ".join(words)


def _paper_changes(before: View, after: View, pid: str) -> list[str]:
    kinds = []
    was, now = before.states.get(pid, {}), after.states.get(pid, {})
    if bool(was.get("read")) != bool(now.get("read")):
        kinds.append("read" if now.get("read") else "unread")
    old_tags, new_tags = set(was.get("tags", [])), set(now.get("tags", []))
    if new_tags - old_tags:
        kinds.append("tagged")
    if old_tags - new_tags:
        kinds.append("untagged")
    if was.get("note", "") != now.get("note", ""):
        kinds.append("noted")
    if _fields(before.papers[pid]) != _fields(after.papers[pid]):
        kinds.append("edited")
    return kinds


def _stored(view: View, pid: str) -> tuple:
    return view.papers.get(pid), view.states.get(pid)


def _fields(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != STAMPS}


def _aliases(record: dict) -> list:
    aliases = record.get("aliases")
    return aliases if isinstance(aliases, list) else []


def _papers(n: int) -> str:
    return "1 paper" if n == 1 else f"{n} papers"
