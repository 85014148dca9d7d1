"""Browser fixtures: Playwright driving Debian's chromium against the built seed site.

Playwright's own browser download is not available here, so the tests use `/usr/bin/chromium`
(installed by `make test` through `.ci/install-browser`). In CI a missing browser fails the
run; on a developer's machine without it the browser tests are skipped with a visible notice.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

from tests.support import serve_directory

CHROMIUM = os.environ.get("CATALOGUE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str:
    path = CHROMIUM if os.path.isabs(CHROMIUM) else shutil.which(CHROMIUM)
    if path and os.access(path, os.X_OK):
        return path
    message = f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(f"not in CI, so skipped rather than failed: {message}")  # CI fails above
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian chromium for the whole session."""
    executable = _chromium_path()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def site_url(seed_site: Path) -> Iterator[str]:
    """Base URL of the built seed site served on 127.0.0.1."""
    with serve_directory(seed_site) as url:
        yield url


@dataclass
class PageWatch:
    """What a page did that a reader would call broken."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def page(browser: Browser, site_url: str, watch: PageWatch) -> Iterator[Page]:
    """A fresh browser page (desktop size) whose errors and outside requests are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.console_errors.append(message.text)

    def on_request(request: Request) -> None:
        if not request.url.startswith(site_url) and not request.url.startswith("data:"):
            watch.foreign_requests.append(request.url)

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    tab.on("request", on_request)
    tab.on("requestfailed", lambda request: watch.failed_requests.append(request.url))
    yield tab
    context.close()
