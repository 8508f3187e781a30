"""`cite` with CSL styles, outputs and in-text clusters; `styles`; `config citation_style`."""

from __future__ import annotations

import json

import pytest

from readinglist.cli import main

ENTRIES = [
    {
        "title": "Attention Is All You Need",
        "abstract": "The dominant sequence transduction models are recurrent.",
        "authors": ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
        "year": 2017,
        "journal": "Advances in Neural Information Processing Systems",
    },
    {
        "title": "Centaur: A Foundation Model of <script>Human</script> Cognition",
        "abstract": "Establishing a unified theory of cognition has been a major goal.",
        "authors": ["Marcel Binz", "Eric Schulz"],
        "year": 2024,
        "identifiers": {"arxiv": "2410.20268"},
    },
]


@pytest.fixture
def run(run, tmp_path):
    """The shared `run`, on a library holding ENTRIES; `run.ids` by title's first letters."""
    listing = tmp_path / "papers.json"
    listing.write_text(json.dumps(ENTRIES))
    assert run("import", str(listing), "--format", "json")[0] == 0
    status, out, _ = run("list", "--json")
    run.ids = {paper["title"][:7]: paper["id"] for paper in json.loads(out)}
    return run


def test_any_installed_style_by_name(run):
    status, out, _ = run("cite", run.ids["Attenti"], "--style", "nature")
    assert status == 0
    assert out.startswith("1. Vaswani, A., Shazeer, N. & Parmar, N. Attention is all you need.")


def test_aliases_and_the_configured_style(run):
    assert run("config", "citation_style", "acm-sig-proceedings")[0] == 0
    status, out, _ = run("cite", run.ids["Attenti"])
    assert status == 0 and "Vaswani" in out and out.startswith("[1] ")
    _, mla, _ = run("cite", run.ids["Attenti"], "--style", "MLA")
    assert mla.startswith("Vaswani, Ashish, et al. “Attention Is All You Need.”")


def test_unknown_style_is_one_line_and_exit_1(run):
    status, out, err = run("cite", run.ids["Attenti"], "--style", "vancouverish")
    assert status == 1 and out == ""
    assert err.strip() == (
        "readinglist: vancouverish: no such style (see `readinglist styles vancouverish`)"
    )
    status, _, err = run("config", "citation_style", "nope")
    assert status == 1 and "no such style" in err


def test_outputs(run):
    ref = run.ids["Centaur"]
    _, html, _ = run("cite", ref, "--style", "apa", "--as", "html")
    assert "&lt;script&gt;Human&lt;/script&gt;" in html and "<script>" not in html
    _, text, _ = run("cite", ref, "--style", "apa")
    assert "Centaur: A foundation model of <script>Human</script> cognition" in text
    _, markdown, _ = run("cite", run.ids["Attenti"], "--style", "apa", "--as", "markdown")
    assert "*Advances in Neural Information Processing Systems*" in markdown
    status, rtf, _ = run("cite", ref, "--style", "ieee", "--as", "rtf")
    assert status == 0 and rtf.startswith("{\\rtf1")


def test_own_styles_refuse_other_outputs(run):
    status, out, err = run("cite", run.ids["Attenti"], "--style", "bibtex", "--as", "html")
    assert status == 1 and out == ""
    assert "bibtex is plain text: --as html works with the CSL styles" in err


def test_in_text_and_one_sorted_bibliography(run):
    refs = [run.ids["Attenti"], run.ids["Centaur"]]
    _, out, _ = run("cite", *refs, "--style", "apa", "--in-text")
    assert out.strip() == "(Binz & Schulz, 2024; Vaswani et al., 2017)"
    _, out, _ = run("cite", *refs, "--style", "bibtex", "--in-text")
    assert out.strip() == "\\cite{vaswani2017attention,binz2024centaur}"
    _, out, _ = run("cite", *refs, "--style", "apa")
    entries = out.strip().split("\n\n")
    assert [entry[:4] for entry in entries] == ["Binz", "Vasw"]


def test_copy_html_says_when_no_tool_takes_a_mime_type(run, monkeypatch):
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("TMUX", raising=False)
    status, _, err = run("cite", run.ids["Attenti"], "--style", "apa", "--as", "html", "--copy")
    assert status == 0
    assert "no clipboard tool here takes text/html (wl-copy or xclip do)" in err


def test_styles_lists_names_and_titles_fuzzily(run):
    status, out, _ = run("styles", "nature")
    lines = out.splitlines()
    assert status == 0 and lines[0].split() == ["nature", "Nature"]
    status, out, _ = run("styles")
    assert status == 0 and len(out.splitlines()) > 2000
    status, _, err = run("styles", "qqqqqqqqqqzzzzzz")
    assert status == 1 and "none matches" in err


def test_help_lists_the_aliases_and_points_to_styles(capsys):
    with pytest.raises(SystemExit):
        main(["cite", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # (as argparse wraps it)
    assert "apa, mla, chicago, ieee, harvard" in out and "readinglist styles" in out
    assert "--as OUTPUT" in out and "markdown, html or rtf" in out
    assert "acm-sig-proceedings" not in out


def test_the_style_setting_stores_one_id_however_it_is_named(run):
    from readinglist.citations import style_id
    from readinglist.persistence.library import Library

    for name in ("mla", "MLA", "modern-language-association"):
        assert run("config", "citation_style", name)[0] in (0, 1)  # 1: already set
        assert Library(run.library).settings()["citation_style"] == "mla"
    assert style_id("Modern-Language-Association") == "mla" and style_id("nature") == "nature"
