"""An import of a few papers checks them against an index of only the stored papers they
could match (`dedupe.narrowed`): it finds what the index of every stored paper finds, and
a near title wherever that one does (or where its blocks pass one over)."""

from __future__ import annotations

import random
import string
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from readinglist import dedupe
from readinglist.dedupe import NARROW_BATCH, DedupeIndex
from readinglist.model import Paper, normalise

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_dedupe_same_merges import LONG, paper_fields  # noqa: E402

NEAR = "nearly the same title"


def _score(a: Paper, b: Paper) -> float:
    return fuzz.ratio(normalise(a.title), normalise(b.title))


@settings(max_examples=300, deadline=None)
@given(st.lists(paper_fields, min_size=2, max_size=40), st.integers(1, 39))
def test_a_narrowed_index_finds_what_the_whole_index_finds(rows, split):
    papers = [Paper(id=f"{i:016x}", **fields) for i, fields in enumerate(rows)]
    stored, batch = papers[: min(split, len(papers) - 1)], papers[min(split, len(papers) - 1) :]
    whole, narrow = DedupeIndex(stored), DedupeIndex(dedupe.narrowed(stored, batch))
    for paper in batch:
        expected, found = whole.find_reason(paper), narrow.find_reason(paper)
        if expected is not None and expected[1] != NEAR:
            assert found == expected  # an identifier, the abstract, the same title
        elif found != expected:  # a near title the whole index's blocks passed over
            assert found is not None and found[1] == NEAR
            assert expected is None or _score(paper, stored_of(narrow, found[0])) >= _score(
                paper, stored_of(whole, expected[0])
            )


def stored_of(index: DedupeIndex, pid: str) -> Paper:
    return index._papers[pid]


def unrelated(n: int, seed: int = 0) -> list[Paper]:
    """Papers whose titles are far apart (random words), each with its own DOI and abstract."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(4 * n)]
    return [
        Paper(id=f"{seed:08x}{i:08x}", title=" ".join(words[4 * i : 4 * i + 4]), year=2020,
              abstract=LONG.format(f"topic {seed} {i}"), doi=f"10.1/{seed}.{i}")
        for i in range(n)
    ]  # fmt: skip


def test_only_the_papers_a_batch_could_match_are_indexed():
    stored = unrelated(500)
    twin = Paper(id="f" * 16, title="Robust deep learning for graph neural networks")
    stored.append(twin)
    batch = [
        Paper(id="e" * 16, title="Robust deep learning for graph neural netwroks"),  # near
        Paper(id="d" * 16, title="Another paper", doi="10.1/0.7"),  # stored 7's DOI
        Paper(id="c" * 16, title="A third", abstract=LONG.format("topic 0 9")),  # 9's abstract
        Paper(id=stored[3].id, title="A fourth"),  # stored 3's content id
    ]
    index = DedupeIndex(dedupe.narrowed(stored, batch))
    assert set(index._papers) == {twin.id, stored[7].id, stored[9].id, stored[3].id}
    assert [index.find_reason(p) for p in batch[:3]] == [
        (twin.id, NEAR), (stored[7].id, "same DOI"), (stored[9].id, "same abstract"),
    ]  # fmt: skip


def test_a_near_title_outside_the_rarest_block_is_found():
    # "neural" is the rarest word of the new title, and the stored near title misspells it:
    # blocks start from the rarest word; scoring every stored title does not need to.
    stored = [Paper(id=f"{i:016x}", title=f"graph networks study {w}", year=2020)
              for i, w in enumerate(["alpha", "beta", "gamma"])]  # fmt: skip
    stored += [
        Paper(id="a" * 16, title="neural fields", year=2020),
        Paper(id="b" * 16, title="graph neurl networks study", year=2020),
    ]
    paper = Paper(id="c" * 16, title="graph neural networks study", year=2020)
    assert DedupeIndex(dedupe.narrowed(stored, [paper])).find_reason(paper) == ("b" * 16, NEAR)


def test_a_large_import_indexes_every_stored_paper():
    stored = unrelated(20)
    batch = unrelated(NARROW_BATCH + 1, seed=1)
    assert len(dedupe.import_index(stored, batch)._papers) == len(stored)
    assert len(dedupe.import_index(stored, batch[:NARROW_BATCH])._papers) == 0
