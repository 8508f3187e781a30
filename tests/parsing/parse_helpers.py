"""Shared by the parser tests: the seed files and a fixed clock."""

import datetime as dt
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TODAY = dt.date(2025, 6, 1)


def seed_path(number: str) -> Path:
    """The seed file whose name starts with `number` ("002")."""
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path


def seed_text(number: str) -> str:
    return seed_path(number).read_text(encoding="utf-8")
