"""The write-ahead note that makes a change of corpus and state whole or absent.

A write that changes the corpus and the state of papers already stored (an import
that tags papers it merges, an undo) cannot replace all those files at once. So:

1. the new state of the stored papers goes to `.journal` with the generation token
   the corpus is about to get (synced);
2. the state of new papers is written (invisible: no paper has it yet);
3. the corpus is replaced: the commit;
4. the journal's states are written to the shards, and the journal is deleted.

Whoever reads the library while the journal names the generation of the corpus it
read (a writer killed after 3) takes the journal's states over the shards', and the
next writer writes them; a journal naming another generation (killed before 3) is
a change that never happened, and is dropped. So an import is seen whole or not at all.

A corpus changed in place (splice.py: one line written over its old bytes) notes its
writes here the same way: the journal first, then the manifest names the new
generation (the commit), then the file is written and the journal deleted. Once the
manifest names the journal's generation, the change has happened: a reader takes the
file with the journal's writes made, and the next holder of the lock makes them on
disk (again: the same bytes at the same places, whatever a kill left).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import orjson

from readinglist.errors import LibraryError
from readinglist.persistence.storage import Write, atomic_write, fsync_folder

JOURNAL_FILE = ".journal"


@dataclass(frozen=True)
class InPlace:
    """Writes that change the corpus file of generation `before` and `size` in place."""

    before: str
    size: int
    writes: list[Write]


class Journal:
    """The `.journal` file of one library folder."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / JOURNAL_FILE
        self._open = False

    def begin(
        self, generation: str, states: dict[str, dict], writes: InPlace | None = None
    ) -> None:
        """Note the states to write once the corpus has `generation` (before writing it),
        and the writes that make the corpus file (of generation `writes.before`, size
        `writes.size`) that generation in place."""
        note: dict = {"generation": generation, "states": states}
        if writes is not None:
            note["corpus"] = {
                "before": writes.before,
                "size": writes.size,
                "writes": [[offset, data.decode("utf-8")] for offset, data in writes.writes],
            }
        atomic_write(self.path, orjson.dumps(note))
        self._open = True

    def end(self) -> None:
        """The noted states are all written: drop the note (durably, before the next write)."""
        if self._open or self.path.exists():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            fsync_folder(self.path.parent)
        self._open = False

    def pending(self, generation: str | None) -> dict[str, dict] | None:
        """The states a cut-short write committed for a corpus of `generation`, if any.

        None when there is no journal, or it belongs to a write that never committed.
        """
        note = self._committed(generation)
        return None if note is None else note["states"]

    def writes(self, generation: str | None, found: str | None, size: int) -> list[Write] | None:
        """The in-place writes of the corpus that a write committed (the manifest names
        `generation`, the journal's), made or not yet, for a corpus file of `size` whose
        line 1 names generation `found`: the one they were made to, or the one they
        make. None when there are none, or they are not this file's."""
        note = self._committed(generation)
        if note is None:
            return None
        corpus = note.get("corpus")
        if corpus is None:
            return None
        writes = corpus.get("writes") if isinstance(corpus, dict) else None
        if not isinstance(writes, list) or not all(
            isinstance(w, list)
            and len(w) == 2
            and type(w[0]) is int
            and w[0] >= 0
            and isinstance(w[1], str)
            for w in writes
        ):
            raise LibraryError(f"{self.path}: damaged; delete it to go on")
        if corpus.get("size") != size or found not in (corpus.get("before"), generation):
            return None
        made = [(offset, data.encode("utf-8")) for offset, data in writes]
        if any(offset + len(data) > size for offset, data in made):  # past the file's end
            raise LibraryError(f"{self.path}: damaged; delete it to go on")
        return made

    def _committed(self, generation: str | None) -> dict | None:
        """The journal's note if it belongs to the write that gave the corpus `generation`."""
        note = self._note()
        if note is None or generation is None or note.get("generation") != generation:
            return None
        return note

    def _note(self) -> dict | None:
        try:
            note = orjson.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError):
            raise LibraryError(f"{self.path}: damaged; delete it to go on") from None
        if not isinstance(note, dict) or not isinstance(note.get("states"), dict):
            raise LibraryError(f"{self.path}: damaged; delete it to go on")
        return note
