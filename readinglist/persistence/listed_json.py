"""Every paper as `list --json` prints it, made from the stored records and states.

`Paper.to_json` of a paper read from the corpus is the stored record with its defaults
filled in, the state, and a few values made from them: the authors in parts, the entry
type, the venue, the identifiers, every field's stamp. Made here straight from the
parsed records and states, without a Paper or a `getattr` a field. A record this does
not make in the same way (names or editors stored in parts, a field this version does
not know, a state of another shape, a field without a stamp in a record made before
stamps) goes through Paper as the whole read does; a damaged record gives None, and
the caller reads the whole library, which reports it.

Every record is checked as the whole read checks it, once for each version of the
corpus file: `papers.checked` (disposable) names the last version found sound, by its
generation and signature (inode, size, time: `storage.signature`), this release, and
whether a record of it holds a field at its default (none this release writes does:
then no record is looked at for one again).

The shapes are then filtered and sorted as `listing` does papers, and written a chunk
at a time (`chunks`): the same bytes as `json_bytes` of the whole list.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from readinglist import __version__
from readinglist.model import (
    _DEFAULTS,
    _JSON_FIELDS,
    BIB_FIELDS,
    IDENTIFIER_FIELDS,
    RECORD_STAMP,
    STAMPED_FIELDS,
    STATE_FIELDS,
    Paper,
    display_name,
)
from readinglist.persistence.directory import first_meta
from readinglist.persistence.lines import CLOSE
from readinglist.persistence.shards import StateShards
from readinglist.persistence.storage import SCHEMA_VERSION, atomic_write
from readinglist.safe_text import json_bytes
from readinglist.validation import stored_problem

Shape = dict  # one paper's `to_json()`
PaperOf = Callable[[str, dict, "dict | None"], "Paper | None"]  # (library._paper)

CHUNK = 1000  # papers encoded at a time
CHECKED_FILE = "papers.checked"  # the version of the corpus whose records were found sound
BLOCK = 1 << 20  # bytes of corpus lines parsed at a time
_PAPERS_LINE = b'"papers":{\n'  # (lines.lines_of)
# The last listing's records and shapes, held until the next listing: a command ending
# right after it then leaves them to the process's end (launch.ended), not freed one by one.
_last: list = []

# `to_json`'s keys in its order, each at its default: the JSON fields (the entry type
# becomes `type`, moved to the end), then `identifiers` and `changed`.
_TEMPLATE: dict = {name: _DEFAULTS.get(name) for name in _JSON_FIELDS if name != "entry_type"}
_TEMPLATE.update(type="", identifiers={}, changed={})
_NO_IDENTIFIERS = dict.fromkeys(IDENTIFIER_FIELDS)  # (shared, as the defaults are)
_UNSEEN: Any = object()  # (a layout not worked out yet)
# A record of only these keys is made here (names and editors in parts go through Paper).
_PLAIN_KEYS = frozenset(BIB_FIELDS) - {"names", "editors"} | {"stamps"}
# Stored keys that `to_json` shows elsewhere (or not at all).
_MOVED = (*IDENTIFIER_FIELDS, "entry_type", "stamps")
_STATE_DEFAULTS = {name: _DEFAULTS[name] for name in STATE_FIELDS}
_STAMPED_BIB = frozenset(STAMPED_FIELDS) - set(STATE_FIELDS)
_STATE_NAMES = frozenset(STATE_FIELDS)
_IDENTIFIERS = frozenset(IDENTIFIER_FIELDS)


def stored_shapes(
    corpus: Path,
    named: Callable[[], str | None],
    journal: Path,
    shards: StateShards,
    paper_of: PaperOf,
) -> list[Shape] | None:
    """`shapes` of the corpus file's records and the shards' states, read in the whole
    read's order (the corpus, then whether a journal is pending, then the shards).

    `named`: the generation the manifest names now. The file must name it too, before
    and after it is read (a write in place names it first and the file's line 1 last:
    bytes read while it writes may mix two versions). None when the whole read is
    needed: a write under way or cut short, a journal, a file of another schema or a
    move under way, a file or record that cannot be read (the whole read reports it).
    """
    seen = named()
    try:
        meta, records, signature = lined_records(corpus)
    except (OSError, ValueError):
        return None
    if type(meta) is not dict or meta.get("schema") != SCHEMA_VERSION or meta.get("moving"):
        return None
    if seen is None or meta.get("generation") != seen or named() != seen:
        return None
    if journal.exists():
        return None
    checked, note = corpus.with_name(CHECKED_FILE), [__version__, seen, *signature]
    defaults = _defaults_noted(_saved(checked), note)
    sound = defaults is not None
    memo = _Memo(defaults=defaults is not False)
    made = shapes(records, _states(corpus.parent, shards), paper_of, checked=sound, memo=memo)
    _last[:] = [records, made]
    if made is not None and not sound:
        note.append(memo.defaults_met)
        with contextlib.suppress(OSError):  # (disposable: lost, the next list checks again)
            atomic_write(checked, orjson.dumps(note), sync_folder=False)
    return made


def _states(folder: Path, shards: StateShards) -> dict[str, dict]:
    """Every stored state: from the saved whole states (search/saved_state.py), else the
    shards themselves."""
    from readinglist.search.saved_state import whole_states

    states = whole_states(folder, shards)
    return shards.read_all() if states is None else states


def _defaults_noted(saved: object, note: list) -> bool | None:
    """Whether the saved note says a record holds a field at its default (_Memo); None
    when it is not the note of this version of the corpus (then every record is checked)."""
    if isinstance(saved, list) and saved[:-1] == note and type(saved[-1]) is bool:
        return saved[-1]
    return None


def _saved(path: Path) -> object:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None


class Lined(NamedTuple):
    """A corpus file as `lined_records` reads it."""

    meta: dict
    records: dict[str, dict]
    signature: tuple[int, int, int]  # of the file read (storage.signature)


def lined_records(corpus: Path, block: int = BLOCK) -> Lined:
    """The `_meta` record and the papers of a corpus file written one record a line
    (lines.py), parsed `block` bytes of whole lines at a time: the file, the parser's
    copy of it and the records are never in memory together (half the peak of a
    whole read).

    ValueError for any other file, lines that do not parse, or no papers (the whole
    read reads it, and reports a damaged one).
    """
    meta, handle = first_meta(corpus)
    with handle:
        if meta is None or handle.readline() != _PAPERS_LINE:
            raise ValueError("not a lined corpus")
        stat = os.fstat(handle.fileno())
        start, end = handle.tell(), stat.st_size - len(CLOSE)
        handle.seek(max(end, 0))
        if end < start or handle.read() != CLOSE:
            raise ValueError("not the end of a lined corpus")
        handle.seek(start)
        records: dict[str, dict] = {}
        rest, left = b"", end - start  # the lines `"id":{...},` from start to end
        while left:
            piece = handle.read(min(block, left))
            if not piece:
                raise ValueError("cut short")
            left -= len(piece)
            data, rest = rest + piece, b""
            if left:  # up to its last line's end, and the rest with the next piece
                cut = data.rfind(b"\n") + 1
                if not cut:  # (a line longer than a block)
                    rest = data
                    continue
                if data[cut - 2 : cut] != b",\n":
                    raise ValueError("a line that does not end in a comma")
                data, rest = data[: cut - 2], data[cut:]
            records.update(orjson.loads(b"{" + data + b"}"))
    if not records:
        raise ValueError("no papers")
    return Lined(meta, records, (stat.st_ino, stat.st_size, stat.st_mtime_ns))


def shapes(
    records: dict[str, dict],
    states: dict[str, dict],
    paper_of: PaperOf,
    checked: bool = False,
    memo: _Memo | None = None,
) -> list | None:
    """`[paper.to_json() ...]` of every stored record (in the corpus's order) with its
    state; None if a record is damaged (the whole read reports it). `checked`: the
    records were found sound before (the same version of the file: `stored_shapes`).

    The shapes share the values they hold at their defaults: read them, never change them.
    """
    memo = memo or _Memo()
    made: list[Shape] = []
    append = made.append
    for pid, bib in records.items():
        if not checked and stored_problem(pid, bib) is not None:
            return None
        state = states.get(pid)
        shape = _plain_shape(pid, bib, state, memo)
        if shape is None:
            paper = paper_of(pid, bib, state)
            if paper is None:
                return None
            shape = paper.to_json()
        append(shape)
    return made


class _Names(dict):
    """Each author's parts (`display_name(author).to_json()`), made once."""

    def __missing__(self, author: str) -> dict:
        part = self[author] = display_name(author).to_json()
        return part


class _Layout(NamedTuple):
    """What `_plain_shape` needs to know of a plain record holding `keys`."""

    keys: tuple[str, ...]
    moved: tuple[str, ...]  # the keys `to_json` shows elsewhere
    identified: bool  # whether it holds an identifier
    defaults: tuple  # (name, default) of the stamped fields it holds (see _changed)
    plans: dict  # (stamps, state stamps, held) -> the plan of `_changed` for them


def _layout(keys: tuple[str, ...]) -> _Layout | None:
    """The layout of a record holding `keys`; None when it is not plain (_PLAIN_KEYS)."""
    if "title" not in keys or not _PLAIN_KEYS.issuperset(keys):
        return None
    moved = tuple(name for name in _MOVED if name in keys)
    defaults = tuple(item for item in _BIB_DEFAULT_ITEMS if item[0] in keys)
    return _Layout(keys, moved, not _IDENTIFIERS.isdisjoint(keys), defaults, {})


@dataclass
class _Memo:
    """What `_plain_shape` works out once for all the papers alike.

    `defaults`: whether a record may hold a field at its default (never one this release
    writes; one of an earlier release or a hand edit may): each is looked at, and
    `defaults_met` says whether one was (noted with the checked version: `stored_shapes`).
    """

    defaults: bool = True
    defaults_met: bool = False
    names: _Names = field(default_factory=_Names)
    layouts: dict[tuple[str, ...], _Layout | None] = field(default_factory=dict)


def _plain_shape(pid: str, bib: dict, state: dict | None, memo: _Memo) -> Shape | None:
    """`to_json()` of the paper of a plain record (see _PLAIN_KEYS), None for another."""
    keys = tuple(bib)
    layout = memo.layouts.get(keys, _UNSEEN)
    if layout is _UNSEEN:
        layout = memo.layouts[keys] = _layout(keys)
    if layout is None:
        return None
    shape = _TEMPLATE | bib
    for name in layout.moved:
        del shape[name]
    shape["id"] = pid
    state_stamps: dict = {}
    held = _NOT_HELD
    if state:
        try:
            shape["read"], shape["read_at"] = state["read"], state["read_at"]
            shape["tags"], shape["note"] = state["tags"], state["note"]
        except KeyError:
            return None
        state_stamps = state.get("stamps", state_stamps)
        if not _state_typed(shape, state_stamps, state.get("tag_stamps", {})):
            return None
        held = tuple([shape[name] != default for name, default in _STATE_DEFAULT_ITEMS])
    authors = shape["authors"]
    if authors:
        shape["names"] = list(map(memo.names.__getitem__, authors))
    journal = shape["journal"]
    shape["type"] = bib.get("entry_type") or _inferred_type(journal, authors, shape["year"])
    if journal and not shape["venue"]:
        shape["venue"] = {"journal": journal}
    # (every identifier's default is None, as `bib.get` gives it)
    shape["identifiers"] = (
        dict(zip(IDENTIFIER_FIELDS, map(bib.get, IDENTIFIER_FIELDS), strict=True))
        if layout.identified
        else _NO_IDENTIFIERS
    )
    changed = _changed(bib, layout, shape, bib.get("stamps", {}), state_stamps, held, memo)
    if changed is None:
        return None
    shape["changed"] = changed
    return shape


def _state_typed(shape: Shape, stamps: object, tag_stamps: object) -> bool:
    """Whether the state's values have the types every command relies on (else the
    whole read's check decides: `library._well_formed`)."""
    return (
        type(shape["note"]) is str
        and type(shape["tags"]) is list
        and type(stamps) is dict
        and type(tag_stamps) is dict
    )


def _inferred_type(journal: str | None, authors: list, year: int | None) -> str:
    """`model.inferred_type` of a paper with these values: an article when a journal,
    authors and a year are known (citations.latex.entry_type), else misc."""
    return "article" if journal and authors and year else "misc"


def _changed(
    bib: dict,
    layout: _Layout,
    shape: Shape,
    stamps: dict,
    state_stamps: dict,
    held: tuple,
    memo: _Memo,
) -> dict | None:
    """`Paper.changed()` of the paper (`held`: which state fields are not at their
    defaults); None for a record made before stamps with a field that has none (Paper
    tells then: `last_change`).

    Which stamp each field shows follows from which fields the record, its stamps and
    its state hold, when no stored value is at its default: worked out once for each
    such set (the layout's `plans`) and filled in for each paper.
    """
    if memo.defaults and not bib.items().isdisjoint(layout.defaults):  # one at its default
        memo.defaults_met = True
        return _changed_of(bib, shape, stamps, state_stamps)
    key = (tuple(stamps), tuple(state_stamps), held)
    plan = layout.plans.get(key)
    if plan is None:
        plan = layout.plans[key] = _plan(layout.keys, *key)
    if not plan:
        return None
    names, sources = plan
    base = stamps.get(RECORD_STAMP)
    if sources is None:  # every field the record's stamp
        return dict.fromkeys(names, base)
    look = {**stamps, **state_stamps}
    if base is not None:
        look[_BASE], look[_USER] = base, [base[0], base[1], "user"]
    return dict(zip(names, map(look.__getitem__, sources), strict=True))


_BASE, _USER = 0, 1  # in a plan: the record's stamp, and the same for a state field
_BIB_DEFAULT_ITEMS = tuple(
    (name, _DEFAULTS[name]) for name in STAMPED_FIELDS if name in _STAMPED_BIB and name != "title"
)  # (the title has no default: always stored)
_STATE_DEFAULT_ITEMS = tuple(_STATE_DEFAULTS.items())
_NOT_HELD = (False,) * len(_STATE_DEFAULT_ITEMS)  # (a paper without a state)


def _plan(
    bib: tuple[str, ...], stamps: tuple[str, ...], state_stamps: tuple[str, ...], held: tuple
) -> tuple[tuple[str, ...], tuple | None] | tuple[()]:
    """`_changed_of` of a record holding the fields `bib` (none at its default), stamps
    `stamps`, a state holding the state fields `held` says and stamps `state_stamps`:
    each field shown and where its stamp comes from (a stamp's name, or _BASE, _USER;
    None when every one is _BASE); () when fields have no stamp and the record none either."""
    own = {*stamps, *state_stamps}
    unstamped = [name for name in bib if name in _STAMPED_BIB and name not in own]
    unstamped += [name for name, h in zip(STATE_FIELDS, held, strict=True) if h and name not in own]
    if unstamped and RECORD_STAMP not in stamps:
        return ()
    found: dict[str, object] = {n: _USER if n in _STATE_NAMES else _BASE for n in unstamped}
    found.update((name, name) for name in stamps if name != RECORD_STAMP)
    found.update((name, name) for name in state_stamps)
    names = tuple(name for name in STAMPED_FIELDS if name in found)
    sources = tuple(found[name] for name in names)
    return names, None if set(sources) <= {_BASE} else sources


def _changed_of(bib: dict, shape: Shape, stamps: dict, state_stamps: dict) -> dict | None:
    """`_changed`, field by field."""
    unstamped = [
        name
        for name, value in bib.items()
        if name in _STAMPED_BIB
        and name not in stamps
        and name not in state_stamps
        and value != _DEFAULTS[name]
    ]
    for name, default in _STATE_DEFAULTS.items():
        if shape[name] != default and name not in stamps and name not in state_stamps:
            unstamped.append(name)
    found: dict[str, list] = {}
    if unstamped:
        base = stamps.get(RECORD_STAMP)
        if base is None:
            return None
        user = [base[0], base[1], "user"]
        found = {name: user if name in _STATE_NAMES else base for name in unstamped}
    if stamps:
        found.update((name, stamp) for name, stamp in stamps.items() if name != RECORD_STAMP)
    if state_stamps:
        found.update(state_stamps)
    return {name: found[name] for name in STAMPED_FIELDS if name in found}


def keep(made: list[Shape], read: bool | None = None, tag: str | None = None) -> list[Shape]:
    """`listing.filter_papers` of shapes."""
    if read is None and tag is None:
        return made
    return [
        s for s in made if (read is None or s["read"] == read) and (tag is None or tag in s["tags"])
    ]


def sort_key(name: str):
    """`listing.sort_key` of shapes."""
    keys = {
        "added": lambda s: s["added"],
        "date": lambda s: (s["published"] or f"{s['year'] or 0:04d}", s["year"] or 0, s["id"]),
        "title": lambda s: (s["title"].casefold(), s["id"]),
        "upvotes": lambda s: (s["upvotes"] or 0, s["id"]),
    }
    return keys[name]


def sorted_shapes(made: list[Shape], by: str = "added") -> list[Shape]:
    """`listing.sort_papers` of shapes."""
    return sorted(made, key=sort_key(by), reverse=by != "title")


def chunks(made: list[Shape], size: int | None = None) -> Iterator[bytes | memoryview]:
    """`json_bytes(made)` in pieces, encoded `size` (CHUNK) shapes at a time (the same
    bytes: each chunk is a list at the same depth, written without its own brackets,
    a view of the bytes encoded rather than a copy)."""
    size = size or CHUNK
    if not made:
        yield json_bytes(made)
        return
    yield b"[\n"
    for start in range(0, len(made), size):
        raw = json_bytes(made[start : start + size])
        if start:
            yield b",\n"
        yield memoryview(raw)[2:-2]  # without the chunk's "[\n" and "\n]"
    yield b"\n]"
