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


SCRIPT_GAP = """h1 => {
  // The subscript and the letters either side of it: H, 2, O.
  const [before, script, after] = [...h1.childNodes];
  const range = document.createRange();
  range.setStart(before, before.length - 1); range.setEnd(before, before.length);
  const h = range.getBoundingClientRect();
  range.setStart(after, 0); range.setEnd(after, 1);
  const o = range.getBoundingClientRect();
  // The 2 as the browser draws it: the deepest element holding it, in that element's font.
  let two = script;
  while (two.firstElementChild) {
    two = [...two.children].find(c => c.textContent) || two.firstElementChild;
  }
  const style = getComputedStyle(two);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  return {
    gap: o.left - h.right,
    glyph: context.measureText(two.textContent).width,
    tag: script.nodeName.toLowerCase(),
    fonts: [getComputedStyle(h1).fontFamily, style.fontFamily],
    weights: [getComputedStyle(h1).fontWeight, style.fontWeight],
    smaller: parseFloat(style.fontSize) < parseFloat(getComputedStyle(h1).fontSize),
    lower: two.getBoundingClientRect().bottom > h.bottom,
  };
}"""


def test_h2o_subscript_sits_between_its_letters(page: Page, site_url: str) -> None:
    """Issue 16: the title showed "H₂ O". The 2 is set in the title's own font, smaller and
    lower, and the space between H and O is the 2's own width: nothing added after it."""
    page.goto(site_url + seed_pages.paper(seed_pages.MATH_TITLE_SLUG))
    title = page.locator("h1")
    expect(title).to_have_text(re.compile(r"^H2O: Heavy-Hitter Oracle"))
    found = title.evaluate(SCRIPT_GAP)
    assert found["tag"] == "sub"
    assert found["fonts"][0] == found["fonts"][1] and found["weights"][0] == found["weights"][1]
    assert found["smaller"] and found["lower"]
    assert abs(found["gap"] - found["glyph"]) < 0.5, found


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
