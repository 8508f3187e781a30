"""Blocking of near titles: the same merges as comparing with whole blocks, with the work
per title bounded when every word of a title is common (`dedupe.BLOCK_LIMIT`)."""

from __future__ import annotations

import heapq
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist import dedupe
from readinglist.dedupe import (
    BLOCK_LIMIT,
    BLOCK_TOKENS,
    CAP_CANDIDATES,
    MAX_CANDIDATES,
    DedupeIndex,
    _digits,
    _numbers_token,
    _sharing,
)
from readinglist.model import Paper, paper_id

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from realworld import bibtex_corpus  # noqa: E402

WORDS = ["deep", "learning", "graph", "neural", "networks", "robust", "vision", "models"]


def whole_blocks(index: DedupeIndex, title: str) -> list[str]:
    """The candidates (titles) as chosen before the length key: the rarest word's whole
    block."""
    numbers = _numbers_token(_digits(title))
    required = index._blocks.get(numbers) if numbers else None
    if numbers and not required:
        return []
    words = sorted(set(title.split()), key=lambda t: len(index._blocks.get(t, ())))
    blocks = [index._blocks[w] for w in words if index._blocks.get(w)]
    if not blocks:
        return []
    found = _sharing(blocks[0], blocks[1:BLOCK_TOKENS], required)
    for block in blocks[BLOCK_TOKENS:]:
        if len(found) <= MAX_CANDIDATES:
            break
        found &= block
    if len(found) <= MAX_CANDIDATES:
        return sorted(found)
    size = len(title)
    return heapq.nsmallest(MAX_CANDIDATES, found, key=lambda other: (abs(len(other) - size), other))


def reference(index: DedupeIndex) -> DedupeIndex:
    """`index` choosing its candidates from whole blocks (what the length key replaces)."""
    index._candidates = lambda title: whole_blocks(index, title)  # type: ignore[method-assign]
    return index


def feed(index: DedupeIndex, papers: list[Paper]) -> list[tuple[str, str] | None]:
    """find_reason then add, paper by paper, as an import does."""
    found = []
    for paper in papers:
        found.append(index.find_reason(paper))
        index.add(paper, batch=True)
    return found


def common_titles(n: int, seed: int) -> list[Paper]:
    """Titles made only of common words (no numbers), some of them near one another."""
    rng = random.Random(seed)
    papers = []
    for i in range(n):
        words = rng.sample(WORDS, rng.randint(3, 7))
        if rng.random() < 0.2:  # a misspelt copy of an earlier title
            words = papers[rng.randrange(len(papers))].title.split() if papers else words
            at = rng.randrange(len(words))
            words[at] = words[at][:-1] + "s"
        title = " ".join(words)
        year = 2000 + rng.randrange(4)
        papers.append(Paper(id=paper_id(f"{title} {i}", ""), title=title, year=year))
    return papers


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS + ["for", "with", "2", "3"]), min_size=1,
                         max_size=6), min_size=1, max_size=60))  # fmt: skip
def test_below_the_limit_the_candidates_are_the_whole_blocks(titles):
    papers = [
        Paper(id=paper_id(" ".join(t) + str(i), ""), title=" ".join(t), year=2020)
        for i, t in enumerate(titles)
    ]
    index = DedupeIndex(papers[:-1])
    title = dedupe._normalise(papers[-1].title)
    assert sorted(index._candidates(title)) == whole_blocks(index, title)  # in any order


@pytest.mark.parametrize("seed", [1, 2])
def test_common_words_give_the_same_merges_as_whole_blocks(seed):
    papers = common_titles(3 * BLOCK_LIMIT, seed)
    ours = feed(DedupeIndex(), papers)
    assert ours == feed(reference(DedupeIndex()), papers)
    assert sum(found is not None for found in ours) > 10  # the case has merges to agree on


def test_a_title_of_common_words_is_compared_with_a_bounded_number_of_titles():
    index = DedupeIndex(
        Paper(id=f"{i:016x}", title=" ".join(WORDS[i % 3 : i % 3 + 5]) + filler(i))
        for i in range(4000)
    )
    looked: list[int] = []
    closest = index._closest

    def counted(word: str, size: int) -> set[str]:
        found = closest(word, size)
        looked.append(len(found))
        return found

    index._closest = counted  # type: ignore[method-assign]
    stored = "deep learning graph neural networks" + " x" * 20
    near = Paper(id="e" * 16, title=stored.replace("networks", "netwroks"))
    assert index.find(near) == f"{60:016x}"  # the first of the titles it misspells
    # 4,000 titles hold every word: the rarest block's titles closest in length only.
    assert looked and looked[-1] < CAP_CANDIDATES + 4000 // 40
    assert len(index._candidates(dedupe._normalise(near.title))) <= MAX_CANDIDATES


def filler(i: int) -> str:
    """`x` and `y` repeated: with the words of the i-th title (WORDS from i % 3), each
    of thousands of titles of common words is a title of its own."""
    return " x" * (i % 40) + " y" * (i // 120)


def test_a_removed_title_leaves_the_length_key_too():
    papers = [Paper(id=f"{i:016x}", title="deep learning graph models" + " x" * (i % 7)
                    + " y" * (i // 7)) for i in range(BLOCK_LIMIT + 50)]  # fmt: skip
    index = DedupeIndex(papers)
    gone = dedupe._normalise(papers[-1].title)
    index.remove(papers[-1])
    assert gone not in index._closest("graph", len(gone))
    assert all(gone not in same for same in index._by_length["deep"].values())


def test_a_title_that_many_papers_share_stays_in_its_blocks_until_the_last_goes():
    papers = [Paper(id=f"{i:016x}", title="Editorial", year=1990 + i) for i in range(3)]
    index = DedupeIndex(papers)
    for paper in papers[:2]:
        index.remove(paper)
        assert "editorial" in index._blocks["editorial"]
    index.remove(papers[2])
    assert "editorial" not in index._blocks["editorial"]


@pytest.mark.slow
@pytest.mark.skipif(bibtex_corpus() is None, reason="../shared/realworld/bibtex not present")
def test_the_corpus_imported_into_one_library_merges_as_with_whole_blocks(tmp_path, monkeypatch):
    from readinglist.importer import import_files
    from readinglist.persistence.library import ImportReport, Library

    folder = bibtex_corpus()
    assert folder is not None
    files = sorted(str(path) for path in folder.glob("*.bib"))

    def imported(name: str) -> list[tuple]:
        library = Library(tmp_path / name)
        return [
            (o.source, o.added, o.merged, o.ids)
            for o in import_files(library, files)
            if isinstance(o, ImportReport)
        ]

    ours = imported("ours")
    monkeypatch.setattr(dedupe, "DedupeIndex", lambda papers=(): reference(DedupeIndex(papers)))
    assert ours == imported("whole")
    assert sum(merged for _, _, merged, _ in ours) > 0
