"""bench/generate.py --format bibtex: the kit reads back entry for entry and nothing merges."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from readinglist import parsing
from readinglist.cli import main
from readinglist.persistence.library import Library

BENCH = Path(__file__).resolve().parents[2] / "bench"
COUNT = 150


def _generate_module():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generate():
    return _generate_module()


@pytest.fixture(scope="module")
def kit(generate, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kit") / "kit.bib"
    generate.main(["--format", "bibtex", str(COUNT), str(out)])
    return out


def test_each_entry_reads_back_as_the_paper_generated(generate, kit):
    made = list(generate.generate(COUNT, "kit.bib", shape=generate.as_bibtex_record))
    read = parsing.parse(kit.read_text(encoding="utf-8"), "bibtex", source="kit.bib")
    assert [p.id for p in read] == [p.id for p in made]
    for got, want in zip(read, made, strict=True):
        assert (got.title, got.abstract, got.authors) == (want.title, want.abstract, want.authors)
        assert (got.year, got.doi, got.journal) == (want.year, want.doi, want.journal)
        assert got.tags == [tag.replace(" ", "-") for tag in want.tags]
    text = kit.read_text(encoding="utf-8")
    assert text.count("\n@article{") + text.count("\n@inproceedings{") == COUNT - 1
    assert 0.3 < text.count("@article{") / COUNT < 0.8
    assert min(len(p.tags) for p in read) >= 1 and max(len(p.tags) for p in read) <= 5
    assert 0.4 < sum(p.doi is not None for p in read) / COUNT < 0.8
    assert all(len(p.abstract) >= 900 for p in read)
    assert len({p.key for p in read}) == COUNT


def test_an_import_adds_every_entry_with_no_warning(kit, tmp_path, capsys):
    library = tmp_path / "lib"
    assert main(["--library", str(library), "import", str(kit)]) == 0
    out, err = capsys.readouterr()
    assert f"parsed {COUNT}, added {COUNT}, merged 0" in out
    assert err == ""
    assert len(Library(library).papers()) == COUNT


def test_the_same_seed_writes_the_same_file_and_json_stays_the_default(generate, kit, tmp_path):
    again = tmp_path / "again.bib"
    generate.main(["--format", "bibtex", str(COUNT), str(again)])
    assert again.read_bytes() == kit.read_bytes()
    other = tmp_path / "other.bib"
    generate.main(["--format", "bibtex", "--seed", "8", str(COUNT), str(other)])
    assert other.read_bytes() != kit.read_bytes()
    default = tmp_path / "default.json"
    generate.main(["20", str(default)])
    assert default.read_text(encoding="utf-8").startswith("[{")
