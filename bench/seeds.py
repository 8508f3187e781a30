"""Read the papers in seeds/ (HF listing pages and abstract-per-line files)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from readinglist.model import Paper, paper_id

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_AUTHORS = re.compile(r"^\s*•\s*(\d+)\s+authors?$")
_DATE = re.compile(r"^([A-Z][a-z]{2} \d{1,2}(?:, \d{4})?)(?:\s+(\d+))?$")


def _paper(title: str, abstract: str, source: str, derived: bool = False) -> Paper:
    return Paper(
        id=paper_id(title, abstract),
        title=title,
        abstract=abstract,
        title_derived=derived,
        sources=[source],
    )


def _derive_title(abstract: str) -> str:
    words = re.split(r"(?<=[.!?])\s", abstract, maxsplit=1)[0].split()
    return " ".join(words[:12])


def _listing(lines: list[str], source: str) -> list[Paper]:
    papers: list[Paper] = []
    i = 0
    while i < len(lines) - 1:
        title, nxt = lines[i], lines[i + 1]
        if len(nxt) > 150 and len(title) < 300 and not _AUTHORS.match(title):
            papers.append(_paper(title, nxt, source))
            i += 2
            continue
        authors, date = _AUTHORS.match(title), _DATE.match(title)
        if papers and authors:
            papers[-1].author_count = int(authors.group(1))
        elif papers and date and "," in date.group(1):
            when = datetime.strptime(date.group(1), "%b %d, %Y")
            papers[-1].published = when.date().isoformat()
            papers[-1].year = when.year
            papers[-1].upvotes = int(date.group(2)) if date.group(2) else None
        i += 1
    return papers


def read_seed(path: Path) -> list[Paper]:
    """The papers of one seed file."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    if all(len(line) > 150 for line in lines):
        abstracts = [line.removeprefix("Abstract:").strip() for line in lines]
        return [_paper(_derive_title(a), a, path.name, derived=True) for a in abstracts]
    return _listing(lines, path.name)


def seed_papers(folder: Path = SEEDS) -> list[Paper]:
    """All seed papers, merged by id (first occurrence wins, sources joined)."""
    by_id: dict[str, Paper] = {}
    for path in sorted(folder.glob("*.txt")):
        for paper in read_seed(path):
            if paper.id in by_id:
                by_id[paper.id].sources += paper.sources
            else:
                by_id[paper.id] = paper
    return list(by_id.values())
