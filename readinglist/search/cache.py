"""Save the built index next to the library, and load it again, patched to what changed.

The saved index records the generation token of the corpus its papers were read from
(a random token every corpus write renews, see storage.CorpusStorage), and a checksum
of each paper's text. A matching token means the same papers. Otherwise each paper's
text is checked, and papers gone, new or changed since are patched in, so an import of
a day's papers or an edit costs milliseconds, not a rebuild.

Every corpus write keeps it current (`keep_current`, called by the library under its
lock): it notes the ids it stored or removed in a short log (search/changes.py), so the
next search trusts the index for every other paper; when the log outgrows a small
share of the library, or an import finds no usable index, the writer saves the index
itself once it has let go of the lock (`save_current`). The first search after any
write then costs what any search costs.

`search_papers` ranks papers for a query with the index saved in a library folder.

The file is checksummed, framed records (`readinglist.persistence.records`), never unpickled or
unmarshalled: any damage, or any record of the wrong shape, means a rebuild.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from itertools import accumulate, repeat
from pathlib import Path
from typing import BinaryIO

from readinglist.model import Paper
from readinglist.persistence import records
from readinglist.persistence.storage import atomic_write, write_bytes
from readinglist.search import changes
from readinglist.search.facets import FACETS
from readinglist.search.index import SearchIndex
from readinglist.search.names import TEXTS
from readinglist.search.query import parse_query
from readinglist.search.rows import Fetch, Rows, Unavailable, rows_fit
from readinglist.search.saved_state import State
from readinglist.search.state import States

CACHE_NAME = changes.INDEX_NAME
FORMAT = 10  # 10: the arrays of postings in vocabulary order; 9: masks only where smaller
# than arrays; 8: rows say whether the year was inferred; 7: rows, rank, facets and names
# for a search without the corpus; 6: records
CHUNK = 8192  # dict items or list entries per record
LOG_SHARE = 0.01  # the writer saves the index once the log names this share of papers
HEAD_BYTES = 1 << 16  # the head record of a saved index is read from this much of it
POSTINGS = ("title", "abstract")  # saved with their arrays in vocabulary order (`ByWord`)

Stamp = str  # the generation token of a corpus


def save_index(index: SearchIndex, path: Path, stamp: Stamp | None = None) -> None:
    """Write the index atomically (temp file, then rename), as many small records.

    Records load one by one: no single call holds the interpreter long while the app runs.
    """
    saved = _saved_records(index.bibliographic(), stamp)

    def write(handle: BinaryIO) -> None:  # record by record, each let go once written
        for frame in records.frames(_taken(saved)):
            write_bytes(handle, frame)

    atomic_write(path, write)


def _taken(items: list) -> Iterator:
    """The items of a list in order, each removed from it as it is taken."""
    items.reverse()
    while items:
        yield items.pop()


def packed(parts: dict, stamp: Stamp | None) -> bytes:
    """The saved file of an index's parts (`bibliographic()`), as `save_index` writes it."""
    return records.pack(_saved_records(parts, stamp))


def _saved_records(parts: dict, stamp: Stamp | None) -> list:
    """The records of a saved index: each posting's arrays one after another in
    vocabulary order, with where each ends, so that a reader finds a word's array by
    the vocabulary it has read anyway, parsing no key. The arrays are written as they
    are, not joined first (an index of 100,000 papers: 17 MB)."""
    parts = {**parts, "rows": records.Viewed(parts["rows"])}
    for part in POSTINGS:
        rare = parts[part]["rare"]
        parts[part] = {"masks": parts[part]["masks"]}
        arrays = [rare.get(word, b"") for word in parts["vocab"]]
        parts[f"{part}_arrays"] = records.Viewed(*arrays)
        sizes = (memoryview(positions).nbytes for positions in arrays)
        parts[f"{part}_ends"] = array("Q", accumulate(sizes)).tobytes()
    pieces = [record for name, part in parts.items() for record in _records(name, part)]
    head = {"format": FORMAT, "stamp": stamp, "names": [name for name, _ in pieces]}
    return [head, *(piece for _, piece in pieces)]


def _records(name: str, value) -> Iterator[tuple[str, object]]:
    """(dotted name, piece) records of a value: nested dicts by key, long ones in chunks."""
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        for key, inner in value.items():
            yield from _records(f"{name}.{key}", inner)
    elif isinstance(value, (dict, list)) and len(value) > CHUNK:
        items = list(value.items()) if isinstance(value, dict) else value
        for start in range(0, len(items), CHUNK):
            piece = items[start : start + CHUNK]
            yield name, dict(piece) if isinstance(value, dict) else piece
    else:
        yield name, value


def _read(path: Path, lazy: bool = False) -> dict | None:
    """The saved parts, put back together (with the head's keys); None if unreadable.

    `lazy`: the arrays and masks are left to be checked as they are decoded (an index
    loaded with `SearchIndex.saved` decodes only those a query uses).
    """
    try:
        pieces = records.unpack(path.read_bytes(), lazy=lazy)
        data = next(pieces)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        for name in data.pop("names"):
            _place(data, name, next(pieces))
        words = tuple(data["vocab"])  # (the index's vocabulary grows as papers are taken in)
        for part in POSTINGS:
            arrays, ends = data.pop(f"{part}_arrays"), data.pop(f"{part}_ends")
            by_word = ByWord(words, arrays, ends)
            data[part]["rare"] = by_word if lazy else by_word.decoded()
    except (OSError, StopIteration, records.RecordError, KeyError, TypeError, AttributeError):
        return None
    return data if _well_formed(data, lazy) else None


class ByWord(Mapping[str, bytes]):
    """Saved arrays by word: one after another in the order of the (sorted) vocabulary,
    and where each ends (u64); a word with none has an empty one. Raises TypeError for
    parts of another shape."""

    def __init__(self, vocab: tuple[str, ...], arrays: object, ends: object) -> None:
        if not isinstance(arrays, (bytes, memoryview)):
            raise TypeError("not saved arrays")
        if type(ends) is not bytes or len(ends) != 8 * len(vocab):
            raise TypeError("not saved arrays")
        self._vocab, self._arrays, self._ends = vocab, arrays, array("Q", ends)

    def _span(self, word: object) -> tuple[int, int] | None:
        """Where the array of `word` lies (None: it has none)."""
        vocab = self._vocab
        at = bisect_left(vocab, word) if type(word) is str else len(vocab)
        if at == len(vocab) or vocab[at] != word:
            return None
        start, end = self._ends[at - 1] if at else 0, self._ends[at]
        return (start, end) if start < end <= len(self._arrays) else None

    def __getitem__(self, word: str) -> bytes:
        span = self._span(word)
        if span is None:
            raise KeyError(word)
        return bytes(self._arrays[span[0] : span[1]])

    def __contains__(self, word: object) -> bool:
        return self._span(word) is not None

    def __iter__(self) -> Iterator[str]:
        return (word for word, _, _ in self._spans())

    def __len__(self) -> int:
        return sum(1 for _ in self._spans())

    def decoded(self) -> dict[str, bytes]:
        """Every word's array, in one pass."""
        arrays = self._arrays
        return {word: bytes(arrays[start:end]) for word, start, end in self._spans()}

    def _spans(self) -> Iterator[tuple[str, int, int]]:
        starts = itertools.chain((0,), self._ends)
        for word, start, end in zip(self._vocab, starts, self._ends, strict=False):
            if start < end <= len(self._arrays):
                yield word, start, end


ROW_PARTS = frozenset(("ids", "rows", "row_ends"))  # what a listing reads of a saved index


def _read_rows(path: Path) -> dict | None:
    """`_read` of the head and the parts a listing needs (ids, rows and where each row
    ends), each record of them checked; the others (postings, facets...) are passed
    over unread. None if unreadable or of another shape."""
    names: list[str] = []  # each record's dotted name, from the head (record 0)

    def wanted(number: int) -> bool:
        return not number or names[number - 1].split(".")[0] in ROW_PARTS

    try:
        with open(path, "rb") as handle:
            pieces = records.unpack_chosen(handle, wanted)
            data = next(pieces)
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                return None
            names = data.pop("names")
            for name, piece in zip(names, pieces, strict=True):
                if piece is not None:
                    _place(data, name, piece)
    except (OSError, StopIteration, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None  # (records.RecordError is a ValueError, as is a zip of unequal lengths)
    ids = data.get("ids")
    if not (isinstance(ids, list) and _all_text(ids)):
        return None
    return data if rows_fit(data.get("rows"), data.get("row_ends"), len(ids)) else None


def _place(data: dict, name: str, piece) -> None:
    """Put one record's piece where its dotted name says (chunks are joined)."""
    *outer, last = name.split(".")
    target = data
    for key in outer:
        target = target.setdefault(key, {})
    if last not in target:
        target[last] = piece
    elif isinstance(piece, records.SlicedMap):
        target[last].extend(piece)
    elif isinstance(piece, dict):
        target[last].update(piece)
    else:
        target[last].extend(piece)


def _well_formed(data: dict, lazy: bool = False) -> bool:
    """Whether the parts have the shapes and ranges `SearchIndex.restore` relies on."""
    ids, texts = data.get("ids"), data.get("texts")
    if not (isinstance(ids, list) and _all_text(ids)):
        return False
    if type(texts) is not bytes or len(texts) != 8 * len(ids):
        return False
    vocab, acronyms = data.get("vocab"), data.get("acronyms")
    if not (isinstance(vocab, list) and _all_text(vocab)):
        return False
    if not all(map(operator.lt, vocab, itertools.islice(vocab, 1, None))):
        return False  # not sorted: lookups would miss
    if not isinstance(acronyms, dict):
        return False
    for groups in () if lazy else acronyms.values():  # (lazy: checked as looked up)
        if not isinstance(groups, list) or not all(
            isinstance(g, list) and all(type(w) is str for w in g) for g in groups
        ):
            return False
    if not all(_postings_fit(data.get(part), len(ids), lazy) for part in ("title", "abstract")):
        return False
    return _search_parts_fit(data, ids, lazy)


def _search_parts_fit(data: dict, ids: list[str], lazy: bool) -> bool:
    """Whether the rows, rank, recency, facets and names fit the saved positions."""
    papers = len(ids)
    if not rows_fit(data.get("rows"), data.get("row_ends"), papers):
        return False
    recency, rank = data.get("recency"), data.get("rank")
    if not (isinstance(recency, list) and len(recency) == papers):
        return False
    if not _all_text(recency) or type(rank) is not bytes or len(rank) & 3:
        return False
    live = range(papers) if "" not in ids else [pos for pos, pid in enumerate(ids) if pid]
    if not _each_once(array("I", rank), live, papers):
        return False
    ranks = data.get("ranks")
    if type(ranks) is not bytes or len(ranks) != 4 * papers:
        return False
    if papers and max(array("I", ranks)) >= papers:
        return False
    facets, names = data.get("facets"), data.get("names")
    return _groups_fit(facets, FACETS, papers, lazy) and _groups_fit(names, TEXTS, papers, lazy)


def _each_once(order: array, live: Sequence[int], papers: int) -> bool:
    """Whether `order` holds each of the `live` positions once, and nothing else."""
    if len(order) != len(live):
        return False
    seen = bytearray(papers)
    try:
        deque(map(seen.__setitem__, order, repeat(1)), maxlen=0)  # (set in C)
    except IndexError:  # a position past the last
        return False
    return seen.count(1) == len(order) and all(map(seen.__getitem__, live))


def _all_text(values: list) -> bool:
    """Whether every value is a str (no subclass)."""
    return set(map(type, values)) <= {str}


def _groups_fit(groups, kinds, papers: int, lazy: bool) -> bool:
    """Whether saved groups hold each kind, as arrays of positions below `papers`."""
    if not (isinstance(groups, dict) and groups.keys() == set(kinds)):
        return False
    if lazy:
        return all(isinstance(g, Mapping) for g in groups.values())
    return all(
        isinstance(g, dict) and _arrays_fit(list(g.values()), papers) for g in groups.values()
    )


def _arrays_fit(values: list, papers: int) -> bool:
    """Whether saved values are arrays of u32 positions below `papers`."""
    for start in range(0, len(values), CHUNK):  # in pieces: no long hold of the interpreter
        piece = values[start : start + CHUNK]
        if any(type(raw) is not bytes or len(raw) & 3 for raw in piece):
            return False
        positions = array("I", b"".join(piece))
        if positions and max(positions) >= papers:
            return False
    return True


def _postings_fit(postings, papers: int, lazy: bool = False) -> bool:
    """Whether saved postings are arrays and masks of positions below `papers`."""
    if not isinstance(postings, dict):
        return False
    rare, masks = postings.get("rare", {}), postings.get("masks", {})
    if lazy:
        return isinstance(rare, Mapping) and isinstance(masks, Mapping)
    if not (isinstance(rare, dict) and isinstance(masks, dict)):
        return False
    mask_bytes, spare = (papers + 7) >> 3, papers & 7
    for raw in masks.values():
        if type(raw) is not bytes or len(raw) > mask_bytes:
            return False
        if spare and len(raw) == mask_bytes and raw[-1] >> spare:
            return False  # a bit past the last paper
    return _arrays_fit(list(rare.values()), papers)


def load_index(
    path: Path, papers: list[Paper], stamp: Stamp | None = None
) -> tuple[SearchIndex, bool] | None:
    """The saved index brought up to date with `papers`, and whether to save it again.

    Trusted as is when it names generation `stamp`; trusted but for the papers the
    change log names when the log leads from its generation to `stamp` (nothing to save:
    the index and the log say it all); else each paper's text is checked.
    None when there is none, it is unreadable, or so much changed that a build is better.
    """
    data = _read(path)
    if data is None:
        return None
    saved = data.get("stamp")
    same_file = stamp is not None and saved == stamp
    steps = None
    if stamp is not None and not same_file and type(saved) is str:
        steps = changes.chain(changes.read_log(path.parent), saved, stamp)
    trusted = same_file or steps is not None
    try:
        restored = SearchIndex.restore(
            data, papers, trusted=trusted, changed=changes.changed_ids(steps or [])
        )
    except (KeyError, TypeError, ValueError, AttributeError):  # not an index this version wrote
        return None
    if restored is None:
        return None
    index, taken_in = restored
    if steps is not None:  # the index and the log say it all, while the log is short
        return index, _outgrown(steps, len(papers))
    return index, bool(taken_in) or (stamp is not None and not same_file)


def _outgrown(steps: list[changes.Entry], papers: int) -> bool:
    """Whether the log names more than its share of the papers (then save afresh)."""
    return len(changes.changed_ids(steps)) > LOG_SHARE * papers


def load_saved(folder: Path, generation: str, states: States, fetch: Fetch) -> SearchIndex | None:
    """The index saved in `folder`, current for the corpus of `generation`, without the
    corpus: trusted when it names `generation`, or but for the papers the change log
    names on the way there (read with `fetch`). `states`: every paper's user state.

    None when there is none, it is unreadable, or no log leads to `generation` (then
    search the whole library, which checks, patches or rebuilds it). Raises Unavailable
    when a paper the log names cannot be read.
    """
    data = _read(folder / CACHE_NAME, lazy=True)
    saved = None if data is None else data.get("stamp")
    if data is None or type(saved) is not str:
        return None
    steps = changes.chain(changes.read_log(folder), saved, generation)
    if steps is None or _outgrown(steps, len(data["ids"])):
        return None  # (a search of the whole library saves it afresh)
    try:
        changed, gone = changes.changed_ids(steps), changes.gone_ids(steps)
        return SearchIndex.saved(data, states, fetch, changed, gone)
    except (KeyError, TypeError, ValueError, AttributeError):  # not an index this version wrote
        return None


def saved_stamp(path: Path) -> Stamp | None:
    """The generation a saved index names, from its head record (None: none usable)."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read(HEAD_BYTES)
        head = next(records.unpack(blob))
    except (OSError, StopIteration, records.RecordError):
        return None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        return None
    stamp = head.get("stamp")
    return stamp if type(stamp) is str else None


def keep_current(folder: Path, count: int, write: changes.Entry, *, build: bool = False) -> bool:
    """Note one corpus write (`write`) beside the index saved in `folder`; True when the
    index should now be saved afresh (`save_current`).

    Call under the library's lock, after the write. While the saved index and its log
    lead to the generation the write started from, the write is noted in the log; True
    once the log names more than `LOG_SHARE` of the `count` papers, or with `build` (an
    import) when there is no usable index. Otherwise a stale index is left for the next
    search to patch or rebuild.
    """
    saved = saved_stamp(folder / CACHE_NAME)
    steps = None if saved is None else changes.chain(changes.read_log(folder), saved, write.before)
    if steps is None:
        return build
    steps.append(write)
    changes.write_log(folder, steps)
    return len(changes.changed_ids(steps)) > LOG_SHARE * count


def save_current(folder: Path, papers: list[Paper], generation: str) -> None:
    """Save the index of `papers`, the corpus of `generation`, in `folder` (patched from
    the saved one where it can be, else built) and empty the log.

    Needs no lock: a writer that notes a write meanwhile can only leave the index
    stale (its note removed, or made against the index before), never trusted wrongly.
    """
    path = folder / CACHE_NAME
    loaded = load_index(path, papers, generation)
    index = loaded[0] if loaded is not None else SearchIndex(papers)
    save_index(index, path, generation)
    changes.write_log(folder, [])


def load_or_build(
    papers: list[Paper], folder: Path | None, stamp: Stamp | None = None
) -> tuple[SearchIndex, bool]:
    """The index for `papers` from the cache in `folder`, else built; saved when it changed.

    `stamp` is the generation token of the corpus `papers` were read from, if known.
    Returns (index, loaded). Never raises for a missing or damaged cache file.
    """
    if folder is None:
        return SearchIndex(papers), False
    path = Path(folder) / CACHE_NAME
    loaded = load_index(path, papers, stamp)
    index, stale = loaded if loaded is not None else (SearchIndex(papers), True)
    if stale:
        with contextlib.suppress(OSError):
            save_index(index, path, stamp)
            changes.write_log(path.parent, [])  # (it led to an index now saved)
    return index, loaded is not None


def search_papers(
    papers: list[Paper],
    text: str,
    limit: int | None = None,
    cache_dir: Path | None = None,
    stamp: str | None = None,
) -> list[tuple[Paper, float]]:
    """Rank papers for a query; raises QueryError for a malformed qualifier.

    Builds an index, or with `cache_dir` (the library folder) loads the one saved
    there while the papers are unchanged, saving it otherwise. `stamp` is the generation
    token of the corpus the papers were read from (it spares checking their text).
    """
    query = parse_query(text)
    index, _ = load_or_build(papers, cache_dir, stamp)
    result = index.search(query, limit)
    by_id = {p.id: p for p in papers}
    return [(by_id[pid], result.scores[pid]) for pid in result.ids]


def saved_rows(
    folder: Path, generation: str, states: Mapping[str, State], fetch: Fetch
) -> dict[str, Paper] | None:
    """Every paper the index saved in `folder` holds, by id, current for the corpus of
    `generation` as `load_saved` would trust it: a Row (no abstract) from the saved
    rows, or the paper in full, read with `fetch`, for one the change log names. Nothing
    else of the index is decoded (a listing needs no postings, facets or groups).

    None when `load_saved` would give none; raises Unavailable when a row or a paper
    the log names cannot be had.
    """
    data = _read_rows(folder / CACHE_NAME)
    saved = None if data is None else data.get("stamp")
    if data is None or type(saved) is not str:
        return None
    steps = changes.chain(changes.read_log(folder), saved, generation)
    ids = data["ids"]
    if steps is None or _outgrown(steps, len(ids)):
        return None
    at = Rows(ids, data["rows"], data["row_ends"], states).decode_all()
    held = {pid: at[pos] for pos, pid in enumerate(ids) if pid}
    gone = changes.gone_ids(steps)
    for pid in changes.changed_ids(steps):
        held.pop(pid, None)
        paper = fetch(pid)
        if paper is not None:
            held[pid] = paper
        elif pid not in gone:  # stored, says the log; not there, says the directory
            raise Unavailable(pid)
    return {pid: paper for pid, paper in held.items() if paper is not None}
