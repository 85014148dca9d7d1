"""Browser fixtures: Playwright driving Debian's chromium against the built seed site.

In CI (`CI` set) a missing browser fails the run; on a developer's machine without it the
browser tests are skipped with a visible notice. How chromium is found and launched lives in
`tests/browser/chromium.py`, shared with `make screenshots`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    ViewportSize,
    sync_playwright,
)

from generator import Catalogue, CatalogueSources, load_catalogue
from tests.browser.chromium import DESKTOP, PHONE, ChromiumMissing, launch_chromium
from tests.browser.clipboard import CLIPBOARD_PERMISSIONS
from tests.support import build_site, built_once, copy_catalogue, date_entries, serve_directory

BROWSER_TESTS = Path(__file__).resolve().parent
ROOT = BROWSER_TESTS.parent.parent

HOSTILE_ENTRY = "zz-hostile-long-words-and-math"
"""An entry added to a copy of the seed catalogue: everything that could widen a phone page."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here `browser`, so `-m "not browser"` runs the rest alone."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian chromium for the whole session."""
    with sync_playwright() as playwright:
        try:
            instance = launch_chromium(playwright)
        except ChromiumMissing as missing:
            if os.environ.get("CI"):
                pytest.fail(f"CI: {missing}", pytrace=False)
            pytest.skip(f"not in CI, so skipped rather than failed: {missing}")
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def site_url(seed_site: Path) -> Iterator[str]:
    """Base URL of the built seed site served on 127.0.0.1."""
    with serve_directory(seed_site) as url:
        yield url


@pytest.fixture(scope="session")
def seed_catalogue(repo_root: Path) -> Catalogue:
    """The seed catalogue as the generator reads it: what the pages should show."""
    return load_catalogue(CatalogueSources(repo_root))


@pytest.fixture(scope="session")
def hostile_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed catalogue plus one entry made of long words and a long formula, built and served."""
    site = built_once(tmp_path_factory, "long-words-site", _build_long_words_site) / "site"
    with serve_directory(site) as url:
        yield url


def _build_long_words_site(folder: Path) -> None:
    root = copy_catalogue(ROOT, folder)
    long_word = "Supercalifragilistic" * 4
    formula = "$" + " + ".join(f"a_{{{i}}} x^{{{i}}}" for i in range(1, 16)) + "$"
    title_formula = "$" + " + ".join(f"a_{i} x^{i}" for i in range(1, 10)) + "$"
    (root / "papers" / f"{HOSTILE_ENTRY}.yaml").write_text(
        f"title: '{long_word} with {title_formula} and <script>'\n"
        "tags: [llm, kv-cache]\n"
        f"authors: ['{'Verylongname' * 8}', 'B. Author']\n"
        f"venue: '{'InternationalConferenceOnLearningRepresentations' * 3}'\n"
        f"abstract: 'See https://example.org/{'a' * 150} and {formula} then {long_word}.'\n"
        f"links:\n  code: 'https://example.org/{'x' * 200}'\n",
        encoding="utf-8",
    )
    build_site(root / "mkdocs.yml", root / "site")


@dataclass(frozen=True)
class DatedSite:
    """The seed catalogue with publication dates and days of joining (`date_entries`),
    built and served: lists have every order, the figures years and months."""

    url: str
    catalogue: Catalogue
    site: Path


@pytest.fixture(scope="session")
def dated_site(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatedSite]:
    def build(folder: Path) -> None:
        build_site(date_entries(copy_catalogue(repo_root, folder)) / "mkdocs.yml", folder / "site")

    root = built_once(tmp_path_factory, "dated-catalogue", build)
    with serve_directory(root / "site") as url:
        yield DatedSite(url, load_catalogue(CatalogueSources(root)), root / "site")


@pytest.fixture(scope="session")
def hostile_url(hostile_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site of the hostile corpus (`tests/hostile/`) served under the path of its
    `site_url`, as it is deployed (the 404 page links its assets from there)."""
    root = tmp_path_factory.mktemp("hostile-server")
    (root / "efficient-inference").symlink_to(hostile_site)
    with serve_directory(root) as url:
        yield url + "efficient-inference/"


@dataclass
class PageWatch:
    """What a page did that a reader would call broken."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything recorded, labelled; empty when the page behaved."""
        return [
            *(f"console error: {m}" for m in self.console_errors),
            *(f"page error: {m}" for m in self.page_errors),
            *(f"failed request: {u}" for u in self.failed_requests),
            *(f"request to another host: {u}" for u in self.foreign_requests),
        ]


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


def _record(tab: Page, site_url: str, watch: PageWatch) -> None:
    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.console_errors.append(message.text)

    def on_request(request: Request) -> None:
        if not request.url.startswith((site_url, "data:", "blob:")):
            watch.foreign_requests.append(request.url)

    def on_request_failed(request: Request) -> None:
        # A request the page itself cancels by navigating away (a reader clicking a link while
        # the search index loads) is not a failure a reader sees.
        if request.failure != "net::ERR_ABORTED":
            watch.failed_requests.append(f"{request.url} ({request.failure})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    tab.on("request", on_request)
    tab.on("requestfailed", on_request_failed)


OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(browser: Browser, site_url: str, watch: PageWatch) -> Iterator[OpenPage]:
    """Opens watched pages, each in a fresh browser context (its own storage and permissions)."""
    contexts = []

    def open_page(
        viewport: ViewportSize = DESKTOP,
        color_scheme: Literal["light", "dark"] = "light",
        permissions: Sequence[str] = (),
    ) -> Page:
        context = browser.new_context(
            viewport=viewport,
            color_scheme=color_scheme,
            permissions=list(permissions),
        )
        contexts.append(context)
        tab = context.new_page()
        _record(tab, site_url, watch)
        return tab

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """A fresh desktop-sized page in the light scheme, its errors and outside requests recorded."""
    return open_page()


@pytest.fixture
def phone_page(open_page: OpenPage) -> Page:
    """A fresh 375 px wide page, as on a small phone."""
    return open_page(viewport=PHONE)


@pytest.fixture
def clipboard_page(open_page: OpenPage) -> Page:
    """A desktop page allowed to write and read the clipboard (see `tests/browser/clipboard.py`)."""
    return open_page(permissions=CLIPBOARD_PERMISSIONS)
