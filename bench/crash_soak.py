"""Kill a process editing a library with SIGKILL at random moments; count what was lost.

    python bench/crash_soak.py [--kills 200] [--papers 3000] [--seed 1] [--max-ops 300]

A child process opens a library of a few thousand papers and makes edits (read, unread,
tag, untag, note, import). It prints `begin SEQ OP` before each library call and
`ack SEQ` once the call has returned, flushing each line. It is killed (SIGKILL) just
before its Nth file operation (a write, fsync or rename of the storage layer), N drawn
from the seed, so two runs with one seed kill at the same instants; the parent checks:

* every library file parses and the library opens;
* every paper's state is what the acknowledged edits say, or that plus the one edit in
  flight (an edit that had not returned may or may not have happened, never half of one
  paper's change);
* the papers of an interrupted import are all there or none is, and the tags it gives
  papers already stored are on all of them or on none (whole-import atomicity);
* every listed backup is complete (it holds papers.json and parses);
* a writer that opens the library afterwards removes the temp files the kill left.

It prints the figures: kills, edits acknowledged, edits lost, corrupt opens, ...
Library calls are made directly (not through `readinglist` start-ups) so that many
edits fit between kills.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readinglist.errors import LibraryError  # noqa: E402
from readinglist.model import Paper, paper_id  # noqa: E402
from readinglist.persistence import backups  # noqa: E402
from readinglist.persistence.library import Library  # noqa: E402
from readinglist.persistence.storage import TEMP_SUFFIX  # noqa: E402

IMPORT_TAG = "imported"
TAG_POOL = [f"t{i}" for i in range(12)]
_VOCAB_RNG = random.Random(0)
VOCAB = sorted(
    {
        "".join(_VOCAB_RNG.choice("bcdfghklmnprstvz") + _VOCAB_RNG.choice("aeiou") for _ in "abc")
        for _ in range(4000)
    }
)

State = tuple  # (read, tags, note)


@dataclass
class Figures:
    """What one soak run did and found."""

    kills: int = 0
    edits_begun: int = 0
    edits_acknowledged: int = 0
    edits_lost: int = 0
    in_flight_applied: int = 0
    corrupt_opens: int = 0
    partial_imports: int = 0
    incomplete_backups: int = 0
    kills_leaving_temps: int = 0
    temps_left_after_cleanup: int = 0
    papers_at_end: int = 0
    seconds: float = 0.0


# ----- papers --------------------------------------------------------------------------


def make_papers(rng: random.Random, count: int, label: str) -> list[Paper]:
    """`count` papers with random, clearly distinct titles and abstracts."""
    papers = []
    for i in range(count):
        title = f"{label} {i} " + " ".join(rng.choice(VOCAB) for _ in range(7)).capitalize()
        words = [rng.choice(VOCAB) for _ in range(rng.randint(40, 120))]
        abstract = f"{label} {i}: " + " ".join(words)
        papers.append(Paper(id=paper_id(title, abstract), title=title, abstract=abstract))
    return papers


def build_library(root: Path, count: int, seed: int) -> None:
    """A library of `count` papers, some read, tagged or with a note."""
    rng = random.Random(seed)
    papers = make_papers(rng, count, f"base{seed}")
    for paper in papers[::7]:
        paper.read, paper.read_at = True, "2025-01-01T00:00:00+00:00"
    for paper in papers[::11]:
        paper.tags = [rng.choice(TAG_POOL)]
    for paper in papers[::13]:
        paper.note = f"first note on {paper.id[:6]}"
    Library(root).import_papers(papers, source="base.json")


def snapshot_state(lib: Library) -> dict[str, State]:
    """Each paper's user state, in a comparable form."""
    return {p.id: (p.read, tuple(p.tags), p.note) for p in lib.papers()}


# ----- the child: edits, each acknowledged after it returns ------------------------------


def child_main(root: Path, seed: int, kill_at: int = 0) -> None:
    rng = random.Random(seed)
    if kill_at:
        _die_at_file_operation(kill_at)
    lib = Library(root)
    ids = sorted(p.id for p in lib.papers())
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    seq = 0
    while True:
        seq += 1
        op = _next_op(rng, lib, ids, seed, seq)
        out.write(f"begin {seq} {json.dumps(op)}\n")
        out.flush()
        _run_op(lib, op, rng, seed, seq)
        out.write(f"ack {seq}\n")
        out.flush()
        if op["op"] == "import":
            ids.extend(op["new"])


def _die_at_file_operation(kill_at: int) -> None:
    """SIGKILL this process just before the storage layer's `kill_at`th file operation."""
    from readinglist.persistence import storage

    count = {"n": 0}

    def counted(real):
        def op(*args, **kwargs):
            count["n"] += 1
            if count["n"] >= kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return op

    for name in ("write_bytes", "fsync", "replace"):
        setattr(storage, name, counted(getattr(storage, name)))


def _next_op(rng: random.Random, lib: Library, ids: list[str], seed: int, seq: int) -> dict:
    kind = rng.choices(["read", "tag", "untag", "note", "import"], [4, 3, 2, 3, 1])[0]
    if kind == "read":
        chosen = rng.sample(ids, rng.choice([1, 1, 1, 2, 3]))
        return {"op": "read", "ids": chosen, "value": rng.random() < 0.6}
    if kind in ("tag", "untag"):
        return {"op": kind, "ids": [rng.choice(ids)], "tag": rng.choice(TAG_POOL)}
    if kind == "note":
        text = f"note {seed}-{seq} " * rng.randint(1, 5)
        return {"op": "note", "ids": [rng.choice(ids)], "text": text}
    count = rng.randint(1, 30)
    new = [p.id for p in make_papers(random.Random(f"{seed}-{seq}"), count, f"imp{seed}-{seq}")]
    again = rng.sample(ids, rng.randint(0, 3))
    return {"op": "import", "new": new, "again": again, "count": count}


def _run_op(lib: Library, op: dict, rng: random.Random, seed: int, seq: int) -> None:
    kind = op["op"]
    if kind == "read":
        lib.set_read(op["ids"], op["value"])
    elif kind == "tag":
        lib.add_tags(op["ids"], [op["tag"]])
    elif kind == "untag":
        lib.remove_tags(op["ids"], [op["tag"]])
    elif kind == "note":
        lib.set_note(op["ids"][0], op["text"])
    else:
        papers = make_papers(random.Random(f"{seed}-{seq}"), op["count"], f"imp{seed}-{seq}")
        papers += [lib.get(pid) for pid in op["again"]]
        lib.import_papers(papers, source=f"import-{seq}.json", tags=[IMPORT_TAG])


def apply_op(model: dict[str, State], op: dict) -> dict[str, State]:
    """The model after `op` (a new dict; `model` is left alone)."""
    model = dict(model)
    kind = op["op"]
    if kind == "import":
        for pid in op["new"] + op["again"]:
            read, tags, note = model.get(pid, (False, (), ""))
            model[pid] = (read, _add(tags, IMPORT_TAG), note)
        return model
    for pid in op["ids"]:
        read, tags, note = model[pid]
        if kind == "read":
            read = op["value"]
        elif kind == "tag":
            tags = _add(tags, op["tag"])
        elif kind == "untag":
            tags = tuple(t for t in tags if t != op["tag"])
        else:
            note = op["text"]
        model[pid] = (read, tags, note)
    return model


def _add(tags: tuple, tag: str) -> tuple:
    return tags if tag in tags else (*tags, tag)


# ----- the parent: kill, reopen, compare -------------------------------------------------


def run_child(root: Path, seed: int, kill_at: int) -> list[str]:
    """Start a child that dies at its `kill_at`th file operation; return its complete lines."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", str(root), "--seed", str(seed)]
        + ["--kill-at", str(kill_at)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines: list[str] = []
    ready = threading.Event()

    def reader() -> None:
        for raw in child.stdout:
            if raw.endswith(b"\n"):
                lines.append(raw.decode())
                if raw == b"ready\n":
                    ready.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    if not ready.wait(60):
        child.kill()
        raise RuntimeError(f"child never got ready: {child.stderr.read().decode()[-2000:]}")
    if child.wait(120) is None:
        child.kill()
    thread.join()
    err = child.stderr.read().decode()
    if child.returncode != -signal.SIGKILL:
        raise RuntimeError(f"child ended by itself ({child.returncode}): {err[-2000:]}")
    return lines


def temp_files(root: Path) -> list[Path]:
    return [p for folder in (root, root / "state") for p in folder.glob(f".*{TEMP_SUFFIX}")]


def check_files(root: Path) -> bool:
    """Whether every library file parses as a JSON object."""
    for path in [root / "papers.json", *sorted((root / "state").glob("*.json"))]:
        try:
            if not isinstance(orjson.loads(path.read_bytes()), dict):
                return False
        except (OSError, orjson.JSONDecodeError):
            return False
    return True


def check_backups(root: Path, seen: set[str]) -> int:
    """How many listed backups (not in `seen`, which is updated) are incomplete or unreadable."""
    bad = 0
    for name in backups.list_backups(root):
        if name in seen:
            continue
        seen.add(name)
        try:
            backups.verify(root, next(b for b in backups.list_all(root) if b.name == name))
        except (LibraryError, StopIteration):
            bad += 1
    return bad


def soak(
    root: Path, kills: int, *, papers: int = 3000, seed: int = 1, max_ops: int = 300, log=None
) -> Figures:
    """Run `kills` kill-and-check rounds on a fresh library at `root`; return the figures."""
    started = time.perf_counter()
    build_library(root, papers, seed)
    model = snapshot_state(Library(root))
    rng = random.Random(seed)
    figures = Figures()
    checked_backups: set[str] = set()
    for round_no in range(kills):
        lines = run_child(root, seed * 100_000 + round_no, rng.randint(1, max_ops))
        figures.kills += 1
        ops, acked = {}, []
        for line in lines:
            word, _, rest = line.rstrip("\n").partition(" ")
            if word == "begin":
                seq, _, text = rest.partition(" ")
                ops[int(seq)] = json.loads(text)
            elif word == "ack":
                acked.append(int(rest))
        figures.edits_begun += len(ops)
        figures.edits_acknowledged += len(acked)
        expected = model
        for seq in acked:
            expected = apply_op(expected, ops[seq])
        in_flight = [ops[seq] for seq in ops if seq not in acked]
        maybe = apply_op(expected, in_flight[0]) if in_flight else expected
        if temp_files(root):
            figures.kills_leaving_temps += 1
        if not check_files(root):
            figures.corrupt_opens += 1
        try:
            actual = snapshot_state(Library(root))
        except Exception as error:  # any failure to open counts, whatever it is
            figures.corrupt_opens += 1
            if log:
                log(f"round {round_no}: library does not open: {error!r}")
            break
        if set(actual) not in (set(expected), set(maybe)) or _split_import(
            in_flight, actual, expected, maybe
        ):
            figures.partial_imports += 1
        lost = [
            pid
            for pid in set(expected) | set(maybe)
            if actual.get(pid) not in (expected.get(pid), maybe.get(pid))
        ]
        figures.edits_lost += len(lost)
        if in_flight and actual != expected:
            figures.in_flight_applied += 1
        if lost and log:
            for pid in lost[:5]:
                log(f"round {round_no}: {pid} is {actual.get(pid)}, expected {expected.get(pid)}")
        figures.incomplete_backups += check_backups(root, checked_backups)
        model = actual
        if log and (round_no + 1) % 25 == 0:
            log(f"{round_no + 1} kills, {figures.edits_acknowledged} edits acknowledged")
    final = Library(root)
    pid = sorted(model)[0]
    final.set_note(pid, "after the soak")
    figures.temps_left_after_cleanup = len(temp_files(root))
    figures.papers_at_end = len(final.papers())
    figures.seconds = round(time.perf_counter() - started, 1)
    return figures


def _split_import(in_flight: list[dict], actual: dict, expected: dict, maybe: dict) -> bool:
    """Whether an interrupted import shows on some of its papers and not on others."""
    if not in_flight or in_flight[0]["op"] != "import":
        return False
    touched = [pid for pid in set(expected) | set(maybe) if expected.get(pid) != maybe.get(pid)]
    applied = {actual.get(pid) == maybe.get(pid) for pid in touched}
    return len(applied) > 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--papers", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-ops", type=int, default=300, help="kill by this file operation")
    parser.add_argument("--library", type=Path, help="folder to use (default: a temp folder)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--kill-at", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child, args.seed, args.kill_at)
        return 0
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        root = args.library or Path(temp) / "library"
        figures = soak(
            root,
            args.kills,
            papers=args.papers,
            seed=args.seed,
            max_ops=args.max_ops,
            log=lambda text: print(text, file=sys.stderr, flush=True),
        )
    for key, value in asdict(figures).items():
        print(f"{key.replace('_', ' '):>26}: {value}")
    bad = figures.edits_lost or figures.corrupt_opens or figures.partial_imports
    return 1 if bad or figures.incomplete_backups or figures.temps_left_after_cleanup else 0


if __name__ == "__main__":
    raise SystemExit(main())
