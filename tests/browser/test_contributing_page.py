"""The Contributing page's table of fields reads cleanly on a phone and a laptop: each field
name on one line, as typed (never broken inside), and descriptions with code, not backticks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from generator.model.entry import Entry
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.conftest import OpenPage, PageWatch
from tests.browser.layout import horizontal_overflow


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_field_names_are_never_broken_and_descriptions_show_code(
    open_page: OpenPage, site_url: str, viewport: ViewportSize, watch: PageWatch
) -> None:
    page: Page = open_page(viewport=viewport)
    page.goto(site_url + "contributing/")
    table = page.locator("table.catalogue-fields")
    expect(table).to_be_visible()
    names = table.locator("tbody tr td:first-child code")
    assert names.all_inner_texts() == list(Entry.model_fields)
    # An inline element broken across lines has one box per line.
    boxes = names.evaluate_all("codes => codes.map(code => code.getClientRects().length)")
    assert boxes == [1] * len(Entry.model_fields), dict(zip(Entry.model_fields, boxes, strict=True))
    descriptions = table.locator("tbody tr td:nth-child(3)")
    assert "`" not in "".join(descriptions.all_inner_texts())
    assert "tags.yaml" in descriptions.locator("code").all_inner_texts()
    assert horizontal_overflow(page) == 0
    assert watch.problems() == []
