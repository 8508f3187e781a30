"""Worst-case parse times: inputs shaped to make a parser go quadratic or recurse deeply.

    python bench/fuzz_parse_times.py [--size-mb 10] [--repeat 1]

Each input is written to a temp file and read with `readinglist.parsing.load` in every
format (and auto-detection); the script prints the time of each and the worst per input.
A linear parser takes about twice as long for twice the input: the `x2` column is the
time for the full input over the time for half of it (≈ 2 is linear, ≈ 4 quadratic).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readinglist.errors import ParseError  # noqa: E402
from readinglist.parsing import FORMATS, load  # noqa: E402


def single_line(size: int) -> bytes:
    """One line of words, no newline."""
    word = b"attention "
    return word * (size // len(word))


def blank_lines(size: int) -> bytes:
    """Only newlines (100k of them for the default size)."""
    return b"\n" * size


def nested_braces(size: int) -> bytes:
    """A BibTeX entry whose title nests braces `size` deep."""
    depth = size // 2
    return b"@article{k,\n  title = " + b"{" * depth + b"x" + b"}" * depth + b",\n}\n"


def unclosed_braces(size: int) -> bytes:
    """A BibTeX entry that opens braces and never closes them."""
    return b"@article{k,\n  title = " + b"{" * size


def many_entries(size: int) -> bytes:
    """Small BibTeX entries, one after another."""
    entry = b"@misc{k%d, title={A title}, year={2020}}\n"
    return b"".join(entry % i for i in range(size // len(entry)))


def hf_bullets(size: int) -> bytes:
    """Lines that look like the start of an HF listing record, over and over."""
    line = b"\xe2\x80\xa2 3 authors\n"
    return line * (size // len(line))


def json_nesting(size: int) -> bytes:
    """JSON arrays nested `size` deep."""
    return b"[" * size + b"]" * size


INPUTS: list[tuple[str, Callable[[int], bytes], int]] = [
    ("10 MB single line", single_line, 10_000_000),
    ("100k blank lines", blank_lines, 100_000),
    ("nested BibTeX braces (50k deep)", nested_braces, 100_000),
    ("unclosed BibTeX braces (100k)", unclosed_braces, 100_000),
    ("BibTeX entries (2 MB)", many_entries, 2_000_000),
    ("HF author bullets (2 MB)", hf_bullets, 2_000_000),
    ("nested JSON arrays (100k deep)", json_nesting, 100_000),
]


def time_load(path: Path, fmt: str) -> tuple[float, str]:
    """Seconds to load `path` as `fmt`, and what came of it."""
    started = time.perf_counter()
    try:
        outcome = f"{len(load(str(path), fmt))} papers"
    except ParseError as error:
        outcome = f"ParseError: {str(error)[:60]}"
    except RecursionError:
        outcome = "RecursionError"
    except Exception as error:  # the point is to report it, whatever it is
        outcome = f"{type(error).__name__}: {str(error)[:60]}"
    return time.perf_counter() - started, outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every input size")
    args = parser.parse_args(argv)
    worst_overall = 0.0
    bad = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        for name, make, size in INPUTS:
            size = int(size * args.scale)
            print(f"{name}:")
            worst = 0.0
            for fmt in ("auto", *FORMATS):
                path.write_bytes(make(size // 2))
                half, _ = time_load(path, fmt)
                path.write_bytes(make(size))
                full, outcome = time_load(path, fmt)
                ratio = full / half if half > 1e-4 else float("nan")
                flag = (
                    "" if outcome.endswith("papers") or outcome.startswith("ParseError") else "  !!"
                )
                bad += bool(flag)
                print(f"  {fmt:>9}  {full:7.3f} s  x2 {ratio:4.1f}  {outcome}{flag}")
                worst = max(worst, full)
            print(f"  worst: {worst:.3f} s")
            worst_overall = max(worst_overall, worst)
    print(f"worst parse time overall: {worst_overall:.3f} s; unexpected outcomes: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
