"""A reader finds a paper by typing a word of its title into the header search."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import seed_pages
from tests.browser.conftest import PageWatch
from tests.browser.journeys import search_for, search_results_panel


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        # A coined name, as a reader who heard of the method types it.
        ("AutoL2S", seed_pages.ANGLE_BRACKETS_SLUG),
        # An ordinary English word from a title whose first word is math (H$_2$O).
        ("Oracle", seed_pages.MATH_TITLE_SLUG),
    ],
)
def test_search_shows_the_paper_and_opens_it(
    page: Page, site_url: str, watch: PageWatch, query: str, slug: str
) -> None:
    path = seed_pages.paper(slug)
    page.goto(site_url)
    results = search_for(page, query)
    to_paper = results.and_(page.locator(f'[href*="{path}"]'))
    expect(to_paper.first).to_be_visible()
    to_paper.first.click()
    expect(page).to_have_url(re.compile(re.escape(site_url + path) + r"(?:[?#].*)?$"))
    expect(page.locator("h1")).to_contain_text(re.compile(re.escape(query), re.IGNORECASE))
    assert watch.problems() == []


def test_search_excerpt_shows_angle_brackets_as_text(page: Page, site_url: str) -> None:
    page.goto(site_url)
    results = search_for(page, "EASY")
    expect(results.first).to_be_visible()
    panel = search_results_panel(page)
    expect(panel).to_contain_text("<EASY>")
    # Shown as text, not parsed into an element named <easy>.
    expect(panel.locator("easy")).to_have_count(0)
