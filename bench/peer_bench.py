"""readinglist against other command-line reference managers, on the same BibTeX.

    python bench/peer_bench.py [--install] [--work DIR] [--peers pubs,papis,cobib]
                               [--size 10000] [--big 100000] [--pairs 3] [--word neural]
                               [--prepare readinglist,pubs,papis] [--json OUT]

Each peer (pubs, papis, cobib: PyPI packages) lives in its own virtualenv under
`--work/venvs` (default /tmp/readinglist-peers); `--install` creates the venvs with
pip, and a peer that is not installed is skipped with a line saying so. The peers
are never dependencies of this project. Every peer runs with its configuration,
library, cache and home under `--work` (HOME and XDG_* point there too), never
the user's own.

The data is `bench/generate.py --format bibtex` (the BibTeX kit), written once
under `--work`. At `--size` each tool imports the kit with its own import (papis,
whose import adds one document at a time, imports the kit's first `max_import`
papers, against readinglist importing the same file, and its `--size` library is
then written directly as below), then runs `list`, a search for `--word`, `tag`
of one paper and `show` (or the peer's way of printing one entry) on that
library. At `--big` (0 skips it) readinglist imports the kit and each peer's
library is written straight in its on-disk format (pubs: bib/KEY.bib and
meta/KEY.yaml; papis: a folder per document with the info.yaml its import
writes), since their imports take hours at that size; a first `list` (not
measured) lets each build its cache, and the bench checks that the peer's own
`list` shows every paper. Those libraries are kept under `--work/big`; `--prepare`
makes only the ones it names (one process each, in parallel) for a later run.

Every cell is CPU seconds (user + system) of the whole process, children
included, from getrusage; runs alternate readinglist and the peer (A B A B ...)
so both see the same machine, and each pair gives a readinglist/peer ratio. The
table prints the median of each side and the median of the per-pair ratios,
with the load average before and after.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import json
import os
import re
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

Command = list[str]
OPERATIONS = ("import", "list", "search", "tag", "show")
BIG_OPERATIONS = ("list", "search", "tag")
_TAG_NUMBERS = itertools.count()


@dataclass
class Peer:
    """How one reference manager is installed, configured and run."""

    name: str
    packages: list[str]
    setup: Callable[[Path, Path], list[Command]]  # (bin dir, root) -> commands run first
    commands: Callable[[Path, Path, str], dict[str, Callable[[str], Command]]]
    build: str | None = None  # Python run in the peer's venv: build KIT LIBRARY
    count: Callable[[str], int] = lambda out: len(out.splitlines())
    max_import: int = 10**9
    notes: dict[str, str] = field(default_factory=dict)


def peer_env(root: Path) -> dict[str, str]:
    """The environment a peer (or readinglist) runs in: everything under `root`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PAPIS", "PUBS"))}
    home = root / "home"
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local/state"),
        PUBSCONF=str(root / "pubsrc"),
        PAPIS_CONFIG_DIR=str(root / "papis-config"),
        PAPIS_CACHE_DIR=str(root / "papis-cache"),
        COLUMNS="120",
        NO_COLOR="1",
    )
    return env


# --- pubs --------------------------------------------------------------------------

PUBS_BUILD = r"""
import os, sys, datetime
from pubs import endecoder
kit, lib = sys.argv[1], sys.argv[2]
meta = endecoder.EnDecoder().encode_metadata(
    {"added": datetime.datetime(2025, 1, 1), "docfile": None, "tags": set()})
for block in open(kit, encoding="utf-8").read().split("\n\n"):
    block = block.strip()
    if not block:
        continue
    key = block[block.index("{") + 1 : block.index(",")]
    with open(os.path.join(lib, "bib", key + ".bib"), "w", encoding="utf-8") as f:
        f.write(block + "\n")
    with open(os.path.join(lib, "meta", key + ".yaml"), "w", encoding="utf-8") as f:
        f.write(meta)
"""


def pubs_setup(bin_dir: Path, root: Path) -> list[Command]:
    return [[str(bin_dir / "pubs"), "init", "-p", str(root / "lib")]]


def pubs_commands(bin_dir: Path, root: Path, word: str) -> dict[str, Callable[[str], Command]]:
    pubs = str(bin_dir / "pubs")
    return {
        "import": lambda kit: [pubs, "import", kit],
        "list": lambda _: [pubs, "list"],
        "search": lambda _: [pubs, "list", f"title:{word}"],
        "tag": lambda arg: [pubs, "tag", *arg.split()],
        "show": lambda key: [pubs, "export", key],
    }


# --- papis -------------------------------------------------------------------------

PAPIS_BUILD = r"""
import os, re, sys
import papis.bibtex, papis.document, papis.format, papis.id
from bibtexparser.middlewares.latex_encoding import LatexDecodingMiddleware
kit, lib = sys.argv[1], sys.argv[2]
blocks = [b for b in open(kit, encoding="utf-8").read().split("\n\n") if b.strip()]
# papis reads BibTeX as its import does (bibtex_to_dict), but LaTeX-decodes only the
# values that hold something LaTeX could change (pylatexenc costs 14 ms an entry), and
# looks its formatter plugins up once: checked equal to the plain reading on a sample.
SPECIAL = re.compile(r"[\\$%~&#^_{}\n]|--|``|''|!`|\?`|<<|>>")
plain = LatexDecodingMiddleware._transform_python_value_string
sample = papis.bibtex.bibtex_to_dict("\n\n".join(blocks[:200]))
LatexDecodingMiddleware._transform_python_value_string = (
    lambda self, value: plain(self, value) if SPECIAL.search(value) else (value, ""))
formatters = papis.format.get_available_formatters()
papis.format.get_available_formatters = lambda: list(formatters)
if papis.bibtex.bibtex_to_dict("\n\n".join(blocks[:200])) != sample:
    sys.exit("the quick reading differs from papis' own: not building")
for start in range(0, len(blocks), 2000):
    for data in papis.bibtex.bibtex_to_dict("\n\n".join(blocks[start : start + 2000])):
        doc = papis.document.from_data(data)
        if "author" in doc and "author_list" not in doc:  # as papis.document.new does
            doc["author_list"] = papis.document.split_authors_name(doc["author"])
        folder = os.path.join(lib, papis.id.compute_an_id(doc))
        doc[papis.id.ID_KEY_NAME] = os.path.basename(folder)
        os.makedirs(folder)
        doc.set_folder(folder)
        doc.save()
"""
PAPIS_FORMAT = "{doc[author]}. {doc[title]}. {doc[year]}"


def papis_setup(bin_dir: Path, root: Path) -> list[Command]:
    config = root / "papis-config"
    config.mkdir(parents=True, exist_ok=True)
    (root / "lib").mkdir(exist_ok=True)
    (config / "config").write_text(
        f"[settings]\ndefault-library = bench\n\n[bench]\ndir = {root / 'lib'}\n"
    )
    return []


def papis_commands(bin_dir: Path, root: Path, word: str) -> dict[str, Callable[[str], Command]]:
    papis = str(bin_dir / "papis")
    listing = [papis, "list", "--all", "--format", PAPIS_FORMAT]
    return {
        "import": lambda kit: [papis, "bibtex", "read", kit, "import", "--all", "--batch"],
        "list": lambda _: listing,
        "search": lambda _: [*listing, word],
        "tag": lambda arg: [papis, "tag", "--all", "--add", arg.split()[1], _ref(arg)],
        "show": lambda key: [papis, "export", "--all", "--format", "bibtex", f"ref:{key}"],
    }


def _ref(arg: str) -> str:
    return f"ref:{arg.split()[0]}"


# --- cobib -------------------------------------------------------------------------


def cobib_setup(bin_dir: Path, root: Path) -> list[Command]:
    return [[str(bin_dir / "cobib"), "init"]]


def cobib_commands(bin_dir: Path, root: Path, word: str) -> dict[str, Callable[[str], Command]]:
    cobib = str(bin_dir / "cobib")
    return {
        "import": lambda kit: [cobib, "add", "--skip-download", "-b", kit],
        "list": lambda _: [cobib, "list"],
        "search": lambda _: [cobib, "search", word],
        "tag": lambda arg: (
            [cobib, "modify", "-a", "-s", f"tags:{arg.split()[1]}", "--"] + arg.split()[:1]
        ),
        "show": lambda key: [cobib, "show", key],
    }


def _cobib_count(out: str) -> int:
    return len(re.findall(r"^│ (\S+)", out, re.M))


PEERS = {
    "pubs": Peer(
        "pubs",
        ["pubs", "bibtexparser<2"],  # pubs 0.9 reads with bibtexparser 1's API
        pubs_setup,
        pubs_commands,
        build=PUBS_BUILD,
        notes={"search": "list title:WORD (pubs queries one field)", "show": "export KEY"},
    ),
    "papis": Peer(
        "papis",
        ["papis"],
        papis_setup,
        papis_commands,
        build=PAPIS_BUILD,
        max_import=300,  # it adds one document at a time: 1,000 took 181 s CPU, 471 s
        notes={"search": "list --all WORD (title, author, year, tags)", "show": "export KEY"},
    ),
    "cobib": Peer(
        "cobib",
        ["cobib"],
        cobib_setup,
        cobib_commands,
        count=_cobib_count,
        notes={"tag": "modify -a tags:T", "show": "show KEY"},
    ),
}


# --- readinglist -------------------------------------------------------------------


def readinglist_commands(root: Path, word: str) -> dict[str, Callable[[str], Command]]:
    rl = [sys.executable, "-m", "readinglist", "--library", str(root / "lib")]
    return {
        "import": lambda kit: [*rl, "import", kit],
        "list": lambda _: [*rl, "list"],
        "search": lambda _: [*rl, "search", word],
        "tag": lambda arg: [*rl, "tag", *arg.split()],
        "show": lambda key: [*rl, "show", key],
    }


# --- running -----------------------------------------------------------------------


class Failed(RuntimeError):
    """A command exited non-zero."""


def cpu_run(command: Command, env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """(CPU seconds of the whole process and its children, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise Failed(f"{Path(command[0]).name} {' '.join(command[1:3])}: {tail[0][:160]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, done.stdout


@dataclass
class Tool:
    """One tool ready to run on one library: its commands and environment."""

    name: str
    root: Path
    commands: dict[str, Callable[[str], Command]]

    def run(self, operation: str, arg: str = "") -> tuple[float, str]:
        return cpu_run(self.commands[operation](arg), peer_env(self.root), self.root)


def fresh_root(path: Path) -> Path:
    if path.exists():
        subprocess.run(["rm", "-rf", str(path)], check=True)
    (path / "home").mkdir(parents=True)
    return path


def peer_tool(peer: Peer, venv: Path, root: Path, word: str) -> Tool:
    bin_dir = venv / "bin"
    root = fresh_root(root)
    for command in peer.setup(bin_dir, root):
        cpu_run(command, peer_env(root), root)
    return Tool(peer.name, root, peer.commands(bin_dir, root, word))


def readinglist_tool(root: Path, word: str) -> Tool:
    return Tool("readinglist", fresh_root(root), readinglist_commands(root, word))


def pairs(a: Tool, b: Tool, operation: str, count: int, arg: Callable[[int], str]) -> dict:
    """`count` alternating runs of `operation` (a then b); medians and per-pair ratios."""
    left, right, ratios = [], [], []
    for i in range(count):
        cpu_a, _ = a.run(operation, arg(i))
        cpu_b, _ = b.run(operation, arg(i))
        left.append(cpu_a)
        right.append(cpu_b)
        ratios.append(cpu_a / cpu_b)
    return {
        "readinglist": statistics.median(left),
        "peer": statistics.median(right),
        "ratio": statistics.median(ratios),
        "runs": count,
    }


def import_pairs(rl_root: Path, peer: Peer, venv: Path, kit: Path, args) -> tuple[dict, Tool, Tool]:
    """Alternating imports into fresh libraries; returns the figures and the last
    library of each (kept for the other operations)."""
    rows = []
    rl = peer_tool_ = None
    for _ in range(args.import_pairs):
        rl = readinglist_tool(rl_root, args.word)
        peer_tool_ = peer_tool(peer, venv, args.work / "runs" / peer.name, args.word)
        rows.append((rl.run("import", str(kit))[0], peer_tool_.run("import", str(kit))[0]))
    figures = {
        "readinglist": statistics.median(r for r, _ in rows),
        "peer": statistics.median(p for _, p in rows),
        "ratio": statistics.median(r / p for r, p in rows),
        "runs": len(rows),
    }
    assert rl is not None and peer_tool_ is not None
    return figures, rl, peer_tool_


# --- the kit and the libraries -----------------------------------------------------


def kit_file(work: Path, n: int) -> Path:
    path = work / f"kit-{n}.bib"
    if not path.exists():
        print(f"writing the BibTeX kit of {n:,} papers ...", flush=True)
        generate.write(n, path, fmt="bibtex")
    return path


def first_kit(kit: Path, n: int) -> Path:
    """The first n entries of `kit` (the generator's prefix property) as their own file."""
    path = kit.with_name(f"kit-{n}.bib")
    if not path.exists():
        blocks = kit.read_text(encoding="utf-8").split("\n\n")[:n]
        path.write_text("\n\n".join(blocks) + "\n\n", encoding="utf-8")
    return path


def kit_keys(kit: Path) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", kit.read_text(encoding="utf-8"), re.M)


def target_key(kit: Path) -> str:
    """A cite key no other key starts with (a peer's query `ref:KEY` is a prefix match)."""
    keys = kit_keys(kit)
    for key in keys[len(keys) // 2 :]:
        if not any(other != key and other.startswith(key) for other in keys):
            return key
    return keys[0]


def build_peer(peer: Peer, venv: Path, root: Path, kit: Path, word: str) -> Tool:
    """The peer's library written straight in its own format, then listed once."""
    tool = peer_tool(peer, venv, root, word)
    assert peer.build is not None
    (root / "lib").mkdir(exist_ok=True)
    cpu, _ = cpu_run(
        [str(venv / "bin" / "python"), "-c", peer.build, str(kit), str(root / "lib")],
        peer_env(root),
        root,
    )
    print(f"  written in its format: {cpu:.0f} s CPU", flush=True)
    return tool


def check_listed(tool: Tool, peer: Peer | None, expected: int) -> float:
    """Run `list` once (it builds the tool's caches) and check it shows every paper."""
    cpu, out = tool.run("list")
    seen = peer.count(out) if peer else len(out.splitlines())
    if seen < expected:
        raise Failed(f"{tool.name} list shows {seen:,} papers, expected {expected:,}")
    return cpu


# --- the runs ----------------------------------------------------------------------


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def measure_size(peers: dict[str, Path], kit: Path, args) -> dict:
    """Import and every operation at the kit's size, each peer on its own import."""
    n = len(kit_keys(kit))
    key = target_key(kit)
    results: dict = {}
    for name, venv in peers.items():
        peer = PEERS[name]
        size = min(n, peer.max_import)
        kit_here = first_kit(kit, size) if size < n else kit
        print(f"{name}: import of {size:,} papers (load {load()})", flush=True)
        rl_root = args.work / "runs" / "readinglist"
        figures, rl, other = import_pairs(rl_root, peer, venv, kit_here, args)
        row = {"import": {**figures, "papers": size}}
        if size < n:  # its own import stops short: build the full library directly
            rl = readinglist_tool(rl_root, args.word)
            rl.run("import", str(kit))
            other = build_peer(peer, venv, args.work / "runs" / name, kit, args.word)
        check_listed(rl, None, n)
        check_listed(other, peer, n)
        row.update(operations(rl, other, key, args.pairs, OPERATIONS[1:]))
        results[name] = row
        print_rows(name, row)
        print(f"  done (load {load()})", flush=True)
        results["floors"] = floors(rl, args.pairs)
    return results


def operations(rl: Tool, other: Tool, key: str, count: int, names) -> dict:
    return {name: pairs(rl, other, name, count, operation_arg(name, key)) for name in names}


def operation_arg(operation: str, key: str) -> Callable[[int], str]:
    """What each run names: the paper, and for `tag` a tag it does not have yet (every
    run then writes, in every tool)."""
    if operation == "tag":
        return lambda _: f"{key} peerbench{next(_TAG_NUMBERS)}"
    return lambda _: key


def big_libraries(
    peers: dict[str, Path], args, only: set[str] | None = None
) -> tuple[Tool | None, dict[str, Tool], str]:
    """readinglist's import of the kit at --big and each peer's library written in its
    format, each listed once; kept under --work/big (marked done) for later runs.
    `only` names the ones to make (several processes can make one each)."""
    kit = kit_file(args.work, args.big)
    rl = None
    if only is None or "readinglist" in only:
        rl = ready(args.work / "big" / "readinglist", args.big, None, args, kit)
    others = {}
    for name, venv in peers.items():
        if only is not None and name not in only:
            continue
        if PEERS[name].build is None:
            print(f"{name}: skipped at {args.big:,} (no writer for its on-disk format)")
            continue
        others[name] = ready(args.work / "big" / name, args.big, PEERS[name], args, kit, venv)
    return rl, others, target_key(kit)


def ready(root: Path, n: int, peer: Peer | None, args, kit: Path, venv: Path = Path()) -> Tool:
    """The library at `root`, made unless an earlier run finished it."""
    name = peer.name if peer else "readinglist"
    if peer is None:
        tool = Tool(name, root, readinglist_commands(root, args.word))
    else:
        tool = Tool(name, root, peer.commands(venv / "bin", root, args.word))
    if (root / "done").exists():
        print(f"{name}: reusing its {n:,}-paper library in {root}")
        return tool
    print(f"{name}: making its {n:,}-paper library (load {load()})", flush=True)
    if peer is None:
        tool = readinglist_tool(root, args.word)
        print(f"  import: {tool.run('import', str(kit))[0]:.0f} s CPU", flush=True)
    else:
        tool = build_peer(peer, venv, root, kit, args.word)
    print(f"  first list: {check_listed(tool, peer, n):.1f} s CPU", flush=True)
    (root / "done").write_text("")
    return tool


def measure_big(peers: dict[str, Path], args) -> dict:
    """list, search and tag at --big, peers' libraries written in their own format."""
    rl, others, key = big_libraries(peers, args)
    assert rl is not None
    results = {}
    for name, other in others.items():
        print(f"{name}: {', '.join(BIG_OPERATIONS)} (load {load()})", flush=True)
        results[name] = operations(rl, other, key, args.pairs, BIG_OPERATIONS)
        print_rows(name, results[name])
    results["floors"] = floors(rl, args.pairs)
    return results


def floors(rl: Tool, count: int) -> dict:
    """What any Python tool pays, measured like the rest: an interpreter that does
    nothing, and `json.load` of readinglist's corpus file (the list floor)."""
    corpus = rl.root / "lib" / "papers.json"
    load_corpus = f"import json; json.load(open({str(corpus)!r}))"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "json.load papers.json": [sys.executable, "-c", load_corpus],
    }
    env = peer_env(rl.root)
    return {
        name: statistics.median(cpu_run(command, env, rl.root)[0] for _ in range(count))
        for name, command in commands.items()
    }


def install_peer(peer: Peer, venv: Path) -> None:
    """A virtualenv of its own with the peer's packages (pip's output only on failure)."""
    print(f"installing {peer.name} into {venv} ...", flush=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *peer.packages]
    for command in ([sys.executable, "-m", "venv", str(venv)], pip):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{peer.name}: install failed: {done.stderr.strip().splitlines()[-1:]}")
            return


def installed(names: list[str], work: Path, install: bool) -> dict[str, Path]:
    found = {}
    for name in names:
        venv = work / "venvs" / name
        if install and not (venv / "bin" / name).exists():
            install_peer(PEERS[name], venv)
        if (venv / "bin" / name).exists():
            found[name] = venv
        else:
            print(f"{name}: not installed in {venv}, skipped (--install installs it)")
    return found


def print_table(title: str, results: dict) -> None:
    print(f"\n{title}: CPU seconds, medians; ratio = median of readinglist/peer per pair")
    print(f"{'peer':8} {'operation':10} {'readinglist':>12} {'peer':>9} {'ratio':>7}  runs")
    for name, cpu in results.get("floors", {}).items():
        print(f"{'floor':8} {name:24} {cpu:.2f}")
    for name, row in results.items():
        if name != "floors":
            print_rows(name, row)


def print_rows(name: str, row: dict) -> None:
    for operation, cell in row.items():
        label = operation + (f" {cell['papers']:,}" if "papers" in cell else "")
        print(
            f"{name:8} {label:10} {cell['readinglist']:12.2f} {cell['peer']:9.2f} "
            f"{cell['ratio']:7.2f}  {cell['runs']}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/readinglist-peers"))
    parser.add_argument("--install", action="store_true")
    parser.add_argument("--peers", default="pubs,papis,cobib")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--big", type=int, default=100000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--import-pairs", type=int, default=2)
    parser.add_argument("--word", default="neural")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--prepare",
        metavar="NAMES",
        help="only make these --big libraries (readinglist,pubs,papis), kept for a later run",
    )
    args = parser.parse_args(argv)
    # readinglist's modules compiled, as pip installs them (and as the peers' wheels are).
    compileall.compile_dir(HERE.parent / "readinglist", quiet=1)
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    peers = installed([p for p in args.peers.split(",") if p], args.work, args.install)
    if not peers:
        print("no peer installed: nothing to compare")
        return 1
    print(f"load before: {load()} (1/5/15 min), {os.cpu_count()} cores")
    figures: dict = {"load_before": load()}
    if args.prepare:
        big_libraries(peers, args, set(args.prepare.split(",")))
        return 0
    if args.size:
        figures["size"] = measure_size(peers, kit_file(args.work, args.size), args)
        print_table(f"{args.size:,} papers", figures["size"])
    if args.big:
        figures["big"] = measure_big(peers, args)
        print_table(f"{args.big:,} papers (peers' libraries written directly)", figures["big"])
    figures["load_after"] = load()
    print(f"\nload after: {figures['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
