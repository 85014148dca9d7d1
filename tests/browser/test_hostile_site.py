"""The site built from the hostile corpus, in Debian's chromium: no payload ever runs.

Every HTML file of the site is opened with `alert`, `confirm`, `prompt` and `print` replaced
by recorders (and native dialogs recorded too); console errors, page errors and requests to
other hosts are recorded. Search is exercised as well, since results are put into the page as
HTML (the XSS fixed in Material 9.7.7 lived there).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Response, expect

from tests.hostile.corpus import RENDERED

pytestmark = pytest.mark.browser

RECORD_DIALOGS = """
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__recordDialog(`${name}(${args.join(", ")})`); };
}
"""
"""Dialog functions replaced by a recorder that reports to the test at once (so a call made by
a page that then navigates away, like a redirect, is not lost)."""


class Watch:
    """Everything a page did that a payload would do."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.events: list[str] = []
        self.failures: list[str] = []
        self._seen = 0

    def events_since_last(self) -> list[str]:
        """Events recorded since the last call (to say which page they happened on)."""
        new, self._seen = self.events[self._seen :], len(self.events)
        return new

    def dialog(self, dialog: Dialog) -> None:
        self.events.append(f"native dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.events.append(f"console.error: {message.text}")

    def response(self, response: Response) -> None:
        if response.status >= 400:  # the console error above does not say which file
            self.events.append(f"HTTP {response.status} for {response.url}")

    def request(self, request: Request) -> None:
        if not request.url.startswith((self.base_url, "data:", "about:")):
            self.events.append(f"request to another host: {request.url}")


@pytest.fixture
def watched_page(browser: Browser, hostile_url: str) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(hostile_url)
    context.expose_function("__recordDialog", lambda call: watch.events.append(f"{call}"))
    context.add_init_script(RECORD_DIALOGS)
    page = context.new_page()
    page.on("dialog", watch.dialog)
    page.on("console", watch.console)
    page.on("pageerror", lambda error: watch.events.append(f"page error: {error}"))
    page.on("request", watch.request)
    page.on("response", watch.response)
    yield page, watch
    context.close()


def test_no_page_of_the_hostile_site_runs_a_payload(
    watched_page: tuple[Page, Watch], hostile_site: Path, hostile_url: str
) -> None:
    page, watch = watched_page
    files = sorted(hostile_site.rglob("*.html"))
    assert len(files) > len(RENDERED)
    redirects = {
        f"papers/{former}/index.html"
        for case in RENDERED
        for former in case.fields.get("former_slugs", [])
    }
    for file in files:
        path = file.relative_to(hostile_site).as_posix()
        url = hostile_url + path
        page.goto(url, wait_until="load")
        if path in redirects:
            page.wait_for_url(lambda now, left=url: now != left)  # type: ignore[misc]
            page.wait_for_load_state("load")
        watch.failures += [f"on {url}: {event}" for event in watch.events_since_last()]
    assert watch.failures == []


def test_searching_for_payloads_shows_them_as_text(
    watched_page: tuple[Page, Watch], hostile_url: str
) -> None:
    page, watch = watched_page
    page.goto(hostile_url, wait_until="load")
    search = page.locator("input.catalogue-search__input")
    search.click()
    panel = ".catalogue-search__panel"
    for query in ("script", "onerror", "xsscanary", "javascript"):
        search.fill("")
        search.press_sequentially(query)
        results = page.locator(".catalogue-search__result")
        expect(results.first).to_be_visible(timeout=15_000)
        assert page.locator(f"{panel} img, {panel} script").count() == 0
        assert page.locator(f"{panel} [onerror], {panel} xsscanary").count() == 0
        if query == "script":  # the payloads are there, as text
            assert "<script>" in page.locator(panel).inner_text()
    assert watch.events == []


def test_the_map_shows_every_title_as_text(
    watched_page: tuple[Page, Watch], hostile_url: str
) -> None:
    page, watch = watched_page
    page.set_viewport_size({"width": 1280, "height": 1600})  # the whole map on the screen
    page.goto(hostile_url + "map/", wait_until="load")
    expect(page.locator(".catalogue-map")).to_have_attribute("data-ready", "true")
    points = page.request.get(hostile_url + "map/points.json").json()
    box = page.locator(".catalogue-map__canvas").bounding_box()
    assert box is not None
    pad = float(page.locator(".catalogue-map").get_attribute("data-pad") or 0)
    size = box["width"] - 2 * pad
    tip = page.locator(".catalogue-map__tip")
    shown = set()
    for x, y in zip(points["x"], points["y"], strict=True):  # point at every paper
        page.mouse.move(
            box["x"] + pad + x * size / points["grid"], box["y"] + pad + y * size / points["grid"]
        )
        expect(tip).to_be_visible()
        shown.add(tip.text_content())
    for part in (".catalogue-map__tip", ".catalogue-map__status"):
        made = page.locator(part).locator("img, script, [onerror], xsscanary")
        assert made.count() == 0
    assert any("xsscanary" in (title or "") for title in shown)  # the payloads, as text
    assert watch.events == []
