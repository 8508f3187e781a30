"""biber and bibtool accept what the BibTeX export and the BibTeX/BibLaTeX citations write:
exit 0 and no ERROR line. Under the `slow` marker; skipped where a tool is not on PATH
(Debian packages `biber`, `bibtool`). The corpus part reads ../shared/realworld/bibtex
and skips when it is absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from realworld import bibtex_corpus

from readinglist.citations import cite
from readinglist.exporting import export
from readinglist.parsing import bibtex, read_file
from readinglist.persistence.library import Library

pytestmark = pytest.mark.slow
_TYPE = re.compile(r"^@(\w+)\{", re.M)
BIBTEX_TYPES = frozenset(
    [
        "article",
        "book",
        "booklet",
        "conference",
        "inbook",
        "incollection",
        "inproceedings",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
    ]
)
SMALL = 200_000  # biber takes about a minute per 700 entries on this machine

RICH = r"""@inproceedings{hyman2012,
  author    = {Hyman, Jr, Ira E. and Van den Broeck, Guy and {World Health Organization} and others},
  editor    = {Da Costa, Joao},
  title     = {A {Kinect} Study of {{Transformer}} Nets with 100\% \& {BERT}},
  booktitle = {Proceedings of {CHI}},
  volume    = {16}, pages = {433--449}, publisher = {ACM}, address = {Austin, TX},
  year      = {2012}, month = apr, doi = {10.1145/1234.5678}, language = {english},
}
@book{knuth1984,
  author = {Knuth, Donald E.}, title = {The {\TeX}book}, publisher = {Addison-Wesley},
  edition = {2nd}, year = 1984, isbn = {0-201-13447-0},
}
@article{neumann2020,
  author = {von Neumann, John}, title = {A Study $\Omega(n^k)$ of Things},
  journaltitle = {Journal of Stuff}, volume = 3, number = 4, pages = {1-10},
  date = {2020-05}, eprint = {2001.00001}, eprinttype = {arxiv}, eprintclass = {cs.LG},
}
"""


def _biber_errors(path: Path) -> list[str]:
    if shutil.which("biber") is None:
        pytest.skip("biber is not on PATH")
    run = subprocess.run(
        ["biber", "--tool", "--nolog", f"--output-file={path.with_suffix('.out.bib')}", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=1800,
    )
    lines = (run.stdout + run.stderr).splitlines()
    return [line for line in lines if line.startswith("ERROR")] + (
        [f"exit {run.returncode}"] * bool(run.returncode)
    )


def _bibtool_errors(path: Path) -> list[str]:
    """bibtool's errors; the entry types of the file that are not BibTeX's own (biblatex's
    @online, a source's @patent) are declared first, as bibtool needs."""
    if shutil.which("bibtool") is None:
        pytest.skip("bibtool is not on PATH")
    types = set(_TYPE.findall(path.read_text(encoding="utf-8"))) - BIBTEX_TYPES
    declared = [arg for kind in sorted(types) for arg in ("--", f"new.entry.type{{{kind}}}")]
    run = subprocess.run(
        ["bibtool", *declared, "-i", str(path.resolve()), "-o", "/dev/null"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = (run.stdout + run.stderr).splitlines()
    return [line for line in lines if "BibTool ERROR" in line] + (
        [f"exit {run.returncode}"] * bool(run.returncode)
    )


def _written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "written.bib"
    path.write_text(text, encoding="utf-8")
    return path


def _rich_texts(tmp_path: Path) -> dict[str, str]:
    papers = bibtex.parse(RICH, source="rich.bib")
    library = Library(tmp_path / "lib")
    library.import_papers(papers, source="rich.bib")
    stored = library.papers()
    return {
        "export": export(stored, "bibtex"),
        "bibtex": cite(stored, "bibtex"),
        "biblatex": cite(stored, "biblatex"),
    }


@pytest.mark.parametrize("what", ["export", "bibtex", "biblatex"])
@pytest.mark.parametrize("tool", [_biber_errors, _bibtool_errors], ids=["biber", "bibtool"])
def test_the_tools_accept_what_we_write(tmp_path, what, tool):
    text = _rich_texts(tmp_path)[what]
    assert tool(_written(tmp_path, text)) == []


def test_a_tool_reports_a_broken_file(tmp_path):
    """The check can fail: an unbalanced entry is an ERROR for both tools."""
    broken = _written(
        tmp_path, "@article{x, title = {A {b}, year = 2020}\n@article{y, title={ok}}\n"
    )
    assert _biber_errors(broken) != [] and _bibtool_errors(broken) != []


@pytest.mark.parametrize(
    ("tool", "limit"), [(_biber_errors, SMALL), (_bibtool_errors, None)], ids=["biber", "bibtool"]
)
def test_the_tools_accept_the_corpus_exported(tmp_path, tool, limit):
    """biber on the files under 200 KB (729 papers), bibtool on every file (12k papers)."""
    corpus = bibtex_corpus()
    if corpus is None:
        pytest.skip("no corpus in ../shared")
    library = Library(tmp_path / "lib")
    for path in sorted(corpus.glob("*.bib")):
        if limit is not None and path.stat().st_size > limit:
            continue
        try:
            parsed = read_file(str(path), "bibtex")
        except Exception as error:  # only @strings, or no titles
            assert "no papers found" in str(error)
            continue
        library.import_papers(parsed.papers, source=path.name)
    papers = library.papers()
    assert len(papers) > (500 if limit else 10_000)
    assert tool(_written(tmp_path, export(papers, "bibtex"))) == []
    assert tool(_written(tmp_path, cite(papers, "biblatex"))) == []
