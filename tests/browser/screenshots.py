"""`make screenshots`: PNGs of the seed site for reviewers to look at instead of read.

Builds the committed catalogue with the real `mkdocs build --strict` into a temporary folder,
serves it on 127.0.0.1 and saves, at desktop and phone size, the home page, a paper, a tag page
and a page of search results: `python -m tests.browser.screenshots [OUT_DIR]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests.browser import seed_pages
from tests.browser.chromium import DESKTOP, PHONE, ChromiumMissing, launch_chromium
from tests.browser.journeys import search_for
from tests.support import run_mkdocs_build, serve_directory

ROOT = Path(__file__).resolve().parents[2]
SEARCH_QUERY = "speculative"
"""A word that many seed titles share, so the results list is full."""


def _show_search_results(page: Page) -> None:
    search_for(page, SEARCH_QUERY).first.wait_for()


SHOTS: list[tuple[str, str, Callable[[Page], None] | None]] = [
    # (name, page path, what to do on the page before the picture)
    ("home", seed_pages.HOME, None),
    ("paper", seed_pages.paper(seed_pages.MATH_TITLE_SLUG), None),
    ("tag", seed_pages.tag(seed_pages.SMALL_TAG), None),
    ("search", seed_pages.HOME, _show_search_results),
]
SIZES: list[tuple[str, ViewportSize]] = [("desktop", DESKTOP), ("phone", PHONE)]


def take_screenshots(browser: Browser, site_url: str, out_dir: Path) -> list[Path]:
    """Every shot at every size, as `<size>-<name>.png` in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    for size_name, viewport in SIZES:
        context = browser.new_context(viewport=viewport, color_scheme="light")
        page = context.new_page()
        for name, path, prepare in SHOTS:
            page.goto(site_url + path)
            page.wait_for_load_state("networkidle")
            if prepare is not None:
                prepare(page)
            target = out_dir / f"{size_name}-{name}.png"
            # The search overlay covers the window; the other pages are shown whole.
            page.screenshot(path=target, full_page=prepare is None, animations="disabled")
            saved.append(target)
        context.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default="screenshots", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="catalogue-screenshots-") as tmp:
        site = Path(tmp) / "site"
        build = run_mkdocs_build(ROOT / "mkdocs.yml", site)
        if build.returncode != 0:
            print(f"screenshots: mkdocs build failed:\n{build.stderr}", file=sys.stderr)
            return 1
        with serve_directory(site) as site_url, sync_playwright() as playwright:
            try:
                browser = launch_chromium(playwright)
            except ChromiumMissing as missing:
                print(f"screenshots: {missing}", file=sys.stderr)
                return 1
            saved = take_screenshots(browser, site_url, args.out_dir)
            browser.close()
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
