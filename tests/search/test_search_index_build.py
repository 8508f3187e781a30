"""The index an import builds and saves holds exactly what the previous builder made:
the same postings (saved bytes), vocabulary and acronyms, on generated corpora and on
texts with any characters (unicode, empty fields)."""

from __future__ import annotations

import random
import sys
from array import array
from collections import defaultdict, deque
from itertools import repeat
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.model import Paper
from readinglist.search.index import SearchIndex
from readinglist.search.postings import DENSE_SHARE, MASK_MIN, Postings, to_mask
from readinglist.search.tokens import _DEFINITION, _long_form, tokens

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from generate import generate  # noqa: E402


def _reference_build(texts, papers: int) -> Postings:
    """The previous bulk build, kept as the reference: lists of positions, then arrays."""
    found: defaultdict[str, list[int]] = defaultdict(list)
    held, append = found.__getitem__, list.append
    for pos, found_tokens in texts:
        deque(map(append, map(held, found_tokens), repeat(pos)), maxlen=0)
    postings = Postings()
    dense = max(MASK_MIN, papers // DENSE_SHARE)
    for token, at in found.items():
        if len(at) >= dense:
            postings.masks[token] = to_mask(at)
        else:
            postings.rare[token] = array("I", at)
    return postings


def _reference_dump(papers: list[Paper]) -> tuple[dict, dict, list[str]]:
    """Title and abstract postings (as saved) and vocabulary, by the previous builder."""
    size = len(papers)
    title = _reference_build(((p, set(tokens(x.title))) for p, x in enumerate(papers)), size)
    abstract = _reference_build(((p, set(tokens(x.abstract))) for p, x in enumerate(papers)), size)
    vocab = sorted(title.tokens() | abstract.tokens())
    return title.dump(), abstract.dump(), vocab


def _same_as_reference(papers: list[Paper]) -> None:
    saved = SearchIndex(papers).bibliographic()
    title, abstract, vocab = _reference_dump(papers)
    assert saved["title"] == title
    assert saved["abstract"] == abstract
    assert saved["vocab"] == vocab


def test_the_generated_corpus_is_indexed_as_by_the_previous_builder():
    papers = list(generate(3000, seed=3))
    # Enough papers that common words cross MASK_MIN and get masks, rare ones arrays.
    _same_as_reference(papers)
    saved = SearchIndex(papers).bibliographic()
    assert saved["title"]["masks"] and saved["abstract"]["masks"]
    assert saved["title"]["rare"] and saved["abstract"]["rare"]


def test_a_bulk_build_with_dense_tokens_equals_the_reference():
    rng = random.Random(4)
    common = [f"w{i}" for i in range(30)]
    texts = [
        {rng.choice(common) for _ in range(rng.randint(0, 10))} | {f"r{rng.randint(0, 500)}"}
        for _ in range(12_000)
    ]
    built = Postings.build(enumerate(texts), len(texts))
    assert built.dump() == _reference_build(enumerate(texts), len(texts)).dump()
    assert built.masks and built.rare


_TEXT = st.text(
    st.sampled_from(
        list("aAzZ09 _-.,()'\"\t\n")
        + ["é", "É", "ß", "İ", "\u212a", "ﬁ", "ǅ", "Ω", "ω", "中", "\u0301", "\xa0", "\u2003", "🙂"]
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=30))
def test_any_text_is_indexed_as_by_the_previous_builder(texts):
    papers = [Paper(id=f"p{n:04d}", title=title or "t", abstract=abstract)
              for n, (title, abstract) in enumerate(texts)]  # fmt: skip
    _same_as_reference(papers)
    index = SearchIndex(papers)
    for paper in papers:  # every token of a paper finds it
        for word in set(tokens(paper.title)) | set(tokens(paper.abstract)):
            pos = index._pos[paper.id]
            assert (index._title.mask([word]) | index._abstract.mask([word])) >> pos & 1


def test_empty_fields_add_no_token():
    papers = [Paper(id="a", title="x", abstract=""), Paper(id="b", title="...", abstract=" ")]
    _same_as_reference(papers)
    saved = SearchIndex(papers).bibliographic()
    assert saved["vocab"] == ["x"]


def _reference_long_form(short: str, before: str) -> str | None:
    """The previous long-form finder, kept as the reference: a scan one character at a time."""
    letters = [c.lower() for c in short if c.isalnum()]
    words = before.split()[-min(len(letters) + 5, 2 * len(letters)) :]
    tail = words[-len(letters) :]
    if len(tail) == len(letters) and all(
        w[:1].lower() == c for w, c in zip(tail, letters, strict=True)
    ):
        return " ".join(tail)
    text = " ".join(words)
    s, pos = len(letters) - 1, len(text) - 1
    while s >= 0:
        c = letters[s]
        while pos >= 0 and (
            text[pos].lower() != c or (s == 0 and pos > 0 and text[pos - 1].isalnum())
        ):
            pos -= 1
        if pos < 0:
            return None
        pos -= 1
        s -= 1
    return text[text.rfind(" ", 0, pos + 1) + 1 :]


def test_long_forms_are_spelled_out_by_initials_or_by_letters_inside_words():
    assert _long_form("GANs", "we train generative adversarial networks") == (
        "generative adversarial networks"
    )
    assert _long_form("LSTM", "We train a long short-term memory") == "long short-term memory"
    assert _long_form("KL", "the \u212aullback-Leibler") == "\u212aullback-Leibler"  # Kelvin sign
    assert _long_form("XYZ", "nothing here at all") is None
    assert _long_form("BA", "xb xa") is None  # the first letter only at a word's start
    assert _long_form("AB", "a\u0130b") == "a\u0130b"
    assert _long_form("IA", "\u0130aa") is None  # İ lowers to two characters: no letter


@st.composite
def _short_and_before(draw):
    short = draw(st.from_regex(r"[A-Za-z][A-Za-z0-9-]{1,11}", fullmatch=True))
    letters = sorted({c for c in short if c.isalnum()} | {c.swapcase() for c in short})
    noise = st.sampled_from(list(" \n-x(é\u0130\u212aΣ"))  # İ lowers to two characters
    return short, draw(st.text(st.sampled_from(letters) | noise, max_size=40))


@settings(max_examples=300, deadline=None)
@given(_short_and_before())
def test_long_forms_are_found_as_by_the_previous_scan(case):
    short, before = case
    assert _long_form(short, before) == _reference_long_form(short, before)


def test_the_generated_corpus_defines_the_acronyms_the_previous_scan_found():
    found = 0
    for paper in generate(3000, seed=5):
        for text in (paper.title, paper.abstract):
            for match in _DEFINITION.finditer(text):
                before = text[max(0, match.start() - 200) : match.start()]
                long = _long_form(match.group(1), before)
                assert long == _reference_long_form(match.group(1), before)
                found += long is not None
    assert found > 1000


def test_the_saved_name_facets_are_the_groups_a_search_builds():
    from readinglist.search.names import NameFacets

    papers: list[Paper | None] = list(generate(1500, seed=5))
    papers += [
        Paper(id="twice", title="t", authors=["Li Li", "Wei Li", "Li Li"], journal="Li"),
        None,  # an empty position (a paper removed since)
        Paper(id="venue", title="t", journal="Journal of Journals", sources=["x.bib"]),
    ]
    saved = NameFacets(papers).dump()  # what an import saves: no mask made
    searched = NameFacets(papers)
    for kind in saved:  # a search that made every mask (and changed none)
        groups = searched.groups(kind)
        assert groups.mask(list(groups.names())) == groups.mask(list(groups.names())[::-1])
    assert saved == searched.dump()
    assert saved["family"]["li"] and all(saved[kind] for kind in saved)
    made = NameFacets(papers)
    assert made.groups("family").masks.undecoded("li") is not None  # left as positions
    made.groups("family").mask(["li"])
    assert made.groups("family").masks.undecoded("li") is None  # its mask made once asked
