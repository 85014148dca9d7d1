"""A paper's page as a reader sees it: its tags lead on, its text shows as its authors wrote it."""

import re

from playwright.sync_api import Page, expect

from generator import Catalogue
from generator.model import text
from tests.browser import seed_pages
from tests.browser.conftest import PageWatch


def test_tag_chip_leads_to_the_tag_page_which_lists_the_paper(
    page: Page, site_url: str, watch: PageWatch, seed_catalogue: Catalogue
) -> None:
    paper = seed_catalogue.paper(seed_pages.ANGLE_BRACKETS_SLUG)
    tag = seed_catalogue.vocabulary[paper.entry.tags[0]]
    title = text.to_plain(paper.entry.title)
    page.goto(site_url + seed_pages.paper(paper.slug))

    page.locator(".catalogue-paper__tags").get_by_role("link", name=tag.name, exact=True).click()
    expect(page).to_have_url(site_url + seed_pages.tag(tag.id))
    expect(page.locator("h1")).to_have_text(tag.name)

    listed = page.locator(".catalogue-list").get_by_role("link", name=title, exact=True)
    expect(listed).to_have_count(1)
    listed.click()
    expect(page).to_have_url(site_url + seed_pages.paper(paper.slug))
    assert watch.problems() == []


def test_angle_brackets_in_an_abstract_show_as_text(page: Page, site_url: str) -> None:
    page.goto(site_url + seed_pages.paper(seed_pages.ANGLE_BRACKETS_SLUG))
    abstract = page.locator(".catalogue-paper__abstract")
    expect(abstract).to_contain_text("a special <EASY> token")
    expect(abstract).to_contain_text("We then use <EASY> token")
    # Had the browser read it as markup, there would be an <easy> element and no visible text.
    expect(page.locator("easy")).to_have_count(0)


def test_math_in_a_title_is_rendered(page: Page, site_url: str) -> None:
    page.goto(site_url + seed_pages.paper(seed_pages.MATH_TITLE_SLUG))
    title = page.locator("h1")
    expect(title).to_contain_text(re.compile(r"^H.*2.*O: Heavy-Hitter Oracle", re.DOTALL))
    math = title.locator("math")
    expect(math).to_have_count(1)
    expect(math).to_be_visible()
    box = math.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    # Laid out by the browser's MathML engine (not shown as unknown inline elements): the
    # subscript 2 is set smaller than the title's letters.
    assert math.evaluate("e => getComputedStyle(e).display") in {"math", "inline math"}
    subscript = math.locator("mn", has_text="2")
    sizes = subscript.evaluate(
        "e => [e, e.closest('h1')].map(n => parseFloat(getComputedStyle(n).fontSize))"
    )
    assert sizes[0] < sizes[1], f"subscript {sizes[0]}px is not smaller than title {sizes[1]}px"


def test_tag_names_stay_separate_words_in_the_page_text(
    page: Page, site_url: str, seed_catalogue: Catalogue
) -> None:
    # Chips are laid out apart by CSS, but search indexes and copied text read the text itself:
    # without whitespace between them, "KV cacheLarge language models" is one word there.
    paper = seed_catalogue.paper(seed_pages.MATH_TITLE_SLUG)
    names = [seed_catalogue.vocabulary[tag_id].name for tag_id in paper.entry.tags]
    assert len(names) >= 2
    page.goto(site_url + seed_pages.paper(paper.slug))
    chips_text = page.locator(".catalogue-paper__tags .catalogue-tags").evaluate(
        "e => e.textContent"
    )
    assert " ".join(chips_text.split()) == " ".join(names)
