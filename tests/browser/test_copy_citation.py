"""Citing a paper as a reader does: the copy button puts the BibTeX on the clipboard, RIS and
CSL-JSON appear (and copy) when opened, and each download link saves its citation under the
citation key: the BibTeX the page shows (made in the page: no paper has a cite.bib file), RIS
and CSL-JSON from their files."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from generator.enrich.catalogue import Catalogue
from tests.browser.clipboard import read_clipboard
from tests.browser.conftest import PageWatch
from tests.reader_checks import cite_blocks

SLUG = "h2o-heavy-hitter-oracle-for-efficient-generative-inference-of-large-language"


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


def test_download_links_save_the_citation_files(
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
    assert not (seed_site / "papers" / SLUG / "cite.bib").exists()
    for fmt, suffix, expected in (
        ("bibtex", "bib", bibtex),
        ("ris", "ris", (seed_site / "papers" / SLUG / "cite.ris").read_bytes()),
        ("csl-json", "json", (seed_site / "papers" / SLUG / "cite.json").read_bytes()),
    ):
        link = page.locator(f".catalogue-cite[data-format='{fmt}'] a.catalogue-cite__download")
        expect(link).to_have_text(f"Download cite.{suffix}")
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == f"{key}.{suffix}"
        assert Path(download.path()).read_bytes() == expected


def test_other_formats_are_fetched_when_opened_and_copied(
    clipboard_page: Page, site_url: str, seed_site: Path, watch: PageWatch
) -> None:
    page = clipboard_page
    page.goto(f"{site_url}papers/{SLUG}/")
    for fmt, filename in (("ris", "cite.ris"), ("csl-json", "cite.json")):
        block = page.locator(f".catalogue-cite[data-format='{fmt}']")
        code = block.locator(".catalogue-cite__text > code")
        expect(code).to_be_hidden()  # closed: nothing fetched, no empty box
        assert code.text_content() == ""
        block.locator("summary").click()
        expected = (seed_site / "papers" / SLUG / filename).read_text(encoding="utf-8")
        expect(code).to_be_visible()
        assert code.text_content() == expected.replace("\r\n", "\n")
        page.evaluate("() => navigator.clipboard.writeText('nothing copied yet')")
        block.locator("pre").hover()
        block.get_by_role("button", name="Copy to clipboard").click()
        assert read_clipboard(page).strip() == expected.replace("\r\n", "\n").strip()
    assert watch.problems() == []
