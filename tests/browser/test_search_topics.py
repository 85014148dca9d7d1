"""Search finds papers by topic: a tag's name or one of its aliases finds the papers tagged
with it, ranked high, even when their own words differ; only paper pages are paper results,
other pages are listed apart; the filters offered are those with values."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from generator import Catalogue
from tests.browser import seed_pages
from tests.browser.conftest import PageWatch
from tests.browser.journeys import search_for

LOOKAHEAD = "lookahead-an-inference-acceleration-framework-for-large-language-model-with"
"""Tagged Speculative decoding; its title and abstract do not say "speculative"."""


def paper_slugs(page: Page) -> list[str]:
    hrefs = page.locator(".catalogue-search__results a.catalogue-search__title").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def test_a_tag_name_finds_its_papers_first(
    page: Page, site_url: str, seed_catalogue: Catalogue, watch: PageWatch
) -> None:
    lookahead = seed_catalogue.paper(LOOKAHEAD).entry
    assert "speculative-decoding" in lookahead.tags
    assert "speculative" not in (lookahead.title + lookahead.abstract).lower()
    tagged = {p.slug for p in seed_catalogue.tag_index.papers("speculative-decoding")}
    page.goto(site_url)
    search_for(page, "speculative decoding")
    expect(page.locator(".catalogue-search__result").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    shown = paper_slugs(page)
    # Every paper tagged Speculative decoding comes before any other.
    assert set(shown[: len(tagged)]) == tagged, shown
    assert watch.problems() == []


def test_an_alias_finds_the_tagged_papers(
    page: Page, site_url: str, seed_catalogue: Catalogue
) -> None:
    tag = seed_catalogue.vocabulary["speculative-decoding"]
    assert "draft-model" in tag.aliases
    page.goto(site_url)
    search_for(page, "draft model")
    expect(page.locator(".catalogue-search__result").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert LOOKAHEAD in paper_slugs(page)


def test_only_papers_are_paper_results_and_pages_are_apart(page: Page, site_url: str) -> None:
    page.goto(site_url + seed_pages.ALL_PAPERS)
    # The home page says "inference" too (the site's name), as do most abstracts.
    search_for(page, "inference")
    expect(page.locator(".catalogue-search__result").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    hrefs = page.locator(".catalogue-search__results a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    assert hrefs and all("/papers/" in href for href in hrefs), hrefs
    pages = page.locator(".catalogue-search__pages a")
    expect(pages.first).to_be_visible()
    assert all("/papers/" not in h for h in pages.evaluate_all("ls => ls.map(a => a.href)"))


def test_only_facets_with_values_are_offered(page: Page, site_url: str) -> None:
    page.goto(site_url)
    search_for(page, "cache")
    summary = page.locator(".catalogue-search__facets summary")
    summary.click()
    # The seed's entries have tags, but no dates or venues.
    expect(summary).to_have_text("Filter by tag")
    expect(page.locator(".catalogue-search__facet select")).to_have_count(1)
