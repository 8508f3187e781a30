"""The library's files as sync sees them: which files are synced, and their records.

The only module of the sync package that knows the file layout: which paths hold
the corpus, the state shards, the settings; how a file's bytes become records and
back. Everything else works on `{id: record}` dicts.

Merged files are written as the library writes them (`readinglist.persistence.lines`): `_meta`
on the first line, then one record a line, corpus in its stored order, state
shards in id order, so a change of one paper is a change of one line. What is
committed carries only the schema in `_meta`: the corpus's generation token is new
at every local write and names nothing on another machine, so the first line is
the same on every machine and never conflicts (`committed`).
"""

from __future__ import annotations

from readinglist.sync import jsonio
from readinglist.sync.merge import canonical
from readinglist.sync.tables import Merged, View, merge_corpus, merge_states

TYPE_CHECKING = False  # (not typing's: the driver must not pay its import)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

BIG_FILE = 1 << 18  # bytes: above this orjson parses faster than it takes to import
PAPERS_FILE = "papers.json"
STATE_DIR = "state"
SETTINGS_FILE = "settings.json"
LAYOUT_FILE = "state/layout.json"
DEFAULT_PREFIX = 3  # id characters per shard name when the layout file says nothing
META = "_meta"
OPEN = b'{"_meta":'  # how a file written one record a line starts (as `lines.OPEN`)
COMMITTED_META = ("schema",)  # what `_meta` says in a committed file (not the generation)
CORPUS, STATE, SETTINGS, LAYOUT = "corpus", "state", "settings", "layout"
TABLES = {CORPUS: "papers", STATE: "state"}
# What git merges with the library's own driver (the repository's .gitattributes).
MERGED_PATTERNS = (PAPERS_FILE, f"{STATE_DIR}/*.json", SETTINGS_FILE)
# Per machine, never synced: `replica` names this copy of the library in its stamps.
LOCAL_SETTINGS = ("replica",)


class CodecError(Exception):
    """A library file that cannot be read as one (damaged, or left with conflict marks)."""


def kind_of(path: str) -> str | None:
    """What a path inside the library holds (None: not a file sync merges)."""
    path = path.replace("\\", "/").removeprefix("./")
    if path == PAPERS_FILE:
        return CORPUS
    if path == SETTINGS_FILE:
        return SETTINGS
    if path == LAYOUT_FILE:
        return LAYOUT
    folder, _, name = path.rpartition("/")
    if folder == STATE_DIR and name.endswith(".json"):
        return STATE
    return None


def is_synced(path: str) -> bool:
    """Whether a path is one of the library's own files (the only ones committed)."""
    return kind_of(path) is not None


def decode(raw: bytes, kind: str) -> tuple[dict, dict]:
    """A file's `_meta` record (empty for settings) and its records or settings."""
    if not raw.strip():
        return {}, {}
    try:
        data = _loads(raw)
    except ValueError:  # json's and orjson's decode errors both are
        raise CodecError("not valid JSON (conflict marks?)") from None
    if not isinstance(data, dict):
        raise CodecError("unexpected content")
    if kind in (SETTINGS, LAYOUT):
        return {}, data
    docs = data.get(TABLES[kind], {})
    meta = data.get(META, {}).get("1", {})
    if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
        raise CodecError("unexpected content")
    return (meta if isinstance(meta, dict) else {}), docs


def encode(meta: dict, docs: dict, kind: str) -> bytes:
    """The bytes of a file holding `docs`, as the library writes it (one record a line,
    as `lines.lines_of`, byte for byte), with only the committed part of `meta`."""
    if kind in (SETTINGS, LAYOUT):
        import json  # as the library writes them (small files, seldom merged)

        return json.dumps(docs, indent=2, ensure_ascii=False).encode("utf-8")
    table, head = TABLES[kind], {"1": committed_meta(meta)}
    if len(docs) > BIG_FILE // 1024:
        from readinglist.persistence.lines import lines_of

        return lines_of({META: head, table: docs}, table, by_id=kind == STATE)[0]
    dumps = jsonio.dumps
    ids = sorted(docs) if kind == STATE else docs
    body = ",\n".join(f"{dumps(pid)}:{dumps(docs[pid])}" for pid in ids)
    return f'{{"{META}":{dumps(head)},\n{dumps(table)}:{{\n{body}\n}}}}\n'.encode()


def committed_meta(meta: dict) -> dict:
    """The part of a file's `_meta` that is committed (its schema, not its generation)."""
    return {name: meta[name] for name in COMMITTED_META if name in meta}


def committed(raw: bytes, kind: str) -> bytes:
    """The bytes to commit of a library file as the library wrote it: the same, but
    for a `_meta` that says only what `committed_meta` keeps (one line to change in a
    file written one record a line; an older file is written again in that form)."""
    if kind not in TABLES or not raw.strip():
        return raw
    from readinglist.persistence.lines import unpadded

    raw = unpadded(raw)  # (a line changed in place, as a whole write gives it)
    end = raw.find(b"\n")
    if raw.startswith(OPEN) and raw[end - 1 : end] == b",":
        try:
            meta = jsonio.loads(raw[len(OPEN) : end - 1])
        except ValueError:
            meta = None
        if isinstance(meta, dict) and isinstance(meta.get("1"), dict):
            head = jsonio.dumps({"1": committed_meta(meta["1"])}).encode()
            return OPEN + head + raw[end - 1 :]
    meta, docs = decode(raw, kind)
    return encode(meta, docs, kind)


def _loads(raw: bytes) -> object:
    """JSON from bytes: orjson for a large file (it parses faster than it takes to
    import), else `jsonio`."""
    if len(raw) > BIG_FILE:
        import orjson

        return orjson.loads(raw)
    return jsonio.loads(raw)


def merge_bytes(base: bytes | None, ours: bytes, theirs: bytes, kind: str) -> tuple[bytes, Merged]:
    """One file merged from its three versions (`base` None: no common version)."""
    was_meta, was = decode(base, kind) if base is not None else ({}, None)
    meta, mine = decode(ours, kind)
    other_meta, other = decode(theirs, kind)
    if kind == CORPUS:
        merged = merge_corpus(was, mine, other)
    elif kind == STATE:
        merged = merge_states(was, mine, other)
    elif kind == LAYOUT:
        merged = Merged(max(mine, other, key=_layout_prefix))
    else:
        merged = Merged(merge_settings(was, mine, other))
    return encode(merge_meta(meta, other_meta), merged.docs, kind), merged


def _layout_prefix(layout: dict) -> int:
    return _number(layout.get("prefix"))


def _number(value: object) -> int:
    """An int read from a file, 0 for anything else (a damaged value still merges)."""
    return value if type(value) is int else 0


def merge_meta(ours: dict, theirs: dict) -> dict:
    """A merged file's `_meta`: the newer schema, and nothing of one machine only (no
    generation token), so it is the same on every machine."""
    mine, other = committed_meta(ours), committed_meta(theirs)
    if not mine or not other:
        return mine or other
    return max(mine, other, key=lambda m: (_number(m.get("schema")), canonical(m)))


def merge_settings(base: dict | None, ours: dict, theirs: dict) -> dict:
    """Settings key by key: what one side changed, else the same choice on both sides."""
    merged: dict = {}
    for key in dict.fromkeys([*ours, *theirs]):
        mine, other = ours.get(key), theirs.get(key)
        was = (base or {}).get(key)
        if key in LOCAL_SETTINGS:
            continue
        if mine == other or (base is not None and other == was):
            value = mine
        elif base is not None and mine == was:
            value = other
        else:
            value = max((mine, other), key=canonical)
        if value is not None:
            merged[key] = value
    return merged


def shared_settings(settings: dict) -> dict:
    """Settings without those of this machine only (what is committed)."""
    return {k: v for k, v in settings.items() if k not in LOCAL_SETTINGS}


def view_of(files: Iterable[tuple[str, bytes]]) -> View:
    """The whole library that the synced files (path, bytes) hold."""
    papers: dict = {}
    states: dict = {}
    for path, raw in files:
        kind = kind_of(path)
        if kind not in TABLES:
            continue
        try:
            docs = decode(raw, kind)[1]
        except CodecError as error:
            raise CodecError(f"{path}: {error}") from None
        (papers if kind == CORPUS else states).update(docs)
    return View(papers, states)


def shard_prefix(folder: Path) -> int:
    """How many id characters name a state shard in a library folder (its layout file)."""
    try:
        layout = jsonio.loads((folder / LAYOUT_FILE).read_bytes())
    except (OSError, ValueError):
        layout = {}
    prefix = layout.get("prefix") if isinstance(layout, dict) else None
    return prefix if type(prefix) is int and prefix > 0 else DEFAULT_PREFIX
