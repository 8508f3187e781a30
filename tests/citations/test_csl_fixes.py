"""Each mistake citeproc-py makes, and the fix around it; outputs, in-text, the style index."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from records import ARTICLE, BOOK, CONFERENCE, DERIVED, OTHERS, PREPRINT, PROTECTED, record

from readinglist.citations import catalog, check_style, cite, csl
from readinglist.citations.csl_json import csl_item, name_from_display

PROSE = ["apa", "mla", "chicago", "ieee", "harvard", "nature"]
NO_AUTHOR = record("Centaur: A Model of Human Cognition", year=2025, arxiv="2503.11650")


@pytest.mark.parametrize("style", PROSE)
def test_a_record_without_authors_prints_its_title_once(style):
    out = cite([NO_AUTHOR], style)
    assert out.lower().count("centaur") == 1, out


def test_no_author_follows_each_guide():
    assert cite([NO_AUTHOR], "apa").startswith(
        "Centaur: A model of human cognition (arXiv:2503.11650). (2025). arXiv."
    )
    assert cite([NO_AUTHOR], "mla").startswith("“Centaur: A Model of Human Cognition.”")


@pytest.mark.parametrize("style", ["apa", "ieee", "harvard", "nature"])
def test_sentence_case_keeps_acronyms_mixed_case_and_names(style):
    out = cite([PROTECTED], style)
    assert "Scaling LLMs on ImageNet with DocLayout-YOLO and the Fokker-Planck equation" in out
    assert "MCMC using Hamiltonian dynamics" in cite([OTHERS], style)


def test_title_case_styles_do_not_capitalise_inside_protected_words():
    paper = dataclasses.replace(PROTECTED, title="Apps for the iPhone and the word of mouth")
    assert "“Apps for the iPhone and the Word of Mouth.”" in cite([paper], "mla")
    assert "Apps for the iPhone and the word of mouth." in cite([paper], "apa")


def test_nocase_spans_reach_citeproc():
    item = csl_item(PROTECTED, "k")
    assert '<span class="nocase">LLMs</span>' in item["title"]
    assert '<span class="nocase">Fokker-Planck</span>' in item["title"]


@pytest.mark.parametrize("style", PROSE)
def test_an_inferred_year_is_never_printed_as_certain(style):
    out = cite([DERIVED], style)
    assert re.search(r"(ca\.|c\.|circa) 2024|\[2024\?\]", out), out
    bare = re.sub(r"(ca\.|c\.|circa) 2024|\[2024\?\]|\d{4}\.\d{4,5}", "", out)
    assert "2024" not in bare, out


@pytest.mark.parametrize("style", PROSE)
def test_a_derived_title_stays_a_bracketed_description(style):
    out = cite([DERIVED], style, output="html")
    assert "[Abstract: We present ALLaM: Arabic Large Language Model, a…]" in out
    assert not re.search(r"(<i>|[“‘])\[Abstract", out), out


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "Neal, R. M., et al. (2011)"),
        ("mla", "Neal, Radford M., et al."),
        ("chicago", "Neal, Radford M., et al. 2011."),
        ("ieee", "[1] R. M. Neal et al.,"),
        ("harvard", "Neal, R.M. et al. (2011)"),
        ("nature", "1. Neal, R. M. et al."),
    ],
)
def test_and_others_becomes_et_al(style, expected):
    out = cite([OTHERS], style)
    assert out.startswith(expected), out
    assert "others" not in out


def test_and_others_in_text():
    assert cite([OTHERS], "apa", in_text=True) == "(Neal et al., 2011)"


@pytest.mark.parametrize("style", PROSE)
@pytest.mark.parametrize("end", [".", "?", "!"])
def test_a_titles_own_final_punctuation_is_not_doubled(style, end):
    paper = dataclasses.replace(CONFERENCE, title=f"Is Attention All You Need{end}")
    out = cite([paper], style)
    after = out[out.lower().index("you need") + len("you need") :][:4]
    # a comma replaces a period (inside US quotes; after British ones, which close first)
    assert after[0] == end or (end == "." and after[0] in ",’"), out
    assert not re.match(r"[.?!](</i>|[”’])?[.,]|[.?!],[”’]", after), out


def test_us_styles_put_the_period_inside_the_quotes():
    assert "“Attention Is All You Need.” Advances" in cite([CONFERENCE], "mla")
    assert "“Attention is all you need,” in Advances" in cite([CONFERENCE], "ieee")


@pytest.mark.parametrize("style", PROSE)
def test_an_arxiv_record_is_a_preprint_not_a_journal(style):
    out = cite([PREPRINT], style, output="html")
    assert "arXiv preprint" not in out
    assert "<i>arXiv" not in out and "ArXiv" not in out
    assert "arXiv:2410.20268" in out or "arxiv.org/abs/2410.20268" in out


@pytest.mark.parametrize(("style", "label"), [("ieee", "[1] "), ("nature", "1. ")])
def test_numbered_labels_have_their_space(style, label):
    entries = cite([CONFERENCE, PREPRINT], style).split("\n\n")
    assert entries[0].startswith(label) and entries[1].startswith(label.replace("1", "2"))


def test_full_given_names_where_the_style_says_initialize_false():
    assert cite([CONFERENCE], "chicago").startswith("Vaswani, Ashish, Noam Shazeer,")
    assert cite([CONFERENCE], "mla").startswith("Vaswani, Ashish, et al.")


def test_editors_standing_for_authors_are_named_once():
    for style in ("apa", "mla", "chicago", "harvard"):
        assert cite([BOOK], style).count("Hedges") == 1, style
    assert cite([BOOK], "apa").startswith("Cooper, H., & Hedges, L. V. (Eds.). (1994).")


def test_names_with_particles_and_suffixes():
    assert cite([ARTICLE], "apa").startswith(
        "Van den Broeck, G., Hyman, I. E., Jr., Sahami Shirazi, A., & de la Fuente, M. (2012)."
    )
    assert name_from_display("Luis Da Costa") == {"family": "Da Costa", "given": "Luis"}
    assert name_from_display("Ira E. Hyman Jr.") == {
        "family": "Hyman",
        "given": "Ira E.",
        "suffix": "Jr.",
    }
    assert name_from_display("World Health Organization") == {
        "literal": "World Health Organization"
    }


def test_volume_issue_pages_and_doi():
    assert "Personal and Ubiquitous Computing, 16(4), 433–449. https://doi.org/10.1007/" in cite(
        [ARTICLE], "apa"
    )
    assert "vol. 16, no. 4, pp. 433–449, Apr. 2012" in cite([ARTICLE], "ieee")


# ----- escaping and outputs ----------------------------------------------------------------


HOSTILE = record("A <script>alert(1)</script> & <b>bold</b> title", authors=["Ada Lovelace"])


def test_html_output_escapes_every_value():
    out = cite([HOSTILE], "apa", output="html")
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in out


def test_text_output_shows_the_value_as_it_is():
    assert "A <script>alert(1)</script> & <b>bold</b> title" in cite([HOSTILE], "apa")


def test_markdown_and_rtf_keep_the_italics():
    markdown = cite([ARTICLE], "apa", output="markdown")
    assert "*Personal and Ubiquitous Computing*, *16*(4)" in markdown
    rtf = cite([ARTICLE], "apa", output="rtf")
    assert rtf.startswith("{\\rtf1") and "{\\i Personal and Ubiquitous Computing}" in rtf
    assert "\\u8211?" in rtf  # the en dash of the page range
    assert "A \\<script\\>alert(1)\\</script\\>" in cite([HOSTILE], "apa", output="markdown")


def test_own_styles_refuse_other_outputs():
    with pytest.raises(ValueError, match="bibtex is plain text: --as html"):
        check_style("bibtex", "html")


# ----- several papers ------------------------------------------------------------------------


def test_in_text_clusters():
    papers = [CONFERENCE, PREPRINT]
    assert cite(papers, "apa", in_text=True) == "(Binz & Schulz, 2024; Vaswani et al., 2017)"
    assert cite(papers, "ieee", in_text=True) == "[1], [2]"
    keys = {CONFERENCE.id: "vaswani2017", PREPRINT.id: "binz2024"}
    assert cite(papers, "bibtex", keys, in_text=True) == "\\cite{vaswani2017,binz2024}"
    assert cite(papers, "plain", in_text=True) == cite(papers, "apa", in_text=True)


def test_a_bibliography_is_sorted_as_the_style_sorts():
    papers = [CONFERENCE, NO_AUTHOR, PREPRINT]
    apa = cite(papers, "apa").split("\n\n")
    assert [entry[:6] for entry in apa] == ["Binz, ", "Centau", "Vaswan"]
    ieee = cite(papers, "ieee").split("\n\n")
    assert [entry[:12] for entry in ieee] == ["[1] A. Vaswa", "[2] “Centaur", "[3] M. Binz "]


def test_any_installed_style_by_name_and_the_aliases():
    assert check_style("MLA") == "modern-language-association"
    assert check_style("acm-sig-proceedings") == "acm-sig-proceedings"
    assert "Vaswani" in cite([CONFERENCE], "acm-sig-proceedings")
    with pytest.raises(ValueError, match="no such style"):
        check_style("../apa")


def test_a_style_is_parsed_once_and_a_citation_rendered_once():
    csl.load_style.cache_clear()
    csl._render_remembered.cache_clear()
    first = cite([CONFERENCE], "nature")
    cite([PREPRINT], "nature")
    assert cite([CONFERENCE], "nature") == first
    assert csl.load_style.cache_info().misses == 1
    assert csl._render_remembered.cache_info().hits == 1


# ----- the style index -----------------------------------------------------------------------


def test_style_index_is_cached_and_validated(tmp_path):
    index = catalog.style_index(tmp_path)
    assert len(index) > 2000 and index["nature"] == "Nature"
    saved = tmp_path / catalog.INDEX_NAME
    data = json.loads(saved.read_text())
    data["styles"] = {"nature": "Forged"}
    saved.write_text(json.dumps(data))
    assert catalog.style_index(tmp_path) == {"nature": "Forged"}  # same stamp: used
    data["stamp"][1] -= 1
    saved.write_text(json.dumps(data))
    assert catalog.style_index(tmp_path)["nature"] == "Nature"  # stale: rebuilt
    saved.write_text("not json")
    assert catalog.style_index(tmp_path)["nature"] == "Nature"


def test_style_search_is_fuzzy_and_puts_the_name_first():
    index = catalog.style_index(None)
    assert catalog.search("nature", index)[0] == ("nature", "Nature")
    assert catalog.search("ieee", index)[0][0] == "ieee"
    names = [name for name, _ in catalog.search("style 7th edition", index, limit=5)]
    assert "apa" in names  # its title: APA Style 7th edition


def test_markdown_and_plain_hold_the_venue_details():
    assert cite([ARTICLE], "markdown") == (
        "[Large-Scale Assessment of Mobile Notifications](https://doi.org/10.1007/s00779-011-0412-2)."
        " *Personal and Ubiquitous Computing*, 16(4), 433–449 (2012)"
    )
    assert cite([ARTICLE], "plain") == (
        "Guy Van den Broeck, Ira E. Hyman Jr., Alireza Sahami Shirazi, and María de la Fuente."
        " Large-Scale Assessment of Mobile Notifications. Personal and Ubiquitous Computing,"
        " 16(4), 433–449, 2012. https://doi.org/10.1007/s00779-011-0412-2"
    )


MASTERS = record(
    "A Study of Things", entry_type="mastersthesis", authors=["Ann Smith"], school="MIT", year=2001
)


@pytest.mark.parametrize(
    ("style", "phd", "masters"),
    [
        ("apa", "[Doctoral dissertation, University of Washington].", "[Master's thesis, MIT]."),
        ("mla", "University of Washington, PhD dissertation.", "MIT, MA thesis."),
        ("chicago", "PhD diss., University of Washington.", "Master's thesis, MIT."),
        ("ieee", "Ph.D. dissertation, University of Washington, 2009.", "M.S. thesis, MIT, 2001."),
        ("harvard", "PhD thesis. University of Washington.", "Master's thesis. MIT."),
    ],
)
def test_a_thesis_is_worded_as_each_guide_words_it(style, phd, masters):
    from records import THESIS

    assert cite([THESIS], style).endswith(phd)
    assert cite([MASTERS], style).endswith(masters)


def test_cite_them_right_is_british_single_quotes_and_punctuation_outside():
    out = cite([PROTECTED], "harvard")
    assert "‘Scaling LLMs on ImageNet with DocLayout-YOLO and the Fokker-Planck equation’," in out
    assert "“" not in cite([CONFERENCE], "harvard")
    assert "(c. 2024)" in cite([DERIVED], "harvard")
    # an American style keeps double quotes, the comma inside
    assert "Fokker-Planck equation,” Journal" in cite([PROTECTED], "ieee")


def test_a_month_without_a_day_dates_ieee_and_apa_keeps_the_year():
    paper = dataclasses.replace(
        CONFERENCE, published=None, venue={**CONFERENCE.venue, "month": "December"}
    )
    assert "Dec. 2017" in cite([paper], "ieee")
    assert "(2017)." in cite([paper], "apa")
