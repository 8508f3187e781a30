"""Per file of the real bibliography corpus: what an import reads, stores, skips and merges.

    python bench/corpus_report.py [--corpus DIR]

For each `.bib` file of `../shared/realworld/bibtex/` (or DIR): the entry blocks in
the file, the papers read, the blocks skipped (with each reason), the entries lent
to others as crossref parents, the papers stored and merged by an import into an empty
library, merges of records that differ (different DOIs, or different years and no author
in common: must be 0), cite keys that no longer resolve (must be 0), and the records
that differ after a BibTeX and after a JSON export → import round trip (must be 0).
The same checks as `tests/parsing/test_bibtex_corpus.py`, as one table.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from readinglist.citations.phrasing import clean_paper  # noqa: E402
from readinglist.dedupe import conflict  # noqa: E402
from readinglist.errors import ParseError  # noqa: E402
from readinglist.exporting import export  # noqa: E402
from readinglist.importer import SKIPPED  # noqa: E402
from readinglist.parsing import bibtex, jsonfmt, read_file  # noqa: E402
from readinglist.parsing.bibtex import LENT_NOTE  # noqa: E402
from readinglist.persistence.library import Library  # noqa: E402

_ENTRY = re.compile(r"^\s*@\s*(?!string\b|comment\b|preamble\b)\w+\s*[{(]", re.I | re.M)
_REASON = re.compile(r":\d+: (?:entry '.*?': )?(.*?)(?: in entry '.*')? — skipped$")


def report(path: Path, work: Path) -> tuple[list[object], Counter]:
    """One row of the table for the file at `path`, and the reasons of its skips."""
    blocks = len(_ENTRY.findall(path.read_bytes().decode("utf-8", "replace")))
    try:
        parsed = read_file(str(path), "bibtex")
    except ParseError as error:  # no entry could be a paper: each one's skip is noted
        skips = [note for note in error.notes if note.endswith(SKIPPED)]
        row = [path.name, blocks, 0, len(skips), 0, 0, 0, 0, 0, "-", "-", str(error)]
        return row, _reasons(skips)
    skips = [note for note in parsed.notes if note.endswith(SKIPPED)]
    reasons = _reasons(skips)
    lent = sum(int(n.split(": ")[1].split()[0]) for n in parsed.notes if LENT_NOTE in n)
    keys = {paper.key for paper in parsed.papers if paper.key}
    library = Library(work / "a")
    plan = library.import_papers(list(parsed.papers), source=path.name, dry_run=True).plan
    wrong = sum(1 for act, new, old, _ in plan if act == "merge" and conflict(new, old))
    result = library.import_papers(parsed.papers, source=path.name)
    stored = library.papers()
    known = {k for p in stored for k in (p.key, *p.key_aliases)}
    trips = [_differ(stored, "bibtex", work / "b"), _differ(stored, "json", work / "c")]
    row = [path.name, blocks, len(parsed.papers), len(skips), lent,
           len(stored), result.merged, wrong, len(keys - known), *trips, ""]  # fmt: skip
    return row, reasons


def _reasons(skips: list[str]) -> Counter:
    """How many skips each reason has (the entry's name left out)."""
    return Counter(m.group(1) if (m := _REASON.search(n)) else n for n in skips)


def _differ(papers: list, fmt: str, root: Path) -> int:
    """How many records an export in `fmt` and an import of it into an empty library
    do not give back as they were (the BibTeX export leaves out control characters)."""
    parse = bibtex.parse if fmt == "bibtex" else jsonfmt.parse
    again = parse(export(papers, fmt), source="x")
    library = Library(root)
    library.import_papers(again, source="x", named=fmt == "json")
    clean = (lambda p: clean_paper(p, multiline=("abstract",), exact=("note",))) if (
        fmt == "bibtex") else (lambda p: p)  # fmt: skip
    before = {p.id: _bib(clean(p)) for p in papers}
    after = {p.id: _bib(p) for p in library.papers()}
    return sum(1 for pid in before.keys() | after.keys() if before.get(pid) != after.get(pid))


def _bib(paper) -> dict:
    """The record's bibliographic fields (what a round trip keeps; not its import state)."""
    data = paper.to_json(changed=False)
    for state in ("added", "sources", "read", "read_at", "tags", "note"):
        data.pop(state, None)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" /
                        "realworld" / "bibtex")  # fmt: skip
    args = parser.parse_args()
    head = ["file", "blocks", "read", "skipped", "lent", "stored", "merged", "bad merges",
            "lost keys", "bib diff", "json diff", "error"]  # fmt: skip
    print(" | ".join(head))
    totals: list[int] = [0] * 10
    all_reasons: Counter = Counter()
    for path in sorted(args.corpus.glob("*.bib")):
        with tempfile.TemporaryDirectory() as work:
            row, reasons = report(path, Path(work))
        print(" | ".join(map(str, row)), flush=True)
        counts = [v if isinstance(v, int) else 0 for v in row[1:11]]
        totals = [t + v for t, v in zip(totals, counts, strict=True)]
        all_reasons += reasons
    print(" | ".join(["total", *map(str, totals)]))
    for reason, count in all_reasons.most_common():
        print(f"skipped {count}: {reason}")


if __name__ == "__main__":
    main()
