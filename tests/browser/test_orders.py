"""Lists in the orders readers want: the list of all papers and every tag's list, each read
by title, newest added first and newest published first, page after page.

The list of all papers is read in chromium, switching orders and following the pager as a
reader does. Every tag's list in every order is read from the published pages themselves
(the same links, followed the same way): lists are plain HTML that no script reorders, and
loading each of those pages in a browser only made the suite slower.

The expected orders are worked out here from the entries' fields, not asked of the
generator: newest `added` day first, newest `date` first (a year alone counts as its first
day, so after that year's months and days), entries without the field last, ties by title.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from playwright.sync_api import Page, expect

from generator.model.paper import Paper
from generator.render import urls
from tests.browser.conftest import DatedSite
from tests.parsed_output import parse_anchors, resolve


def by_added(papers: Sequence[Paper]) -> list[str]:
    dated = [p for p in papers if p.entry.added]
    ranked = sorted(dated, key=lambda p: p.entry.added or "", reverse=True)
    return [p.slug for p in ranked] + [p.slug for p in papers if not p.entry.added]


def by_date(papers: Sequence[Paper]) -> list[str]:
    def newest_first(paper: Paper) -> tuple[int, int, int]:
        parts = [int(x) for x in (paper.entry.date or "").split("-")]
        year, month, day = [*parts, 0, 0][:3]
        return (-year, -month, -day)

    dated = sorted((p for p in papers if p.entry.date), key=newest_first)
    return [p.slug for p in dated] + [p.slug for p in papers if not p.entry.date]


def listed_slugs(page: Page, start: str) -> list[str]:
    """The papers a list shows from its page at `start` to its last, following "Next"."""
    page.goto(start)
    slugs: list[str] = []
    while True:
        hrefs = page.locator(".catalogue-list > li > a:first-child").evaluate_all(
            "links => links.map(a => new URL(a.href).pathname)"
        )
        slugs += [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]
        following = page.locator(".catalogue-pager__next")
        if not following.count():
            return slugs
        following.click()
        # The click returns once the next page starts loading: read its list once it is whole.
        page.wait_for_load_state("domcontentloaded")


def test_all_papers_in_each_order_by_its_switch(page: Page, dated_site: DatedSite) -> None:
    papers = dated_site.catalogue.papers
    expected = {
        "Title": [p.slug for p in papers],
        "Newest added": by_added(papers),
        "Publication date": by_date(papers),
    }
    page.goto(dated_site.url + urls.page_url(urls.ALL_PAPERS_URI))
    switch = page.locator(".catalogue-orders")
    expect(switch.locator("[aria-current=page]")).to_have_text("Title")
    for label, slugs in expected.items():
        page.goto(dated_site.url + urls.page_url(urls.ALL_PAPERS_URI))
        page.locator(".catalogue-orders a", has_text=label).click()
        expect(page.locator(".catalogue-orders [aria-current=page]")).to_have_text(label)
        assert listed_slugs(page, page.url) == slugs, label
    assert len(papers) > 100  # the list has a second page: the pager was followed


def published_slugs(site: Path, start: str) -> list[str]:
    """The papers a list shows from its published page `start` (a page address within the
    site) to its last, following the pager's "Next" link."""
    page = site / start / "index.html"
    slugs: list[str] = []
    while True:
        anchors = parse_anchors(page.read_text(encoding="utf-8"))
        titles = [a for a in anchors if "class" not in a and a.get("dir") == "auto"]
        slugs += [resolve(site, page, a["href"]).parent.name for a in titles]
        following = [a for a in anchors if a.get("class") == "catalogue-pager__next"]
        if not following:
            return slugs
        page = resolve(site, page, following[0]["href"])


def test_every_tag_list_in_every_order(dated_site: DatedSite) -> None:
    catalogue = dated_site.catalogue
    for tag in catalogue.used_tags:
        tagged = catalogue.tag_index.papers(tag.id)
        expected = {
            "": [p.slug for p in tagged],
            "newest": by_added(tagged),
            "published": by_date(tagged),
        }
        for key, slugs in expected.items():
            start = urls.page_url(urls.order_uri(urls.tag_uri(tag.id), key))
            assert published_slugs(dated_site.site, start) == slugs, (tag.id, key)


def test_home_page_shows_the_latest_additions_first(page: Page, dated_site: DatedSite) -> None:
    page.goto(dated_site.url)
    hrefs = page.locator(".catalogue-latest .catalogue-list__title").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    shown = [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]
    assert shown == by_added(dated_site.catalogue.papers)[:10]
