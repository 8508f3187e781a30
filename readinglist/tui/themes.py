"""The app's themes, named for `readinglist config theme` (Textual's own themes)."""

from __future__ import annotations


def theme_names() -> tuple[str, ...]:
    """Every theme the app can show, A→Z."""
    from textual.theme import BUILTIN_THEMES

    return tuple(sorted(BUILTIN_THEMES))
