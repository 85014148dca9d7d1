"""Citing a paper as a reader does: the copy button puts the BibTeX on the clipboard, RIS and
CSL-JSON appear (and copy) when opened, and each download link saves its citation under the
citation key. The BibTeX is the one the page shows; RIS and CSL-JSON are made in the page from
its citation record (no paper has a citation file beside its page), and must be, byte for
byte, what the generator's exporters write: for every paper of the seed and of the hostile
corpus, and for a record of values the entry model would refuse (every character there is)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from generator.enrich.catalogue import Catalogue
from generator.model.escaping import json_for_script
from generator.model.paper import Paper
from generator.pipeline import CatalogueSources, load_catalogue
from generator.render.exports.citation_record import citation_record
from generator.render.exports.csl_json import csl_file
from generator.render.exports.ris import ris_record
from tests.browser.clipboard import read_clipboard
from tests.browser.conftest import PageWatch
from tests.reader_checks import cite_blocks

SLUG = "h2o-heavy-hitter-oracle-for-efficient-generative-inference-of-large-language"

MADE_IN_THE_PAGE = """(expected) => {
  // Compared here: the texts of a large record are megabytes, slow to hand to the test.
  const made = {dialogs: window.__dialogs || []};
  const differ = (a, b) => {
    if (a === b) return null;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    const from = Math.max(0, i - 40);
    return {at: i, made: a.slice(from, i + 40), expected: b.slice(from, i + 40)};
  };
  for (const [format, text] of Object.entries(expected)) {
    const block = document.querySelector(`.catalogue-cite[data-format='${format}']`);
    const href = block.querySelector("a.catalogue-cite__download").getAttribute("href") || "";
    made[format] = {
      hidden: block.hidden,
      data: href.startsWith("data:") && !href.includes(";base64,"),
      saved: differ(decodeURIComponent(href.slice(href.indexOf(",") + 1)), text),
      shown: differ(
        block.querySelector(".catalogue-cite__text > code").textContent,
        text.replace(/\\r\\n/g, "\\n"),
      ),
    };
  }
  return made;
}"""
"""What the page's script made of its record, against the `expected` text of each format:
whether its block shows, and where its download (a `data:` address) and its shown text
first differ from the expected text (None: they do not)."""


def exported(paper: Paper, catalogue: Catalogue) -> dict[str, str]:
    """What the generator's own exporters write for `paper`, by format."""
    key, vocabulary = catalogue.citation_keys[paper.slug], catalogue.vocabulary
    return {"ris": ris_record(paper, key, vocabulary), "csl-json": csl_file(paper, key, vocabulary)}


def assert_made_as_exported(page: Page, expected: dict[str, str], where: str) -> None:
    made = page.evaluate(MADE_IN_THE_PAGE, expected)
    for fmt in expected:
        assert made[fmt] == {"hidden": False, "data": True, "saved": None, "shown": None}, (
            f"{where}: {fmt}"
        )
    assert made["dialogs"] == [], where


def page_and_cite_script_only(page: Page) -> None:
    """Load only pages and catalogue-cite.js in `page` (the theme's files do not take part in
    making the citations, and loading them for every paper would take most of the test)."""

    def only(route: Route) -> None:
        request = route.request
        if request.resource_type == "document" or request.url.endswith("/catalogue-cite.js"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only)


def test_copy_button_puts_the_bibtex_on_the_clipboard(
    clipboard_page: Page, site_url: str, seed_site: Path, watch: PageWatch
) -> None:
    page = clipboard_page
    page.goto(f"{site_url}papers/{SLUG}/")
    block = page.locator(".catalogue-cite[data-format='bibtex']")
    button = block.get_by_role("button", name="Copy to clipboard")
    expect(button).to_have_count(1)
    page.evaluate("() => navigator.clipboard.writeText('nothing copied yet')")
    block.locator("pre").hover()
    button.click()
    expected = cite_blocks((seed_site / "papers" / SLUG / "index.html").read_text("utf-8"))[0]
    assert expected.startswith("@") and SLUG.split("-")[0] in expected.lower()
    assert read_clipboard(page).strip() == expected.strip()
    assert watch.problems() == []


def test_download_links_save_the_citations(
    page: Page, site_url: str, seed_site: Path, seed_catalogue: Catalogue
) -> None:
    page.goto(f"{site_url}papers/{SLUG}/")
    key = seed_catalogue.citation_keys[SLUG]
    # The BibTeX saved is the paper's entry of catalogue.bib, byte for byte.
    entries = (seed_site / "catalogue.bib").read_bytes().split(b"\n@")
    (bibtex,) = [
        e for e in entries if e.lstrip(b"@").split(b"{", 1)[1].startswith(key.encode() + b",")
    ]
    bibtex = b"@" + bibtex.lstrip(b"@").rstrip(b"\n") + b"\n"
    made = exported(seed_catalogue.paper(SLUG), seed_catalogue)
    for name in ("cite.bib", "cite.ris", "cite.json"):
        assert not (seed_site / "papers" / SLUG / name).exists()
    for fmt, suffix, expected in (
        ("bibtex", "bib", bibtex),
        ("ris", "ris", made["ris"].encode("utf-8")),
        ("csl-json", "json", made["csl-json"].encode("utf-8")),
    ):
        link = page.locator(f".catalogue-cite[data-format='{fmt}'] a.catalogue-cite__download")
        expect(link).to_have_text(f"Download cite.{suffix}")
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == f"{key}.{suffix}"
        assert Path(download.path()).read_bytes() == expected


def test_other_formats_are_shown_when_opened_and_copied(
    clipboard_page: Page, site_url: str, seed_catalogue: Catalogue, watch: PageWatch
) -> None:
    page = clipboard_page
    page.goto(f"{site_url}papers/{SLUG}/")
    made = exported(seed_catalogue.paper(SLUG), seed_catalogue)
    for fmt in ("ris", "csl-json"):
        block = page.locator(f".catalogue-cite[data-format='{fmt}']")
        code = block.locator(".catalogue-cite__text > code")
        expect(block).to_be_visible()
        expect(code).to_be_hidden()  # closed
        block.locator("summary").click()
        expected = made[fmt].replace("\r\n", "\n")
        expect(code).to_be_visible()
        assert code.text_content() == expected
        page.evaluate("() => navigator.clipboard.writeText('nothing copied yet')")
        block.locator("pre").hover()
        block.get_by_role("button", name="Copy to clipboard").click()
        assert read_clipboard(page).strip() == expected.strip()
    assert watch.problems() == []


def test_without_a_script_the_page_has_the_bibtex_block_alone(page: Page, site_url: str) -> None:
    page.route("**/catalogue-cite.js", lambda route: route.abort())
    page.goto(f"{site_url}papers/{SLUG}/")
    expect(page.locator(".catalogue-cite[data-format='bibtex'] pre")).to_be_visible()
    expect(page.locator(".catalogue-cite")).to_have_count(1)


def test_the_script_writes_the_other_blocks_after_the_bibtex_as_the_page_had_them(
    page: Page, site_url: str, seed_catalogue: Catalogue
) -> None:
    page.goto(f"{site_url}papers/{SLUG}/")
    key = seed_catalogue.citation_keys[SLUG]
    blocks = page.locator(".catalogue-cite-section > .catalogue-cite")
    expect(blocks).to_have_count(3)
    assert [b.get_attribute("data-format") for b in blocks.all()] == ["bibtex", "ris", "csl-json"]
    for fmt, label, suffix in (("ris", "RIS", "ris"), ("csl-json", "CSL-JSON", "json")):
        block = page.locator(f".catalogue-cite[data-format='{fmt}']")
        assert block.evaluate("e => e.className") == "catalogue-cite copy"
        expect(block.locator(".catalogue-cite__heading strong")).to_have_text(label)
        expect(block.locator(".catalogue-cite__heading")).to_have_text(
            f"{label} · Download cite.{suffix}"
        )
        link = block.locator("a.catalogue-cite__download")
        assert link.get_attribute("download") == f"{key}.{suffix}"
        expect(block.locator("details.catalogue-cite__show > summary")).to_have_text(
            f"Show {label}"
        )
    # The record stays last, where the page put it.
    assert (
        page.evaluate(
            "() => document.querySelector('.catalogue-cite-section').lastElementChild.className"
        )
        == "catalogue-cite__record"
    )


SECTION_START = '<div class="catalogue-cite-section"'

CITE_AGAIN = """async (section) => {
  // The page's citation section replaced by another page's, as that page has it; then the
  // page's own catalogue-cite.js run again over it, as it runs when that page is read.
  document.querySelector(".catalogue-cite-section").outerHTML = section;
  const served = document.querySelector("script[src$='/catalogue-cite.js']");
  await new Promise((resolve, reject) => {
    const again = document.createElement("script");
    again.onload = resolve;
    again.onerror = reject;
    again.src = served.src;
    document.body.append(again);
  });
}"""


def cite_section(html: str) -> str:
    """A paper page's citation section (`SECTION_START` to its closing tag), as served."""
    start = html.index(SECTION_START)
    depth, at = 0, start
    # No text in it holds a tag: the BibTeX is escaped, the record has no "<" (json_for_script).
    for tag in re.finditer(r"<(/?)div\b", html[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            at = start + tag.start()
            break
    return html[start : html.index(">", at) + 1]


def assert_every_paper_made_as_exported(
    page: Page, url: str, site: Path, catalogue: Catalogue
) -> None:
    """Each paper's citation section, as its page has it, made by the script in one page: one
    page is read, then each paper's section put in its place and the script run again (one
    page read per paper took most of the test, and the rest of a page takes no part)."""
    page_and_cite_script_only(page)
    page.goto(f"{url}papers/{catalogue.papers[0].slug}/", wait_until="domcontentloaded")
    for paper in catalogue.papers:
        html = (site / "papers" / paper.slug / "index.html").read_text(encoding="utf-8")
        page.evaluate(CITE_AGAIN, cite_section(html))
        assert_made_as_exported(page, exported(paper, catalogue), paper.slug)


def test_every_seed_paper_page_makes_the_exporters_ris_and_csl_json(
    page: Page, site_url: str, seed_site: Path, seed_catalogue: Catalogue
) -> None:
    assert len(seed_catalogue.papers) > 100
    assert_every_paper_made_as_exported(page, site_url, seed_site, seed_catalogue)


@pytest.fixture(scope="module")
def hostile_catalogue_read(hostile_catalogue: Path) -> Catalogue:
    return load_catalogue(CatalogueSources(hostile_catalogue))


def test_every_hostile_paper_page_makes_the_exporters_ris_and_csl_json(
    page: Page, hostile_url: str, hostile_site: Path, hostile_catalogue_read: Catalogue
) -> None:
    catalogue = hostile_catalogue_read
    assert len(catalogue.papers) > 20
    page.add_init_script("window.alert = window.confirm = window.prompt = () => {"
                         " (window.__dialogs = window.__dialogs || []).push(1); };")  # fmt: skip
    assert_every_paper_made_as_exported(page, hostile_url, hostile_site, catalogue)


EVERY_CHARACTER = [chr(c) for c in (*range(0x3001), *range(0xFE00, 0x10000))] + [
    "\U0001f600",
    "\U00010000",
    "\U0010ffff",
]
"""Every character up to U+3000 (every character Python or JavaScript takes as white space or
JSON escapes but U+FEFF is there), U+FE00 to U+FFFF (U+FEFF, noncharacters), a few beyond."""

HOSTILE_TEXT = (
    "Quotes \" ' ` \\ </script><script>alert(1)</script> <!--<script> </SCRIPT > "
    '<img src=x onerror=alert(1)> &amp; &lt; ]]> {"a": 1} \u2028line\u2029para '
    "\u200fRTL mark\u200e \u202eoverride\u202c \u2066isolate\u2069 \x00nul\x1f\x7f\x85\u00a0 "
    "\ufeffbom \r\n\tcrlf "
)


def refused_entry(paper: Paper) -> Paper:
    """`paper` with values the entry model refuses (controls, line separators, direction
    marks, markup, 6,000-character fields) and two authors per character, put in without
    validation: the page's script must make of them what the exporters do."""
    long = (HOSTILE_TEXT * 200)[:6000]
    authors = [HOSTILE_TEXT, "Plato", "Lovelace, Ada", " Spaced  Name ", long]
    # Each character at a name's start and end, between its words and after a comma.
    authors += [f"{ch}Given{ch} Family{ch}" for ch in EVERY_CHARACTER]
    authors += [f"Family,{ch} Given{ch}" for ch in EVERY_CHARACTER]
    hostile = {"title": HOSTILE_TEXT + long, "venue": HOSTILE_TEXT + " Journal"}
    entry = paper.entry.model_copy(update={**hostile, "authors": authors})
    return Paper(paper.slug, paper.source, entry, paper.lines)


def test_a_record_of_refused_values_and_every_character_makes_the_exporters_text(
    page: Page, site_url: str, seed_site: Path, seed_catalogue: Catalogue
) -> None:
    # The page of SLUG as served, its record replaced by that of values no entry can hold:
    # what json_for_script writes must stay inside its element, and the script must lay out
    # every character as Python's exporters do (RIS's line rules, JSON's escapes).
    paper = refused_entry(seed_catalogue.paper(SLUG))
    key = seed_catalogue.citation_keys[SLUG]
    record = str(json_for_script(citation_record(paper, key, seed_catalogue.vocabulary)))
    html = (seed_site / "papers" / SLUG / "index.html").read_text(encoding="utf-8")
    opening = '<script type="application/json" class="catalogue-cite__record">'
    before, rest = html.split(opening)
    html = before + opening + record + "</script>" + rest.split("</script>", 1)[1]
    page.goto(f"{site_url}papers/{SLUG}/", wait_until="domcontentloaded")
    scripts = page.evaluate("document.scripts.length")  # as served, with its own record

    def serve(route: Route) -> None:
        route.fulfill(body=html.encode("utf-8"), content_type="text/html; charset=utf-8")

    page.route(f"{site_url}papers/{SLUG}/", serve)
    page.add_init_script("window.alert = () => { (window.__dialogs = []).push(1); };")
    page.goto(f"{site_url}papers/{SLUG}/", wait_until="domcontentloaded")
    assert page.evaluate("document.scripts.length") == scripts
    assert_made_as_exported(page, exported(paper, seed_catalogue), "refused values")
