"""On a 375 px wide phone no page scrolls sideways, and the navigation opens from the menu."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser import seed_pages
from tests.browser.conftest import HOSTILE_ENTRY, PageWatch
from tests.browser.journeys import navigation_panel, open_navigation
from tests.browser.layout import elements_past_right_edge, horizontal_overflow

PHONE_PAGES = [
    seed_pages.HOME,
    seed_pages.paper(seed_pages.LONG_WORDS_SLUG),
    seed_pages.paper(seed_pages.MATH_TITLE_SLUG),
    seed_pages.tag(seed_pages.SMALL_TAG),
    seed_pages.TAGS_OVERVIEW,
    seed_pages.ALL_PAPERS,
    seed_pages.CONTRIBUTING,
]


def assert_fits_sideways(page: Page) -> None:
    overflow = horizontal_overflow(page)
    assert overflow == 0, (
        f"{page.url} scrolls {overflow}px sideways at 375px: {elements_past_right_edge(page)}"
    )


@pytest.mark.parametrize("path", PHONE_PAGES, ids=seed_pages.label)
def test_seed_pages_fit_a_phone(phone_page: Page, site_url: str, path: str) -> None:
    phone_page.goto(site_url + path)
    assert_fits_sideways(phone_page)


@pytest.mark.parametrize(
    "path",
    [
        seed_pages.paper(HOSTILE_ENTRY),
        seed_pages.tag("kv-cache"),  # lists the entry: title with math, teaser
        seed_pages.ALL_PAPERS,
    ],
    ids=seed_pages.label,
)
def test_long_words_and_a_long_formula_fit_a_phone(
    phone_page: Page, hostile_site_url: str, path: str
) -> None:
    phone_page.goto(hostile_site_url + path)
    # A formula is shown (on the first page of all papers: H$_2$O's, a text subscript).
    formula = phone_page.locator(".md-typeset math, .md-typeset .catalogue-script")
    expect(formula.first).to_be_visible()
    assert_fits_sideways(phone_page)


def test_menu_button_opens_the_navigation(
    phone_page: Page, site_url: str, watch: PageWatch
) -> None:
    phone_page.goto(site_url + seed_pages.paper(seed_pages.MATH_TITLE_SLUG))
    expect(navigation_panel(phone_page)).not_to_be_in_viewport()
    navigation = open_navigation(phone_page)
    link = navigation.get_by_role("link", name="Contributing", exact=True)
    expect(link).to_be_in_viewport()
    link.click()
    expect(phone_page).to_have_url(site_url + seed_pages.CONTRIBUTING)
    assert watch.problems() == []
