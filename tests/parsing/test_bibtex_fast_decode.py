"""The LaTeX fast path (bibtex._decode_plain) gives exactly what pylatexenc gives, on
every value of the real bibliographies it takes (all of them under `slow`, a sample by
default) and on hand-made ones."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from realworld import bibtex_corpus

from readinglist.parsing import bibtex
from readinglist.parsing.source import read_source

CORPUS = bibtex_corpus()
SAMPLE = ("bbt_name_escaping.bib", "pmlr_v2_aistats2007.bib", "jabref_complex.bib")


def _full(value: str) -> str:
    """What pylatexenc makes of a value (decode's fallback: the text as written)."""
    decoder, context = bibtex._decoders()
    try:
        return decoder.latex_to_text(value, latex_context=context)
    except Exception:
        return value


def _values(path: Path) -> list[str]:
    """Every field value of every entry in a file, as written (macros replaced as decode
    replaces them first)."""
    text, _ = read_source(str(path), encoding=None, notes=[])
    library = bibtexparser.parse_string(text, parse_stack=[])
    values = [f.value for entry in library.entries for f in entry.fields]
    for macro, plain in bibtex._TEXT_MACROS.items():
        values = [value.replace(macro, plain) for value in values]
    return [value for value in values if isinstance(value, str)]


def _check(values: list[str]) -> int:
    """Assert the fast path agrees wherever it answers; how many values it answered."""
    taken = 0
    for value in values:
        fast = bibtex._decode_plain(value)
        if fast is not None:
            taken += 1
            assert fast == _full(value), f"fast path differs on {value!r}"
    return taken


HAND_MADE = [
    "713--735", "x-y", "x----y", "x-----y", "x---------y", "a--{}-b", "a-{}-b", "{A}--{B}",
    "--", "{--}", "{-}-", "p. 3--5, 7---9", r"a\&--b", r"Caf\'e", r"{\"u}ber", "``q''", "a~b",
    "{Deep} {Learning}", r"50\% of \$1", r"C:\textbackslash{}dir", "{{nested} braces}",
]  # fmt: skip


def test_the_fast_path_decodes_hand_made_values_as_pylatexenc_does():
    assert _check(HAND_MADE) >= 15  # dashes, braces and escapes; accents go to pylatexenc


def _corpus_files(names: tuple[str, ...] | None) -> list[Path]:
    if CORPUS is None:
        pytest.skip("../shared/realworld/bibtex is not here")
    files = sorted(CORPUS.glob("*.bib"))
    return [f for f in files if f.name in names] if names else files


def test_the_fast_path_agrees_on_a_sample_of_real_files():
    assert sum(_check(_values(path)) for path in _corpus_files(SAMPLE)) > 100


@pytest.mark.slow
def test_the_fast_path_agrees_on_every_real_file():
    assert sum(_check(_values(path)) for path in _corpus_files(None)) > 1000


# The patterns of what needs decoding as first written (an alternation of the pairs):
# the faster forms in bibtex.py find a match exactly where these do.
PLAIN_NEEDS_DECODING = re.compile(r"[\\{}~%&$]|--|''|``|[?!]`")
PLAIN_NEEDS_PYLATEXENC = re.compile(r"[\\{}~%&$]|''|``|[?!]`")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="-\\{}~%&$'`?!a ", max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_what_needs_decoding_is_found_as_the_plain_patterns_find_it(text, start, end):
    for fast, plain in (
        (bibtex._NEEDS_DECODING, PLAIN_NEEDS_DECODING),
        (bibtex._NEEDS_PYLATEXENC, PLAIN_NEEDS_PYLATEXENC),
    ):
        assert bool(fast.search(text)) == bool(plain.search(text))
        assert bool(fast.search(text, start, end)) == bool(plain.search(text, start, end))
