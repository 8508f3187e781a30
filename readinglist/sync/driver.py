"""`readinglist merge-driver %O %A %B %P`: git's merge of one library file.

git runs it for each library file both sides changed (see `.gitattributes`); it
writes the merged file over %A and exits 0, or says in one line why it cannot
(a damaged file) and exits 1, leaving git's conflict for `readinglist sync` to
report. It imports only the merge rules and orjson: it runs once per file, so its
start-up is most of its cost.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # (not typing's: the driver must not pay its import)
if TYPE_CHECKING:
    from collections.abc import Sequence

USAGE = "usage: readinglist merge-driver BASE OURS THEIRS PATH"


def main(argv: Sequence[str]) -> int:
    """Merge the file at OURS with THEIRS against BASE; PATH names it in the library."""
    if list(argv) in (["-h"], ["--help"]):
        print(f"{USAGE}\n\n{__doc__}")
        return 0
    if len(argv) != 4:
        print(f"readinglist merge-driver: {USAGE}", file=sys.stderr)
        return 2
    base, ours, theirs, path = argv
    from readinglist.sync.codec import CodecError, kind_of, merge_bytes

    kind = kind_of(path)
    if kind is None:
        print(f"readinglist merge-driver: {path}: not a library file", file=sys.stderr)
        return 1
    try:
        was, mine, other = (_read(name) for name in (base, ours, theirs))
        merged, _ = merge_bytes(was or None, mine, other, kind)
        _write(ours, merged)
    except CodecError as error:
        print(f"readinglist merge-driver: {path}: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"readinglist merge-driver: {path}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def _read(name: str) -> bytes:
    with open(name, "rb") as handle:
        return handle.read()


def _write(name: str, data: bytes) -> None:
    """Write over the file git gave (in place: it is git's temp file, and a name that
    is not a regular file, say /dev/null, must stay what it is)."""
    with open(name, "wb") as handle:
        handle.write(data)


def run() -> None:
    """Entry of the driver as git's config runs it (`python -c`: see `command`)."""
    raise SystemExit(main(sys.argv[1:]))


def command(python: str) -> str:
    """The driver's command line for git's config: `readinglist merge-driver` started
    straight from the interpreter (`python` path, shell-quoted), without the console
    script's own imports."""
    return f'{python} -c "import readinglist.sync.driver as d; d.run()" %O %A %B %P'
