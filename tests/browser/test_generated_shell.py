"""Generated pages carry a lighter theme shell (generator/site/page_shell.py): the header's
palette toggle and search box, which do nothing without a script, and the menu button and the
navigation drawer it opens, are written by a script at their place. With a script, readers get
the same header and drawer as on the pages MkDocs renders; without one, the rest of the header
is still there, and a phone shows the navigation as tabs."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser import seed_pages
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.journeys import (
    colour_scheme,
    navigation_panel,
    open_navigation,
    search_for,
    switch_colour_scheme,
)

GENERATED = [
    seed_pages.paper(seed_pages.MATH_TITLE_SLUG),
    seed_pages.tag(seed_pages.SMALL_TAG),
    seed_pages.ALL_PAPERS,
]

DRAWN = [seed_pages.paper(seed_pages.MATH_TITLE_SLUG), seed_pages.tag(seed_pages.SMALL_TAG)]
"""Generated pages whose navigation drawer is written by a script (the list of all papers is
in the navigation: MkDocs renders it)."""

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


DRAWER = """() => {
    const nav = document.querySelector('.md-sidebar--primary .md-sidebar__inner > nav');
    return nav && {
        title: nav.querySelector('.md-nav__title').textContent.trim(),
        links: Array.from(nav.querySelectorAll('a'))
            .filter(a => !a.closest('.md-nav--secondary'))
            .map(a => [a.className.replace(' md-nav__link--active', ''), a.textContent.trim(),
                       a.href]),
    };
}"""
"""The drawer's title and its links (classes, words, full addresses), without the table of
contents and the mark Material adds to the current page (MkDocs' pages are in the navigation,
generated pages are not)."""

TABS = """() => Array.from(document.querySelectorAll('.md-tabs__link'))
    .filter(a => a.getBoundingClientRect().width > 0)
    .map(a => [a.textContent.trim(), a.href])"""
"""The tabs a reader sees: words and full addresses."""


def test_generated_pages_drawer_is_the_one_of_mkdocs_pages(page: Page, site_url: str) -> None:
    page.goto(site_url + "about/")
    expected = page.evaluate(DRAWER)
    assert expected is not None and len(expected["links"]) > 3
    for path in DRAWN:
        page.goto(site_url + path)
        assert page.evaluate(DRAWER) == expected, path


def test_with_a_script_a_phone_opens_the_drawer_and_hides_the_tabs(
    phone_page: Page, site_url: str
) -> None:
    phone_page.goto(site_url + seed_pages.tag(seed_pages.SMALL_TAG))
    assert phone_page.evaluate(TABS) == []
    navigation = open_navigation(phone_page)
    expect(navigation.get_by_role("link", name="Papers", exact=True)).to_be_in_viewport()


def test_without_a_script_a_phone_shows_the_navigation_as_tabs(
    browser: Browser, site_url: str
) -> None:
    with_script = browser.new_context(viewport=DESKTOP)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = with_script.new_page()
        page.goto(site_url + seed_pages.paper(seed_pages.MATH_TITLE_SLUG))
        desktop_tabs = page.evaluate(TABS)
        assert len(desktop_tabs) > 3
        phone = context.new_page()
        for path in DRAWN:
            phone.goto(site_url + path)
            assert phone.locator('label.md-header__button[for="__drawer"]').count() == 0, path
            assert navigation_panel(phone).count() == 0, path
            # The same links as the tabs of a wide screen, here on the phone.
            assert phone.evaluate(TABS) == desktop_tabs, path
            for link in phone.locator(".md-tabs__link").all()[:2]:
                expect(link).to_be_in_viewport()
    finally:
        context.close()
        with_script.close()


def test_without_a_script_a_wide_screen_lays_the_page_out_the_same(
    browser: Browser, site_url: str
) -> None:
    path = site_url + seed_pages.paper(seed_pages.MATH_TITLE_SLUG)
    boxes = []
    for script in (True, False):
        context = browser.new_context(viewport=DESKTOP, java_script_enabled=script)
        try:
            page = context.new_page()
            page.goto(path)
            box = page.locator(".md-content").bounding_box()
            assert box is not None
            boxes.append((box["x"], box["width"]))  # across; the header's height may differ
        finally:
            context.close()
    assert boxes[0] == boxes[1]


def _without_icons(html: str) -> str:
    """`html` without its icons' markup, and without the line breaks and indentation between
    tags (generated pages leave them out)."""
    return re.sub(r">\s+<", "><", re.sub(r"<svg[^>]*>.*?</svg>", "<svg/>", html))


def test_generated_pages_footer_keeps_the_notice_without_the_themes_credit(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + "about/")
    notice = page.locator(".md-copyright__highlight").inner_text()
    assert "abstracts belong to their authors" in notice
    expect(page.locator(".md-copyright")).to_contain_text("Made with Material for MkDocs")
    for path in DRAWN:
        page.goto(site_url + path)
        expect(page.locator(".md-copyright__highlight")).to_have_text(notice)
        expect(page.locator(".md-copyright")).not_to_contain_text("Material for MkDocs")
