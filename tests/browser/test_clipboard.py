"""The clipboard harness that copy buttons (citations, issue 6) are tested with works here."""

from playwright.sync_api import Page

from tests.browser import seed_pages
from tests.browser.clipboard import read_clipboard


def test_clipboard_page_reads_back_what_the_page_copied(
    clipboard_page: Page, site_url: str
) -> None:
    clipboard_page.goto(site_url + seed_pages.paper(seed_pages.ANGLE_BRACKETS_SLUG))
    copied = "@article{autol2s, title = {AutoL2S <EASY>}}"
    clipboard_page.evaluate("text => navigator.clipboard.writeText(text)", copied)
    assert read_clipboard(clipboard_page) == copied
