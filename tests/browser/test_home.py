"""The home page as a reader first sees it."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import PageWatch


def test_home_page_loads_cleanly(page: Page, site_url: str, watch: PageWatch) -> None:
    page.goto(site_url)
    expect(page.locator(".catalogue-summary__counts")).to_contain_text("124")
    page.wait_for_load_state("networkidle")
    assert watch.console_errors == []
    assert watch.page_errors == []
    assert watch.foreign_requests == []
    assert watch.failed_requests == []
