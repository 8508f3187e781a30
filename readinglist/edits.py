"""Changes to papers as values: the command line, the app and undo all make them.

Each edit is a small frozen object that knows when, where and from what it was
made (`Stamp`), how to change one paper (`apply`), and how to take that step back
on the paper as it is later (`revert`) without touching what the step did not
change. `Library.apply(edit, ids)` stores an edit; the app applies the same object
in memory first, so both hold the same values and the same stamps.

Every field an edit changes gets the edit's stamp; a tag keeps the stamps of when
it was added and removed (a removed tag stays as a tombstone, never shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from readinglist.errors import ReadingListError
from readinglist.model import (
    EMPTY_STATE,
    RECORD_STAMP,
    STAMPED_FIELDS,
    STATE_FIELDS,
    Paper,
    now_utc,
    with_changes,
)

USER = "user"
_STATE = frozenset(STATE_FIELDS)
_SKIP = frozenset({"tags"})  # tags have their own three-way revert


@dataclass(frozen=True, slots=True)
class Stamp:
    """When (UTC, to the microsecond), on which library copy and from what a change came."""

    time: str
    replica: str
    source: str = USER

    @classmethod
    def now(cls, replica: str, source: str = USER) -> Stamp:
        """A stamp for a change made now."""
        return cls(now_utc(), replica, source)

    def stored(self) -> list:
        """The stamp as the library stores it: `[time, replica, source]`."""
        return [self.time, self.replica, self.source]


@dataclass(frozen=True)
class Edit:
    """One change; subclasses say what it does to a paper."""

    stamp: Stamp
    removes: ClassVar[bool] = False  # the edit deletes the papers it is applied to
    restores: ClassVar[bool] = False  # the edit puts whole records back

    def apply(self, paper: Paper) -> Paper:
        """`paper` with the change made (and its stamps updated)."""
        raise NotImplementedError

    def revert(self, before: Paper, after: Paper, current: Paper) -> Paper:
        """`current` with this step (`before` -> `after`) taken back.

        A field goes back to its value before only while it still holds what the step
        left there: a later change (from another process, say) stays.
        """
        values = {
            name: getattr(before, name)
            for name in _changed_fields(before, after)
            if name not in _SKIP and getattr(current, name) == getattr(after, name)
        }
        tags = _reverted_tags(before, after, current)
        if tags != current.tags:
            values["tags"] = tags
        return _with_values(current, values, before=before)


@dataclass(frozen=True)
class FixKey(Edit):
    """Make a paper's cite key fixed: it has been written out (not stamped: what the
    paper says does not change). A paper with no stored key is fixed by the library,
    which works its key out."""

    def apply(self, paper: Paper) -> Paper:
        return paper if paper.key_fixed else replace(paper, key_fixed=True)


@dataclass(frozen=True)
class MarkRead(Edit):
    """Mark read (the edit's time is the read time) or unread."""

    read: bool = True

    def apply(self, paper: Paper) -> Paper:
        read_at = self.stamp.time if self.read else None
        return _stamped(paper, {"read": self.read, "read_at": read_at}, self.stamp)


@dataclass(frozen=True)
class AddTags(Edit):
    """Add tags (already normalised) after those the paper has."""

    tags: tuple[str, ...] = ()

    def apply(self, paper: Paper) -> Paper:
        return _stamped(paper, {"tags": list(dict.fromkeys([*paper.tags, *self.tags]))}, self.stamp)


@dataclass(frozen=True)
class RemoveTags(Edit):
    """Remove tags (they stay as tombstones with the time they went)."""

    tags: tuple[str, ...] = ()

    def apply(self, paper: Paper) -> Paper:
        gone = set(self.tags)
        return _stamped(paper, {"tags": [t for t in paper.tags if t not in gone]}, self.stamp)


@dataclass(frozen=True)
class SetNote(Edit):
    """Replace the note (empty text clears it)."""

    note: str = ""

    def apply(self, paper: Paper) -> Paper:
        return _stamped(paper, {"note": self.note}, self.stamp)


@dataclass(frozen=True)
class EditFields(Edit):
    """Correct bibliographic fields (the id never changes). Build it with `correcting`."""

    changes: dict = field(default_factory=dict)

    @classmethod
    def correcting(
        cls,
        stamp: Stamp,
        *,
        title: str | None = None,
        authors: list[str] | None = None,
        doi: str | None = None,
        arxiv: str | None = None,
        url: str | None = None,
        year: int | None = None,
        key: str | None = None,
    ) -> EditFields:
        """The fields a correction changes, with what follows from each.

        A new title is stated (no longer derived); new authors set the count; a new
        year is stated, and the full date it contradicts goes. Empty identifiers clear.
        Raises ReadingListError for an empty title or when nothing changes.
        """
        changes: dict = {}
        if title is not None:
            if not title.strip():
                raise ReadingListError("--title: a title cannot be empty")
            changes.update(title=title.strip(), title_derived=False)
        if authors is not None:
            names = [n.strip() for n in authors if n.strip()]
            changes.update(authors=names, author_count=len(names) or None)
        for name, value in (("doi", doi), ("arxiv", arxiv), ("url", url)):
            if value is not None:
                changes[name] = value.strip() or None
        if year is not None:
            changes.update(year=year, year_inferred=False, published=None)
        if key is not None:
            changes.update(key=key.strip(), key_fixed=True)
        if not changes:
            raise ReadingListError("edit: nothing to change (see `readinglist edit --help`)")
        return cls(stamp, changes)

    def __post_init__(self) -> None:
        _check_bibliographic(self.changes)

    def apply(self, paper: Paper) -> Paper:
        return _stamped(paper, self.changes, self.stamp)


@dataclass(frozen=True)
class FillFields(Edit):
    """Complete bibliographic fields from web services (`changes`).

    Each field is stamped with the service that supplied it (`sources`: field ->
    "hf", "arxiv", "crossref", "s2"; a field not named there gets the edit's own
    source). A field the user set (its stamp's source is `user`) is never changed.
    """

    changes: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_bibliographic(self.changes)

    def apply(self, paper: Paper) -> Paper:
        mine = user_set(paper)
        values = {k: v for k, v in self.changes.items() if k not in mine and getattr(paper, k) != v}
        if not values:
            return paper
        time, replica, own = self.stamp.stored()
        stamps = {name: [time, replica, self.sources.get(name, own)] for name in values}
        return _with_values(paper, values, stamps=stamps)


@dataclass(frozen=True)
class ImportMerge(Edit):
    """Merge a paper read from a file into the stored one it duplicates (`dedupe.merge`).

    A field that takes the new paper's value takes its stamp too, if it has one of its
    own (a paper just filled from the web); the others get the edit's stamp.
    """

    new: Paper | None = None

    def apply(self, paper: Paper) -> Paper:
        from readinglist.dedupe import merge  # (rapidfuzz: not before the app's first page)

        assert self.new is not None
        merged = merge(paper, self.new)
        names = _changed_fields(paper, merged)
        values = {name: getattr(merged, name) for name in names}
        stored = self.stamp.stored()
        stamps = {name: _carried(self.new, name, values[name]) or stored for name in names}
        return _with_values(paper, values, stamps=stamps)


@dataclass(frozen=True)
class Delete(Edit):
    """Delete papers (their records come back whole with `Restore`)."""

    removes: ClassVar[bool] = True

    def apply(self, paper: Paper) -> Paper:
        return paper  # the library drops it

    def revert(self, before: Paper, after: Paper, current: Paper) -> Paper:
        return before


@dataclass(frozen=True)
class Restore(Edit):
    """Put deleted papers back exactly as they were, stamps included (undo of a delete)."""

    papers: tuple[Paper, ...] = ()
    restores: ClassVar[bool] = True

    def apply(self, paper: Paper) -> Paper:
        return next((p for p in self.papers if p.id == paper.id), paper)


@dataclass(frozen=True)
class Undo(Edit):
    """Take back `edit` on each paper it changed (`steps`: id -> (before, after)).

    The fields it puts back are stamped with the undo's own time: the undo is the
    latest change to them.
    """

    edit: Edit | None = None
    steps: dict[str, tuple[Paper, Paper]] = field(default_factory=dict)

    def apply(self, paper: Paper) -> Paper:
        assert self.edit is not None
        before, after = self.steps[paper.id]
        reverted = self.edit.revert(before, after, paper)
        values = {name: getattr(reverted, name) for name in _changed_fields(paper, reverted)}
        return _stamped(paper, values, self.stamp)


def _check_bibliographic(changes: dict) -> None:
    unknown = set(changes) - set(STAMPED_FIELDS) | set(changes) & _STATE
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")


# ----- stamping ------------------------------------------------------------------------


def user_set(paper: Paper) -> frozenset[str]:
    """The fields of `paper` whose last change came from its user (a fill leaves them)."""
    own = {**paper.stamps, **paper.state_stamps}
    return frozenset(name for name, stamp in own.items() if stamp[2] == USER)


def _carried(new: Paper, name: str, value: object) -> list | None:
    """`new`'s own stamp of field `name`, if `value` is its value."""
    if getattr(new, name) != value:
        return None
    return _own_stamp(new, name)


def new_record(
    paper: Paper, stamp: Stamp, changes: dict | None = None, *, in_place: bool = False
) -> Paper:
    """`paper` (with `changes` made to its fields) about to be stored for the first time,
    stamped as made now by `stamp`: one copy, or `paper` itself completed `in_place`
    (a paper made for this write that nothing else holds: an import's parsed papers).

    Its bibliographic fields share the record's stamp; its state fields (an import
    may carry tags, a read flag, a note) get their own, as they live apart.
    """
    changes = changes or {}
    stored = stamp.stored()
    state = {
        name: stored
        for name in STATE_FIELDS
        if changes.get(name, getattr(paper, name)) != EMPTY_STATE[name]
    }
    tags = {tag: [stored, None] for tag in changes.get("tags", paper.tags)}
    stamps = {RECORD_STAMP: stored}
    made = {**changes, "stamps": stamps, "state_stamps": state, "tag_stamps": tags}
    if not in_place:
        return with_changes(paper, made)
    for name, value in made.items():
        setattr(paper, name, value)
    return paper


def stamp_changes(before: Paper, after: Paper, stamp: Stamp) -> Paper:
    """`after` (a change computed outside an edit) with `stamp` on each field it changed."""
    values = {name: getattr(after, name) for name in _changed_fields(before, after)}
    return _stamped(before, values, stamp)


def _changed_fields(before: Paper, after: Paper) -> list[str]:
    return [name for name in STAMPED_FIELDS if getattr(before, name) != getattr(after, name)]


def _stamped(paper: Paper, values: dict, stamp: Stamp) -> Paper:
    """`paper` with `values`; each field whose value changes gets `stamp`."""
    changed = {k: v for k, v in values.items() if getattr(paper, k) != v}
    if not changed:
        return paper
    stored = stamp.stored()
    stamps = {name: stored for name in changed}
    return _with_values(paper, changed, stamps=stamps)


def _with_values(
    paper: Paper, values: dict, *, stamps: dict | None = None, before: Paper | None = None
) -> Paper:
    """`paper` with `values`, and for each field either the stamp in `stamps` or the
    one `before` had (a revert puts a field back with its old stamp)."""
    if not values:
        return paper
    bib, state = dict(paper.stamps), dict(paper.state_stamps)
    for name in values:
        target = state if name in _STATE else bib
        stamp = stamps[name] if stamps is not None else _own_stamp(before, name)
        if stamp is None:
            target.pop(name, None)
        else:
            target[name] = stamp
    tag_stamps = paper.tag_stamps
    if "tags" in values:
        tag_stamps = _tag_stamps(paper, values["tags"], stamps, before)
    return replace(paper, **values, stamps=bib, state_stamps=state, tag_stamps=tag_stamps)


def _own_stamp(paper: Paper | None, name: str) -> list | None:
    if paper is None:
        return None
    return (paper.state_stamps if name in _STATE else paper.stamps).get(name)


def _tag_stamps(paper: Paper, tags: list[str], stamps: dict | None, before: Paper | None) -> dict:
    """Tag stamps after the tags of `paper` become `tags`: added ones get an add stamp,
    removed ones a remove stamp (kept as tombstones); a revert puts back `before`'s."""
    result = dict(paper.tag_stamps)
    now, kept = set(paper.tags), set(tags)
    for tag in (kept - now) | (now - kept):
        if stamps is None:
            old = before.tag_stamps.get(tag) if before is not None else None
            if old is None:
                result.pop(tag, None)
            else:
                result[tag] = old
        elif tag in kept:
            result[tag] = [stamps["tags"], None]
        else:
            added = (paper.tag_stamp(tag) or [None])[0]
            result[tag] = [added, stamps["tags"]]
    return result


def _reverted_tags(before: Paper, after: Paper, current: Paper) -> list[str]:
    """Drop the tags the step added, put back those it removed (in their places);
    keep every tag added or removed by anyone else."""
    added = set(after.tags) - set(before.tags)
    removed = set(before.tags) - set(after.tags)
    now = set(current.tags)
    kept = [t for t in before.tags if (t in now and t not in added) or t in removed]
    return kept + [t for t in current.tags if t not in added and t not in kept]
