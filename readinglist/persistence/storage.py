"""A crash-safe TinyDB storage: atomic replace on write, cached reads.

Every file operation of the storage layer goes through the names below (`link`,
`replace`, `fsync`, `write_bytes`, `write_at`), so tests can inject faults (ENOSPC, EIO, EXDEV, a
missing `os.link`) by replacing them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar

import orjson
from tinydb.storages import Storage
from tinydb.table import Table

from readinglist.errors import LibraryError
from readinglist.persistence.lines import (
    META_TABLE,
    OPEN,
    is_lined,
    line_pieces,
    lines_of,
    spans_in,
)

SCHEMA_VERSION = 3  # 3: per-field stamps; 2: state in 4,096 shards and stored cite keys
FIRST_SCHEMA = 1  # what a file without a schema was written by
RESTORING = ".restoring"  # names the backup being restored, until it is done (backups.py)
TEMP_SUFFIX = ".tmp"
_READS = 3  # times the corpus is read at once while a write in place changes it under it
_READ_WAIT = 5.0  # seconds it is then read again, a little later each time, before giving up


link = os.link
replace = os.replace
fsync = os.fsync
copy_file = shutil.copyfile


def write_bytes(handle, data: bytes | bytearray | memoryview | array) -> None:
    """Write all of `data` to an open file (a seam for injected faults)."""
    handle.write(data)
    handle.flush()


Write = tuple[int, bytes]  # bytes written over a file's own at an offset (splice.py)


def patched(raw: bytes, writes: list[Write]) -> bytes:
    """`raw` with `writes` made to it, in memory (a write in place under way, as it ends)."""
    out = bytearray(raw)
    for offset, data in writes:
        if offset + len(data) <= len(out):  # (a file of another size: not the one written)
            out[offset : offset + len(data)] = data
    return bytes(out)


def write_at(fd: int, data: bytes, offset: int) -> None:
    """Write all of `data` over an open file's bytes from `offset` (a seam for faults)."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def atomic_write(
    path: Path, data: bytes | Callable[[BinaryIO], None], sync_folder: bool = True
) -> None:
    """Write `data` to `path` through a synced temp file and `os.replace` (mode 0600).

    `data` may be a function that writes the content to the open temp file (a corpus
    spliced from the old one). Without `sync_folder` the rename is durable only once
    the caller syncs the folder (`fsync_folder`): one sync for many files written
    together. A symlink is written through: the file it points to is replaced, the
    link stays.
    """
    if os.path.islink(path):
        path = Path(os.path.realpath(path))
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                write_bytes(handle, data)
            fsync(handle.fileno())
        replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if sync_folder:
        fsync_folder(path.parent)


def changed_at(folder: Path) -> int | None:
    """When a file was last added to, renamed in or removed from `folder` (its mtime)."""
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


GROUP = 256  # files written, then synced, then renamed together (open descriptors at once)


class FileWriteError(Exception):
    """A write of `atomic_write_all` failed: `path` is the file, `error` the OSError."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(f"{path}: {error.strerror}")
        self.path, self.error = path, error


def atomic_write_all(files: list[tuple[Path, bytes]]) -> None:
    """`atomic_write` for many files of one folder, `GROUP` at a time: each group's temp
    files are written, then synced, then renamed, so the disk's flushes come together.

    The same guarantee as one `atomic_write` each: after a crash every file is wholly
    old or wholly new (a file is renamed only once its data is synced). The renames are
    durable once the caller syncs the folder (`fsync_folder`). Raises FileWriteError
    naming the file an OSError came from; temp files not renamed are removed.
    """
    for start in range(0, len(files), GROUP):
        _write_group(files[start : start + GROUP])


def _write_group(files: list[tuple[Path, bytes]]) -> None:
    temps: list[tuple[str, Path]] = []
    handles = []
    current = Path()
    try:
        for path, data in files:
            current = path
            fd, temp = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
            )
            temps.append((temp, path))
            handles.append(handle := os.fdopen(fd, "wb"))
            write_bytes(handle, data)
        for handle, (_, path) in zip(handles, temps, strict=True):
            current = path
            fsync(handle.fileno())
            handle.close()
        while temps:
            temp, current = temps[0]
            replace(temp, current)
            temps.pop(0)
    except OSError as exc:
        raise FileWriteError(current, exc) from None
    finally:
        for handle in handles:
            with contextlib.suppress(OSError):
                handle.close()
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def replace_unsynced(path: Path, data: bytes) -> None:
    """Write a cache file: a temp file (mode 0600) renamed over `path`, with no fsync (a
    torn cache is only a miss). A link planted under the name is replaced, not written
    through; a reader sees the old file or the new one."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def fsync_folder(folder: Path) -> None:
    """Make the renames done in `folder` durable."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def signature(path: Path) -> tuple | None:
    """What identifies one version of a file on disk (None when absent)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LibraryError(f"{path}: cannot read ({exc.strerror})") from None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file, and re-reads only on change."""

    def __init__(self, path: str | Path, sync_folder: bool = True, table: str = "") -> None:
        self.path = Path(path)
        self.sync_folder = sync_folder  # else the caller syncs the folder after its writes
        self.table = table  # written one record a line (lines.py), else as one JSON line
        self.spans: dict[str, tuple[int, int]] = {}  # each record's line, as last written
        self._cache: dict | None = None
        self._signature: tuple | None = None
        self.meta: dict = {}  # what the file says of itself (`schema`), as last read or written
        self.extra_meta: dict = {}  # more for the next writes to say (a move under way)

    def read(self) -> dict | None:
        current = signature(self.path)
        if current is None:
            self._cache, self._signature = None, None
            return None
        if current != self._signature or self._cache is None:
            self._cache = self._load(current)
            self._signature = current
            meta = self._cache.get(META_TABLE, {}).get("1")
            self.meta = meta if isinstance(meta, dict) else {"schema": FIRST_SCHEMA}
        return self._cache

    def _load(self, stamp: tuple) -> dict:
        return load_json_file(self.path)

    def _meta(self, data: dict) -> dict:
        """What the file's `_meta` record holds (and `extra_meta`: a move under way)."""
        return {"schema": SCHEMA_VERSION, **self.extra_meta}

    def write(self, data: dict) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data[META_TABLE] = {"1": self._meta(data)}
            atomic_write(self.path, self._writer(data), self.sync_folder)
        except BaseException as exc:
            # TinyDB changed the cached dict in place: forget it, the file is unchanged.
            self._cache, self._signature = None, None
            if isinstance(exc, OSError):
                raise LibraryError(f"{self.path}: cannot write ({exc.strerror})") from None
            raise
        self._cache, self._signature = data, signature(self.path)
        self.meta = data[META_TABLE]["1"]

    def prepare(self, data: dict) -> bytes:
        """The bytes a write of `data` puts in the file (for `write_together`)."""
        data[META_TABLE] = {"1": self._meta(data)}
        return self._encode(data)

    def written(self, data: dict) -> None:
        """Take `data` as what the file now holds (after `write_together` wrote it)."""
        self._cache, self._signature = data, signature(self.path)
        self.meta = data[META_TABLE]["1"]

    def _encode(self, data: dict) -> bytes:
        if not self.table:
            return orjson.dumps(data)
        raw, self.spans = lines_of(data, self.table, by_id=self.table != "papers")
        return raw

    def _writer(self, data: dict) -> bytes | Callable[[BinaryIO], None]:
        """What `atomic_write` writes for `data`: a lined file in pieces (`spans`
        filled as they are written), never whole in memory."""
        if not self.table:
            return orjson.dumps(data)
        self.spans = {}
        pieces = line_pieces(data, self.table, self.spans, by_id=self.table != "papers")

        def write(handle: BinaryIO) -> None:
            for piece in pieces:
                write_bytes(handle, piece)

        return write

    @property
    def stamp(self) -> tuple | None:
        """The signature of the file as last read or written (None before)."""
        return self._signature

    def changed(self) -> bool:
        """Whether the file differs from what this storage last read or wrote."""
        return signature(self.path) != self._signature

    def forget_all(self) -> None:
        """Drop the parsed data and the signature: the file is read again when next needed."""
        self._cache, self._signature = None, None

    def forget(self) -> None:
        """Drop the parsed data (it is read again when next needed); keep the signature."""
        self._cache = None

    def close(self) -> None:
        self._cache = None


class CorpusStorage(AtomicJSONStorage):
    """AtomicJSONStorage for the corpus: every write carries a new generation token.

    The token (random, 128 bits: it never repeats, whatever the clock, the inode or a
    sync tool does) is written to the manifest first, then inside the file itself, so
    a cache built from the file's content names the exact version it was built from
    (`generation`), and is used only while the manifest names the same one.
    """

    def __init__(self, path: str | Path, manifest: str | Path) -> None:
        super().__init__(path, table="papers")
        self.manifest = Path(manifest)
        self.lined = False  # whether the file read was written one record a line
        self.want_spans = False  # find each record's line when reading (see `spans`)
        # Called with the records and their lines after each write, and after a read
        # with `want_spans` (the library's directory).
        self.on_write: Callable[[dict, dict], None] | None = None
        # The in-place writes committed for the corpus of a generation (the journal's),
        # if they are those of a file whose line 1 names the other generation and size.
        self.writes_of: Callable[[str | None, str | None, int], list[Write] | None] = (
            lambda generation, found, size: None
        )
        self.generation: str | None = None  # of the content last read or written
        self._seen: str | None = None  # the manifest's token when the content was read
        self._next: str | None = None  # the token the next write gives (see `reserve`)

    def read(self) -> dict | None:
        if self._cache is not None and self.named() != self._seen:
            self._cache = None  # another process wrote, whatever the file's stamp says
        return super().read()

    def changed(self) -> bool:
        return super().changed() or self.named() != self._seen

    def unsettled(self) -> bool:
        """Whether the manifest names another generation than the content read (a writer
        died between the two, or wrote the corpus with an earlier release)."""
        return self.named() != self.generation

    def settle(self, papers: int) -> None:
        """Make the manifest name the generation read (writers, under the lock)."""
        write_manifest(self.manifest, {"generation": self.generation, "papers": papers})
        self._seen = self.generation

    def named(self) -> str | None:
        """The generation the manifest names now."""
        token = read_manifest(self.manifest).get("generation")
        return token if isinstance(token, str) else None

    def _load(self, stamp: tuple) -> dict:
        raw = self._read_whole()
        data = parse_library_file(self.path, raw)
        self.generation = generation_of(data)
        self.spans = (spans_in(raw, self.table) or {}) if self.want_spans else {}
        self.lined = is_lined(raw)
        return data

    def _read_whole(self) -> bytes:
        """The corpus file's bytes as of one generation, the one the manifest names.

        A write in place (splice.py) names its generation in the manifest, then writes
        the file, its line 1 last: bytes read while it writes may mix the two. So the
        manifest is read before and after the file, and the file's line 1 must name
        the same generation; bytes whose line 1 does not (the write under way) are
        taken with the journal's writes made, or read again once it is done (for up
        to `_READ_WAIT` seconds: then a one-line error, never a mix). A file that names
        another generation twice running (a writer killed between manifest and file),
        or a library without a manifest (no write in place is under way: it names its
        generation first), is taken as it is, as before (`unsettled`).
        """
        last: object = object()  # the generation the read before found (none yet)
        deadline, attempt = None, 0
        while True:
            self._seen = seen = self.named()  # first: a write after this is seen next time
            raw = read_library_file(self.path)
            head = _head_generation(raw, seen)
            writes = self.writes_of(seen, head, len(raw)) if head != seen else None
            if writes:
                raw = patched(raw, writes)
                head = _head_generation(raw, seen)
            if self.named() == seen and (head in (seen, last) or seen is None):
                return raw
            last, attempt = head, attempt + 1
            if attempt >= _READS:
                deadline = deadline or time.monotonic() + _READ_WAIT
                if time.monotonic() > deadline:
                    self._seen = None
                    raise LibraryError(f"{self.path}: being written by another process; try again")
                time.sleep(0.01 * min(attempt, 20))

    def reserve(self) -> str:
        """The generation token the next write will give the corpus (for a journal)."""
        self._next = self._next or secrets.token_hex(16)
        return self._next

    def _meta(self, data: dict) -> dict:
        token, self._next = self._next or secrets.token_hex(16), None
        write_manifest(self.manifest, {"generation": token, "papers": len(data.get("papers", {}))})
        return {**super()._meta(data), "generation": token}

    def write_spliced(self, token: str, papers: int, write_file: Callable[[], None]) -> None:
        """Write the corpus through `write_file` (persistence/splice.py), which gives it
        generation `token`: the manifest names it first, as in every write."""
        try:
            write_manifest(self.manifest, {"generation": token, "papers": papers})
            write_file()
        except OSError as exc:
            raise LibraryError(f"{self.path}: cannot write ({exc.strerror})") from None
        finally:
            self._cache, self._signature = None, None  # read again when next needed
        self.generation = self._seen = token
        self.lined = True
        self.meta = {"schema": SCHEMA_VERSION, "generation": token}

    def write(self, data: dict) -> None:
        super().write(data)
        self.generation = self._seen = generation_of(data)
        self.lined = True
        if self.on_write is not None:
            self.on_write(data.get(self.table, {}), self.spans)


def _head_generation(raw: bytes, otherwise: str | None) -> str | None:
    """The generation line 1 of a lined corpus names (`otherwise` for a file written
    as one line, which is never written in place)."""
    if not is_lined(raw):
        return otherwise
    end = raw.find(b"\n", 0, 1 << 16)
    try:
        meta = orjson.loads(raw[len(OPEN) : end - 1])["1"]
        token = meta.get("generation")
    except (orjson.JSONDecodeError, TypeError, KeyError, AttributeError):
        return None
    return token if isinstance(token, str) else None


def generation_of(data: dict) -> str | None:
    """The generation token a corpus file's content carries (None: written before tokens)."""
    meta = data.get(META_TABLE, {}).get("1", {})
    token = meta.get("generation") if isinstance(meta, dict) else None
    return token if isinstance(token, str) else None


def read_manifest(path: Path) -> dict:
    """The library manifest ({} when absent or unreadable: then no cache is trusted)."""
    try:
        manifest = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def write_manifest(path: Path, manifest: dict) -> None:
    """Write the library manifest (before the corpus: see CorpusStorage)."""
    atomic_write(path, orjson.dumps(manifest))


S = TypeVar("S", bound=AtomicJSONStorage, covariant=True)


class RecordTable(Table, Generic[S]):
    """A TinyDB table keyed by content ids (strings), written in batches.

    `change` and `raw` go through the storage's public read/write, not TinyDB's
    private table helpers, so a TinyDB release cannot change what they do.
    """

    # TinyDB types document ids as int; ours are content ids (strings).
    document_id_class = str  # type: ignore[assignment]

    def __init__(self, storage: S, name: str) -> None:
        super().__init__(storage, name, cache_size=0)
        self._typed_storage = storage

    @property
    def storage(self) -> S:
        """The storage, typed as what it is (TinyDB's own type says only Storage)."""
        return self._typed_storage

    def change(self, updater: Callable[[dict], None]) -> None:
        """Edit a copy of the stored documents with `updater`, then write once.

        When `updater` raises, nothing is written and the documents read before stay as they were.
        """
        tables = self._typed_storage.read() or {}
        table = dict(tables.get(self.name, {}))
        updater(table)
        tables[self.name] = table
        self._typed_storage.write(tables)
        self.clear_cache()

    def raw(self) -> dict[str, dict]:
        """The stored documents, without copying (read-only use)."""
        tables = self._typed_storage.read() or {}
        return tables.get(self.name, {})


def change_together(
    changes: list[tuple[RecordTable[AtomicJSONStorage], Callable[[dict], None]]],
) -> None:
    """`RecordTable.change` of many tables of one folder, their files written together
    (`atomic_write_all`: the same guarantees, far fewer waits for the disk). Storages
    that the caller syncs the folder for (sync_folder False) only.

    A failed write raises LibraryError naming the file; what the storages of the
    failed group and after it held is forgotten (read again when next needed).
    """
    writes = []
    for table, updater in changes:
        storage = table.storage
        tables = storage.read() or {}
        content = dict(tables.get(table.name, {}))
        updater(content)
        tables[table.name] = content
        writes.append((table, tables))
    try:
        if writes:
            writes[0][0].storage.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_all([(t.storage.path, t.storage.prepare(data)) for t, data in writes])
    except BaseException as exc:
        for table, _ in writes:  # TinyDB changed cached dicts in place: forget them all
            table.storage.forget_all()
        if isinstance(exc, FileWriteError):
            raise LibraryError(f"{exc.path}: cannot write ({exc.error.strerror})") from None
        if isinstance(exc, OSError):
            raise LibraryError(
                f"{writes[0][0].storage.path.parent}: cannot write ({exc.strerror})"
            ) from None
        raise
    for table, data in writes:
        table.storage.written(data)
        table.clear_cache()


def load_json_file(path: Path) -> dict:
    """Read a library JSON file, or raise a LibraryError that names it."""
    return parse_library_file(path, read_library_file(path))


def read_library_file(path: Path) -> bytes:
    """The bytes of a library file, or a LibraryError that names it."""
    try:
        return path.read_bytes()
    except PermissionError:
        raise LibraryError(f"{path}: permission denied (check the file's owner and mode)") from None
    except OSError as exc:
        raise LibraryError(f"{path}: cannot read ({exc.strerror})") from None


def parse_library_file(path: Path, raw: bytes) -> dict:
    """The tables of a library file's bytes, or a LibraryError that names it."""
    hint = "run `readinglist restore` to go back to a backup"
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise LibraryError(f"{path}: damaged (not valid JSON); {hint}") from None
    if not _tables_of_records(data):
        raise LibraryError(f"{path}: damaged (unexpected content); {hint}")
    version = data.get(META_TABLE, {}).get("1", {}).get("schema", SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise LibraryError(
            f"{path}: written by a newer readinglist (schema {version}); upgrade readinglist"
        )
    return data


def _tables_of_records(data) -> bool:
    """Whether `data` has TinyDB's shape: tables of records, each a JSON object."""
    return isinstance(data, dict) and all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    )
