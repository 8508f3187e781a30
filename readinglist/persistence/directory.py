"""One record a line, and the directory that finds a paper's line without reading the rest.

A library file (the corpus, each state shard) is written one record a line, in id
order, its `_meta` record first::

    {"_meta":{"1":{"schema":3,"generation":"9f2c..."}},
    "papers":{
    "0a1b2c3d4e5f6a7b":{"title":...},
    "0a1b2c3d4e5f6a7c":{"title":...}
    }}

It is still one JSON document (TinyDB's), so every earlier release reads it; a change
of one paper changes one line, so the library diffs and merges line by line.

`directory.bin` (disposable: never backed up, rebuilt when missing, stale or damaged)
holds every paper id in order, where its line starts in `papers.json` and how long it
is, the aliases and the cite keys (with the paper each names), and the generation of
the corpus it was made from. Finding one paper at 100,000 then costs a read of the
directory (a few MB of arrays and lists, no record parsed), one seek into the corpus,
and one state shard. The directory is used only while the manifest, the directory and
the first line of the corpus all name the same generation, and a line is used only if
it names the paper asked for; anything else means "read the whole corpus", which
writes a new directory.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import sys
from array import array
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import orjson

from readinglist.listing import SORTS, first_sorted, sort_key
from readinglist.persistence import records
from readinglist.persistence.lines import CLOSE, OPEN, is_lined
from readinglist.persistence.lookup import Unsure
from readinglist.persistence.storage import atomic_write, replace_unsynced

DIRECTORY_FILE = "directory.bin"
# The generation a corpus written in place (splice.py: the same lines at the same
# places) has now, whose directory is directory.bin's under another generation.
RENAMED_FILE = "directory.renamed"
FORMAT = 2  # 2: the first papers of each sort (the app's first page)
ORDERED = 1000  # papers kept of each sort's order: enough for the first page of any view
FEWEST_KEPT = ORDERED // 2  # a sort's first papers that removals leave, or it is dropped


def first_meta(path: Path) -> tuple[dict | None, BinaryIO]:
    """The `_meta` record of a lined library file, and the open file (None if not lined).

    The caller reads its records from the same open file, so a writer replacing the
    file in between cannot mix two versions.
    """
    handle = open(path, "rb")  # noqa: SIM115 (returned open: the caller closes it)
    line = handle.readline(1 << 16)
    if not is_lined(line) or not line.endswith(b",\n"):
        return None, handle
    try:
        meta = orjson.loads(line[len(OPEN) : -2]).get("1")
    except (orjson.JSONDecodeError, AttributeError):
        return None, handle
    return (meta if isinstance(meta, dict) else None), handle


def record_at(handle: BinaryIO, pid: str, span: tuple[int, int]) -> dict | None:
    """The record of `pid` on its line (None unless the line is that paper's)."""
    offset, length = span
    handle.seek(offset)
    line = handle.read(length)
    name = orjson.dumps(pid) + b":"
    if len(line) != length or not line.startswith(name):
        return None
    try:
        record = orjson.loads(line[len(name) :])
    except orjson.JSONDecodeError:
        return None
    return record if type(record) is dict else None


class Names(Sequence):
    """Sorted names (utf-8, one after another) and where each starts: bisect without a list.

    Loading 100,000 names this way costs two array reads instead of 100,000 strings.
    UTF-8 orders as the code points do, so the names compare as the strings they were.
    """

    def __init__(self, blob: bytes, starts: array) -> None:
        self.blob, self.starts = blob, starts

    @classmethod
    def of(cls, names: list[str]) -> Names:
        encoded = [name.encode("utf-8") for name in names]
        starts = array("I", [0])
        for name in encoded:
            starts.append(starts[-1] + len(name))
        return cls(b"".join(encoded), starts)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.blob[self.starts[i] : self.starts[i + 1]].decode("utf-8", "replace")

    def bisect(self, name: str) -> int:
        """Where `name` is, or would go to keep the names sorted."""
        return bisect.bisect_left(self, name)

    def find(self, name: str) -> int | None:
        """The position of `name`, if it is one of the names."""
        i = bisect.bisect_left(self, name)
        return i if i < len(self) and self[i] == name else None

    def starting(self, prefix: str) -> Iterator[int]:
        """The positions of the names that start with `prefix`."""
        i = bisect.bisect_left(self, prefix)
        while i < len(self) and self[i].startswith(prefix):
            yield i
            i += 1

    def fits(self) -> bool:
        """Whether the starts are in order and end at the end of the blob."""
        return bool(self.starts) and self.starts[0] == 0 and self.starts[-1] == len(self.blob)


class Directory:
    """Paper ids, aliases and cite keys, and where each paper's line is in the corpus.

    What it answers is checked against the corpus line it points to (the line must
    be the paper's, holding that alias or key); a paper it does not find is looked
    for in the whole library, so even a directory whose checksums hold but whose
    content is wrong costs time, never a wrong answer.
    """

    def __init__(
        self,
        generation: str,
        ids: Names,
        spans: array,
        aliases: tuple[Names, array],
        keys: tuple[Names, array],
        complete: bool,
        size: int = 0,
        orders: dict[str, array] | None = None,
        stored: str | None = None,
    ) -> None:
        self.generation = generation
        self.stored = stored  # the generation directory.bin names, if it holds this one
        self.size = size  # of papers.json: a file cut short is not read through it
        self.ids = ids  # sorted
        self.spans = spans  # offset, length of ids[i] at 2i, 2i + 1
        self.alias_names, self.alias_targets = aliases  # sorted; index into ids
        self.key_names, self.key_targets = keys  # casefolded, sorted; index into ids
        self.complete = complete  # every paper cites by a stored key (none made up)
        self.orders = orders or {}  # sort -> the first ORDERED papers (index into ids) by it

    def same_lines(
        self, generation: str, *, orders: dict[str, array] | None = None, stored: str | None = None
    ) -> Directory:
        """A directory of the same lines at the same places (ids, spans, aliases, keys),
        of `generation`, with `orders` and `stored` as given."""
        return Directory(
            generation,
            self.ids,
            self.spans,
            (self.alias_names, self.alias_targets),
            (self.key_names, self.key_targets),
            complete=self.complete,
            size=self.size,
            orders=orders,
            stored=stored,
        )

    @classmethod
    def build(cls, generation: str, docs: dict[str, dict], spans: dict) -> Directory:
        """The directory of a corpus (`docs` as stored, `spans` as `lines_of` gave)."""
        ids = sorted(docs)
        place = {pid: i for i, pid in enumerate(ids)}
        where = array("Q")
        for pid in ids:
            where.extend(spans[pid])
        aliases: dict[str, int] = {}
        keys: dict[str, int] = {}
        own: dict[str, int] = {}
        for pid, doc in docs.items():
            for alias in _strings(doc.get("aliases")):
                aliases[alias] = place[pid]
            for key in _strings(doc.get("key_aliases")):
                keys[key.casefold()] = place[pid]
            own_key = doc.get("key")
            if isinstance(own_key, str) and own_key:
                own[own_key.casefold()] = place[pid]
        keys.update(own)  # a paper's own key wins over another's merged alias
        return cls(
            generation,
            Names.of(ids),
            where,
            _sorted_pairs(aliases),
            _sorted_pairs(keys),
            complete=len(keys) >= len(ids),
            size=max((o + n for o, n in spans.values()), default=0) + len(CLOSE),
            orders=_orders(docs, place),
        )

    # ----- finding papers ---------------------------------------------------------

    def has(self, pid: str) -> bool:
        return self.ids.find(pid) is not None

    def alias(self, name: str) -> str | None:
        """The paper `name` is an alias of (an id it was once stored under)."""
        i = self.alias_names.find(name)
        return None if i is None else self.ids[self.alias_targets[i]]

    def prefix_matches(self, prefix: str) -> set[str]:
        """The papers whose id or alias starts with `prefix`."""
        found = {self.ids[i] for i in self.ids.starting(prefix)}
        found.update(self.ids[self.alias_targets[i]] for i in self.alias_names.starting(prefix))
        return found

    def key_owner(self, key: str) -> str | None:
        """The paper whose stored cite key (or merged key alias) is `key`, case ignored."""
        i = self.key_names.find(key.casefold())
        return None if i is None else self.ids[self.key_targets[i]]

    def made_up_owner(self, key: str) -> None:
        """None when every paper cites by a stored key; else only the corpus can tell."""
        if not self.complete:
            raise Unsure(key)

    def span(self, pid: str) -> tuple[int, int]:
        i = self.ids.find(pid)
        if i is None:
            return 0, 0
        return self.spans[2 * i], self.spans[2 * i + 1]

    def in_order(self, sort: str) -> Iterator[str]:
        """The first ORDERED paper ids (all of them, if fewer) in the order the app lists
        `sort` by (none if it is not known)."""
        ids = self.ids
        return (ids[i] for i in self.orders.get(sort, ()))

    def every_order(self) -> bool:
        """Whether it holds the first papers of every sort (a splice may have dropped some)."""
        return self.orders.keys() == set(SORTS)

    def orders_all(self, sort: str) -> bool:
        """Whether `in_order(sort)` gives every paper (not only the first ORDERED)."""
        return sort in self.orders and len(self.orders[sort]) == len(self.ids)

    def orders_after(
        self,
        moved: Directory,
        removed: list[str],
        added: dict[str, dict],
        record: Callable[[str], dict | None],
    ) -> dict[str, array]:
        """The sort orders of `moved`: this directory once `removed` were taken out of
        the corpus and `added` (records by id) put at its end, in that order.

        Taking papers out of a sort's first papers leaves the first of the rest; a paper
        put at the end goes where a stable sort puts it (after those that sort equal),
        found by bisecting the first papers, whose records `record` reads (a few lines).
        A sort is dropped (the next whole read makes it again) when a record cannot be
        read or compared, or when removals leave fewer than FEWEST_KEPT of its papers.
        """
        gone, orders = set(removed), {}
        for sort, order in self.orders.items():
            whole = len(order) == len(self.ids)
            first = [pid for pid in (self.ids[i] for i in order) if pid not in gone]
            with contextlib.suppress(KeyError, TypeError, AttributeError):
                for pid, doc in added.items():
                    _place(first, _SortFields(pid, doc), sort, whole, record)
                first = first[:ORDERED]
                places = [moved.ids.find(getattr(item, "id", item)) for item in first]
                enough = len(first) >= min(FEWEST_KEPT, len(moved.ids)) or whole
                if enough and None not in places:
                    orders[sort] = array("I", [i for i in places if i is not None])
        return orders

    def short_id(self, pid: str, minimum: int) -> str:
        """The shortest prefix of `pid` no other id shares (at least `minimum` long)."""
        i = bisect.bisect_left(self.ids, pid)
        common = 0
        for neighbour in self.ids[max(i - 1, 0) : i + 2]:
            if neighbour != pid:
                common = max(common, len(os.path.commonprefix([pid, neighbour])))
        return pid[: max(minimum, common + 1)]

    # ----- on disk ----------------------------------------------------------------

    def save(self, folder: Path) -> None:
        head = {
            "format": FORMAT,
            "generation": self.generation,
            "complete": self.complete,
            "size": self.size,
        }
        parts = [head, _bytes(self.spans), _bytes(self.alias_targets), _bytes(self.key_targets)]
        for names in (self.ids, self.alias_names, self.key_names):
            parts += [names.blob, _bytes(names.starts)]
        parts.append({sort: _bytes(order) for sort, order in self.orders.items()})
        self.stored = None  # (a save that fails leaves directory.bin holding nothing known)
        # Disposable: a directory lost in a crash is made again, so no folder sync.
        atomic_write(folder / DIRECTORY_FILE, records.pack(parts), sync_folder=False)
        self.stored = self.generation

    def save_renamed(self, folder: Path) -> None:
        """Save this directory, which directory.bin holds under the generation `stored`
        (the corpus was written in place since: same lines, same places), by noting
        only its new generation; saved whole when directory.bin does not hold it."""
        if self.stored is None or self.stored == self.generation:
            self.save(folder)
            return
        note = orjson.dumps({"stored": self.stored, "generation": self.generation})
        replace_unsynced(folder / RENAMED_FILE, note)  # (lost or stale: a miss, no more)

    @classmethod
    def load(cls, folder: Path, generation: str) -> Directory | None:
        """The saved directory of the corpus of `generation` (None: missing, stale, damaged)."""
        try:
            parts = records.unpack((folder / DIRECTORY_FILE).read_bytes())
            head = next(parts)
            stored = head.get("generation") if isinstance(head, dict) else None
            if not (
                isinstance(head, dict)
                and head.get("format") == FORMAT
                and (stored == generation or _renamed(folder, stored) == generation)
            ):
                return None
            spans, alias_targets, key_targets = (_array("Q", next(parts)),) + tuple(
                _array("I", next(parts)) for _ in range(2)
            )
            ids, aliases, keys = (_names(next(parts), next(parts)) for _ in range(3))
            orders = {sort: _array("I", raw) for sort, raw in next(parts).items()}
            found = cls(
                generation,
                ids,
                spans,
                (aliases, alias_targets),
                (keys, key_targets),
                complete=head.get("complete") is True,
                size=size if type(size := head.get("size")) is int else -1,
                orders=orders,
                stored=stored,
            )
        except (OSError, ValueError, StopIteration, TypeError, AttributeError, records.RecordError):
            return None
        return found if found._well_formed() else None

    def _well_formed(self) -> bool:
        n = len(self.ids)
        return (
            len(self.spans) == 2 * n
            and all(names.fits() for names in (self.ids, self.alias_names, self.key_names))
            and len(self.alias_targets) == len(self.alias_names)
            and len(self.key_targets) == len(self.key_names)
            and all(not t or max(t) < n for t in (self.alias_targets, self.key_targets))
            and all(
                len(order) <= min(n, ORDERED) and (not n or not order or max(order) < n)
                for order in self.orders.values()
            )
        )


def _renamed(folder: Path, stored) -> str | None:
    """The generation directory.bin (of generation `stored`) holds now (RENAMED_FILE)."""
    try:
        note = orjson.loads((folder / RENAMED_FILE).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(note, dict) or type(stored) is not str or note.get("stored") != stored:
        return None
    found = note.get("generation")
    return found if type(found) is str else None


def save_directory(folder: Path, generation: str | None, docs: dict, spans: dict) -> None:
    """Write the directory of a corpus just written or read (nothing without a generation)."""
    if generation is None:
        return
    with contextlib.suppress(OSError):  # disposable: the next full read makes it again
        Directory.build(generation, docs, spans).save(folder)


class _SortFields:
    """What the sort orders read of a stored record, as its Paper holds it."""

    __slots__ = ("id", "added", "published", "year", "title", "upvotes")
    id: str
    title: str
    added: str
    published: str | None
    year: int | None
    upvotes: int | None

    def __init__(self, pid: str, doc: dict) -> None:
        self.id, self.title = pid, doc["title"]  # (none: a KeyError, the sort left out)
        self.added, self.published = doc.get("added", ""), doc.get("published")
        self.year, self.upvotes = doc.get("year"), doc.get("upvotes")


def _place(
    first: list, paper: _SortFields, sort: str, whole: bool, record: Callable[[str], dict | None]
) -> None:
    """Put `paper` (the last in the corpus) into `first`, a sort's first papers (ids, or
    the _SortFields of those put before), where a stable sort puts it: after every one
    that sorts before it or equal. Past the end only when `first` holds every paper."""
    key, ascending = sort_key(sort), sort == "title"
    mine = key(paper)

    def fields(item) -> _SortFields:
        if isinstance(item, _SortFields):
            return item
        doc = record(item)
        if doc is None:
            raise KeyError(item)
        return _SortFields(item, doc)

    low, high = 0, len(first)
    while low < high:  # the first place whose paper sorts after `paper`
        middle = (low + high) // 2
        theirs = key(fields(first[middle]))
        if (theirs > mine) if ascending else (theirs < mine):
            high = middle
        else:
            low = middle + 1
    if low < len(first) or whole:
        first.insert(low, paper)


def _orders(docs: dict[str, dict], place: dict[str, int]) -> dict[str, array]:
    """The first ORDERED papers of each sort (`docs` in corpus order), as the app sorts them.

    A sort whose values do not compare is left out (a damaged record: a whole read says so).
    """
    try:
        fields = [_SortFields(pid, doc) for pid, doc in docs.items()]
    except (KeyError, AttributeError):  # a record without a title, or not a record
        return {}
    orders = {}
    for sort in SORTS:
        with contextlib.suppress(TypeError, AttributeError):
            first = first_sorted(fields, sort, ORDERED)
            orders[sort] = array("I", [place[f.id] for f in first])
    return orders


def _strings(value) -> list[str]:
    return [v for v in value if type(v) is str] if isinstance(value, list) else []


def _sorted_pairs(mapping: dict[str, int]) -> tuple[Names, array]:
    names = sorted(mapping)
    return Names.of(names), array("I", (mapping[name] for name in names))


def _names(blob, starts) -> Names:
    if type(blob) is not bytes:
        raise TypeError("not names")
    return Names(blob, _array("I", starts))


def _bytes(values: array) -> bytes:
    if sys.byteorder != "little":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _array(code: str, raw) -> array:
    if type(raw) is not bytes:
        raise TypeError("not an array")
    values = array(code)
    values.frombytes(raw)
    if sys.byteorder != "little":
        values.byteswap()
    return values
