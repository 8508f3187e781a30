"""One abstract per line: counts, prefixes, derived titles."""

import pytest
from parse_helpers import seed_text

from readinglist.model import paper_id
from readinglist.parsing import abstracts
from readinglist.parsing.titles import MAX_LENGTH, derive_title, shorten

TITLES_000 = [
    "ALLaM: Arabic Large Language Model",
    "PermLL: A permutation layer learning approach",
    "Exact analytic expressions for the first and second moments (mean and variance) of a small…",
    "Probabilistic bounds: True bounds with overwhelming probability",
]
TITLES_001 = [
    "ALLaM: Arabic Large Language Model",
    "Generative large language models (LLMs) stand at the forefront",
    "A survey of related prompting tools",
    "A taxonomy of explainability techniques",
    "Text Classification is the most essential and fundamental problem in Natural Language Processing",
    "Existing knowledge graph (KG) embedding models have primarily focused on static KGs",
    "A relativistic architecture performance predictor in NAS (ReNAS)",
    "Greedy NTPs (GNTPs): An extension to NTPs addressing their complexity and scalability limitations",
    "Occupancy networks: A new representation for learning-based 3D reconstruction methods",
    "An analytic framework to visualize and understand GANs at the unit-, object-, and scene-level",
    "BERT: A new language representation model",
]


def papers(number: str):
    return abstracts.parse(seed_text(number), source=f"{number}.txt")


@pytest.mark.parametrize(("number", "titles"), [("000", TITLES_000), ("001", TITLES_001)])
def test_seed_derived_titles(number, titles):
    found = papers(number)
    assert [paper.title for paper in found] == titles
    assert all(paper.title_derived for paper in found)
    assert all(len(paper.title) <= MAX_LENGTH for paper in found)


def test_seed_000_strips_the_prefix_and_keeps_the_last_line():
    found = papers("000")
    assert len(found) == 4
    assert found[0].abstract.startswith("We present ALLaM: Arabic Large Language Model")
    assert found[-1].abstract.endswith("on both MNIST and CIFAR10.")
    assert not seed_text("000").endswith("\n")


def test_same_abstract_in_both_seeds_has_the_same_id():
    assert papers("000")[0].id == papers("001")[0].id
    first = papers("001")[0]
    assert first.id == paper_id(first.title, first.abstract)
    assert first.sources == ["001.txt"] and first.added == ""


@pytest.mark.parametrize("prefix", ["Abstract:", "Abstract: ", "abstract :", "  ABSTRACT:\t", ""])
def test_prefix_variants(prefix):
    (paper,) = abstracts.parse(f"{prefix}We study things.\n", source="s")
    assert paper.abstract == "We study things."


def test_blank_lines_crlf_and_bom_are_tolerated():
    text = seed_text("001")
    variant = "\ufeff\n" + text.replace("\n", "\r\n\r\n  ") + "\r\n"
    assert abstracts.parse(variant, source="s") == abstracts.parse(text, source="s")


def test_label_only_line_is_skipped():
    assert abstracts.parse("Abstract:\n\nWe study things.", source="s")[0].title


@pytest.mark.parametrize(
    ("abstract", "title"),
    [
        ("We introduce a tool called Zap, which is fast.", "Zap: A tool"),
        ("This work proposes a method dubbed FooNet to do things.", "FooNet: A method"),
        (
            "Cats are great. We propose DogNet, a network for dogs. It works.",
            "DogNet: A network for dogs",
        ),
        (
            "In recent years, robots have learned to walk, running fast.",
            "Robots have learned to walk",
        ),
        ("Short.", "Short"),
    ],
)
def test_derive_title_examples(abstract, title):
    assert derive_title(abstract) == title


def test_derived_title_is_shortened_at_a_word_boundary():
    title = derive_title("word " * 200)
    assert len(title) <= MAX_LENGTH and title.endswith("word…")


def test_shorten():
    assert shorten("abc def", 100) == "abc def"
    assert shorten("aaa bbb ccc", 9) == "aaa bbb…"
    assert shorten("x" * 20, 10) == "x" * 9 + "…"


def test_ten_megabyte_line_is_fast():
    (paper,) = abstracts.parse("Abstract: " + "word " * 2_000_000, source="s")
    assert len(paper.title) <= MAX_LENGTH
