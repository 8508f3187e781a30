"""What keeps its case when a title goes to sentence case: one rule for every writer.

A word keeps its case when it is an acronym or mixed case (per part of a
compound: `GPT-4`, `DocLayout-YOLO`, but not `Large-Scale`) or a proper name
(`Fokker-Planck`, `Bayesian`, `Markov`); so do the words and phrases the source
braced (`Paper.protected`). The CSL titles put them in `nocase` spans, the BibTeX
citations and exports in braces, and the BibTeX import stores only the braced
spans this rule would not give anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from readinglist.citations.phrasing import needs_protection


def word_set(text: str) -> frozenset[str]:
    """The words of a space-separated list, as a set."""
    return frozenset(text.split())


# Words of everyday compounds ("Large-Scale", "Self-Supervised"), lowered in sentence case.
COMPOUND_WORDS = word_set(
    "large small scale self supervised multi real time zero few one two shot fine tuning long"
    " short term high low level state art end non pre post trained co cross semi open source"
    " domain world based aware free wise like order rank grained agent modal task view class"
    " label step sequence image text vision language data model human machine deep single"
    " graph point cloud aided driven guided efficient robust"
)
# Proper names common in research titles, kept capitalised in sentence case.
EPONYMS = word_set(
    "bayes markov gauss monte carlo newton euler fourier hilbert lipschitz langevin"
    " wasserstein kalman gibbs dirichlet poisson bernoulli boltzmann schrödinger hamilton"
    " lagrange laplace riemann banach sobolev kolmogorov turing shannon hebb ising potts"
    " nash pareto bellman hopfield wiener ornstein uhlenbeck brownian stein ricci"
    " english chinese arabic french german spanish japanese korean hindi african european"
    " american asian indian russian latin greek"
)
_SHORT_PLAIN = frozenset({"median", "guardian", "civilian", "pedestrian", "meridian", "comedian"})
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?"
_FAMILY_PROPER = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)+$")  # Fokker-Planck


def keeps_case(word: str) -> bool:
    """Acronyms, mixed case (per part of a compound: GPT-4, DocLayout-YOLO), proper names."""
    return any(needs_protection(part) for part in word.split("-")) or is_proper(word)


def is_proper(word: str) -> bool:
    """A capitalised word that keeps its capital in sentence case: Fokker-Planck, Bayesian."""
    if not word[:1].isupper():
        return False
    lower = word.lower()
    if _FAMILY_PROPER.match(word):
        return not any(part in COMPOUND_WORDS for part in lower.split("-"))
    if lower in EPONYMS or lower.removesuffix("'s") in EPONYMS:
        return True
    eponymous = lower.endswith(("ian", "ean")) and len(lower) >= 7
    return eponymous and lower not in _SHORT_PLAIN


def plain_capitalised(word: str) -> bool:
    """Every part of a word (or compound) capitalised and the rest lower case: Large-Scale."""
    parts = word.split("-")
    return all(
        (len(p) > 1 and p[0].isupper() and p[1:].isalpha() and p[1:].islower()) or p == "A"
        for p in parts
    )


def span_ranges(title: str, spans: list[str]) -> list[tuple[int, int] | None]:
    """Where each of `spans` stands in `title`, found in order after the one before
    (a whole-word match first, else anywhere); None for a span not found."""
    found: list[tuple[int, int] | None] = []
    start = 0
    for span in spans:
        where = _find(title, span, start)
        found.append(where)
        if where:
            start = where[1]
    return found


def _find(title: str, span: str, start: int) -> tuple[int, int] | None:
    """The first whole-word match of `span` from `start`; else the first inside a word
    that would not keep its case anyway ("{T}ables" after "TeX"); else the first."""
    if not span:
        return None
    for at in _occurrences(title, span, start, 1):  # (no regex: each span is new)
        end = at + len(span)
        if not (at and _word_char(title[at - 1])) and not (
            end < len(title) and _word_char(title[end])
        ):
            return at, end
    first = None
    for at in _occurrences(title, span, start, len(span)):
        end = at + len(span)
        left = title.rfind(" ", 0, at) + 1
        right = title.find(" ", end)
        word = title[left : right if right >= 0 else len(title)].strip(_EDGE_PUNCT)
        if not keeps_case(word):
            return at, end
        first = first or (at, end)
    return first


def _occurrences(text: str, part: str, start: int, step: int) -> Iterator[int]:
    """Where `part` (not empty) stands in `text` from `start`: each place (`step` 1), or
    each after the end of the one before (`step` len(part)), as a regex search finds them."""
    at = text.find(part, start)
    while at >= 0:
        yield at
        at = text.find(part, at + step)


def _word_char(char: str) -> bool:
    """Whether `char` is what `\\w` matches in a regex (Python's re: alphanumeric or _)."""
    return char.isalnum() or char == "_"
