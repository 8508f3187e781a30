"""The code's contracts, run as tests: the type check and the import rules in pyproject.toml."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import readinglist

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _top_level_modules() -> set[str]:
    return {f"readinglist.{m.name}" for m in pkgutil.iter_modules(readinglist.__path__)}


def _lint_imports(root: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_type_checker_finds_no_errors():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_import_contracts_hold():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_the_textual_contract_covers_every_module_outside_the_tui():
    listed = set(_contracts()["Only the TUI imports Textual and Rich"]["source_modules"])
    assert listed == _top_level_modules() - {"readinglist.tui"}


def test_the_domain_contract_covers_every_module_but_the_front_ends():
    contract = _contracts()["The domain never imports a front end"]
    front_ends = set(contract["forbidden_modules"])
    assert set(contract["source_modules"]) == _top_level_modules() - front_ends - {
        "readinglist.__main__"
    }


def test_a_domain_module_importing_rich_breaks_the_contract(tmp_path):
    """The contract has teeth: a copy of the package whose model imports rich fails it."""
    shutil.copytree(ROOT / "readinglist", tmp_path / "readinglist")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "readinglist" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nimport rich.text\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = _lint_imports(tmp_path, env)
    assert done.returncode != 0
    assert "Only the TUI imports Textual and Rich BROKEN" in done.stdout
    assert "readinglist.model -> rich" in done.stdout
