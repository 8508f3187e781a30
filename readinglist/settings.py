"""The settings the front ends read, typed: each is its default unless stored as it should be.

A library's settings file is JSON anyone may edit; a value of the wrong type or an
unknown choice reads as the default here rather than failing a command or the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from readinglist.listing import SORTS

DEFAULT_STYLE = "bibtex"
RECENT_KEPT = 8  # recent citation styles stored


@dataclass(frozen=True)
class Settings:
    """A library's citation style, recent styles, and the app's theme and sort."""

    citation_style: str = DEFAULT_STYLE
    recent_styles: tuple[str, ...] = ()
    theme: str | None = None
    sort: str | None = None

    @classmethod
    def of(cls, stored: Mapping[str, object]) -> Settings:
        """The settings in a settings file's content, each checked (see the module)."""
        style, recent = stored.get("citation_style"), stored.get("recent_styles")
        theme, sort = stored.get("theme"), stored.get("sort")
        return cls(
            citation_style=style if isinstance(style, str) and style else DEFAULT_STYLE,
            recent_styles=tuple(s for s in recent if isinstance(s, str))
            if isinstance(recent, list)
            else (),
            theme=theme if isinstance(theme, str) else None,
            sort=sort if sort in SORTS and isinstance(sort, str) else None,
        )

    def with_recent(self, style: str) -> list[str]:
        """The recent styles to store once `style` is used: it first, each once."""
        return [style, *[s for s in self.recent_styles if s != style]][:RECENT_KEPT]
