"""A reader can switch to the dark scheme, and the site remembers it on the next page and visit."""

from playwright.sync_api import Page

from tests.browser import seed_pages
from tests.browser.journeys import colour_scheme, stored_colour_scheme, switch_colour_scheme
from tests.browser.layout import background_luminance


def test_dark_mode_switches_and_is_remembered(page: Page, site_url: str) -> None:
    page.goto(site_url)
    assert colour_scheme(page) == "light"
    assert background_luminance(page) > 0.8

    switch_colour_scheme(page)
    assert colour_scheme(page) == "dark"
    assert stored_colour_scheme(page) == "dark"

    page.reload()
    assert colour_scheme(page) == "dark"
    assert background_luminance(page) < 0.05
    page.goto(site_url + seed_pages.paper(seed_pages.MATH_TITLE_SLUG))
    assert colour_scheme(page) == "dark"
    assert background_luminance(page) < 0.05

    switch_colour_scheme(page)
    page.reload()
    assert colour_scheme(page) == "light"
    assert background_luminance(page) > 0.8
