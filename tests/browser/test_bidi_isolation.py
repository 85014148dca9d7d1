"""Right-to-left names in chromium: the page's order is kept around them.

Without isolation, the Unicode bidirectional algorithm joins an Arabic author, the comma after
it and a Hebrew author into one right-to-left run, so the second author is drawn to the left
of the first; a count after an Arabic name is drawn to its left.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.hostile.corpus import BIDI_NAMES

pytestmark = pytest.mark.browser

TEXT_LEFT = """([element, text]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    return range.getBoundingClientRect().left;
  }
  return null;
}"""
"""Where the text `text` inside `element` is drawn (its left edge), whatever the markup."""


def test_right_to_left_authors_are_drawn_in_their_order(browser: Browser, hostile_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(hostile_url + f"papers/{BIDI_NAMES.name}/", wait_until="load")
    authors = page.locator(".catalogue-paper__authors")
    names = BIDI_NAMES.fields["authors"]
    lefts = [authors.evaluate(f"e => ({TEXT_LEFT})([e, {name!r}])") for name in names]
    # The page reads left to right: first author leftmost, each next one further right.
    assert None not in lefts and lefts == sorted(lefts) and len(set(lefts)) == 3, lefts
    page.close()


def test_a_right_to_left_name_stays_before_its_count(browser: Browser, hostile_url: str) -> None:
    # An index row is the name, a space and the number of papers: without isolation the
    # number joins the Arabic name's run and is drawn to its left.
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(hostile_url + "authors/letters/l/", wait_until="load")
    name = BIDI_NAMES.fields["authors"][0]
    row = page.locator(".catalogue-tag-table li", has_text=name)
    assert row.count() == 1
    name_box = row.locator("a").bounding_box()
    count_box = row.locator(".catalogue-count").bounding_box()
    assert name_box is not None and count_box is not None
    assert count_box["x"] >= name_box["x"] + name_box["width"], (name_box, count_box)
    page.close()
