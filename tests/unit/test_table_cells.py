"""The table's cells: ASCII text is cut and padded as the cell-by-cell rule does it."""

from __future__ import annotations

import random

from readinglist.cli import table
from readinglist.safe_text import UNSAFE_CHARACTERS, safe


def _fit_by_cells(text: str, width: int) -> str:
    """`table.fit` as it counts every character's cells (wide, combining, narrow)."""
    if table.cell_width(text) > width:
        kept, used = [], 0
        for ch in text:
            if used + table._cells(ch) > width - 1:
                break
            kept.append(ch)
            used += table._cells(ch)
        text = "".join(kept).rstrip() + "…"
    return text + " " * (width - table.cell_width(text))


def test_fit_cuts_and_pads_as_counting_each_cell_does():
    rng = random.Random(3)
    letters = "ab cd  ef" + "中文" + "e\u0301" + "Ü"
    for _ in range(2000):
        pool = letters if rng.random() < 0.3 else "abc def  ghi"
        text = "".join(rng.choices(pool, k=rng.randint(0, 40)))
        width = rng.randint(1, 45)
        assert table.fit(text, width) == _fit_by_cells(text, width), (text, width)
        assert table.cell_width(table.fit(text, width)) == width


def test_printable_text_is_left_as_it_is_and_nothing_unsafe_is_printable():
    for code in range(0x110000):
        ch = chr(code)
        if ch.isprintable():
            assert safe(ch) == ch and safe(ch, one_line=True) == ch
    assert all(not chr(c).isprintable() for c in range(0x110000) if _unsafe(chr(c)))
    assert safe("a\x1bb", one_line=True) == "a\\x1bb" and safe("a\tb", one_line=True) == "a b"


def _unsafe(ch: str) -> bool:
    import re

    return re.fullmatch(f"[\t\n{UNSAFE_CHARACTERS}]", ch) is not None
