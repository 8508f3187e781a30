"""Public web sources of paper metadata: Hugging Face, arXiv, Crossref (headless, over httpx).

`lookup.lookup` finds what the services know about one paper; `fill.plan` says what that
adds to it; `readinglist.enriching` stores it through the library's normal write path.
Importing this package costs nothing: httpx is loaded with `http`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.sources.config import DEFAULT_SOURCES, SERVICES, parse_sources

if TYPE_CHECKING:
    from readinglist.sources.http import Client

__all__ = ["DEFAULT_SOURCES", "SERVICES", "open_client", "parse_sources"]


def open_client(root: Path, stored_settings: dict, *, offline: bool = False) -> Client:
    """A client for one run, caching answers in the library folder at `root`."""
    from readinglist.sources.cache import ResponseCache
    from readinglist.sources.config import settings_from
    from readinglist.sources.http import Client

    settings = settings_from(stored_settings, offline=offline)
    return Client(settings, ResponseCache.in_library(root))
