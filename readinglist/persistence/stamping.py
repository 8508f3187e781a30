"""The move of a library written before stamps (schema 1 or 2) to stamped records (schema 3).

Every field gets the stamp it reads as before the move (`Paper.stamp`): the time of
the paper's last change (when it was added, or read if later), replica "" (before
replicas existed), source `import` for bibliographic fields and `user` for the read
flag, tags and note. Nothing a reader sees changes; the stamps become explicit.

Crash-safe, in three steps, each finished or redone by the next writer:

1. a backup of the library as it is, then the corpus rewritten with every record's
   stamp and marked schema 3, "moving" (an older readinglist now refuses to write);
2. the state shards rewritten with their stamps (each shard whole or not at all; a
   shard not yet rewritten reads the same, as step 1 fixed each record's stamp);
3. the corpus marked moved.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from readinglist.model import RECORD_STAMP, STATE_FIELDS, Paper
from readinglist.persistence import backups
from readinglist.persistence.shards import EMPTY_STATE, StateShards
from readinglist.persistence.storage import SCHEMA_VERSION, AtomicJSONStorage, RecordTable

MOVING = "moving"


def needs_stamps(storage: AtomicJSONStorage) -> bool:
    """Whether the corpus file was written before stamps, or by a move cut short."""
    return storage.meta.get("schema", SCHEMA_VERSION) < SCHEMA_VERSION or bool(
        storage.meta.get(MOVING)
    )


def move_to_stamps(
    root: Path, papers: dict[str, Paper], corpus: RecordTable[AtomicJSONStorage], state: StateShards
) -> dict[str, Paper]:
    """Store every paper with explicit stamps (the caller holds the lock); return them."""
    storage = corpus.storage
    if not storage.meta.get(MOVING):
        backups.snapshot(root, backups.Label("change", "before the move to stamped records"))
    moved = {pid: with_stamps(paper) for pid, paper in papers.items()}
    storage.extra_meta = {MOVING: True}
    try:
        corpus.change(lambda table: table.update({p.id: p.stored_bib() for p in moved.values()}))
        states = {pid: p.stored_state() for pid, p in moved.items() if _has_state(p)}
        state.write(states)
    finally:
        storage.extra_meta = {}
    corpus.change(lambda table: None)  # the same records, marked moved
    return moved


def with_stamps(paper: Paper) -> Paper:
    """`paper` with the stamps it reads as written out (the record's, and each state field's)."""
    base = paper.record_stamp()
    stamps = {RECORD_STAMP: base, **paper.stamps}
    state = dict(paper.state_stamps)
    for name in STATE_FIELDS:
        if name not in state and getattr(paper, name) != EMPTY_STATE[name]:
            state[name] = [base[0], base[1], "user"]
    tags = dict(paper.tag_stamps)
    for tag in paper.tags:
        tags.setdefault(tag, [state["tags"], None])
    return replace(paper, stamps=stamps, state_stamps=state, tag_stamps=tags)


def _has_state(paper: Paper) -> bool:
    return any(getattr(paper, name) != EMPTY_STATE[name] for name in STATE_FIELDS) or bool(
        paper.state_stamps or paper.tag_stamps
    )
