"""Formulas from strangers stay in their place: the math attacks of the hostile corpus
(`tests/hostile/corpus.py`, `MATH_ATTACKS`) in Debian's chromium, at a phone's width and a
laptop's, on every kind of page that shows them: the home page's latest papers, the list of
all papers, a tag page, the attacking paper's own page, and another paper's page that lists
the attackers among its related papers.

What a page may do with a formula, measured in the browser:
- it never scrolls sideways (a wide formula scrolls inside the title or paragraph holding it);
- each formula is at most `MAX_HEIGHT_EM` of its own font size tall, and its box lies inside the
  title, list item or paragraph that shows it;
- nothing inside a formula is laid out outside the formula's box (beyond the quarter em that
  the stylesheet's clip allows for glyphs), and the formula clips what it draws to that box;
- the page is no taller than the same page with each formula written as plain text, plus one
  formula's greatest height for each formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from generator.model.mathml import MAX_HEIGHT_EM
from tests.browser.chromium import DESKTOP, PHONE
from tests.hostile.corpus import MATH_ATTACKS, MATH_VICTIM

ATTACKERS = [case.name for case in MATH_ATTACKS if case.name != "math-legit"]
CLIP_MARGIN_EM = 0.25
"""The `overflow-clip-margin` of formulas in `docs/stylesheets/catalogue.css`."""

MEASURE = """([clipMargin, maxHeight]) => {
  const doc = document.documentElement;
  const report = { overflow: doc.scrollWidth - doc.clientWidth, formulas: 0, problems: [] };
  const where = e => (e.closest("[class]") || e).className.toString().split(" ")[0];
  const formulas = [...document.querySelectorAll("math")];
  report.formulas = formulas.length;
  let allowance = 0;
  for (const math of formulas) {
    const box = math.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(math).fontSize);
    allowance += maxHeight * size;
    const label = `formula "${math.textContent.slice(0, 40)}" in .${where(math.parentElement)}`;
    if (box.height > maxHeight * size + 1) {
      report.problems.push(`${label} is ${Math.round(box.height)}px tall (font ${size}px)`);
    }
    if (getComputedStyle(math).overflow !== "clip") {
      report.problems.push(`${label} does not clip what it draws`);
    }
    // Its box stays in what shows it: vertically inside the title, list item or paragraph;
    // sideways inside the area that element scrolls.
    const holder = math.closest("li, h1, p");
    const scroller = math.parentElement.closest(
      ".catalogue-list > li > a:first-child, .catalogue-related > li > a, " +
      ".catalogue-paper__title, .catalogue-paper__abstract") || holder;
    const h = holder.getBoundingClientRect(), s = scroller.getBoundingClientRect();
    if (box.top < h.top - 0.5 || box.bottom > h.bottom + 0.5) {
      report.problems.push(`${label} reaches outside its ${holder.tagName.toLowerCase()} ` +
        `(${Math.round(box.top - h.top)}..${Math.round(box.bottom - h.top)} of ` +
        `${Math.round(h.height)}px)`);
    }
    if (box.left < s.left - 0.5 || box.right > s.left + scroller.scrollWidth + 0.5) {
      report.problems.push(`${label} reaches sideways outside .${where(scroller)}`);
    }
    // Nothing inside is laid out outside the formula's box (phantoms draw nothing).
    const margin = clipMargin * size + 0.5;
    for (const part of math.querySelectorAll("*")) {
      if (part.closest("mphantom")) continue;
      const r = part.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - margin || r.right > box.right + margin ||
          r.top < box.top - margin || r.bottom > box.bottom + margin) {
        report.problems.push(`${label}: its <${part.tagName}> "${part.textContent.slice(0, 30)}" ` +
          `is laid out at ${Math.round(r.left - box.left)},${Math.round(r.top - box.top)} ` +
          `(${Math.round(r.width)}x${Math.round(r.height)}) outside its ` +
          `${Math.round(box.width)}x${Math.round(box.height)} box`);
        break;
      }
    }
  }
  // The same page with every formula as plain text: what its content warrants.
  report.height = doc.scrollHeight;
  for (const math of formulas) {
    const text = document.createElement("span");
    text.textContent = math.textContent;
    math.replaceWith(text);
  }
  report.textHeight = doc.scrollHeight;
  report.allowance = allowance;
  return report;
}"""


def _pages(site: Path) -> list[str]:
    """The pages to check, as paths under the site: home, the lists of all papers and of one
    tag that show an attacker, every attacker's page and the victim's page."""
    lists = [
        path
        for folder in ("papers", "tags/llm")
        for path in sorted((site / folder).glob("**/index.html"))
        if 'class="catalogue-list"' in (text := path.read_text(encoding="utf-8"))
        and any(_links(text, name) for name in ATTACKERS)
    ]
    pages = ["", *(path.relative_to(site).parent.as_posix() + "/" for path in lists)]
    return pages + [f"papers/{name}/" for name in [*ATTACKERS, MATH_VICTIM.name]]


def _links(html: str, slug: str) -> bool:
    """Whether `html` links to the paper `slug` (relative links end in `slug/`)."""
    return re.search(f'href="[^"]*\\b{re.escape(slug)}/"', html) is not None


@pytest.fixture(params=[PHONE, DESKTOP], ids=["375px", "1280px"])
def hostile_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    viewport: ViewportSize = request.param
    context = browser.new_context(viewport=viewport)
    yield context.new_page()
    context.close()


def test_the_pages_checked_show_the_attacks(hostile_site: Path) -> None:
    home = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert all(_links(home, name) for name in ATTACKERS), "home page: latest papers"
    pages = _pages(hostile_site)
    assert "papers/" in pages and "tags/llm/" in pages
    victim = (hostile_site / "papers" / MATH_VICTIM.name / "index.html").read_text("utf-8")
    related = victim[victim.index('id="related"') :]
    assert sum(_links(related, name) for name in ATTACKERS) >= 3, "victim's related papers"


def test_hostile_formulas_stay_in_their_place(
    hostile_page: Page, hostile_url: str, hostile_site: Path
) -> None:
    failures: list[str] = []
    for path in _pages(hostile_site):
        hostile_page.goto(hostile_url + path, wait_until="load")
        report: dict[str, Any] = hostile_page.evaluate(MEASURE, [CLIP_MARGIN_EM, MAX_HEIGHT_EM])
        where = f"/{path} at {hostile_page.viewport_size}"
        assert report["formulas"] > 0, f"{where}: no formula shown"
        if report["overflow"] > 0:
            failures.append(f"{where}: scrolls {report['overflow']}px sideways")
        warranted = report["textHeight"] + report["allowance"]
        if report["height"] > warranted:
            failures.append(
                f"{where}: {report['height']}px tall, more than the {report['textHeight']}px "
                f"of its text plus {round(report['allowance'])}px for its formulas"
            )
        failures += [f"{where}: {problem}" for problem in report["problems"]]
    assert failures == [], "\n".join(failures)


def test_legitimate_formulas_still_render_as_mathml(browser: Browser, hostile_url: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(hostile_url + "papers/math-legit/")
    formulas = page.locator(".catalogue-paper__title math, .catalogue-paper__abstract math")
    assert formulas.count() == 12  # 5 in the title, 7 in the abstract (H$_2$O is text)
    displays = formulas.evaluate_all("all => all.map(m => getComputedStyle(m).display)")
    assert set(displays) <= {"math", "inline math"}
    # A fraction is two rows, one above the other: laid out by the MathML engine.
    parts = page.locator("h1 mfrac > *").evaluate_all(
        "all => all.map(e => e.getBoundingClientRect().top)"
    )
    assert len(parts) == 2 and parts[1] > parts[0]
    assert page.locator("h1 mo", has_text="≠").count() == 1  # \not= as one symbol
    page.close()
