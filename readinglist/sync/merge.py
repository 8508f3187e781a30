"""The merge of two versions of one paper, field by field, against their common base.

Works on records as the library stores them (plain dicts, no I/O, nothing imported
but the standard library: git runs it as a merge driver, once per file, and it
must start fast):

- a bibliographic record: the fields not at their default, and `stamps`
  (`{"*": stamp of the record, field: stamp}`);
- a state: `read`, `read_at`, `tags`, `note`, `stamps` and `tag_stamps`
  (`{tag: [added, removed or None]}`; a removed tag stays as a tombstone).

A stamp is `[time, replica, source]`. The rules:

- what only one side changed since the base is taken from that side, whatever
  the clocks say (so a clock that went backwards cannot lose an edit); a side
  whose value came back to the base's by later edits (read, then unread) still
  changed it: its stamps moved;
- a field both sides changed takes the later change by its stamp, except that a
  change by the user always wins over one from anywhere else (a fill from a
  public source, an import); ties go by replica id, then source, then value, so
  both machines always get the same result;
- fields edited together (title and whether it was derived, authors and their
  count, year and date, cite key and whether it is fixed, the read flag and its
  time) are one unit: never half of one edit and half of another;
- a note changed on both sides keeps both texts: the later first, then a marked
  line, then the other; aliases of merged duplicates are united; `added` keeps
  the earlier date;
- a cite key fixed on one side wins over a provisional one on the other;
- tags merge one by one: a tag added or removed on one side only follows that
  side; added on one and removed on the other, the later act wins (a removal
  of the very addition the other side still has always wins: it saw it).
"""

from __future__ import annotations

from readinglist.sync import jsonio

TYPE_CHECKING = False  # (not typing's: the driver must not pay its import)
if TYPE_CHECKING:
    from collections.abc import Iterable

Stamp = list  # [time, replica, source]

USER = "user"
RECORD_STAMP = "*"
STAMPS, TAG_STAMPS = "stamps", "tag_stamps"
NOTE_MARK = "----- also written on another machine ({when}) -----"
_NO_STAMP: Stamp = ["", "", ""]  # older than any (records written before stamps)
_ABSENT = object()  # a field at its default (not stored)

# Fields one edit changes together: merged as a unit.
BIB_UNITS = (
    ("title", "title_derived"),
    ("authors", "author_count", "names", "others"),
    ("year", "year_inferred", "published"),
    ("arxiv", "arxiv_version"),
    ("key", "key_fixed"),
)
STATE_UNITS = (("read", "read_at"), ("note",))
_UNION_FIELDS = ("aliases", "key_aliases")
_EARLIEST_FIELDS = ("added",)
_BIB_UNIT: dict[str, tuple[str, ...]] = {name: unit for unit in BIB_UNITS for name in unit}
STATE_DEFAULTS: dict = {"read": False, "read_at": None, "tags": [], "note": ""}


def order(stamp: Stamp | None) -> tuple:
    """How stamps rank: the user's changes first, then time, replica, source."""
    if not stamp:
        return (-1,)
    time, replica, source = (list(stamp) + ["", "", ""])[:3]
    return (1 if source == USER else 0, str(time), str(replica), str(source))


def later(first: Stamp | None, second: Stamp | None) -> Stamp | None:
    """The stamp that ranks higher (`order`)."""
    return first if order(first) >= order(second) else second


def canonical(value: object) -> str:
    """A value as text that is the same on every machine (ties between equal stamps)."""
    return jsonio.dumps(_sorted(value))


def _sorted(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _sorted(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [_sorted(item) for item in value]
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


# ----- bibliographic records ----------------------------------------------------------


def merge_record(base: dict | None, ours: dict, theirs: dict) -> dict:
    """One bibliographic record from two versions of it (`base`: their common one)."""
    if ours == theirs or (base is not None and theirs == base):
        return ours
    if base is not None and ours == base:
        return theirs
    star = _record_stamp(ours, theirs)
    names = _field_names(base, ours, theirs)
    values: dict = {}
    stamps: dict = {RECORD_STAMP: star} if star is not None else {}
    for unit in _units(names, _BIB_UNIT):
        chosen = _merge_unit(unit, base, ours, theirs, _bib_stamp)
        for name, (value, stamp) in chosen.items():
            if value is not _ABSENT:
                values[name] = value
            if stamp is not None and (stamp != star or _own(ours, theirs, name)):
                stamps[name] = stamp
    ordered = {name: values[name] for name in _field_order(ours, theirs) if name in values}
    if stamps:
        ordered[STAMPS] = stamps
    return ordered


def _record_stamp(ours: dict, theirs: dict) -> Stamp | None:
    """The record's own stamp: the earlier making (two imports of one paper)."""
    mine = ours.get(STAMPS, {}).get(RECORD_STAMP)
    other = theirs.get(STAMPS, {}).get(RECORD_STAMP)
    if mine is None or other is None:
        return mine or other
    return mine if order(mine) <= order(other) else other


def _own(ours: dict, theirs: dict, name: str) -> bool:
    return name in ours.get(STAMPS, {}) or name in theirs.get(STAMPS, {})


def _bib_stamp(record: dict, name: str) -> Stamp | None:
    """When a field of a record last changed (None: never set)."""
    stamps = record.get(STAMPS, {})
    own = stamps.get(name)
    if own is not None or name not in record:
        return own
    return stamps.get(RECORD_STAMP, _NO_STAMP)


def _field_names(*records: dict | None) -> list[str]:
    names: dict[str, None] = {}
    for record in records:
        for name in record or ():
            if name != STAMPS:
                names[name] = None
        for name in (record or {}).get(STAMPS, {}):
            if name != RECORD_STAMP:
                names[name] = None
    return list(names)


def _field_order(ours: dict, theirs: dict) -> list[str]:
    """Fields in the order the records hold them (ours first, theirs' extra after)."""
    return list(dict.fromkeys([*ours, *theirs]))


def _units(names: Iterable[str], units: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    found: dict[tuple[str, ...], None] = {}
    for name in names:
        found[units.get(name, (name,))] = None
    return list(found)


def _merge_unit(unit, base, ours, theirs, stamp_of) -> dict[str, tuple[object, Stamp | None]]:
    """The values and stamps of one unit of fields, by the rules of the module."""
    mine, other = _side(unit, ours, stamp_of), _side(unit, theirs, stamp_of)
    if mine[0] == other[0]:
        return _equal(unit, mine, other)
    if base is not None:  # a side changed a unit when its value or its stamps moved
        was = _side(unit, base, stamp_of)
        if mine == was:
            return dict(zip(unit, zip(other[0], other[1], strict=True), strict=True))
        if other == was:
            return dict(zip(unit, zip(mine[0], mine[1], strict=True), strict=True))
        return _conflict(unit, mine, other, was)
    return _conflict(unit, mine, other)


def _side(unit, record: dict, stamp_of) -> tuple[tuple, tuple]:
    values = tuple(record.get(name, _ABSENT) for name in unit)
    stamps = tuple(stamp_of(record, name) for name in unit)
    return values, stamps


def _equal(unit, mine, other) -> dict:
    stamps = [later(a, b) for a, b in zip(mine[1], other[1], strict=True)]
    return dict(zip(unit, zip(mine[0], stamps, strict=True), strict=True))


def _unit_stamp(side, was=None) -> Stamp | None:
    """When a side last changed a unit: the latest stamp of the fields it changed since
    `was` (the base's side, if known), else of all its fields. A field it left as it was
    keeps an older act's stamp, which can be later than its own change when its clock went
    back since: that act is not this side's change."""
    if was is None:
        changed = list(side[1])
    else:
        changed = [s for v, s, old, then in zip(*side, *was, strict=True) if (v, s) != (old, then)]
    best = None
    for stamp in changed or side[1]:
        best = later(best, stamp)
    return best


def _rank(unit, side, was=None) -> tuple:
    """How a side's change of a unit ranks against the other side's (higher wins)."""
    fixed = 0
    if unit == ("key", "key_fixed"):
        fixed = 0 if side[0][1] is False else 1  # absent: fixed (the default)
    values = canonical([None if v is _ABSENT else v for v in side[0]])
    return (fixed, order(_unit_stamp(side, was)), values)


def _conflict(unit, mine, other, was=None) -> dict:
    """Both sides changed a unit to different values (`was`: the base's side, if known)."""
    if unit == ("note",):
        return {"note": _both_notes(mine, other)}
    name = unit[0]
    if len(unit) == 1 and name in _UNION_FIELDS:
        merged = _union(mine[0][0], other[0][0])
        return {name: (merged, later(mine[1][0], other[1][0]))}
    if len(unit) == 1 and name in _EARLIEST_FIELDS:
        first = min((side for side in (mine, other) if side[0][0] is not _ABSENT), key=_text)
        return {name: (first[0][0], later(mine[1][0], other[1][0]))}
    winner = mine if _rank(unit, mine, was) >= _rank(unit, other, was) else other
    return dict(zip(unit, zip(winner[0], winner[1], strict=True), strict=True))


def _text(side) -> str:
    return str(side[0][0])


def _union(first, second) -> object:
    if not isinstance(first, list) or not isinstance(second, list):
        return first if first is not _ABSENT else second
    return sorted(set(map(str, first)) | set(map(str, second)))


def _both_notes(mine, other) -> tuple[str, Stamp | None]:
    """Both texts of a note changed on two machines: the later first, a mark, the other."""
    ranked = sorted((mine, other), key=lambda side: _rank(("note",), side), reverse=True)
    first, second = ranked
    texts = [_note_text(first), _note_text(second)]
    if not texts[1] or texts[1] == texts[0]:
        return texts[0], first[1][0]
    if not texts[0]:  # the later change cleared it: the other text is kept all the same
        return texts[1], first[1][0]
    when = _when(second[1][0])
    return f"{texts[0].rstrip()}\n\n{NOTE_MARK.format(when=when)}\n{texts[1]}", first[1][0]


def _note_text(side) -> str:
    value = side[0][0]
    return value if isinstance(value, str) else ""


def _when(stamp: Stamp | None) -> str:
    time = str((stamp or _NO_STAMP)[0])
    return f"{time[:10]} {time[11:16]} UTC" if len(time) >= 16 else "unknown time"


# ----- user state ---------------------------------------------------------------------


def merge_state(base: dict | None, ours: dict, theirs: dict) -> dict:
    """One paper's state (read flag, tags, note) from two versions of it."""
    if ours == theirs or (base is not None and theirs == base):
        return ours
    if base is not None and ours == base:
        return theirs
    merged: dict = {}
    stamps: dict = {}
    for unit in STATE_UNITS:
        for name, (value, stamp) in _merge_unit(unit, base, ours, theirs, _state_stamp).items():
            merged[name] = STATE_DEFAULTS[name] if value is _ABSENT else value
            if stamp is not None:
                stamps[name] = stamp
    tags, tag_stamps = _merge_tags(base, ours, theirs)
    merged["tags"] = tags
    tag_stamp = later(_state_stamp(ours, "tags"), _state_stamp(theirs, "tags"))
    if tag_stamp is not None:
        stamps["tags"] = tag_stamp
    state = {name: merged[name] for name in STATE_DEFAULTS}
    if stamps:
        state[STAMPS] = {name: stamps[name] for name in STATE_DEFAULTS if name in stamps}
    if tag_stamps:
        state[TAG_STAMPS] = tag_stamps
    return state


def _state_stamp(state: dict, name: str) -> Stamp | None:
    own = state.get(STAMPS, {}).get(name)
    if own is not None or state.get(name, STATE_DEFAULTS[name]) == STATE_DEFAULTS[name]:
        return own
    return ["", "", USER]  # a state written before stamps


def _tag_entries(state: dict | None) -> dict[str, list]:
    """Each tag's `[added, removed]`, for tags on the paper and tombstones alike."""
    if state is None:
        return {}
    entries = {tag: list(entry) for tag, entry in state.get(TAG_STAMPS, {}).items()}
    for tag in state.get("tags", []):
        entry = entries.get(tag)
        if entry is None or entry[1] is not None:  # on the paper: never a tombstone
            entries[tag] = [_state_stamp(state, "tags"), None]
    return entries


def _merge_tags(base: dict | None, ours: dict, theirs: dict) -> tuple[list[str], dict]:
    was, mine, other = _tag_entries(base), _tag_entries(ours), _tag_entries(theirs)
    entries: dict[str, list] = {}
    for tag in sorted(mine.keys() | other.keys()):
        a, b = mine.get(tag), other.get(tag)
        if a is not None and (a == b or b is None or (tag in was and b == was[tag])):
            entries[tag] = a
        elif b is not None and (a is None or (tag in was and a == was[tag])):
            entries[tag] = b
        elif a is not None and b is not None:
            entries[tag] = _either_tag(a, b)
    present = {tag for tag, entry in entries.items() if entry[1] is None}
    kept = [tag for tag in (base or {}).get("tags", []) if tag in present]
    added = sorted(present - set(kept), key=lambda t: (order(entries[t][0]), t))
    if ours.get("tags") == theirs.get("tags"):
        added = [t for t in ours.get("tags", []) if t in present and t not in kept]
    return kept + added, {tag: entries[tag] for tag in sorted(entries)}


def _either_tag(a: list, b: list) -> list:
    """One tag's entry after concurrent acts on two machines."""
    if (a[1] is None) == (b[1] is None):
        return [later(a[0], b[0]), None if a[1] is None else later(a[1], b[1])]
    kept, gone = (a, b) if a[1] is None else (b, a)
    if kept[0] == gone[0] or order(gone[1]) >= order(kept[0]):
        return [later(a[0], b[0]), gone[1]]  # removed (the removal saw this addition)
    return [kept[0], None]
