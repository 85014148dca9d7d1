"""Generated pages carry a lighter theme shell (generator/site/page_shell.py): the header's
palette toggle and search box, which do nothing without a script, are written by a script at
their place. With a script, readers get the same header as on the pages MkDocs renders;
without one, the rest of the header is still there."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser import seed_pages
from tests.browser.chromium import DESKTOP
from tests.browser.journeys import colour_scheme, search_for, switch_colour_scheme

GENERATED = [
    seed_pages.paper(seed_pages.MATH_TITLE_SLUG),
    seed_pages.tag(seed_pages.SMALL_TAG),
    seed_pages.ALL_PAPERS,
]

HEADER_ORDER = """() => Array.from(document.querySelector('.md-header__inner').children)
    .filter(e => e.tagName !== 'SCRIPT')
    .map(e => e.className || e.tagName)"""
"""The header's parts, in their order (scripts left out: where each sits is not shown)."""


def test_generated_pages_header_is_the_one_of_mkdocs_pages(page: Page, site_url: str) -> None:
    page.goto(site_url + "about/")  # rendered by MkDocs, with the theme's markup as written
    expected = page.evaluate(HEADER_ORDER)
    palette = page.locator('form[data-md-component="palette"]').evaluate("e => e.outerHTML")
    assert "catalogue-search" in expected and "md-header__option" in expected
    for path in GENERATED:
        page.goto(site_url + path)
        assert page.evaluate(HEADER_ORDER) == expected, path
        written = page.locator('form[data-md-component="palette"]').evaluate("e => e.outerHTML")
        # The same markup but for the icons' addresses (the sprite, relative to each page).
        assert _without_icons(written) == _without_icons(palette), path


def test_palette_toggle_and_search_work_on_a_generated_page(page: Page, site_url: str) -> None:
    page.goto(site_url + seed_pages.tag(seed_pages.SMALL_TAG))
    assert colour_scheme(page) == "light"
    switch_colour_scheme(page)
    assert colour_scheme(page) == "dark"
    switch_colour_scheme(page)
    assert colour_scheme(page) == "light"
    results = search_for(page, "speculative")
    expect(results.first).to_be_visible()


def test_without_a_script_a_generated_page_shows_the_rest_of_its_header(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + seed_pages.paper(seed_pages.MATH_TITLE_SLUG))
        assert page.locator('form[data-md-component="palette"]').count() == 0
        assert page.locator(".catalogue-search").count() == 0
        expect(page.locator(".md-header .md-logo")).to_be_visible()
        expect(page.locator(".md-header__source .md-source")).to_be_visible()
        expect(page.locator(".md-tabs")).to_be_visible()
        expect(page.locator("article h1")).to_be_visible()
    finally:
        context.close()


def _without_icons(html: str) -> str:
    """`html` without its icons' markup, and without the line breaks and indentation between
    tags (generated pages leave them out)."""
    return re.sub(r">\s+<", "><", re.sub(r"<svg[^>]*>.*?</svg>", "<svg/>", html))
