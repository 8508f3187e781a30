"""Generate a realistic library of N papers from the text in seeds/.

    python bench/generate.py N OUT.json [--seed S]
    python bench/generate.py --format bibtex N OUT.bib [--seed S]

`json` (the default) writes a JSON array of Paper.to_json() dicts (the project's
own export format, imported losslessly). `bibtex` writes what another reference
manager would export (the BibTeX kit: ~1.5 KB an entry, 146 MB at 100,000):
`@article` (journal, volume, pages) and `@inproceedings` (booktitle, pages)
entries with 1-6 authors, a title with its name protected in braces, the year,
a DOI for about 60%, a ~1 KB abstract and 1-5 keywords; no reading state.
Deterministic: the same N, format and seed give the same file, and the first N
papers of a larger run equal a smaller run. No paper duplicates another by the
library's own rules (`readinglist.dedupe`), so nothing merges on import.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readinglist.citations.bibentry import citation_fields  # noqa: E402
from readinglist.citations.latex import base_key, escape, render_entry, suffix  # noqa: E402
from readinglist.dedupe import DedupeIndex  # noqa: E402
from readinglist.model import Paper, paper_id  # noqa: E402
from seeds import seed_papers  # noqa: E402

SYLLABLES = [a + b for a in "bdfgklmnprstvz" for b in "aeiou"]
SUFFIXES = ["", "", "Net", "Former", "GPT", "-7B", "Diff", "LM", "Bench", "++", "-2", "Seg"]
TAGS = ["robustness", "llm", "vision", "to-read", "survey", "rl", "theory", "nlp", "diffusion"]
NOTES = ["compare with baseline", "good related work", "check the appendix", "cite in ch. 3"]
START = date(2015, 1, 1)
GIVEN = ["Ada", "Alan", "Grace", "Yann", "Guy", "Mei", "Ravi", "Olga", "Tomás", "Aiko", "Femi"]
FAMILY = ["Smith", "Li", "Wang", "Van den Broeck", "Müller", "Okafor", "Garcia", "Kim", "Rossi"]
VENUES = ["Advances in Neural Information Processing Systems", "ICML", "ICLR", "Nature",
          "Journal of Machine Learning Research", "Proceedings of CVPR"]  # fmt: skip
JOURNALS = ["Journal of Machine Learning Research", "Transactions on Machine Learning Research",
            "Nature Machine Intelligence", "IEEE Transactions on Pattern Analysis and Machine "
            "Intelligence", "Artificial Intelligence", "Neural Computation"]  # fmt: skip
CONFERENCES = ["Advances in Neural Information Processing Systems",
               "Proceedings of the International Conference on Machine Learning",
               "International Conference on Learning Representations",
               "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
               "Proceedings of the Annual Meeting of the Association for Computational "
               "Linguistics"]  # fmt: skip
KEYWORDS = ["machine learning", "deep learning", "computer vision", "reinforcement learning",
            "natural language processing", "robustness", "optimization", "transformers",
            "diffusion models", "graph neural networks", "benchmark", "theory", "survey",
            "generative models", "representation learning", "interpretability"]  # fmt: skip
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


class Pools:
    """Seed text cut into title pieces and abstract sentences."""

    def __init__(self, papers: list[Paper]) -> None:
        titled = [p for p in papers if not p.title_derived]
        self.titles = [p.title for p in titled]
        self.heads = [t.split(":")[0] for t in self.titles if len(t.split(":")[0].split()) <= 6]
        self.tails = [t.split(":", 1)[-1].strip() for t in self.titles]
        self.sentences = [s for p in papers for s in _SENTENCE.split(p.abstract) if len(s) > 40]


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return word.capitalize() + rng.choice(SUFFIXES)


def _title(rng: random.Random, pools: Pools, name: str) -> str:
    style = rng.random()
    if style < 0.4:
        return f"{name}: {_crossover(rng, pools)}"
    if style < 0.7:
        return f"{rng.choice(pools.heads)} for {rng.choice(pools.tails)} in {name}"
    return f"{_crossover(rng, pools)} with {name}"


def _crossover(rng: random.Random, pools: Pools) -> str:
    """The start of one seed title joined to the end of another, as real titles vary.

    (Reusing whole seed titles would make families of hundreds of near-identical titles,
    which real libraries do not have.)
    """
    words = rng.choice(pools.titles).split()
    cut = rng.randint(1, max(1, len(words) - 1))
    return " ".join(words[:cut] + rng.choice(pools.titles).split()[cut:])


def _acronym(title: str) -> str | None:
    words = [w for w in re.findall(r"[A-Za-z]+", title.split(":")[-1]) if w[0].isupper()]
    return "".join(w[0] for w in words[:4]) if len(words) >= 2 else None


def _abstract(rng: random.Random, pools: Pools, name: str, title: str) -> str:
    long_form = " ".join(re.findall(r"[A-Za-z]+", title.split(":")[-1])[:4])
    short = _acronym(title)
    opening = f"We present {name}, a method for {long_form.lower()}"
    if short and rng.random() < 0.5:
        opening = f"We study {long_form} ({short}) and present {name}"
    parts = [opening + "."]
    while sum(map(len, parts)) < rng.randint(900, 1100):
        parts.append(rng.choice(pools.sentences))
    return " ".join(parts)


def _paper(rng: random.Random, pools: Pools, n: int, source: str) -> Paper:
    name = _name(rng)
    title = _title(rng, pools, name)
    abstract = _abstract(rng, pools, name, title)
    published = START + timedelta(days=rng.randrange(3800))
    added = date(2025, 1, 1) + timedelta(seconds=n * 37)
    paper = Paper(
        id=paper_id(title, abstract),
        title=title,
        abstract=abstract,
        author_count=rng.choice([None, rng.randint(1, 30)]),
        published=published.isoformat(),
        year=published.year,
        upvotes=rng.choice([None, int(rng.paretovariate(1.2))]),
        sources=[source],
        added=f"{added.isoformat()}T00:00:00+00:00",
    )
    _names(random.Random(n), paper)
    if rng.random() < 0.1:
        paper.tags = sorted(set(rng.sample(TAGS, rng.randint(1, 2))))
    paper.read = rng.random() < 0.2
    if rng.random() < 0.05:
        paper.note = rng.choice(NOTES)
    return paper


def _names(rng: random.Random, paper: Paper) -> None:
    """Author names for half the papers, a venue for a third (their own random stream,
    so the rest of each paper is what it was before papers had names)."""
    if rng.random() < 0.5:
        family = [rng.choice(FAMILY) + rng.choice(["", "", "a", "er", "ov"]) for _ in range(9)]
        count = rng.randint(1, 9)
        paper.authors = [f"{rng.choice(GIVEN)} {name}" for name in family[:count]]
        paper.author_count = None
    if rng.random() < 0.33:
        paper.journal = rng.choice(VENUES)


def generate(
    n: int,
    source: str = "generated.json",
    seed: int = 7,
    shape: Callable[[Paper, int], Paper] | None = None,
) -> Iterator[Paper]:
    """Yield n papers that the library's own de-duplication keeps apart.

    `shape(paper, count)` reshapes each paper (as another format will hold it)
    before the check, so what is checked is what the file holds."""
    rng = random.Random(seed)
    pools = Pools(seed_papers())
    seen_ids: set[str] = set()
    kept = DedupeIndex()
    count = 0
    while count < n:
        paper = _paper(rng, pools, count, source)
        if shape is not None:
            paper = shape(paper, count)
        if paper.id in seen_ids or kept.find(paper) is not None:
            continue
        seen_ids.add(paper.id)
        kept.add(paper)
        count += 1
        yield paper


def as_bibtex_record(paper: Paper, count: int) -> Paper:
    """`paper` as the BibTeX kit holds it: authors, an entry type and venue, a DOI for
    some, keywords as tags, no reading state (its own random stream, by `count`)."""
    rng = random.Random(f"bibtex-{count}")
    if not paper.authors:
        families = rng.sample(FAMILY, rng.randint(1, 6))
        paper.authors = [f"{rng.choice(GIVEN)} {name}" for name in families]
    paper.authors = paper.authors[:6]
    paper.author_count = None
    first = rng.randint(1, 900)
    pages = f"{first}-{first + rng.randint(6, 24)}"
    if rng.random() < 0.55:
        paper.entry_type = "article"
        paper.journal = rng.choice(JOURNALS)
        paper.venue = {"journal": paper.journal, "volume": str(rng.randint(1, 60))}
    else:
        paper.entry_type = "inproceedings"
        paper.journal = rng.choice(CONFERENCES)
        paper.venue = {"booktitle": paper.journal}
    paper.venue["pages"] = pages
    if rng.random() < 0.6:
        paper.doi = f"10.{rng.randint(1000, 9999)}/rl.{paper.year}.{count:07d}"
    paper.tags = rng.sample(KEYWORDS, rng.randint(1, 5))
    paper.read, paper.note, paper.upvotes = False, None, None
    return paper


def bibtex_entry(paper: Paper, key: str) -> str:
    """One entry of the kit: the citation's fields, then the abstract and keywords."""
    fields = citation_fields(paper)
    fields.append(("abstract", escape(paper.abstract)))
    fields.append(("keywords", escape(", ".join(paper.tags))))
    return render_entry(paper.entry_type or "misc", key, fields)


def bibtex_entries(n: int, seed: int = 7) -> Iterator[str]:
    """The n entries of the kit, each with a cite key of its own."""
    used: dict[str, int] = {}
    for paper in generate(n, "generated.bib", seed, shape=as_bibtex_record):
        base = base_key(paper)
        used[base] = used.get(base, -1) + 1
        yield bibtex_entry(paper, base + suffix(used[base]))


def write(n: int, out: Path, seed: int = 7, fmt: str = "json") -> int:
    """Write n papers to `out` (a JSON array, or the BibTeX kit); returns the byte size."""
    if fmt == "bibtex":
        text = "".join(entry + "\n\n" for entry in bibtex_entries(n, seed))
    else:
        text = json.dumps([p.to_json() for p in generate(n, out.name, seed)], ensure_ascii=False)
    out.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=["json", "bibtex"], default="json")
    args = parser.parse_args(argv)
    size = write(args.n, args.out, args.seed, args.format)
    print(f"{args.n} papers, {size / 1e6:.1f} MB -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
