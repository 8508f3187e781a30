"""The cheaper matching (`dedupe.DedupeIndex`) finds exactly what the matching before it
found (`tests/dedupe_reference.py`): the same stored paper for the same reason, or none,
paper after paper, with merges taken out and put back as an import does."""

from __future__ import annotations

import random
import string
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist import dedupe
from readinglist.dedupe import BLOCK_LIMIT, DedupeIndex
from readinglist.model import Paper, normalise, normalise_unicode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dedupe_reference import ReferenceIndex, _acronyms  # noqa: E402

WORDS = ["deep", "learning", "graph", "neural", "networks", "robust", "vision", "models",
         "for", "with", "AMS", "VMS", "site", "report", "GPT4", "Lase", "Lase++", "3", "3.1",
         "Part", "LEARNING", "Über", "netwroks"]  # fmt: skip
LONG = ("We study how {} behaves when the data are noisy and show with many experiments "
        "that a simple method works well across twenty or more settings of the task.")  # fmt: skip
ABSTRACTS = ["", "Keywords", LONG.format("learning"), LONG.format("learning") + " Code.",
             LONG.format("vision"), "CHI 2015"]  # fmt: skip
TITLES = [
    "The AMS site report",
    "Robust deep learning for graph neural networks",
    "Physics of Language Models: Part 3.1, Knowledge Storage",
    "Lase",
    "A Survey of Augmented Reality",
    "ROBUST VISION MODELS WITH GPT4 FOR NETWORKS",
]
EDITS = [lambda t: t, lambda t: t[:-1], lambda t: t[1:], lambda t: t.upper(), lambda t: t.lower(),
         lambda t: t.replace("AMS", "VMS"), lambda t: t + " 2", lambda t: t.replace("e", "a", 1),
         lambda t: t + "++", lambda t: t.replace("3.1", "3.2"), lambda t: t + " revisited",
         lambda t: t.replace(" ", "  ", 1)]  # fmt: skip
AUTHORS = [[], ["Ada Lovelace"], ["Alan Turing", "Ada Lovelace"], ["Guy Van den Broeck"]]


def run(index, steps: list[tuple[Paper, bool, bool]]) -> list:
    """find_reason (and may_be on the found id) of each paper, then add it (in the batch
    or not); `drop`: a found paper is taken out first, as a merge does."""
    seen = []
    for paper, batch, drop in steps:
        found = index.find_reason(paper)
        seen.append((found, found is not None and index.may_be(paper, found[0])))
        if found is not None and drop:
            index.remove(index._papers[found[0]])
        index.add(paper, batch=batch)
    return seen


def same_results(stored: list[Paper], steps: list[tuple[Paper, bool, bool]]) -> list:
    ours = run(DedupeIndex(stored), steps)
    assert ours == run(ReferenceIndex(stored), steps)
    return ours


paper_fields = st.fixed_dictionaries(
    {
        "title": st.one_of(
            st.lists(st.sampled_from(WORDS), min_size=0, max_size=7).map(" ".join),
            st.tuples(st.sampled_from(TITLES), st.sampled_from(EDITS)).map(lambda t: t[1](t[0])),
        ),
        "year": st.sampled_from([None, 2019, 2020, 2021, 2024]),
        "abstract": st.sampled_from(ABSTRACTS),
        "authors": st.sampled_from(AUTHORS),
        "doi": st.sampled_from([None, "10.1/a", "10.1/A ", "10.1/b"]),
        "arxiv": st.sampled_from([None, "2101.00001", "2101.00001v2", "2102.00002"]),
        "key": st.sampled_from(["", "smith2020", "smith2020a"]),
        "title_derived": st.sampled_from([False, False, False, True]),
    }
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(paper_fields, st.booleans(), st.booleans()), min_size=1, max_size=40),
       st.integers(0, 40))  # fmt: skip
def test_near_duplicate_sets_find_what_they_found_before(rows, split):
    papers = [Paper(id=f"{i:016x}", **fields) for i, (fields, _, _) in enumerate(rows)]
    stored = papers[: min(split, len(papers) - 1)]
    steps = [(p, batch, drop) for p, (_, batch, drop) in zip(papers, rows, strict=True)][
        len(stored) :
    ]
    same_results(stored, steps)


def common_titles(n: int, seed: int) -> list[Paper]:
    """Titles of common words, numbers and acronyms, a fifth of them a misspelt, reworded
    or renumbered copy of an earlier one: blocks above BLOCK_LIMIT, near titles to find."""
    rng = random.Random(seed)
    papers: list[Paper] = []
    for i in range(n):
        words = rng.sample(WORDS[:10], rng.randint(4, 8))
        if papers and rng.random() < 0.2:
            words = rng.choice(papers).title.split()
            at = rng.randrange(len(words))
            words[at] = rng.choice([words[at][:-1] + "s", words[at].upper(), "AMS", "VMS", "2"])
        elif rng.random() < 0.1:
            words.append(str(rng.randrange(5)))
        papers.append(Paper(id=f"{i:016x}", title=" ".join(words),
                            year=rng.choice([None, 2020, 2021, 2023]),
                            abstract=rng.choice(ABSTRACTS), key=rng.choice(["", f"k{i}"]),
                            authors=rng.choice(AUTHORS)))  # fmt: skip
    return papers


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_common_word_blocks_find_what_they_found_before(seed):
    papers = common_titles(4 * BLOCK_LIMIT, seed)
    rng = random.Random(seed)
    stored, rest = papers[: BLOCK_LIMIT * 2], papers[BLOCK_LIMIT * 2 :]
    found = same_results(stored, [(p, rng.random() < 0.5, rng.random() < 0.5) for p in rest])
    assert sum(f is not None for f, _ in found) > 20  # the case has merges to agree on


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=0x7F)) | st.text())
def test_normalising_on_bytes_is_normalise(text):
    assert normalise(text) == normalise_unicode(text)  # the ASCII fast path, the general way


@given(st.lists(st.sampled_from(["AMS", "site", "REPORT", "a", "GPT4", "Über", "ÉTÉ", "x"]))
       .map(" ".join) | st.text(alphabet=string.ascii_letters + string.digits + " -+") | st.text())  # fmt: skip
def test_acronyms_counted_in_c_are_the_acronyms(title):
    assert dedupe._acronyms(title) == _acronyms(title)
