"""Which of a paper's links may be handed to a web browser, and whether there is one.

A stored URL is untrusted (a BibTeX `url` is kept as written): only `http`/`https`
addresses with a host are opened, and the links the app builds itself (arXiv, doi.org)
are percent-encoded. Nothing handed on can begin with `-` (a browser would read an
option such as `--gpu-launcher=…`) or hold a space or a control character.
"""

from __future__ import annotations

import re
import webbrowser
from urllib.parse import quote, urlsplit

from readinglist.errors import ReadingListError
from readinglist.model import Paper
from readinglist.safe_text import UNSAFE_CHARACTERS, safe_line

SCHEMES = ("http", "https")
_UNSAFE_IN_URL = re.compile(rf"[\s{UNSAFE_CHARACTERS}]")


class RefusedLink(ReadingListError):
    """A link the app will not open (its message shows the link escaped)."""


def openable_link(paper: Paper) -> str | None:
    """The paper's link, safe to hand to a browser; None without one; RefusedLink if unsafe."""
    if paper.url:
        return checked_url(paper.url)
    if paper.arxiv:
        return checked_url(f"https://arxiv.org/abs/{quote(paper.arxiv.strip(), safe='/.')}")
    if paper.doi:
        return checked_url(f"https://doi.org/{quote(paper.doi.strip(), safe='/')}")
    return None


def checked_url(url: str) -> str:
    """`url` if it is an http(s) address with a host and nothing a browser could misread."""
    shown = safe_line(url[:300])
    if _UNSAFE_IN_URL.search(url) or url.startswith("-"):
        raise RefusedLink(f"{shown}: not opened (spaces or control characters in the link)")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise RefusedLink(f"{shown}: not opened (not a valid web address)") from None
    if parts.scheme.lower() not in SCHEMES:
        raise RefusedLink(f"{shown}: not opened (only http and https links are)")
    if not parts.hostname:
        raise RefusedLink(f"{shown}: not opened (no host)")
    return url


def usable_browser(background: bool = False) -> webbrowser.BaseBrowser | None:
    """The browser `webbrowser` would use, or None when there is none.

    `background`: only a browser that runs beside the terminal (a console browser
    such as lynx, which would take over the app's screen, does not count).
    """
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return None
    if background and type(browser) is webbrowser.GenericBrowser:
        return None
    return browser


def open_in_browser(url: str) -> bool:
    """Open `url` in the web browser; False when no usable browser is found or it failed."""
    browser = usable_browser()
    if browser is None:
        return False
    try:
        return bool(browser.open(url))
    except OSError:
        return False
