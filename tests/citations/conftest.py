"""Sample papers for the citation, export and clipboard tests."""

from __future__ import annotations

import pytest

from readinglist.model import Paper, paper_id

ALLAM = (
    "We present ALLaM: Arabic Large Language Model, a series of large language models "
    "to support the ecosystem of Arabic Language Technologies (ALT)."
)
HOSTILE_TITLE = (
    "{Evil} 100% & $x$ \\input{x} [bold]x[/] ~^#_ Über café 中文 "
    "\x1b[2J\x1b]52;c;ZXZpbA==\x07 end\x9b31m"
)


def make(title: str, abstract: str = "", **fields) -> Paper:
    """A paper with its content id."""
    return Paper(id=paper_id(title, abstract), title=title, abstract=abstract, **fields)


@pytest.fixture
def full() -> Paper:
    return make(
        "Attention Is All You Need: Scaling LLMs on ImageNet with DocLayout-YOLO",
        "The dominant sequence transduction models are based on recurrent networks.",
        authors=["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"],
        published="2017-06-12",
        year=2017,
        doi="10.48550/arXiv.1706.03762",
        arxiv="1706.03762",
        added="2024-01-01T00:00:00+00:00",
        tags=["nlp", "transformers"],
        read=True,
        read_at="2024-02-01T10:00:00+00:00",
        note="Read twice.\nSection 3 matters.",
        upvotes=12,
        sources=["hf-daily"],
    )


@pytest.fixture
def seed() -> Paper:
    return make(
        "Robust Training Using Natural Transformation",
        author_count=6,
        published="2021-05-09",
        year=2021,
        added="2024-01-02T00:00:00+00:00",
    )


@pytest.fixture
def derived() -> Paper:
    return make(
        "We present ALLaM: Arabic Large Language Model",
        ALLAM,
        title_derived=True,
        published="2024-12-12",
        year=2024,
        year_inferred=True,
        added="2024-01-03T00:00:00+00:00",
    )


@pytest.fixture
def hostile() -> Paper:
    return make(
        HOSTILE_TITLE,
        "Abstract with \x1b[31mred\x1b[0m and \u009b2J.",
        authors=["José Núñez", "Zoë O'Brien"],
        journal="Journal of A & B",
        url="https://example.org/a b{c}",
        added="2024-01-04T00:00:00+00:00",
        tags=["x"],
    )


@pytest.fixture
def samples(full, seed, derived, hostile) -> list[Paper]:
    return [full, seed, derived, hostile]
