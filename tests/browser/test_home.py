"""Each kind of page loads as a reader first sees it: no script errors, nothing from other hosts."""

import pytest
from playwright.sync_api import Page, expect

from generator import Catalogue
from tests.browser import seed_pages
from tests.browser.conftest import PageWatch


def test_home_page_loads_cleanly(
    page: Page, site_url: str, watch: PageWatch, seed_catalogue: Catalogue
) -> None:
    page.goto(site_url)
    expect(page.locator(".catalogue-summary__counts")).to_contain_text(
        f"{len(seed_catalogue.papers)} papers"
    )
    page.wait_for_load_state("networkidle")
    assert watch.console_errors == []
    assert watch.page_errors == []
    assert watch.foreign_requests == []
    assert watch.failed_requests == []


@pytest.mark.parametrize(
    "path",
    [
        seed_pages.ALL_PAPERS,
        seed_pages.TAGS_OVERVIEW,
        seed_pages.tag(seed_pages.SMALL_TAG),
        seed_pages.paper(seed_pages.MATH_TITLE_SLUG),
        seed_pages.CONTRIBUTING,
    ],
    ids=seed_pages.label,
)
def test_every_kind_of_page_loads_cleanly(
    page: Page, site_url: str, watch: PageWatch, path: str
) -> None:
    response = page.goto(site_url + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert watch.problems() == []
