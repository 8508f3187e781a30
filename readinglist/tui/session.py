"""What the app holds in memory: the papers, the current view of them and the undo history.

Plain Python, no Textual: every change is computed here first (so the screen
updates at once), then written to the library in the background.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist import listing
from readinglist.listing import filter_papers, sort_key
from readinglist.model import Paper
from readinglist.persistence.library import Library
from readinglist.safe_text import counted

if TYPE_CHECKING:  # (edits is imported by the first change, not before the first paint)
    from readinglist import edits
    from readinglist.edits import Edit

VIEWS = ("unread", "read", "all")
SORTS = ("relevance", *listing.SORTS)


@dataclass
class View:
    """Which papers the list shows, and in which order.

    A search looks within the sidebar's choice unless `everywhere` is set, or the
    query names a read state itself (`is:read` in Unread searches the read papers).
    The "new" view shows the ids in `imported` (the papers the last import brought).
    """

    view: str = "unread"
    tag: str | None = None
    sort: str = "added"
    query: str = ""
    everywhere: bool = False
    imported: frozenset[str] = frozenset()

    @property
    def searching(self) -> bool:
        return bool(self.query.strip())

    @property
    def read(self) -> bool | None:
        """The read state the list lets through (None: any)."""
        if self.view in ("all", "new") or (
            self.searching and (self.everywhere or _names_read(self.query))
        ):
            return None
        return self.view == "read"

    @property
    def tag_filter(self) -> str | None:
        """The tag the list lets through (None: any)."""
        return None if self.searching and self.everywhere else self.tag

    @property
    def only(self) -> frozenset[str] | None:
        """The ids the list is narrowed to (None: no such narrowing)."""
        if self.view != "new" or (self.searching and self.everywhere):
            return None
        return self.imported

    @property
    def scoped(self) -> bool:
        """Whether a search here looks at fewer papers than the whole library."""
        return self.read is not None or self.tag_filter is not None or self.only is not None

    def scoped_query(self) -> str:
        """The search query within the sidebar's choice ("is:unread tag:nlp " + query)."""
        scope = [] if self.read is None else ["is:read" if self.read else "is:unread"]
        scope += [f"tag:{self.tag_filter}"] if self.tag_filter else []
        return " ".join([*scope, self.query])

    def keeps(self, paper: Paper) -> bool:
        """Whether the sidebar choice lets `paper` through."""
        if self.only is not None and paper.id not in self.only:
            return False
        return bool(filter_papers([paper], read=self.read, tag=self.tag_filter))


def _names_read(query: str) -> bool:
    """Whether the query itself asks for a read state (is:read, -is:unread)."""
    return re.search(r"(?:^|\s)-?is:", query, re.IGNORECASE) is not None


@dataclass
class Change:
    """One step of the history: the edit, the papers before and after it, and its write.

    The papers after are the edit applied in memory; `write` hands the same edit to
    the library, which applies it to the papers as stored (so both hold the same
    values and stamps). Undo is the edit's revert (`edits.Undo`), which takes the step
    back without touching what it did not change (tags added from the command line
    meanwhile survive the undo of a read toggle); a deletion is undone by `Restore`.
    """

    message: str
    before: list[Paper]
    after: list[Paper] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    write: Callable[[Library], object] | None = None
    undo: bool = False
    edit: Edit | None = None


@dataclass
class Counts:
    """What the sidebar shows next to each view and tag."""

    unread: int = 0
    read: int = 0
    tags: dict[str, int] = field(default_factory=dict)

    @property
    def all(self) -> int:
        return self.unread + self.read


class Session:
    """The papers in memory, their orders, and the changes made since the app opened."""

    def __init__(self) -> None:
        self.papers: dict[str, Paper] = {}
        self.history: list[Change] = []
        self._orders: dict[str, list[str]] = {}
        self._counts: Counts | None = None
        self.version = 0  # the library's version these papers were read at
        self.stamp: str | None = None  # the generation of the corpus they were read from
        self.index_folder: Path | None = None  # where the library keeps its search index
        self.replica = ""  # the library copy's id, which the edits made here carry

    # ----- reading -------------------------------------------------------------------

    def load(self, papers: Iterable[Paper], sort: str | None = None) -> None:
        """Replace every paper (first load, or another process changed the library).

        Slow for a large library: call it on a fresh Session in a worker thread,
        then `adopt` that session on the UI thread.
        """
        self.papers = {p.id: p for p in papers}
        self._orders.clear()
        self._counts = None
        if sort:
            self.order(sort)
            self.counts()

    def adopt(self, other: Session) -> None:
        """Take the papers, orders and counts that `other` prepared (history is kept).

        The history stays useful: every step but a deletion undoes only what it changed.
        """
        self.papers, self._orders, self._counts = other.papers, other._orders, other._counts
        self.version, self.stamp = other.version, other.stamp
        self.index_folder = other.index_folder
        self.replica = other.replica or self.replica

    def order(self, sort: str) -> list[str]:
        """All ids in one of the library's sort orders (cached until papers come or go)."""
        sort = sort if sort in listing.SORTS else "added"  # relevance before the hits arrive
        if sort not in self._orders:
            self._orders[sort] = [p.id for p in listing.sort_papers(self.papers.values(), sort)]
        return self._orders[sort]

    def visible(self, view: View, ranked: list[str] | None = None) -> list[str]:
        """The ids the list shows: search hits (if any) narrowed by the sidebar, in order."""
        papers = self.papers
        if ranked is None:
            ids = self.order(view.sort)
        elif view.sort == "relevance":
            ids = ranked
        else:
            hits = set(ranked)
            ids = [pid for pid in self.order(view.sort) if pid in hits]
        if view.only is not None:
            ids = [pid for pid in ids if pid in view.only]
        shown = filter_papers(
            (papers[pid] for pid in ids if pid in papers), read=view.read, tag=view.tag_filter
        )
        return [p.id for p in shown]

    def counts(self) -> Counts:
        """Unread, read and per-tag counts over the whole library."""
        if self._counts is None:
            found = listing.stats(self.papers.values())
            self._counts = Counts(found["unread"], found["read"], found["tags"])
        return self._counts

    def tags(self) -> list[str]:
        """Every tag in use, A→Z."""
        return list(self.counts().tags)

    # ----- changes -------------------------------------------------------------------

    def toggle_read(self, ids: list[str]) -> Change:
        """Mark read, or unread when every one of them is read already."""
        from readinglist import edits

        read = not all(self.papers[pid].read for pid in ids)
        message = f"Marked {_papers(len(ids), 'read' if read else 'unread')}"
        return self._change(message, edits.MarkRead(self._stamp(), read), ids)

    def add_tags(self, ids: list[str], tags: list[str]) -> Change:
        from readinglist import edits

        message = f"Tagged {_papers(len(ids))}: {', '.join(tags)}"
        return self._change(message, edits.AddTags(self._stamp(), tuple(tags)), ids)

    def remove_tag(self, ids: list[str], tag: str) -> Change:
        from readinglist import edits

        message = f"Removed tag {tag} from {_papers(len(ids))}"
        return self._change(message, edits.RemoveTags(self._stamp(), (tag,)), ids)

    def set_note(self, pid: str, note: str) -> Change:
        from readinglist import edits

        message = "Note saved" if note else "Note cleared"
        return self._change(message, edits.SetNote(self._stamp(), note), [pid])

    def delete(self, ids: list[str]) -> Change:
        from readinglist import edits

        before = self._get(ids)
        message = f"Deleted {_papers(len(ids))} (u to undo)"
        edit = edits.Delete(self._stamp())
        return Change(message, before, removed=list(ids), write=_storing(edit, ids), edit=edit)

    def undo(self) -> Change | None:
        """The change that takes back the last step, or None at the start."""
        from readinglist import edits

        if not self.history:
            return None
        last = self.history[-1]
        message = f"Undone: {last.message.removesuffix(' (u to undo)')}"
        if last.edit is None or last.edit.removes:
            current = [self.papers[p.id] for p in last.before if p.id in self.papers]
            restore = edits.Restore(self._stamp(), tuple(last.before))
            ids = [p.id for p in last.before]
            write = _storing(restore, ids)
            return Change(message, current, list(last.before), write=write, undo=True)
        pairs = zip(last.before, last.after, strict=True)
        steps = {b.id: (b, a) for b, a in pairs if b.id in self.papers}
        undo = edits.Undo(self._stamp(), last.edit, steps)
        current = self._get(list(steps))
        after = [undo.apply(p) for p in current]
        write = _storing(undo, list(steps), missing_ok=True)
        return Change(message, current, after, write=write, undo=True, edit=undo)

    def _change(self, message: str, edit: Edit, ids: list[str]) -> Change:
        """The change `edit` makes to papers `ids`, shown at once, stored by `write`."""
        before = self._get(ids)
        after = [edit.apply(p) for p in before]
        return Change(message, before, after, write=_storing(edit, ids), edit=edit)

    def _stamp(self) -> edits.Stamp:
        from readinglist import edits

        return edits.Stamp.now(self.replica)

    def apply(self, change: Change) -> None:
        """Show a change in memory (and remember it, unless it is an undo)."""
        if change.undo:
            self.history.pop()
        else:
            self.history.append(change)
        gone = [self.papers.get(p.id) for p in change.after] + [
            self.papers.get(pid) for pid in change.removed
        ]
        self._count(gone, -1)
        self._count(change.after, 1)
        for paper in change.after:
            if paper.id not in self.papers:
                self._orders.clear()
            self.papers[paper.id] = paper
        for pid in change.removed:
            self.papers.pop(pid, None)
        if change.removed:
            self._orders.clear()

    def take(self, papers: Iterable[Paper], removed: Iterable[str] = ()) -> None:
        """Papers the library changed on its own (filled from the web, keys fixed, merged
        away): shown as they are stored, outside the undo history."""
        papers, removed = list(papers), [pid for pid in removed if pid in self.papers]
        before = [self.papers.get(p.id) for p in papers]
        self._count(before, -1)
        self._count([self.papers[pid] for pid in removed], -1)
        self._count(papers, 1)
        if removed or any(_sorted_differently(b, a) for b, a in zip(before, papers, strict=True)):
            self._orders.clear()  # a fill can change a paper's date, title or upvotes
        self.papers.update((p.id, p) for p in papers)
        for pid in removed:
            del self.papers[pid]

    def _count(self, papers: Iterable[Paper | None], step: int) -> None:
        """Keep the counts up to date without a pass over the whole library."""
        counts = self._counts
        if counts is None:
            return
        tags = dict(counts.tags)
        for paper in filter(None, papers):
            if paper.read:
                counts.read += step
            else:
                counts.unread += step
            for tag in paper.tags:
                tags[tag] = tags.get(tag, 0) + step
        counts.tags = {t: n for t, n in sorted(tags.items()) if n > 0}

    def _get(self, ids: list[str]) -> list[Paper]:
        return [self.papers[pid] for pid in ids]


def _sorted_differently(before: Paper | None, after: Paper) -> bool:
    """Whether `after` may sit elsewhere than `before` in one of the sort orders."""
    return before is None or any(sort_key(s)(before) != sort_key(s)(after) for s in listing.SORTS)


def prepare(papers: Iterable[Paper], sort: str = "added") -> Session:
    """A session holding `papers` with one order and the counts ready (run in a thread)."""
    session = Session()
    session.load(papers, sort if sort in listing.SORTS else "added")
    return session


def snapshot(library: Library, sort: str = "added") -> Session:
    """`prepare` every paper of `library`, noting the version read (store thread only)."""
    session = prepare(library.papers(), sort)
    session.version = getattr(library, "version", 0)
    session.stamp = library.corpus_generation()
    session.index_folder = library.index_folder()
    session.replica = library.replica()
    return session


def _storing(edit: Edit, ids: list[str], missing_ok: bool = False) -> Callable[[Library], object]:
    """The write that stores `edit` (the same object the session applied) in the library."""

    def write(library: Library) -> list[Paper]:
        return library.apply(edit, ids, missing_ok=missing_ok)

    return write


def _papers(n: int, suffix: str = "") -> str:
    """`read` for one paper (the list shows which), `3 papers read` for several."""
    if n == 1 and suffix:
        return suffix
    return f"{counted(n, 'paper')} {suffix}".rstrip()
