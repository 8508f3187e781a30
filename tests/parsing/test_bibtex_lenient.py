"""Lenient BibTeX import: a bad block costs only itself, keys are kept as written."""

import pytest

from readinglist.cli import main
from readinglist.errors import ParseError
from readinglist.parsing import bibtex

GOOD_AND_BAD = """@article{good1, title = {First Good}, year = 2001}

@proceedings{AISTATS2007, title = {}, year = 2007}

@article{smith2010, title = {Broken {brace, year = 2010,

@article{good2, title = {Second Good}, year = 2002}

@misc{good1, title = {Same Key Again}}
"""


def parsed(text: str):
    warnings: list[ParseError] = []
    return bibtex.parse(text, source="refs.bib", warnings=warnings), [str(w) for w in warnings]


def test_bad_blocks_are_reported_and_the_good_ones_kept():
    papers, warnings = parsed(GOOD_AND_BAD)
    assert [p.title for p in papers] == ["First Good", "Second Good", "Same Key Again"]
    assert warnings == [
        "refs.bib:3: entry 'AISTATS2007': has neither a title nor an abstract — skipped",
        "refs.bib:5: unbalanced braces in entry 'smith2010' — skipped",
        "refs.bib:9: duplicate key 'good1' (first at line 1) — this entry stored as 'good1a'",
    ]


def test_a_duplicate_key_gets_the_first_free_suffix():
    text = "@misc{k, title={A}}\n@misc{ka, title={B}}\n@misc{k, title={C}}\n"
    papers, warnings = parsed(text)
    assert [p.key for p in papers] == ["k", "ka", "kb"]
    assert "stored as 'kb'" in warnings[0]


def test_strict_refuses_the_file_at_the_first_problem():
    with pytest.raises(ParseError, match=r"refs.bib:3: entry 'AISTATS2007'"):
        bibtex.parse(GOOD_AND_BAD, source="refs.bib", strict=True)


@pytest.mark.parametrize(
    "key", ["CorneilOS??", "Müller2020:ünïcode", "a" * 150, "doi:10.1000/x-y_z+1", "x!@$^&*<>"]
)
def test_keys_are_kept_exactly_as_written(key):
    papers, warnings = parsed(f"@misc{{{key}, title = {{T}}}}\n")
    assert warnings == [] and papers[0].key == key


@pytest.fixture
def run(tmp_path, capsys):
    def invoke(*args):
        status = main(["--library", str(tmp_path / "lib"), *args])
        out, err = capsys.readouterr()
        return status, out, err

    return invoke


def test_import_reports_each_skipped_block_then_a_summary(run, tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    status, out, err = run("import", str(path))
    assert status == 0
    assert out == "refs.bib: parsed 3, added 3, merged 0, skipped 2\n"
    lines = err.splitlines()
    assert lines[1] == "refs.bib:5: unbalanced braces in entry 'smith2010' — skipped"
    assert len(lines) == 3
    status, out, _ = run("list", "--json")
    assert status == 0 and '"key": "good1a"' in out


def test_import_strict_stores_nothing_and_exits_1(run, tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    status, out, err = run("import", "--strict", str(path))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        "readinglist: refs.bib:3: entry 'AISTATS2007': has neither a title nor an abstract"
    ]


def test_nothing_importable_exits_1_after_the_warnings(run, tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@misc{a, title={}}\n@misc{b, author={X}}\n", encoding="utf-8")
    status, out, err = run("import", str(path))
    assert status == 1 and out == ""
    assert len(err.splitlines()) == 3 and "no papers found" in err.splitlines()[-1]


def test_edit_key_accepts_what_a_bibtex_file_may_hold(run, tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@misc{plain, title={T}}\n", encoding="utf-8")
    run("import", str(path))
    assert run("edit", "plain", "--key", "Müller:2020??")[0] == 0
    assert run("show", "Müller:2020??")[0] == 0
    status, _, err = run("edit", "Müller:2020??", "--key", "has space")
    status2, _, _ = run("edit", "Müller:2020??", "--key", "has,comma")
    assert status == 1 and status2 == 1 and "a cite key is any characters but" in err


def test_a_non_utf8_file_is_read_and_the_encoding_said(run, tmp_path):
    path = tmp_path / "latin.bib"
    path.write_bytes("% Encoding: ISO-8859-1\n@misc{k, title={Müller}}\n".encode("latin-1"))
    status, out, err = run("import", str(path))
    assert status == 0
    assert err == "latin.bib: not UTF-8; read as iso8859-1 (declared in the file)\n"
    status, out, err = run("list", "--json")
    assert "Müller" in out


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("{\\LaTeX}: A Document Preparation System", "LaTeX: A Document Preparation System"),
        ("{\\TeX}'s {DVI} files", "TeX's DVI files"),
        ("\\mbox{ACM} Press", "ACM Press"),
        ("{\\TUG} news", "TUG news"),
        ("{\\BibTeX} and \\AmS-\\TeX", "BibTeX and AMS-TeX"),
        ("\\emph{Deep} nets at \\url{https://x.org}", "Deep nets at https://x.org"),
        ("Bounds of $\\Omega(n^k)$", "Bounds of Ω(n^k)"),
        ("R\\&D -- and more", "R&D – and more"),
        ("\\'{E}tudes", "Études"),
        ("The \\Undefined macro", "The Undefined macro"),
        # font and size switches add no words; text macros give their text
        ("{\\it The {\\LaTeX} Companion}", "The LaTeX Companion"),
        ("{{\\sf dramatist}: Another package}", "dramatist: Another package"),
        ("{\\sl Computers \\& Typesetting\\/} coming out", "Computers & Typesetting coming out"),
        ("{\\bf Bold}, {\\em stressed} and {\\tt typed}", "Bold, stressed and typed"),
        ("{\\large Big} {\\sc Small Caps} \\itshape{x}", "Big Small Caps x"),
        (
            "Documents\\Dash Rennes, the {\\bs} key, A\\thinspace B",
            "Documents—Rennes, the \\ key, A B",
        ),
        ("{\\smc TUG} and {\\ssf sans}", "TUG and sans"),
        ("Boston, \\rlap{15--16 October}", "Boston, 15–16 October"),
        ("{\\acro{EPS}} in \\hbox{a} \\mbox{b} \\smash{c} \\path{d/e}", "EPS in a b c d/e"),
        (
            "DVIto\\kern-.15em VDU and Euler-\\kern-1pt VM, A\\kern.1emB",
            "DVItoVDU and Euler-VM, AB",
        ),
        ("{\\tt\\char`\\\\let} and {\\tt\\char`\\\\raise}, \\char`A", "\\let and \\raise, A"),
        (
            "The \\nth{21}, \\nth{2}, \\nth{3}, \\nth{13} and \\nth{111}",
            "The 21st, 2nd, 3rd, 13th and 111th",
        ),
        ("From {\\tubissue 14(3)}", "From TUGboat 14(3)"),
        ("{{\\tt\\bs relax} and watch}", "\\relax and watch"),
    ],
)
def test_latex_decoding_loses_no_visible_text(latex, text):
    papers, _ = parsed(f"@misc{{k, title = {{{latex}}}}}\n")
    assert papers[0].title == text


def test_strings_months_concatenation_and_undefined_macros():
    text = (
        '@string{acm = "ACM"}\n'
        '@inproceedings{k, title = {T}, booktitle = "Proc. Fifteenth Annual " # acm # " " # STOC,'
        " month = may, publisher = acm # { Press}, series = lncs, address = lncs}\n"
    )
    papers, warnings = parsed(text)
    assert papers[0].venue == {
        "booktitle": "Proc. Fifteenth Annual ACM STOC", "series": "lncs",
        "publisher": "ACM Press", "address": "lncs", "month": "May",
    }  # fmt: skip
    assert warnings == [
        "refs.bib:2: undefined macro 'STOC', kept as its name",
        "refs.bib:2: undefined macro 'lncs', kept as its name",
    ]


def test_crossref_children_inherit_and_a_titleless_parent_is_not_stored():
    text = (
        "@inproceedings{child, title = {Part}, crossref = {proc}, pages = {1--2}}\n"
        "@proceedings{proc, booktitle = {Proc. of X}, year = 1983, editor = {Yannakakis, M.},"
        " publisher = {ACM}}\n"
        "@incollection{chapter, title = {Chapter}, crossref = {book}}\n"
        "@book{book, title = {The Whole Book}, year = 1999}\n"
    )
    papers, warnings = parsed(text)
    assert warnings == [
        "refs.bib: 1 crossref parents without a title lent their fields and are not stored"
    ]
    assert [p.key for p in papers] == ["child", "chapter", "book"]
    child, chapter, _ = papers
    assert child.year == 1983 and child.venue["booktitle"] == "Proc. of X"
    assert child.venue["publisher"] == "ACM" and child.editor_names()[0].family == "Yannakakis"
    assert chapter.year == 1999 and chapter.venue == {"booktitle": "The Whole Book"}


def test_strings_of_one_file_reach_the_other_files_of_the_command(run, tmp_path):
    (tmp_path / "a.bib").write_text("@misc{k, title = {T}, publisher = pub}\n")
    (tmp_path / "b.bib").write_text('@string{pub = "Springer"}\n')
    status, out, err = run("import", str(tmp_path / "a.bib"), str(tmp_path / "b.bib"))
    assert status == 0 and "undefined" not in err
    status, out, _ = run("show", "k", "--json")
    assert '"publisher": "Springer"' in out


def test_relax_and_raised_accents_in_names_add_no_letters():
    """`{\\relax Yu}` keeps a two-letter initial whole; TUGboat stacks an accent with
    `\\llap{\\raise 0.5ex\\hbox{\\'{\\relax}}}` (the stacked accent itself is lost)."""
    bib = (
        "@misc{k, title = {T}, author = {Prokhorov, G. {\\relax Yu}. and "
        "H{\\'a}n Th\\^e\\llap{\\raise 0.5ex\\hbox{\\'{\\relax}}} Th{\\`a}nh}}\n"
    )
    papers, _ = parsed(bib)
    assert papers[0].authors == ["G. Yu. Prokhorov", "Hán Thê Thành"]
