"""The one place that finds and launches Debian's chromium, for the tests and for screenshots.

Playwright's own browser download is not available here, so Playwright drives `/usr/bin/chromium`
(installed by `make test` through `.ci/install-browser`); `CATALOGUE_CHROMIUM` points elsewhere.
"""

from __future__ import annotations

import os
import shutil

from playwright.sync_api import Browser, Playwright, ViewportSize

CHROMIUM = os.environ.get("CATALOGUE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    # Root in a container has no user namespaces for chromium's sandbox.
    "--no-sandbox",
    "--disable-gpu",
    # Nothing may leave the machine: no QUIC probes, updates, sync or field trials.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
"""A laptop screen."""
PHONE: ViewportSize = {"width": 375, "height": 812}
"""An iPhone-sized screen: the narrowest layout the site must fit without sideways scrolling."""


class ChromiumMissing(RuntimeError):
    """Debian's chromium is not installed where the tests look for it."""


def chromium_path() -> str:
    """The chromium executable, or `ChromiumMissing` saying how to install it."""
    path = CHROMIUM if os.path.isabs(CHROMIUM) else shutil.which(CHROMIUM)
    if path and os.access(path, os.X_OK):
        return path
    raise ChromiumMissing(
        f"Chromium not found at {CHROMIUM}: run `make browser` (or `make test`, which installs "
        "Debian's chromium with apt-get), or set CATALOGUE_CHROMIUM to a chromium executable"
    )


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless chromium with the launch arguments every browser run here uses."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
