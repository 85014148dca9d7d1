"""The map of the catalogue: it loads cleanly (nothing from another host, no script error),
only its own page fetches its data, a point shows its title and opens its paper (by mouse and
by keyboard), the tag filter highlights that tag's papers, and it fits a phone."""

from __future__ import annotations

import math
import re

from playwright.sync_api import Browser, Page, expect

from generator import Catalogue
from generator.model.text import to_plain
from generator.render import urls
from generator.render.map_page import MAP_URI
from tests.browser.conftest import PageWatch
from tests.browser.layout import horizontal_overflow

MAP = urls.page_url(MAP_URI)


def open_map(page: Page, site_url: str) -> None:
    page.goto(site_url + MAP)
    expect(page.locator(".catalogue-map")).to_have_attribute("data-ready", "true")


def test_map_loads_cleanly_and_only_its_page_fetches_its_data(
    page: Page, site_url: str, watch: PageWatch
) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "/map/" in url]
    open_map(page, site_url)
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("map/points.json") for url in fetched)
    assert watch.problems() == []


def loneliest_point(page: Page, site_url: str) -> tuple[int, float, float]:
    """A paper whose point is well apart from the others (so that the pointer finds it and
    no other), and where it is on the screen."""
    points = page.request.get(site_url + "map/points.json").json()
    xs, ys = points["x"], points["y"]

    def gap(i: int) -> float:
        return min(math.dist((xs[i], ys[i]), (xs[j], ys[j])) for j in range(len(xs)) if j != i)

    chosen = max(range(len(xs)), key=gap)
    canvas = page.locator(".catalogue-map__canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    pad = float(page.locator(".catalogue-map").get_attribute("data-pad") or 0)
    size = box["width"] - 2 * pad
    x = box["x"] + pad + xs[chosen] * size / points["grid"]
    y = box["y"] + pad + ys[chosen] * size / points["grid"]
    return chosen, x, y


def test_a_point_shows_its_title_and_opens_its_paper(
    page: Page, site_url: str, seed_catalogue: Catalogue, watch: PageWatch
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1600})  # the whole map on the screen
    open_map(page, site_url)
    chosen, x, y = loneliest_point(page, site_url)
    paper = seed_catalogue.papers[chosen]
    page.mouse.move(x, y)
    tip = page.locator(".catalogue-map__tip")
    expect(tip).to_be_visible()
    # The data lists papers in the catalogue's order; the tip shows the title as plain text.
    expect(tip).to_have_text(to_plain(paper.entry.title))
    page.mouse.click(x, y)
    address = site_url + urls.page_url(urls.paper_uri(paper.slug))
    expect(page).to_have_url(re.compile(re.escape(address)))
    assert watch.problems() == []


def test_a_tap_shows_the_title_and_a_second_tap_opens_the_paper(
    browser: Browser, site_url: str, seed_catalogue: Catalogue
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True)
    try:
        page = context.new_page()
        open_map(page, site_url)
        chosen, x, y = loneliest_point(page, site_url)
        paper = seed_catalogue.papers[chosen]
        page.touchscreen.tap(x, y)
        tip = page.locator(".catalogue-map__tip")
        expect(tip).to_have_text(to_plain(paper.entry.title))
        assert page.url.endswith("/map/")  # the first tap only shows the title
        page.touchscreen.tap(x, y)
        address = site_url + urls.page_url(urls.paper_uri(paper.slug))
        expect(page).to_have_url(re.compile(re.escape(address)))
    finally:
        context.close()


def test_the_keyboard_moves_between_papers_and_opens_one(
    page: Page, site_url: str, seed_catalogue: Catalogue
) -> None:
    open_map(page, site_url)
    canvas = page.locator(".catalogue-map__canvas")
    canvas.focus()
    status = page.locator(".catalogue-map__status")
    expect(status).not_to_have_text("")
    first = status.text_content()
    canvas.press("ArrowRight")
    expect(status).not_to_have_text(first or "")
    title = status.text_content() or ""
    canvas.press("Enter")
    expect(page).to_have_url(re.compile(r"/papers/[a-z0-9-]+/$"))
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert to_plain(seed_catalogue.paper(slug).entry.title) == title  # the paper it named


def test_the_tag_filter_highlights_its_papers(
    page: Page, site_url: str, seed_catalogue: Catalogue
) -> None:
    open_map(page, site_url)
    tag = seed_catalogue.vocabulary["kv-cache"]
    count = seed_catalogue.tag_index.count(tag.id)
    page.locator(".catalogue-map__filter select").select_option(tag.id)
    expect(page.locator(".catalogue-map")).to_have_attribute("data-highlighted", str(count))
    expect(page.locator(".catalogue-map__status")).to_have_text(
        f"{count} papers tagged {tag.name} highlighted"
    )
    page.locator(".catalogue-map__filter select").select_option("")
    expect(page.locator(".catalogue-map")).to_have_attribute("data-highlighted", "")


def test_the_map_fits_a_phone(phone_page: Page, site_url: str) -> None:
    open_map(phone_page, site_url)
    assert horizontal_overflow(phone_page) == 0
    box = phone_page.locator(".catalogue-map__canvas").bounding_box()
    assert box is not None and 300 < box["width"] <= 375


def test_the_regions_list_every_shown_paper_as_a_link(page: Page, site_url: str) -> None:
    # The text alternative: regions with their words and papers, as links to the papers.
    open_map(page, site_url)
    regions = page.locator(".catalogue-map__regions > li")
    assert regions.count() >= 2
    links = page.locator(".catalogue-map__region-papers a")
    assert links.count() > 0
    href = links.first.get_attribute("href") or ""
    assert "papers/" in href
