"""`cite --style bibtex|biblatex` of an imported BibTeX record keeps its venue and its names in parts."""

from __future__ import annotations

from readinglist.cli import main

ENTRY = """@inproceedings{hyman2012,
  author = {Hyman, Jr, Ira E. and Van den Broeck, Guy and Sahami Shirazi, Alireza},
  editor = {Da Costa, Joao},
  title = {Memory at Scale},
  booktitle = {Proceedings of CHI},
  volume = {16}, pages = {433--449}, publisher = {ACM}, year = {2012}
}
"""


def _cite(tmp_path, capsys, style: str) -> str:
    bib = tmp_path / "refs.bib"
    bib.write_text(ENTRY, encoding="utf-8")
    library = str(tmp_path / "lib")
    assert main(["--library", library, "import", str(bib)]) == 0
    capsys.readouterr()
    assert main(["--library", library, "cite", "hyman2012", "--style", style]) == 0
    return capsys.readouterr().out


def test_bibtex_citation_writes_names_in_bibtex_form_and_every_venue_field(tmp_path, capsys):
    out = _cite(tmp_path, capsys, "bibtex")
    assert "Hyman, Jr, Ira E. and Van den Broeck, Guy and Sahami Shirazi, Alireza" in out
    assert "{Da Costa, Joao}" in out and "{{Da Costa, Joao}}" not in out
    assert "booktitle = {Proceedings of CHI}" in out
    assert "journal" not in out
    assert "volume    = {16}" in out
    assert "pages     = {433--449}" in out
    assert "publisher = {ACM}" in out


def test_biblatex_citation_keeps_the_venue_too(tmp_path, capsys):
    out = _cite(tmp_path, capsys, "biblatex")
    assert "booktitle = {Proceedings of CHI}" in out
    assert "journaltitle" not in out
    assert "pages     = {433--449}" in out
