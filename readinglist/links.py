"""Opening a paper's link in the web browser, when this machine has one to open it in."""

from __future__ import annotations

import webbrowser


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
