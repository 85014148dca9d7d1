"""Reading the clipboard in a browser test, for features that copy text (citations, links).

A page may only touch the clipboard when the browser context grants it; the `clipboard_page`
fixture does, and `read_clipboard` then returns what the page copied.
"""

from __future__ import annotations

from playwright.sync_api import Page

CLIPBOARD_PERMISSIONS = ("clipboard-read", "clipboard-write")
"""Chromium's permission names for `navigator.clipboard` reads and writes."""


def read_clipboard(page: Page) -> str:
    """The text on the clipboard, read through the page as a script of the site would."""
    text = page.evaluate("() => navigator.clipboard.readText()")
    assert isinstance(text, str)
    return text
