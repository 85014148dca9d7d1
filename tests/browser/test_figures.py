"""The catalogue in figures: static SVG on the home page and on tag pages, whose numbers are
the catalogue's own (counted here from the entries), readable without JavaScript, in both
colour schemes, with the numbers as a table too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

import pytest
from playwright.sync_api import Browser, Page

from generator.model.paper import Paper
from generator.render import urls
from tests.browser.conftest import DatedSite


def every_step(counts: Counter[str], steps: list[str]) -> dict[str, int]:
    """`counts` over `steps`, zero where a step has none."""
    return {step: counts.get(step, 0) for step in steps}


def years_of(papers: Iterable[Paper]) -> dict[str, int]:
    counts = Counter(p.entry.date[:4] for p in papers if p.entry.date)
    first, last = int(min(counts)), int(max(counts))
    return every_step(counts, [str(y) for y in range(first, last + 1)])


def months_added(papers: Iterable[Paper]) -> dict[str, int]:
    counts = Counter(p.entry.added[:7] for p in papers if p.entry.added)
    months = []
    year, month = int(min(counts)[:4]), int(min(counts)[5:])
    while f"{year:04d}-{month:02d}" <= max(counts):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return every_step(counts, months)


def drawn(page: Page, key: str) -> dict[str, int]:
    """The bars of the figure `key` as drawn: label -> value, in their order."""
    bars = page.locator(f'svg[data-figure="{key}"] .catalogue-figure__bar').evaluate_all(
        "bars => bars.map(b => [b.dataset.label, Number(b.dataset.value)])"
    )
    return {label: value for label, value in bars}


def tabled(page: Page, key: str) -> dict[str, int]:
    """The same figure's table of numbers."""
    rows = page.locator(f".catalogue-figure--{key} tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].textContent, Number(r.cells[1].textContent)])"
    )
    return {label: value for label, value in rows}


def test_home_page_figures_are_the_catalogues_counts(page: Page, dated_site: DatedSite) -> None:
    catalogue = dated_site.catalogue
    per_tag = Counter(t for p in catalogue.papers for t in p.entry.tags)
    expected = {
        "years": years_of(catalogue.papers),
        "added": months_added(catalogue.papers),
        "tags": {catalogue.vocabulary[t].name: n for t, n in per_tag.items()},
    }
    page.goto(dated_site.url)
    for key, counts in expected.items():
        assert drawn(page, key) == counts, key
        assert tabled(page, key) == counts, key
        # Bars are drawn to scale: the largest value has the longest bar.
        sizes = page.locator(f'svg[data-figure="{key}"] rect').evaluate_all(
            "rects => rects.map(r => Math.max(r.getBBox().width, r.getBBox().height))"
        )
        largest = max(counts.values())
        assert max(sizes) == sizes[list(drawn(page, key).values()).index(largest)]
    assert list(drawn(page, "tags").values()) == sorted(per_tag.values(), reverse=True)


def test_a_tag_page_shows_its_papers_per_year(page: Page, dated_site: DatedSite) -> None:
    catalogue = dated_site.catalogue
    tag = catalogue.largest_tags(1)[0]
    page.goto(dated_site.url + urls.page_url(urls.tag_uri(tag.id)))
    assert drawn(page, "years") == years_of(catalogue.tag_index.papers(tag.id))


def test_figures_need_no_script(browser: Browser, dated_site: DatedSite) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(dated_site.url)
    for key in ("years", "added", "tags"):
        chart = page.locator(f'svg[data-figure="{key}"]')
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
        assert chart.get_attribute("role") == "img"
        caption = page.locator(f"#{chart.get_attribute('aria-labelledby')}")
        assert caption.text_content()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figures_take_the_colours_of_the_scheme(
    browser: Browser, dated_site: DatedSite, scheme: Literal["light", "dark"]
) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(dated_site.url)
    colours = page.evaluate(
        """() => {
            const style = e => getComputedStyle(document.querySelector(e));
            return {
                text: style(".md-typeset").color,
                value: style(".catalogue-figure__value").fill,
                bar: style(".catalogue-figure__bar rect").fill,
                background: getComputedStyle(document.body).backgroundColor,
            };
        }"""
    )
    assert colours["value"] == colours["text"]  # the page's own text colour, in each scheme
    assert colours["bar"] not in (colours["background"], "rgb(0, 0, 0)")
    context.close()
