"""Authors and venues as search sees them: the words of names, family names, venues.

Names are the record's display strings ("Guy Van den Broeck", "LeCun, Yann");
`family_words` takes the family name from names.py's `split_display`, the one
rule for particles and suffixes that citations and cite keys use too.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from readinglist.model import Paper
from readinglist.names import split_display
from readinglist.search.tokens import tokens

VENUE_FIELDS = ("journal", "booktitle")  # the record fields that name where a paper appeared
# Short names of venues -> the words their full names hold (any one matches).
VENUE_ALIASES = {
    "neurips": ("neurips", "nips", "neural information processing systems"),
    "nips": ("neurips", "nips", "neural information processing systems"),
    "icml": ("icml", "international conference on machine learning"),
    "iclr": ("iclr", "international conference on learning representations"),
    "cvpr": ("cvpr", "computer vision and pattern recognition"),
    "iccv": ("iccv", "international conference on computer vision"),
    "eccv": ("eccv", "european conference on computer vision"),
    "acl": ("acl", "association for computational linguistics"),
    "emnlp": ("emnlp", "empirical methods in natural language processing"),
    "aaai": ("aaai", "aaai conference on artificial intelligence"),
    "jmlr": ("jmlr", "journal of machine learning research"),
    "tmlr": ("tmlr", "transactions on machine learning research"),
}


@lru_cache(maxsize=1 << 16)
def name_parts(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every folded word, the family name's words) of one name; names recur, so cached."""
    return tuple(tokens(name)), family_words(name)


@lru_cache(maxsize=1 << 14)
def folded(text: str) -> str:
    """' words of text ' folded, spaced at both ends, for in-order word tests."""
    return f" {' '.join(tokens(text))} "


def family_words(name: str) -> tuple[str, ...]:
    """Folded words of a name's family part, as names.py splits it (particle kept, suffix
    left out): 'Guy Van den Broeck' -> van, den, broeck; 'Ira E. Hyman Jr' -> hyman."""
    return tuple(tokens(split_display(name).family_full()))


def venues(paper: Paper) -> list[str]:
    """Where the paper appeared: its journal (and booktitle, where the record has one)."""
    return [value for name in VENUE_FIELDS if (value := getattr(paper, name, None))]


def name_words(paper: Paper) -> set[str]:
    """Every folded word of every author name."""
    return {word for name in paper.authors for word in name_parts(name)[0]}


def family_names(paper: Paper) -> set[str]:
    """Every folded word of every author's family name."""
    return {word for name in paper.authors for word in name_parts(name)[1]}


def holds(texts: Iterable[str], words: tuple[str, ...], prefix: bool) -> bool:
    """Whether one of the texts holds the words in sequence (the last as a prefix)."""
    phrase = " " + " ".join(words) + ("" if prefix else " ")
    return any(phrase in folded(text) for text in texts)


def venue_phrases(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The word sequences a venue query matches: itself, or a known venue's names."""
    aliases = VENUE_ALIASES.get(" ".join(words))
    return [tuple(alias.split()) for alias in aliases] if aliases else [words]
