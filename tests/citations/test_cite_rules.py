"""Style rules, BibTeX validity, cite keys and sanitising."""

from __future__ import annotations

import dataclasses

import bibtexparser
import pybtex.errors
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from pybtex import format_from_string

from readinglist.citations import STYLES, cite, cite_keys, sanitize
from readinglist.citations.latex import VERBATIM_FIELDS
from readinglist.citations.phrasing import clean_paper, sentence_case
from readinglist.names import parse_bibtex_names

HOSTILE_TEXT = ["\x1b", "\x07", "\x9b", "[2J", "]52;", "ZXZpbA=="]


def parse_back(text: str) -> list[dict[str, str]]:
    """Entries of `text` as field dicts, decoded by bibtexparser's stock middleware;
    verbatim fields compared undecoded."""
    raw = bibtexparser.parse_string(text)
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not raw.failed_blocks and not decoded.failed_blocks
    out = []
    for plain, latex in zip(raw.entries, decoded.entries, strict=True):
        fields = {f.key: f.value for f in latex.fields}
        fields.update({f.key: f.value for f in plain.fields if f.key in VERBATIM_FIELDS})
        out.append(fields)
    return out


@pytest.mark.parametrize("style", ["bibtex", "biblatex"])
def test_bibtex_parses_back_to_the_same_values(samples, style):
    entries = parse_back(cite(samples, style))
    assert len(entries) == 4
    full, seed, derived, hostile = entries
    assert full["title"] == samples[0].title
    names, others = parse_bibtex_names(full["author"])  # "Vaswani, Ashish and ..."
    assert [name.display() for name in names] == samples[0].authors and not others
    assert full["eprint"] == "1706.03762"
    assert "author" not in seed and seed["note"] == "6 authors"
    assert derived["title"].startswith("[Abstract: We present ALLaM")
    assert hostile["title"] == clean_paper(samples[3]).title
    assert hostile["title"] == "{Evil} 100% & $x$ \\input{x} [bold]x[/] ~^#_ Über café 中文 end"


def test_bibtex_braces_balance(samples):
    for line in cite(samples, "bibtex").splitlines():
        assert line.count("{") - line.count("}") in (0, 1, -1)  # entry open/close lines
    text = cite(samples, "bibtex")
    assert text.count("{") == text.count("}")


def test_pybtex_formats_without_errors_or_warnings(samples, monkeypatch):
    monkeypatch.setattr(pybtex.errors, "strict", True)
    out = format_from_string(cite(samples, "bibtex"), "plain", output_backend="text")
    assert "Robust training using natural transformation. May 2021. 6 authors." in out
    assert "Vaswani" in out


def test_entry_types(full, seed):
    journal = dataclasses.replace(full, journal="Nature", arxiv=None)
    assert cite([journal], "bibtex").startswith("@article{")
    assert "journal = {Nature}" in cite([journal], "bibtex").replace("  ", " ").replace("  ", " ")
    assert cite([full], "bibtex").startswith("@misc{")
    assert cite([full], "biblatex").startswith("@online{")
    assert cite([seed], "bibtex").startswith("@misc{")


def test_sentence_case_keeps_acronyms_and_mixed_case():
    title = "Scaling LLMs With ImageNet And DocLayout-YOLO: Towards A Multi-View Model"
    assert sentence_case(title) == (
        "Scaling LLMs with ImageNet and DocLayout-YOLO: Towards a multi-view model"
    )
    assert sentence_case("intro: the case") == "Intro: The case"


def test_author_count_only_moves_title_to_author_position(seed):
    assert cite([seed], "apa").startswith("Robust training using natural transformation. (2021)")
    assert cite([seed], "mla").startswith("“Robust Training Using Natural Transformation.”")
    assert "6 authors" in cite([seed], "plain")


def test_missing_and_inferred_years(seed, derived):
    undated = dataclasses.replace(seed, year=None, published=None)
    assert "(n.d.)" in cite([undated], "apa")
    assert "n.d." in cite([undated], "chicago")
    assert "(no date)" in cite([undated], "harvard")
    assert "2021" not in cite([undated], "mla")
    assert "(ca. 2024)" in cite([derived], "apa")
    assert "[2024?]" in cite([derived], "chicago")
    assert "date  = {2024-12-12?}" in cite([derived], "biblatex")
    assert "year 2024 inferred" in cite([derived], "bibtex")


def test_many_authors(full):
    many = dataclasses.replace(full, authors=[f"Given{i} Family{i}" for i in range(25)])
    apa = cite([many], "apa")
    assert "Family18, G., . . . Family24, G. (2017)" in apa  # APA 7, 9.8
    assert "Family19" not in apa
    assert cite([many], "ieee").startswith("[1] G. Family0 et al., ")
    assert cite([many], "chicago").startswith(
        "Family0, Given0, Given1 Family1, Given2 Family2, et al."
    )


def test_several_papers_give_one_block(samples):
    ieee = cite(samples, "ieee")
    assert [line[:3] for line in ieee.split("\n\n")] == ["[1]", "[2]", "[3]", "[4]"]
    apa = cite(samples, "apa").split("\n\n")
    assert len(apa) == 4 and apa == sorted(apa, key=lambda s: s.lstrip("[“‘").casefold())


@pytest.mark.parametrize("style", STYLES)
def test_no_control_characters_in_any_style(hostile, style):
    out = cite([hostile], style)
    assert not any(bad in out for bad in HOSTILE_TEXT)
    assert all(ch in "\n" or ch.isprintable() for ch in out)


def test_unknown_style_raises_value_error(full):
    with pytest.raises(ValueError, match="no such style"):
        cite([full], "vancouver")


def test_sanitize():
    assert sanitize("a\x1b[2Jb\x1b]52;c;ZXZpbA==\x07c\u009b31md\x00e\u202ef") == "abcdef"
    assert sanitize("one\r\ntwo\tthree\x85", newlines=True) == "one\ntwo\tthree"
    assert sanitize("  spaced \n out ") == "spaced out"


@pytest.mark.parametrize("style", STYLES)
def test_cite_drops_invisible_and_direction_characters(full, style):
    hidden = "".join(map(chr, [*range(0x200B, 0x2010), *range(0x202A, 0x202F)]))
    hidden += "".join(map(chr, range(0x2066, 0x206A))) + "\ufeff"
    paper = dataclasses.replace(full, title=f"Atten{hidden}tion", authors=[f"Ada{hidden} Lovelace"])
    out = cite([paper], style)
    assert not set(hidden) & set(out)
    assert "Atten" in out


def test_cite_keys_unique_stable_and_readable(full, seed, derived, hostile):
    keys = cite_keys([full, seed, derived, hostile])
    assert keys[full.id] == "vaswani2017attention"
    assert keys[seed.id] == "robust2021"
    twin = dataclasses.replace(full, id="f" * 16, added="2025-01-01T00:00:00+00:00")
    with_twin = cite_keys([twin, hostile, full, seed, derived])
    assert with_twin[full.id] == "vaswani2017attention"
    assert with_twin[twin.id] == "vaswani2017attentiona"
    assert len(set(with_twin.values())) == 5
    assert cite_keys([derived, seed, hostile, full]) == keys


def test_cite_uses_given_keys(full):
    assert cite([full], "bibtex", keys={full.id: "mykey"}).startswith("@misc{mykey,")
