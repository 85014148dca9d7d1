"""Reader steps that depend on the theme and the search engine, each written once.

The tests say what a reader does ("search for", "open the menu", "switch to dark mode"); how
that is done on Material for MkDocs and the catalogue's Pagefind search is only here. When
the search engine or the theme changes, these functions change and the tests stay as they are.
"""

from __future__ import annotations

import re
from typing import Literal

from playwright.sync_api import Locator, Page, expect

Scheme = Literal["light", "dark"]

# Material's palette names (mkdocs.yml `theme.palette[].scheme`) for what readers call them.
_MATERIAL_SCHEMES: dict[str, Scheme] = {"default": "light", "slate": "dark"}
# The catalogue's search (Pagefind) says this once it has answered the query typed so far.
_SEARCH_ANSWERED = re.compile(r"^(\d+ results?|No matching papers)$")


def search_for(page: Page, query: str) -> Locator:
    """Type `query` into the header search as a reader would; returns the result links."""
    # On a phone the search field hides behind a magnifier button in the header.
    opener = page.locator(".catalogue-search__open")
    if opener.is_visible():
        opener.click()
    field = page.locator(".catalogue-search__input")
    field.click()
    field.press_sequentially(query)
    expect(page.locator(".catalogue-search__status")).to_have_text(_SEARCH_ANSWERED)
    return page.locator(".catalogue-search__results a.catalogue-search__title")


def search_results_panel(page: Page) -> Locator:
    """The area that shows the search results, excerpts included."""
    return page.locator(".catalogue-search__panel")


def open_navigation(page: Page) -> Locator:
    """Open the site navigation from the header's menu (hamburger) button; returns it."""
    page.locator('.md-header label.md-header__button[for="__drawer"]').click()
    navigation = page.locator("nav.md-nav--primary")
    expect(navigation).to_be_in_viewport()
    return navigation


def navigation_panel(page: Page) -> Locator:
    """The site navigation (a drawer on a phone, sidebar and tabs on a desktop)."""
    return page.locator("nav.md-nav--primary")


def switch_colour_scheme(page: Page) -> None:
    """Press the header's light/dark toggle once."""
    before = colour_scheme(page)
    # Material renders one toggle per palette and shows only the one that leads away from the
    # current scheme.
    page.locator('form[data-md-component="palette"] label:not([hidden])').click()
    page.wait_for_function(
        "before => document.body.getAttribute('data-md-color-scheme') !== before",
        arg=_material_scheme_name(before),
    )


def colour_scheme(page: Page) -> Scheme:
    """The scheme the page is shown in now."""
    name = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    assert name in _MATERIAL_SCHEMES, f"unknown Material colour scheme {name!r}"
    return _MATERIAL_SCHEMES[name]


def stored_colour_scheme(page: Page) -> Scheme | None:
    """The scheme the site stored for the next visit (Material: `__palette` in localStorage)."""
    stored = page.evaluate("() => __md_get('__palette')")
    if not stored:
        return None
    return _MATERIAL_SCHEMES[stored["color"]["scheme"]]


def _material_scheme_name(scheme: Scheme) -> str:
    return next(name for name, ours in _MATERIAL_SCHEMES.items() if ours == scheme)
