"""The library on disk: a TinyDB corpus of papers plus sharded TinyDB files of user state.

Layout of a library folder::

    papers.json        bibliographic records (large, rewritten on import/edit/delete)
    manifest.json      the corpus's generation token (new at every write) and paper count
    state/             read flag, tags, note; 4,096 small shards by id prefix (shards.py)
    settings.json      per-library settings (default citation style, ...)
    backups/STAMP/     previous versions (hard links: old files are never modified)
    .lock              guards every writer, across processes
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import json
import os
import re
import secrets
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from readinglist.errors import LibraryError, ParseError, ReadingListError, UnknownIdError
from readinglist.listing import sort_key
from readinglist.model import (
    BIB_FIELDS,
    KEY_RULE,
    STATE_FIELDS,
    Paper,
    now_iso,
    paper_id,
    short_ids,
    valid_key,
)
from readinglist.persistence import lookup
from readinglist.persistence.directory import Directory, first_meta, record_at, save_directory
from readinglist.persistence.journal import InPlace, Journal
from readinglist.persistence.shards import UNKNOWN as _UNKNOWN_STATE
from readinglist.persistence.shards import StateShards
from readinglist.persistence.storage import (
    RESTORING,
    SCHEMA_VERSION,
    TEMP_SUFFIX,
    CorpusStorage,
    RecordTable,
    atomic_write,
    changed_at,
    read_manifest,
)
from readinglist.validation import (
    paper_problem,
    papers_problem,
    record_label,
    stored_problem,
)

if TYPE_CHECKING:
    from filelock import FileLock

    from readinglist import edits
    from readinglist.dedupe import DedupeIndex
    from readinglist.edits import Edit, Stamp
    from readinglist.persistence import backups, splice
    from readinglist.progress import Progress
    from readinglist.settings import Settings

PAPERS_FILE = "papers.json"
MANIFEST_FILE = "manifest.json"
OBSOLETE_FILES = ("papers.copy",)  # caches of earlier releases, deleted by the next writer
STATE_DIR = "state"
SETTINGS_FILE = "settings.json"
LOCK_FILE = ".lock"
LOCK_TIMEOUT = 15.0
REPLICA_SETTING = "replica"  # where earlier releases kept the replica id
REPLICA_FILE = "replica"  # this copy's id: per machine, never synced nor backed up
LOCAL_SETTINGS = (REPLICA_SETTING,)  # settings a sync leaves as they are on this machine
SEARCH_LINES = 2000  # a search printing more papers reads the whole corpus (cheaper then)
_PROCESS_REPLICA = secrets.token_hex(8)
_BIB_NAMES = {*BIB_FIELDS, "stamps"}
_MOST_SPLICED = 64  # papers a change may rewrite line by line (more: the whole corpus)
_HEX_ID = re.compile(r"[0-9a-f]{6,64}")
_HEX_PREFIX = re.compile(r"[0-9a-f]+")


class _OnFirstUse:
    """A module imported when first used, not with this one: what the app's first page
    never needs (edits, backups, splices) is left out of the imports before its paint."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)

    def __setattr__(self, attr: str, value) -> None:  # (a test's patch reaches the module)
        setattr(importlib.import_module(self._name), attr, value)

    def __delattr__(self, attr: str) -> None:
        delattr(importlib.import_module(self._name), attr)


if not TYPE_CHECKING:
    edits = _OnFirstUse("readinglist.edits")
    backups = _OnFirstUse("readinglist.persistence.backups")
    splice = _OnFirstUse("readinglist.persistence.splice")


@dataclass
class ImportReport:
    """What one import did: papers parsed, added as new, merged into existing ones."""

    source: str
    parsed: int
    added: int
    merged: int
    ids: list[str] = field(default_factory=list)  # the stored papers the file added or merged
    papers: list[Paper] = field(default_factory=list)  # those papers (as they would be stored)
    skipped: int = 0  # blocks of the file left out (each one noted)
    # With dry_run: ("add", paper, None, "") or ("merge", paper, stored paper, reason).
    plan: list = field(default_factory=list)


@dataclass
class FirstPage:
    """The first papers of a listing, read before the rest of the library."""

    papers: list[Paper]
    total: int  # papers in the library


class Library:
    """All reads and writes of one library folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._filelock: FileLock | None = None  # made by the first write (`_lock`)
        corpus = CorpusStorage(self.root / PAPERS_FILE, self.root / MANIFEST_FILE)
        corpus.on_write = self._save_directory
        self._journal = Journal(self.root)
        corpus.writes_of = self._journal.writes
        self._corpus = RecordTable(corpus, "papers")
        self._state = StateShards(self.root / STATE_DIR)
        self._state.on_write = self._note_state_write
        self._papers: dict[str, Paper] = {}
        self._names = lookup.PapersInMemory(self._papers)  # ids, aliases, keys: kept current
        self._cite_keys: dict[str, str] | None = None  # every paper's key, while none changed
        self.version = 0  # grows each time changes made on disk (by anyone) are loaded
        self._stale = True  # never read, or a read failed half way: read everything (again)
        self._cleaned = False
        self._replica: str | None = None
        self._backup_label = ""  # set by `backed_up`: the next write takes a labelled backup
        self.notices: list[str] = []  # what a write did on its own, for the user to hear
        self._directory: Directory | None = None  # to read one paper without the corpus
        self._loose: dict[str, Paper] = {}  # papers read one by one through the directory
        self._index_wanted = False  # a write asked for the search index to be saved afresh
        self._indexing: Progress | None = None  # the import's progress, to show it
        self._no_copies = False  # this hold of the lock found no conflict copy
        self._copies_left: int | None = None  # the state folder's time when last left so

    @property
    def _lock(self) -> FileLock:
        """The lock every writer takes (filelock is imported by the first write)."""
        if self._filelock is None:
            from filelock import FileLock

            where = str(self.root / LOCK_FILE)
            self._filelock = FileLock(where, timeout=LOCK_TIMEOUT, mode=0o600)
        return self._filelock

    # ----- reading -------------------------------------------------------------

    def exists(self) -> bool:
        """Whether a library has been written here."""
        return (self.root / PAPERS_FILE).exists()

    def papers(self) -> list[Paper]:
        """Every paper with its current state, re-read from disk where it changed."""
        self.refresh()
        return list(self._papers.values())

    def index_folder(self) -> Path | None:
        """Where the search index is saved (None until the library is first written)."""
        return self.root if self.exists() else None

    def search(self, text: str, limit: int | None = None) -> list[tuple[Paper, float]]:
        """Ranked papers and their scores for a query (the best `limit`; None: all).

        Uses the index saved in the library folder while it fits the papers, and saves
        it when it did not. Raises QueryError for a malformed qualifier.
        """
        from readinglist.search.cache import search_papers

        hits = self._search_saved(text, limit)
        if hits is not None:
            return hits
        papers = self.papers()
        return search_papers(papers, text, limit, self.index_folder(), self.corpus_generation())

    def _search_saved(self, text: str, limit: int | None) -> list[tuple[Paper, float]] | None:
        """`search` with the saved index, the saved state and the directory only: the
        corpus is read for the papers it prints (and the abstracts a phrase needs).

        None when any of them is not current or usable (then the whole library is read).
        """
        directory = self._lean() if self._stale else None
        if directory is None:
            return None
        from readinglist.search import cache, rows, saved_state
        from readinglist.search.query import parse_query

        query = parse_query(text)
        states = saved_state.load_states(self.root, self._state)
        if states is None:
            return None
        read: dict[str, Paper | None] = {}  # each paper read once (a phrase, then the hits)

        def fetch(pid: str) -> Paper | None:
            if pid not in read:
                read[pid] = self._fetch_one(pid, directory)
            return read[pid]

        try:
            index = cache.load_saved(self.root, directory.generation, states, fetch)
            if index is None or len(index) != len(directory.ids):  # not the same papers
                return None
            result = index.search(query, limit)
            if len(result.ids) > SEARCH_LINES:
                return None
            hits = [(fetch(pid), result.scores[pid]) for pid in result.ids]
        except rows.Unavailable:
            return None
        if any(paper is None for paper, _ in hits):
            return None  # the index holds a paper the directory does not: ask the corpus
        return [(paper, score) for paper, score in hits if paper is not None]

    def listed(self) -> list[Paper] | None:
        """Every paper as `list` shows it, in the library's order, without the corpus:
        rows of the saved search index (no abstracts) with the saved state (listed.py).

        None when only the whole library can tell (then read it: `papers`).
        """
        directory = self._lean() if self._stale else None
        if directory is None:
            return None
        from readinglist.persistence import listed

        return listed.saved_rows(
            self.root,
            self.root / PAPERS_FILE,
            directory,
            self._state,
            lambda pid: self._fetch_one(pid, directory),
        )

    def listed_json(self) -> list[dict] | None:
        """Every paper's `to_json()`, in the library's order, made from the stored records
        and states without Paper objects (listed_json.py).

        None when only the whole read can tell (a restore or journal pending, another
        schema, a move under way, a damaged file or record: the whole read reports it).
        """
        if not self._stale or (self.root / RESTORING).exists():
            return None
        from readinglist.persistence import listed_json

        storage = self._corpus.storage
        return listed_json.stored_shapes(
            storage.path, storage.named, self._journal.path, self._state, _paper
        )

    def _fetch_one(self, pid: str, directory: Directory) -> Paper | None:
        """Paper `pid` through the directory, for a search: None when the directory does
        not hold it, Unavailable when it cannot be read."""
        from readinglist.search.rows import Unavailable

        if not directory.has(pid):
            return None
        paper = self._read_one(pid, directory)
        if paper is None:
            raise Unavailable(pid)
        return paper

    def refresh(self, writer: bool = False) -> bool:
        """Pick up changes made by other processes; return whether anything changed.

        `writer`: called under the lock (see `StateShards.updates`). A reader that finds
        a restore cut short finishes it first (under the lock), rather than show a library
        half one backup, half the library before it.
        """
        if not writer and (self.root / RESTORING).exists():
            with self._writing(load=False):
                self._state.announce(remember=False)
        corpus = self._corpus.storage
        if self._stale or corpus.changed() or (writer and corpus.unsettled()):
            self._load_corpus()
            if writer and corpus.unsettled():
                corpus.settle(len(self._papers))
            return True
        try:
            states = self._state.updates(writer)
        except LibraryError:
            self._stale = True  # read everything again next time
            raise
        if states is None:
            self._load_corpus()
            return True
        return self._take_states(states)

    def _take_states(self, states: dict[str, dict]) -> bool:
        """Apply states read from disk to the papers in memory; return whether any changed."""
        changed = False
        for pid, state in states.items():
            paper = self._papers.get(pid)
            if paper is not None and paper.stored_state() != state:
                self._papers[pid] = replace(paper, **_state_values(state))
                changed = True
        if changed:
            self.version += 1
        return changed

    def corpus_generation(self) -> str | None:
        """The generation token of the corpus the papers in memory come from (for caches).

        None for a corpus written before tokens: no cache is then trusted as is.
        """
        return self._corpus.storage.generation

    def get(self, ref: str) -> Paper:
        """The paper whose id, alias, cite key or unique id prefix (≥ 4 characters) is `ref`.

        Before the whole library is read, it is found through the directory: one line
        of the corpus and one state shard are read, whatever the library's size.
        """
        paper = self._get_one(ref)
        if paper is not None:
            return paper
        pid = self.resolve(ref)
        return self._papers[pid]

    def resolve(self, ref: str) -> str:
        """The full id for an id, alias, cite key or unique prefix; raises UnknownIdError."""
        paper = self._get_one(ref)
        if paper is not None:
            return paper.id
        self.refresh()
        return self._resolve(ref)

    def _resolve(self, ref: str, directory: Directory | None = None) -> str:
        """The id `ref` names, in memory or, with `directory`, through it (Unsure when
        only the whole library can tell)."""
        return lookup.resolve(ref, directory or self._names)

    def holding(self, ids: Iterable[str]) -> set[str]:
        """Which of these paper ids the library holds (through the directory if it can)."""
        ids = list(ids)
        directory = self._lean() if self._stale else None
        if directory is not None:
            return {pid for pid in ids if directory.has(pid)}
        self.refresh()
        return {pid for pid in ids if pid in self._papers}

    def short_ids(self) -> Mapping[str, str]:
        """Shortest unique prefix of every id (at least six characters).

        Before the whole library is read: worked out per id, from the directory.
        """
        if self._stale and (directory := self._lean()) is not None:
            return lookup.ShortIds(directory)
        self.refresh()
        return short_ids(list(self._papers))

    # ----- one paper at a time, through the directory ------------------------------

    def _lean(self) -> Directory | None:
        """The directory, if a paper can be read through it now (else the whole corpus).

        Only while no restore or journal is pending and the manifest names the
        generation the directory was made from (the corpus line read is checked too).
        """
        if (self.root / RESTORING).exists() or self._journal.path.exists():
            return None
        generation = self._corpus.storage.named()
        if generation is None:
            return None
        if self._directory is None or self._directory.generation != generation:
            self._directory = Directory.load(self.root, generation)
            self._loose = {}
        return self._directory

    def _get_one(self, ref: str) -> Paper | None:
        """The paper `ref` names, read through the directory (None: read everything)."""
        directory = self._lean() if self._stale else None
        if directory is None:
            return None
        try:
            pid = self._resolve(ref, directory)
        except (lookup.Unsure, UnknownIdError):  # the whole library decides, and says why
            return None
        paper = self._read_one(pid, directory)
        return paper if paper is not None and lookup.named_by(paper, ref) else None

    def _read_one(self, pid: str, directory: Directory) -> Paper | None:
        """Paper `pid` from its corpus line and its state shard (None if either is not usable)."""
        try:
            meta, handle = first_meta(self.root / PAPERS_FILE)
        except OSError:
            return None
        with handle:
            usable = (
                os.fstat(handle.fileno()).st_size == directory.size
                and meta is not None
                and meta.get("generation") == directory.generation
                and meta.get("schema") == SCHEMA_VERSION
                and not meta.get("moving")
            )
            record = record_at(handle, pid, directory.span(pid)) if usable else None
        if record is None or stored_problem(pid, record):
            return None
        if self._corpus.storage.named() != directory.generation:
            return None  # written meanwhile (in place, maybe under the read: splice.py)
        state = self._state.state_of(pid)
        if state is _UNKNOWN_STATE:
            return None
        paper = _paper(pid, record, state)
        if paper is not None:
            self._loose[pid] = paper
        return paper

    def first_page(self, sort: str, read: bool | None, count: int) -> FirstPage | None:
        """The first `count` papers listed by `sort` (listing.SORTS) with read state `read`
        (None: any), read through the directory: their corpus lines and state shards only.

        None when only the whole library can tell (see `_lean`: a restore or journal
        pending, a missing, stale or damaged directory, an earlier layout), when it has
        been read whole already, or when the directory's first papers of `sort` (ORDERED
        of them, directory.py) hold fewer than `count` that fit.
        """
        directory = self._lean() if self._stale else None
        if directory is None or sort not in directory.orders:
            return None
        papers: list[Paper] = []
        for pid in directory.in_order(sort):
            if len(papers) == count:
                break
            state = self._state.state_of(pid)
            if state is _UNKNOWN_STATE:
                return None
            if read is None or bool(state and state.get("read")) == read:
                paper = self._read_one(pid, directory)
                if paper is None or (read is not None and paper.read != read):
                    return None
                papers.append(paper)
        if len(papers) < count and not directory.orders_all(sort):
            return None  # the rest may hold more: only the whole library can tell
        return FirstPage(papers, len(directory.ids))

    def _save_directory(self, docs: dict, spans: dict) -> None:
        """Keep the directory of the corpus just written (or read, when it had none)."""
        save_directory(self.root, self._corpus.storage.generation, docs, spans)
        self._directory = None

    def cite_keys(self, papers: list[Paper] | None = None) -> dict[str, str]:
        """Cite keys by id, unique across the library: those of `papers` at least (None: all).

        Papers read through the directory that own their stored key need nothing more;
        otherwise every paper's key is worked out (`cite_keys`) and kept between calls
        while no key can have changed (a paper stored with its key changing only its
        state or other fields leaves them as they are).
        """
        directory = self._lean() if self._stale and papers is not None else None
        if (
            papers is not None
            and directory is not None
            and all(
                p.key and valid_key(p.key) and directory.key_owner(p.key) == p.id for p in papers
            )
        ):
            return {p.id: p.key for p in papers}
        self.refresh()
        if self._cite_keys is None:
            self._cite_keys = cite_keys(self._papers.values())
        return self._cite_keys

    def settings(self) -> dict:
        """This library's settings."""
        path = self.root / SETTINGS_FILE
        try:
            settings = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            settings = None
        if not isinstance(settings, dict):
            raise LibraryError(f"{path}: damaged settings file; fix or delete it")
        return settings

    def preferences(self) -> Settings:
        """The settings the front ends use, typed (LibraryError: a damaged settings file)."""
        from readinglist.settings import Settings  # not needed by most commands: loaded here

        return Settings.of(self.settings())

    def replica(self) -> str:
        """This library copy's id, made once and kept in `replica` beside the library
        (stamps name it). It is this machine's alone: never synced, never backed up.

        A library that kept it in its settings (earlier releases) moves it out.
        Without a place to keep it (a read-only folder) a process-wide id stands in.
        """
        if self._replica is None:
            self._replica = self._stored_replica() or self._make_replica()
        return self._replica

    def _stored_replica(self) -> str | None:
        try:
            replica = (self.root / REPLICA_FILE).read_text(encoding="ascii").strip()
        except (OSError, UnicodeError):
            return None
        return replica if _HEX_PREFIX.fullmatch(replica) else None

    def _make_replica(self) -> str:
        try:
            with self._writing(load=False):
                replica = self._stored_replica()
                if replica is None:
                    settings = self._settings_or_none()
                    legacy = (settings or {}).get(REPLICA_SETTING)
                    replica = legacy if isinstance(legacy, str) and legacy else None
                    replica = replica or secrets.token_hex(8)
                    atomic_write(self.root / REPLICA_FILE, replica.encode("ascii"))
                    if settings is not None and REPLICA_SETTING in settings:
                        del settings[REPLICA_SETTING]
                        self._write_settings(settings)
                return replica
        except LibraryError:
            return _PROCESS_REPLICA

    def _settings_or_none(self) -> dict | None:
        try:
            return self.settings()
        except LibraryError:
            return None

    def stamp(self, source: str = "user") -> Stamp:  # (edits.USER)
        """A stamp for a change made now on this library copy."""
        return edits.Stamp.now(self.replica(), source)

    # ----- writing -------------------------------------------------------------

    def apply(self, edit: Edit, refs: Iterable[str], missing_ok: bool = False) -> list[Paper]:
        """Store `edit` made to the papers `refs` name, as stored now, under the lock.

        Returns the papers as stored after it (as they were, for a delete).
        `missing_ok`: skip ids no paper has any more (an undo after a delete elsewhere).
        """
        if edit.restores:
            papers = [_checked(p) for p in getattr(edit, "papers", ())]
            self.put(papers)
            return papers
        if edit.removes:
            return self.remove(refs)
        refs = list(refs)
        label = backups.Label("change", f"before a change to {_count(refs)}")
        backup = label if len(refs) > 1 else None
        if not missing_ok and (done := self._apply_one_by_one(edit, refs, backup)) is not None:
            return done
        with self._writing(backup=backup):
            if missing_ok:
                refs = [ref for ref in refs if ref in self._papers]
            pids = self._resolve_all(refs)
            self._take_states(self._state.catch_up(pids))
            changed = [_checked(edit.apply(self._papers[pid])) for pid in pids]
            for paper in changed:
                before = self._papers[paper.id]
                if paper.key != before.key:
                    self._check_key(paper, paper.key)
            self._store(changed)
            return [self._papers[p.id] for p in changed]

    def _apply_one_by_one(
        self, edit: Edit, refs: list[str], backup: backups.Label | None
    ) -> list[Paper] | None:
        """`apply` through the directory for a change of state only (read, tags, note).

        Reads and writes only the state shards of the papers changed: the corpus is
        not read. None (nothing written) when the whole library is needed: it is read
        already, the directory is not usable, or the edit changes more than state.
        """
        if not self._stale or self._conflict_copies():
            return None  # (conflict copies are merged by a write of the whole library)
        with self._locked():
            directory = self._lean()
            named = None if directory is None else self._read_named(refs, directory)
            if directory is None or named is None:
                return None
            before = list(named.values())
            after = [_checked(edit.apply(paper)) for paper in before]
            pairs = list(zip(before, after, strict=True))
            rewritten = [a for b, a in pairs if _bib_changed(b, a)]
            if rewritten and not _spliceable(pairs):
                return None
            self._take_backup(backup)
            kept = _orders_kept(directory, pairs)
            if rewritten and not self._splice(directory, rewritten, orders=kept):
                return None
            states = {a.id: a.stored_state() for b, a in pairs}
            self._state.write(
                {a.id: states[a.id] for b, a in pairs if states[a.id] != b.stored_state()}
            )
            self._loose.update((paper.id, paper) for paper in after)
            return after

    def _read_named(self, refs: list[str], directory: Directory) -> dict[str, Paper] | None:
        """The papers `refs` name (by id, in order, each once), read through the directory;
        None when the whole library must decide (an unknown or unsure name, a line that
        is not the paper's)."""
        try:
            pids = [self._resolve(ref, directory) for ref in refs]
        except (lookup.Unsure, UnknownIdError):  # the whole library decides, and says why
            return None
        found: dict[str, Paper] = {}
        for pid, ref in zip(pids, refs, strict=True):
            paper = found.get(pid) or self._read_one(pid, directory)
            if paper is None or not lookup.named_by(paper, ref):
                return None
            found[pid] = paper
        return found

    def _splice(
        self,
        directory: Directory,
        papers: list[Paper],
        removed: list[str] | None = None,
        added: dict[str, tuple[bytes, dict]] | None = None,
        orders: dict[str, array] | None = None,
        indexing: Progress | None = None,
    ) -> bool:
        """Write the bib changes of `papers` by replacing their corpus lines, take the
        lines of `removed` out and put those of `added` at the end (splice.py); False
        (nothing written) when the file is not the one the directory describes.
        `orders`: the directory's sort orders the change leaves as they are (when papers
        come or go, `Directory.orders_after` places them). `indexing`: as `_store`'s."""
        removed, added = removed or [], added or {}
        storage = self._corpus.storage
        token = secrets.token_hex(16)
        head = splice.meta_line({"schema": SCHEMA_VERSION, "generation": token})
        lines = {p.id: splice.record_line(p.id, p.stored_bib()) for p in papers}
        try:
            old = storage.path.open("rb")
        except OSError:
            return False
        with old:
            read = functools.partial(_record_in, old, directory)
            writes = None if removed or added else splice.patch_plan(old, directory, head, lines)
            if writes is not None:  # in place, behind the journal (splice.py)
                moved = splice.renamed(directory, token)
                moved.orders = _orders_moved(directory, papers, orders or {}, read)
                self._journal.begin(
                    token, {}, InPlace(directory.generation, directory.size, writes)
                )
                storage.write_spliced(
                    token, len(moved.ids), lambda: splice.patch(storage.path, writes)
                )
                self._journal.end()
            else:
                done = splice.plan(old, directory, head, lines, token, removed, added)
                if done is None:
                    return False
                pieces, moved = done
                if removed or added:  # the orders point into the ids: placed afresh
                    bibs = {pid: doc for pid, (_line, doc) in added.items()}
                    moved.orders = directory.orders_after(moved, removed, bibs, read)
                else:
                    moved.orders = _orders_moved(directory, papers, orders or {}, read)
                storage.write_spliced(
                    token, len(moved.ids), lambda: splice.write(storage.path, old, pieces)
                )
        self._directory = moved
        with contextlib.suppress(OSError):  # disposable: the next full read makes it again
            if writes is not None and moved.orders == directory.orders:
                moved.save_renamed(self.root)  # (the same lines at the same places)
            else:
                moved.save(self.root)
        changed = [*lines, *removed, *added]
        self._keep_index(
            directory.generation, changed, indexing, papers=len(moved.ids), removed=removed
        )
        return True

    def import_papers(
        self,
        papers: list[Paper],
        *,
        source: str,
        tags: Iterable[str] = (),
        dry_run: bool = False,
        progress: Progress | None = None,
        handed_over: bool = False,
        named: bool = False,
    ) -> ImportReport:
        """Add `papers` (one file's worth) to the library, merging duplicates.

        Raises ParseError naming `source` for a value of a wrong type or out of range.
        `progress` hears of each paper checked; a stop asked before the write begins
        raises `Cancelled` with nothing stored. `handed_over`: the papers were made for
        this import and nothing else holds them (a parser's), so a new one becomes its
        record in place instead of being copied. `named`: the papers carry the ids of the
        library that exported them, which kept papers with different ids apart.
        """
        problem = papers_problem(papers)
        if problem:
            raise ParseError(source, problem)
        if progress is None:
            from readinglist.progress import Progress

            progress = Progress()
        tags = list(tags)
        label = backups.Label("import", f"before import of {source} ({_count(papers)})")
        with self._writing(backup=None if dry_run else label):
            current = dict(self._papers)
            papers = list(map(_valid_id, papers))
            index = dedupe_index(current.values(), papers, named)
            changed: dict[str, Paper] = {}
            added = merged = 0
            origin = f"import:{source}"
            made = edits.Stamp.now("", origin) if dry_run else self.stamp(origin)
            plan: list[tuple[str, Paper, Paper | None, str]] = []
            stamp = now_iso()
            checking = f"Checking {_count(papers)} from {source} against the library"
            for paper in progress.counted(papers, checking, len(papers)):
                # What the import gives each paper (dedupe reads none of it: one copy made).
                given = {
                    "tags": _merge_lists(paper.tags, tags),
                    "sources": paper.sources or [source],
                    "added": paper.added or stamp,  # a merge keeps the stored paper's
                }
                found = index.find_reason(paper)
                if found is None and paper.id in current:
                    if index.may_be(paper, paper.id):  # same content id: the same text
                        found = paper.id, "same content"
                    else:  # the same short text (a title, a junk abstract), another paper
                        given["id"] = distinct_id(paper, current)
                if found is None:
                    if not paper.key:  # no key of its own (BibTeX's): provisional
                        given["key_fixed"] = False
                    paper = edits.new_record(paper, made, given, in_place=handed_over)
                    added += 1
                    plan.append(("add", paper, None, ""))
                else:
                    paper = replace(paper, **given)
                    match, reason = found
                    plan.append(("merge", paper, current[match], reason))
                    index.remove(current[match])
                    paper = edits.ImportMerge(made, paper).apply(current[match])
                    merged += 1
                current[paper.id] = changed[paper.id] = paper
                index.add(paper, batch=True)
            count = len(papers)
            del papers, index  # (the caller's list handed over: the store has what it needs)
            if not dry_run:
                progress.stage(f"Storing {_count(changed)}", stoppable=False)
                self._store(changed.values(), in_place=True, indexing=progress)
        changes = list(changed.values())
        return ImportReport(
            source, count, added, merged, list(changed), changes,
            plan=plan if dry_run else [],
        )  # fmt: skip

    def set_read(self, ids: Iterable[str], read: bool = True) -> list[Paper]:
        """Mark papers read (with the time) or unread."""
        return self.apply(edits.MarkRead(self.stamp(), read), ids)

    def add_tags(self, ids: Iterable[str], tags: Iterable[str]) -> list[Paper]:
        """Add tags to papers."""
        return self.apply(edits.AddTags(self.stamp(), tuple(tags)), ids)

    def remove_tags(self, ids: Iterable[str], tags: Iterable[str]) -> list[Paper]:
        """Remove tags from papers."""
        return self.apply(edits.RemoveTags(self.stamp(), tuple(tags)), ids)

    def set_note(self, ref: str, note: str) -> Paper:
        """Replace a paper's note."""
        return self.apply(edits.SetNote(self.stamp(), note), [ref])[0]

    def edit(self, ref: str, **changes) -> Paper:
        """Set bibliographic fields of one paper as given (its id never changes).

        `edits.EditFields.correcting` adds what follows from a correction (a new year
        drops the full date it contradicts, ...); this sets exactly `changes` (a key
        set this way is fixed from then on).
        """
        if "key" in changes:
            changes = {**changes, "key_fixed": True}
        return self.apply(edits.EditFields(self.stamp(), changes), [ref])[0]

    def fill(
        self, ref: str, plan: Callable[[Paper], Edit | None], backup: bool = False
    ) -> tuple[Paper, str | None]:
        """Complete one paper with what web services found.

        `plan(paper)` makes the fill's edit (`edits.FillFields`, each field stamped with
        the service that supplied it) against the paper as stored now, under the lock;
        None: nothing to fill. `backup`: keep a backup first (the first fill of a bulk
        run). When the completed paper now has another stored paper's DOI or arXiv id,
        the two are merged as an import would merge them (the other one is kept).
        Returns the stored paper and, after a merge, the id it was merged into.
        """
        label = backups.Label("change", "before completing papers from the web")
        with self._writing(backup=label if backup else None):
            pid = self._resolve(ref)
            self._take_states(self._state.catch_up([pid]))
            current = self._papers[pid]
            edit = plan(current)
            if edit is None:
                return current, None
            filled = _checked(edit.apply(current))
            twin = self.twin(filled)
            if twin is None:
                self._store([filled])
                return self._papers[pid], None
            self._take_states(self._state.catch_up([twin]))
            merged = edits.ImportMerge(edit.stamp, filled).apply(self._papers[twin])
            self._store([merged], removed=[pid])
            return self._papers[twin], twin

    def fix_keys(self, ids: Iterable[str]) -> None:
        """Make the cite keys of these papers fixed: they have been written out.

        Papers that own a stored key have only their corpus lines rewritten (no paper
        is read but them); any other case reads the library to work the keys out.
        """
        ids = list(ids)
        if self._stale and self._apply_one_by_one(edits.FixKey(self.stamp()), ids, None):
            return
        with self._writing():
            pending = [self._papers[pid] for pid in ids if pid in self._papers]
            pending = [p for p in pending if not p.key_fixed]
            if pending:
                keys = cite_keys(self._papers.values())
                self._store([replace(p, key=p.key or keys[p.id], key_fixed=True) for p in pending])

    def twin(self, paper: Paper) -> str | None:
        """Another stored paper with `paper`'s DOI or arXiv id, if any."""
        doi, arxiv = (paper.doi or "").lower(), (paper.arxiv or "").lower()
        if not (doi or arxiv):
            return None
        for other in self._papers.values():
            if other.id != paper.id and (
                (doi and (other.doi or "").lower() == doi)
                or (arxiv and (other.arxiv or "").lower() == arxiv)
            ):
                return other.id
        return None

    def remove(self, ids: Iterable[str]) -> list[Paper]:
        """Delete papers; returns them as they were, cite keys included (for undo)."""
        ids = list(ids)
        label = backups.Label("rm", f"before rm of {_count(ids)}")
        if self._stale and (gone := self._remove_one_by_one(ids, label)) is not None:
            return gone
        with self._writing(backup=label):
            gone = [self._papers[pid] for pid in self._resolve_all(ids)]
            if not all(p.key for p in gone):
                keys = cite_keys(self._papers.values())
                gone = [p if p.key else replace(p, key=keys[p.id]) for p in gone]
            self._store(removed=[p.id for p in gone])
        return gone

    def _remove_one_by_one(self, refs: list[str], label: backups.Label) -> list[Paper] | None:
        """`remove` through the directory: the papers' lines are taken out of the corpus
        (splice.py) and their state shards written; nothing else is read. None (nothing
        written) when the whole library is needed (see `_apply_one_by_one`)."""
        if self._conflict_copies() or not 0 < len(refs) <= _MOST_SPLICED:
            return None
        with self._locked():
            directory = self._lean()
            gone = None if directory is None else self._read_named(refs, directory)
            if directory is None or gone is None or not all(p.key for p in gone.values()):
                return None
            self._take_backup(label)
            if not self._splice(directory, [], removed=list(gone)):
                return None
            self._state.write(dict.fromkeys(gone))
            for pid in gone:
                self._loose.pop(pid, None)
            return list(gone.values())

    def put(self, papers: Iterable[Paper]) -> None:
        """Store papers exactly as given (restoring deleted or changed ones: undo)."""
        papers = list(papers)
        if self._stale and self._put_one_by_one(papers):
            return
        with self._writing():
            self._store(papers)

    def _put_one_by_one(self, papers: list[Paper]) -> bool:
        """`put` of papers the library does not hold (an undone `rm`) through the
        directory: their state first, then their lines at the end of the corpus. False
        when the whole library is needed: a paper is there already, or a key or alias
        it brings is another paper's (or may be: some keys are made up)."""
        if self._conflict_copies() or not 0 < len(papers) <= _MOST_SPLICED:
            return False
        with self._locked():
            directory = self._lean()
            if directory is None or not directory.complete or not _puttable(papers, directory):
                return False
            records = {p.id: p.stored_bib() for p in papers}
            if not self._append(directory, records, {p.id: p.stored_state() for p in papers}):
                return False
            self._loose.update((p.id, p) for p in papers)
            return True

    def restore_backup(self, name: str) -> None:
        """Make backup `name` the current library (the current one is backed up first)."""
        label, self._backup_label = self._backup_label, ""
        with self._writing(load=False):  # the current files may be damaged: not read
            backups.restore(self.root, name, label)
            self._state.announce(remember=False)
        self.refresh()

    def set_setting(self, key: str, value, only_if_missing: bool = False) -> None:
        """Remember one setting of this library (`only_if_missing`: keep one already set)."""
        with self._writing():
            settings = self.settings()
            if only_if_missing and key in settings:
                return
            settings[key] = value
            self._write_settings(settings)

    def _write_settings(self, settings: dict) -> None:
        data = json.dumps(settings, indent=2, ensure_ascii=False).encode("utf-8")
        atomic_write(self.root / SETTINGS_FILE, data)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the library's lock (writes made inside through this object take it again)."""
        with self._writing(load=False):
            yield

    def take_merged(
        self, records: dict[str, dict], states: dict[str, dict], settings: dict, label: str
    ) -> tuple[list[str], list[str]]:
        """Make the library hold exactly these stored records (in their order), states
        and settings (a merge of two copies of it: `sync`), through the usual write,
        backed up first.

        Settings this machine keeps for itself (its replica id) stay. Raises LibraryError
        naming a damaged record, before anything is written. Returns the ids stored
        (new or changed) and removed.
        """
        papers = _papers_of(records, states)
        with self._writing(backup=backups.Label("sync", label)):
            changed = [p for pid, p in papers.items() if self._papers.get(pid) != p]
            removed = [pid for pid in self._papers if pid not in papers]
            first = removed if _frees_keys(self._papers, removed, changed) else []
            if first:  # removed first, so that their keys are free
                self._store([], first)
            if changed or (removed and not first):
                self._store(changed, [] if first else removed)
            if list(self._papers) != list(papers):  # papers added on both sides
                self._put_in_order(list(papers))
            current = self.settings()
            wanted = {**settings, **{k: v for k, v in current.items() if k in LOCAL_SETTINGS}}
            if wanted != current:
                self._write_settings(wanted)
        return [p.id for p in changed], removed

    @contextlib.contextmanager
    def backed_up(self, label: str) -> Iterator[None]:
        """The first write inside takes a backup first, labelled with what it is taken before.

        `label` reads "before rm of 3 papers"; `readinglist restore` lists it.
        """
        self._backup_label = label
        try:
            yield
        finally:
            self._backup_label = ""

    # ----- internals -----------------------------------------------------------

    def update(self, refs: Iterable[str], change: Callable[[Paper], Paper]) -> list[Paper]:
        """Apply `change` to papers as stored now, under the lock (no outside edit is lost)."""
        refs = list(refs)
        label = backups.Label("change", f"before a change to {_count(refs)}")
        with self._writing(backup=label if len(refs) > 1 else None):
            pids = self._resolve_all(refs)
            self._take_states(self._state.catch_up(pids))
            changed = [_checked(change(self._papers[pid])) for pid in pids]
            self._store(changed)
            return [self._papers[p.id] for p in changed]

    def _move_records(self) -> None:
        """Move a library written before stamps to the stamped record format (schema 3).

        Crash-safe and finished by the next writer if cut short: see `stamping`.
        """
        from readinglist.persistence.stamping import move_to_stamps, needs_stamps

        if not self.exists() or not needs_stamps(self._corpus.storage):
            return
        self._papers = move_to_stamps(self.root, self._papers, self._corpus, self._state)
        self._rebuild_names()

    def _check_key(self, paper: Paper, key: str) -> None:
        """Raise ReadingListError unless `key` can become the cite key of `paper`."""
        if not valid_key(key):
            raise ReadingListError(f"{key!r}: {KEY_RULE}")
        shadowed = lookup.id_prefix_matches(key.lower(), self._names) - {paper.id}
        if shadowed:
            raise ReadingListError(f"{key}: reads as the id of paper {min(shadowed)}")
        owner = self._names.owner(key)
        if owner not in (None, paper.id):
            raise ReadingListError(f"{key}: already the cite key of paper {owner}")

    def _resolve_all(self, refs: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(self._resolve(ref) for ref in refs))

    @contextlib.contextmanager
    def _writing(self, backup: backups.Label | None = None, load: bool = True) -> Iterator[None]:
        """Hold the lock, with the in-memory view up to date with the disk (if `load`);
        with `backup`, a backup labelled so is taken first."""
        with self._locked():
            if load:
                self.refresh(writer=True)
                self._finish_journal()
                self._move_records()
                self._move_to_lines()
                self._absorb_conflict_copies()
            self._take_backup(backup)
            yield

    def _take_backup(self, backup: backups.Label | None) -> None:
        """Take a backup labelled `backup` (or as `backed_up` asked), if there is a library."""
        asked, self._backup_label = self._backup_label, ""
        if asked:  # `backed_up`: its words win, the kind of change stays
            backup = backups.Label(backup.kind if backup else backups.kind_of(asked), asked)
        if backup and self.exists():
            backups.snapshot(self.root, backup)

    def _move_to_lines(self) -> None:
        """Rewrite a corpus written as one line (by an earlier release) one record a line.

        One atomic replace, like any corpus write (a kill leaves the old file or the
        new one), and the directory is written with it.
        """
        if self.exists() and not self._corpus.storage.lined:
            before = self._corpus.storage.generation
            self._corpus.change(lambda table: None)
            self._keep_index(before, [])  # the same papers under a new generation

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the library's lock (finishing a restore cut short, removing stale temps)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"{self.root}: cannot write here ({exc.strerror})") from None
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise LibraryError(f"{self.root}: library is locked by another process") from None
        except OSError as exc:
            where = self.root / LOCK_FILE
            raise LibraryError(f"{where}: cannot take the lock ({exc.strerror})") from None
        if self._lock.lock_counter == 1:  # only what this hold looks at counts (_conflict_copies)
            self._no_copies = False
        try:
            self._remove_stale_temps()
            if backups.finish_restore(self.root):
                self._state.announce(remember=False)
            self._finish_writes_in_place()
            yield
        except OSError as exc:
            where = exc.filename or self.root
            raise LibraryError(f"{where}: cannot write ({exc.strerror})") from None
        finally:
            if self._lock.lock_counter == 1:  # the outermost hold ends
                self._copies_left = changed_at(self.root / STATE_DIR) if self._no_copies else None
                self._no_copies = False
            self._lock.release()
        self._save_index_if_wanted()

    def _absorb_conflict_copies(self) -> None:
        """Merge the conflict copies a file syncer left of library files, and delete them
        (see `sync.conflicts`); `notices` says so."""
        from readinglist.sync import conflicts

        copies = self._conflict_copies()
        if not copies:
            return
        view, _ = conflicts.merged_view(self.root, copies)
        papers = _papers_of(view.papers, view.states)
        backups.snapshot(self.root, backups.Label("change", "before merging conflict copies"))
        self._store([p for pid, p in papers.items() if self._papers.get(pid) != p])
        for copy, original in copies:
            copy.unlink()
            self.notices.append(f"{copy.name}: a file syncer's conflict copy of {original}; merged")
        self._no_copies = True

    def _conflict_copies(self) -> list[tuple[Path, str]]:
        """The conflict copies a file syncer left (`sync.conflicts`). The state folder is
        listed again only when it changed since this process last let go of the lock
        after finding none while it held it: a copy made while it held the lock is found
        by the next process (or the next change of the folder), not by this one."""
        from readinglist.sync import conflicts

        copies = conflicts.conflict_copies(self.root, unchanged=self._copies_left)
        self._no_copies = not copies
        return copies

    def _finish_writes_in_place(self) -> None:
        """Make on disk the in-place corpus writes a killed writer committed (journal.py):
        the file is then what readers took it to be (the same bytes, whatever was written)."""
        if not self._journal.path.exists():
            return
        generation = self._corpus.storage.named()
        try:
            meta, handle = first_meta(self.root / PAPERS_FILE)
        except FileNotFoundError:
            return  # (a library that lost its corpus: the read says so)
        with handle:
            found = (meta or {}).get("generation")
            writes = self._journal.writes(generation, found, os.fstat(handle.fileno()).st_size)
        if writes:
            splice.patch(self.root / PAPERS_FILE, writes)
            if not self._journal.pending(generation):  # (no states to write after it)
                self._journal.end()

    def _finish_journal(self) -> None:
        """Write the states a killed writer committed but did not store (see journal.py)."""
        committed = self._journal.pending(self._corpus.storage.generation)
        if committed:
            self._state.write(committed)
        self._journal.end()

    def _store(
        self,
        changed: Iterable[Paper] = (),
        removed: Iterable[str] = (),
        in_place: bool = False,
        indexing: Progress | None = None,
    ) -> None:
        """Write changed and removed papers, touching only the files they live in.

        `in_place`: the new papers were made for this write, so they may be completed in place.
        `indexing` (an import): the saved search index is made now if there is none
        usable, so that the first search after it costs what any search does.

        The corpus write commits: the state of new papers is written before it (state
        without a paper is never shown), that of stored papers is noted in the journal
        before it and written after, the state of removed papers after it. A crash at any
        point leaves an import whole or absent, tags included (state left behind is
        replaced when the paper comes again), and never strips a paper that is still
        there of its read flag, tags or note.
        """
        old, generation = self._papers, self._corpus.storage.generation
        changed = [_rederive_key(old.get(p.id), p) for p in changed if p is not old.get(p.id)]
        removed = [pid for pid in removed if pid in old]
        if removed or any(_bib_changed(old.get(p.id), p) for p in changed):
            changed = self._with_keys(changed, removed, in_place)  # the corpus is rewritten
        bib = {p.id: p.stored_bib() for p in changed if _bib_changed(old.get(p.id), p)}
        states: dict[str, dict | None] = {}
        for paper in changed:
            before = old.get(paper.id)
            # A new paper's state is checked against the disk: a crashed import, or a
            # delete cut short, may have left one there, which must not come back.
            stored = before.stored_state() if before else self._state.stored(paper.id)
            if stored != paper.stored_state():
                states[paper.id] = paper.stored_state()
        if states and self._state.moving() and self.exists():  # to the new layout:
            backups.snapshot(self.root, backups.Label(*_BEFORE_MOVE))  # keep the old one,
            self._write_corpus({}, [])  # and stop older versions (schema 2) before it goes
        wrote_corpus = bool(bib or removed or not self.exists())
        spliced = wrote_corpus and not removed and self._add_lines(bib, old, states, indexing)
        if wrote_corpus and not spliced:
            self._commit(bib, removed, states)
        elif not wrote_corpus:
            self._state.write(states)
        self._state.write(dict.fromkeys(removed))
        self._remember(changed, removed)
        if wrote_corpus and not spliced:  # (a splice keeps the index current itself)
            self._keep_index(generation, [*bib, *removed], indexing, removed=removed)
        if indexing is not None and not self._stale:
            self._save_search_state()

    def _keep_index(
        self,
        before: str | None,
        ids: list[str],
        indexing: Progress | None = None,
        papers: int | None = None,
        removed: Iterable[str] = (),
    ) -> None:
        """Keep the saved search index current through the corpus write just made
        (search/cache.py `keep_current`). Derived data: a failure here never fails
        the write (the next search rebuilds what it cannot trust)."""
        from readinglist.search import changes

        after = self._corpus.storage.generation
        if after is None or not (indexing or (self.root / changes.INDEX_NAME).exists()):
            return
        from readinglist.search import cache

        write = changes.Entry(before or "", after, tuple(ids), tuple(removed))
        with contextlib.suppress(OSError):
            count = len(self._papers) if papers is None else papers
            if cache.keep_current(self.root, count, write, build=indexing is not None):
                self._index_wanted, self._indexing = True, indexing

    def _save_search_state(self) -> None:
        """Save the user state a search reads (saved_state.py) from the papers in memory,
        which the shards hold now: under the lock, after an import's last write of them,
        so its first search reads no shard. Derived data: a failure never fails the write."""
        from readinglist.search import saved_state

        with contextlib.suppress(OSError):
            saved_state.save_now(self.root, self._state, self._papers.values())

    def _note_state_write(self, before: bytes, after: bytes, shards: set[str]) -> None:
        """Note a write of state shards for the state a search saves (saved_state.py).
        Derived data: a failure here never fails the write."""
        from readinglist.search import saved_state

        with contextlib.suppress(OSError):
            saved_state.note_write(self.root, before, after, shards)

    def _save_index_if_wanted(self) -> None:
        """Save the search index a write asked for, once the lock is let go (a build takes
        seconds at 100,000 papers: other writers need not wait for it)."""
        if not self._index_wanted or (self._filelock is not None and self._filelock.is_locked):
            return
        generation, indexing = self._corpus.storage.generation, self._indexing
        self._index_wanted, self._indexing = False, None
        if generation is None:
            return
        from readinglist.search import cache

        if indexing is not None:
            indexing.stage(f"Indexing {_count(self._papers)} for search", stoppable=False)
        if self._stale:  # a write through the directory: the log holds it, a search saves it
            return
        with contextlib.suppress(OSError):
            cache.save_current(self.root, list(self._papers.values()), generation)

    def _add_lines(
        self,
        bib: dict[str, dict],
        old: dict[str, Paper],
        states: dict[str, dict | None],
        indexing: Progress | None,
    ) -> bool:
        """Store papers that are all new (an import that merged none) by putting their
        lines at the end of the corpus (`_append`, as an undone `rm`), their state written
        first: the other records are neither read again nor rewritten.
        False (nothing written) when the corpus must be written whole: a stored paper
        changes, too many papers, no usable directory, or a file it does not describe."""
        if not 0 < len(bib) <= _MOST_SPLICED or not bib.keys().isdisjoint(old):
            return False
        if not states.keys() <= bib.keys():  # a stored paper's state: behind the journal
            return False
        directory = self._lean() if self.exists() else None
        if directory is None or not directory.complete:
            return False
        return self._append(directory, bib, states, indexing)

    def _append(
        self,
        directory: Directory,
        records: dict[str, dict],
        states: dict,
        indexing: Progress | None = None,
    ) -> bool:
        """Write new papers' `states`, then put their `records` at the end of the corpus
        (`_splice`); False when the file is not the one the directory describes."""
        self._state.write(states)
        added = {pid: (splice.record_line(pid, doc), doc) for pid, doc in records.items()}
        return self._splice(directory, [], added=added, indexing=indexing)

    def _commit(self, bib: dict[str, dict], removed: list[str], states: dict) -> None:
        """Write the corpus and `states` whole or not at all (the order of journal.py)."""
        if not self.exists():  # first an empty corpus: state without one reads as a
            self._write_corpus({}, [])  # library whose papers.json went missing
        stored = {pid: state for pid, state in states.items() if pid in self._papers}
        if stored:
            self._journal.begin(self._corpus.storage.reserve(), stored)
        self._state.write({pid: s for pid, s in states.items() if pid not in stored})
        self._write_corpus(bib, removed)
        self._state.write(stored)
        self._journal.end()

    def _with_keys(self, changed: list[Paper], removed: list[str], in_place: bool) -> list[Paper]:
        """`changed`, and every paper still citing by a made-up key, with keys to store.

        A stored key never changes, so deleting or editing one paper can no longer
        rename another's key (a/b suffixes once depended on the whole library). A new
        paper, or one whose key is being changed (`edit --key`, an undo), keeps the
        key it brings if no other paper has it, and gets a free one if another does.
        """
        old, gone = self._papers, set(removed)
        incoming = {p.id: p for p in changed}
        wanting = [p for p in changed if p.id not in old or p.key != old[p.id].key]
        moving = {p.id for p in wanting}
        staying = (p for pid, p in old.items() if pid not in moving)
        for pid, key in settle_keys(staying, wanting).items():
            if pid in gone:
                continue
            if in_place and pid not in old:
                incoming[pid].key = key  # made for this write: completed without a copy
            else:
                incoming[pid] = replace(incoming.get(pid) or old[pid], key=key)
        return list(incoming.values())

    def _remember(self, changed: list[Paper], removed: list[str]) -> None:
        """Update the in-memory view after a successful write."""
        rekey = bool(removed)
        for pid in removed:
            self._names.changed(self._papers.pop(pid), None)
        for paper in changed:
            before = self._papers.get(paper.id)
            rekey = rekey or before is None or before.key != paper.key
            rekey = rekey or (before is not None and before.key_aliases != paper.key_aliases)
            self._papers[paper.id] = paper
            self._names.changed(before, paper)
        if rekey or any(not paper.key for paper in changed):  # a made-up key may move
            self._cite_keys = None

    def _put_in_order(self, order: list[str]) -> None:
        """Store the papers (the same ones) in `order`: a merge's, so that every machine
        writes its corpus line for line alike."""

        def updater(table: dict) -> None:
            records = {pid: table[pid] for pid in order}
            table.clear()
            table.update(records)

        self._corpus.change(updater)
        self._papers = {pid: self._papers[pid] for pid in order}

    def _write_corpus(self, docs: dict[str, dict], removed: list[str]) -> None:
        def updater(table: dict) -> None:
            for pid in removed:
                table.pop(pid, None)
            table.update(docs)

        self._corpus.change(updater)

    def _load_corpus(self) -> None:
        self._stale = True  # until the whole library is read: a failure is retried
        with cycle_collection_paused():
            self._read_corpus()
        self._stale = False
        self.version += 1

    def _read_corpus(self) -> None:
        storage = self._corpus.storage
        directory = self._lean()
        # no usable directory, or one without the first page's orders: make one
        storage.want_spans = directory is None or not directory.every_order()
        records = self._corpus.raw()
        if storage.spans:
            self._save_directory(records, storage.spans)
            storage.spans = {}
        if not records and not self.exists():
            self._check_not_lost()
        committed = self._journal.pending(self._corpus.storage.generation)  # before the shards
        states = self._state.read_all()
        states.update(committed or {})
        # The papers will hold every value: let each raw record go once its paper is built,
        # so the two never fill memory together (the file is read again when next written).
        self._corpus.storage.forget()
        queue = deque(records.items())
        records.clear()
        papers = {}
        while queue:
            pid, bib = queue.popleft()
            problem = stored_problem(pid, bib)
            paper = None if problem else _paper(pid, bib, states.get(pid))
            if paper is None:
                raise LibraryError(
                    f"{self._corpus.storage.path}: {record_label(pid)}: "
                    f"{problem or 'damaged record'}; run `readinglist restore` to go back "
                    "to a backup"
                )
            papers[pid] = paper
        self._papers = papers
        self._rebuild_names()

    def _check_not_lost(self) -> None:
        """Raise LibraryError if papers.json is missing from a library that held papers.

        Its manifest, state or backups say so: reading it as empty would show an empty
        library, and the next write would store that, over the state.
        """
        path = self.root / PAPERS_FILE
        manifest = read_manifest(self.root / MANIFEST_FILE)
        held = manifest.get("papers") if type(manifest.get("papers")) is int else 0
        if held or backups.list_backups(self.root) or self._state.read_all():
            what = "a symlink to a missing file" if path.is_symlink() else "missing"
            raise LibraryError(
                f"{path}: {what}, but this library held papers; put it back or run "
                "`readinglist restore` to go back to a backup"
            )

    def _rebuild_names(self) -> None:
        self._names = lookup.PapersInMemory(self._papers)
        self._cite_keys = None

    def _remove_stale_temps(self) -> None:
        """Delete temp files left by a crashed writer (we hold the lock: none is in flight)."""
        if self._cleaned:
            return
        for folder in (self.root, self.root / STATE_DIR):
            for temp in folder.glob(f".*{TEMP_SUFFIX}"):
                with contextlib.suppress(OSError):
                    temp.unlink()
        for name in OBSOLETE_FILES:
            with contextlib.suppress(OSError):
                (self.root / name).unlink()
        self._cleaned = True


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the cycle collector while building or walking many objects that form no cycles.

    Loading 100,000 papers otherwise triggers dozens of full collections (~30% of the time);
    a one-shot CLI command over them runs under it as a whole.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _freeze_first_load()
            gc.enable()


def freeze_long_lived() -> None:
    """Move what is alive now out of the collector's sight (`gc.freeze`), for a process
    that keeps running once it has built what it keeps (the app, its search index ready).

    Otherwise the collections that typing sets off walk the whole index and session: at
    100,000 papers a few of ~100 ms each, in the middle of a word. The index and the
    session form no cycles, so the ones a reload replaces are still freed (by reference
    counting); only cyclic garbage made of objects alive now is never collected.
    """
    gc.freeze()


@functools.cache
def _freeze_first_load() -> None:
    """Move what the first load built out of the collector's sight (`gc.freeze`).

    Collections then skip the papers instead of walking them all.
    Only once: cyclic garbage made from what is frozen is never collected. Papers form
    no cycles, so dropped ones are still freed, by reference counting.
    """
    gc.freeze()


def _papers_of(records: dict[str, dict], states: dict[str, dict]) -> dict[str, Paper]:
    """Papers from stored records and states; LibraryError naming a damaged one."""
    papers = {}
    for pid, bib in records.items():
        problem = stored_problem(pid, bib)
        paper = None if problem else _paper(pid, bib, states.get(pid))
        if paper is None:
            raise LibraryError(f"{record_label(pid)}: {problem or 'damaged record'}")
        papers[pid] = paper
    return papers


def _checked(paper: Paper) -> Paper:
    """`paper`, if every value has its type and range; else ReadingListError naming it."""
    if problem := paper_problem(paper):
        raise ReadingListError(f"{record_label(paper.id)}: {problem}")
    return paper


def _paper(pid: str, bib: dict, state: dict | None) -> Paper | None:
    """The paper a stored record describes, or None for a damaged record."""
    try:
        paper = Paper(pid, **bib)
        if state:  # set one by one: a third faster than merging the dicts into the call
            for name in STATE_FIELDS:
                setattr(paper, name, state[name])
            if "stamps" in state:
                paper.state_stamps = state["stamps"]
            if "tag_stamps" in state:
                paper.tag_stamps = state["tag_stamps"]
    except (TypeError, KeyError):  # a field this version does not know, or a missing one
        values = {key: value for key, value in bib.items() if key in _BIB_NAMES}
        try:
            paper = Paper(id=pid, **values, **_state_values(state or {}))
        except TypeError:
            return None
    return paper if _well_formed(paper) else None


def _well_formed(paper: Paper) -> bool:
    """Whether the fields every command relies on have their types (as JSON gives them)."""
    return (
        type(paper.title) is str
        and type(paper.abstract) is str
        and type(paper.note) is str
        and type(paper.authors) is list
        and type(paper.sources) is list
        and type(paper.tags) is list
        and type(paper.aliases) is list
        and type(paper.stamps) is dict
        and type(paper.state_stamps) is dict
        and type(paper.tag_stamps) is dict
    )


_STATE_KEYS = {**{name: name for name in STATE_FIELDS}, "stamps": "state_stamps"}
_STATE_KEYS["tag_stamps"] = "tag_stamps"


def _owns_key(directory: Directory, paper: Paper) -> bool:
    """Whether `paper` has a valid stored key that the directory says is its own."""
    return bool(paper.key) and valid_key(paper.key) and directory.key_owner(paper.key) == paper.id


def _state_values(state: dict) -> dict:
    """The Paper fields a stored state sets (its stamps included, none if it has none)."""
    values: dict[str, object] = {"state_stamps": {}, "tag_stamps": {}}
    values.update((name, state[key]) for key, name in _STATE_KEYS.items() if key in state)
    return values


def _frees_keys(papers: dict[str, Paper], removed: list[str], changed: list[Paper]) -> bool:
    """Whether papers to be stored take cite keys of papers to be removed (one paper
    under two ids made one by a merge): a key stays taken until its paper is gone."""
    gone = {papers[pid].key.casefold() for pid in removed if papers[pid].key}
    return any(paper.key.casefold() in gone for paper in changed if paper.key)


def _rederive_key(before: Paper | None, after: Paper) -> Paper:
    """A provisional key follows the authors, year and title: asked for afresh when they change.

    (An empty key gets the free key `base_key` gives when the paper is stored.)
    """
    if before is None or after.key_fixed or after.key != before.key:
        return after
    if base_key(after) == base_key(before):
        return after
    return replace(after, key="")


def _record_in(corpus: BinaryIO, directory: Directory, pid: str) -> dict | None:
    """The stored record of `pid` on its line of `corpus` (as `directory` places it)."""
    return record_at(corpus, pid, directory.span(pid))


def _orders_kept(directory: Directory, pairs: list[tuple[Paper, Paper]]) -> dict[str, array]:
    """The directory's sort orders that changing these papers leaves as they are: those
    by which none of them sorts anywhere new (the corpus keeps its order)."""
    return {
        sort: order
        for sort, order in directory.orders.items()
        if all(sort_key(sort)(b) == sort_key(sort)(a) for b, a in pairs)
    }


def _orders_moved(
    directory: Directory,
    papers: list[Paper],
    kept: dict[str, array],
    record: Callable[[str], dict | None],
) -> dict[str, array]:
    """The directory's sort orders once `papers` (stored already) are changed: those
    `kept` as they are, and those by which a changed paper sorts anywhere new with it
    placed afresh (`Directory.orders_after`: taken out, then put where its new fields
    sort it; each of those sorts ends with the id, so no two papers sort equal). A sort
    by the date added (papers added together sort equal) is left out when it moves: the
    next whole read makes it again."""
    moving = {sort: order for sort, order in directory.orders.items() if sort not in kept}
    moving.pop("added", None)
    if not moving:
        return dict(kept)
    ids = [p.id for p in papers]
    docs = {p.id: p.stored_bib() for p in papers}
    only = directory.same_lines(directory.generation, orders=moving)
    return {**kept, **only.orders_after(directory, ids, docs, record)}


def _puttable(papers: list[Paper], directory: Directory) -> bool:
    """Whether `papers` can be added line by line: new, with a key, and no name they
    bring (id, alias, key) held by another paper or by two of them."""
    names = [name for p in papers for name in (p.id, *p.aliases)]
    keys = [key.casefold() for p in papers for key in (p.key, *p.key_aliases)]
    return (
        all(p.key and valid_key(p.key) for p in papers)
        and len(set(names)) == len(names)
        and len(set(keys)) == len(keys)
        and not any(directory.has(name) or directory.alias(name) for name in names)
        and not any(directory.key_owner(key) for key in keys)
    )


def _spliceable(pairs: list[tuple[Paper, Paper]]) -> bool:
    """Whether these changes can be written by replacing the papers' corpus lines: no
    key, alias or state changes with them (those need the whole library to check)."""
    return len(pairs) <= _MOST_SPLICED and all(
        a.key
        and a.key == b.key
        and _rederive_key(b, a) is a
        and a.key_aliases == b.key_aliases
        and a.aliases == b.aliases
        and a.stored_state() == b.stored_state()
        for b, a in pairs
    )


def _bib_changed(before: Paper | None, after: Paper) -> bool:
    return before is None or before.bib_dict() != after.bib_dict() or before.stamps != after.stamps


def _count(items) -> str:
    """'1 paper', '33 papers'."""
    n = len(items)
    return f"{n} paper" if n == 1 else f"{n} papers"


_BEFORE_MOVE = ("change", "before the move to 4,096 state shards")  # a backups.Label


def _merge_lists(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _valid_id(paper: Paper) -> Paper:
    """`paper` with a content id, unless it carries a well-formed one already."""
    if _HEX_ID.fullmatch(paper.id):
        return paper
    return replace(paper, id=paper_id(paper.title, paper.abstract))


def open_library(root: Path) -> Library:
    """Open the library at `root` (the folder need not exist yet)."""
    if root.exists() and not root.is_dir():
        raise LibraryError(f"{root}: not a folder")
    if os.access(root, os.F_OK) and not os.access(root, os.R_OK | os.X_OK):
        raise LibraryError(f"{root}: permission denied")
    return Library(root)


# ----- imported when first used: the app paints its first page without them ------------


def base_key(paper: Paper) -> str:
    from readinglist.citations import latex

    return latex.base_key(paper)


def cite_keys(papers: Iterable[Paper]) -> dict[str, str]:
    from readinglist.citations import latex

    return latex.cite_keys(papers)


def settle_keys(current: Iterable[Paper], new: Iterable[Paper]) -> dict[str, str]:
    from readinglist.citations import latex

    return latex.settle_keys(current, new)


def dedupe_index(stored: Iterable[Paper], batch: list[Paper], named: bool) -> DedupeIndex:
    from readinglist.dedupe import import_index

    return import_index(stored, batch, named)


def distinct_id(paper: Paper, taken: Iterable[str] | dict) -> str:
    from readinglist import dedupe

    return dedupe.distinct_id(paper, taken)
