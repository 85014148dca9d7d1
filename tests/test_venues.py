"""Venues that differ only in case, spacing, Unicode form or year are one venue everywhere:
one page, one row of the venues' index, one value of the search's venue filter (issue 15).
Each paper's page and its citations keep the entry's own spelling (with its year)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.site.search_index_rewrite import read_index_file
from tests.reader_checks import cite_blocks
from tests.support import build_site, small_catalogue

SPELLINGS = {
    "one": "NeurIPS 2023",
    "two": "NeurIPS 2024",
    "three": "neurips 2024",
    "four": "NEURIPS   2023",
    "five": "\uff2e\uff45\uff55\uff52\uff29\uff30\uff33 2022",  # fullwidth: NFKC makes it NeurIPS
}


def _filter_values(site: Path, name: str) -> dict[str, int]:
    """The values of the search filter `name` in the built index, with their page counts."""
    index = site / "pagefind"
    entry = json.loads((index / "pagefind-entry.json").read_text("utf-8"))
    (language,) = entry["languages"].values()
    meta = read_index_file(index / f"pagefind.{language['hash']}.pf_meta")
    file_hash = dict(meta[3])[name]
    stored, values = read_index_file(index / "filter" / f"{file_hash}.pf_filter")
    assert stored == name
    return {value: len(pages) for value, pages in values}


@pytest.mark.slow  # a real build: left out of `make test-quick`
def test_spellings_of_one_venue_are_one_venue_page_row_and_filter_value(
    tmp_path: Path, repo_root: Path
) -> None:
    entries = {
        slug: {"title": f"Paper {slug}", "abstract": f"About {slug}.", "venue": venue,
               "tags": ["llm", "quantization"]}
        for slug, venue in SPELLINGS.items()
    }  # fmt: skip
    root = small_catalogue(repo_root, tmp_path / "catalogue", entries)
    site = tmp_path / "site"
    build_site(root / "mkdocs.yml", site)

    assert sorted(p.parent.name for p in (site / "venues").glob("*/index.html")) == ["neurips"]
    index = (site / "venues" / "index.html").read_text("utf-8")
    rows = re.findall(r'<li><a href="([^"]+)" dir="auto">([^<]+)</a>', index)
    assert rows == [("neurips/", "NeurIPS")]
    venue_page = (site / "venues" / "neurips" / "index.html").read_text("utf-8")
    assert all(f"Paper {slug}" in venue_page for slug in SPELLINGS)

    for slug, spelling in SPELLINGS.items():
        page = (site / "papers" / slug / "index.html").read_text("utf-8")
        facts = re.search(
            r'<span class="catalogue-paper__venue"([^>]*)><a href="([^"]+)" dir="auto">([^<]*)<',
            page,
        )
        assert facts is not None, slug
        attributes, href, shown = facts.groups()
        assert 'data-pagefind-filter="venue[data-venue]" data-venue="NeurIPS"' in attributes
        assert href == "../../venues/neurips/"
        assert shown == spelling  # the entry's own spelling, year included
        # Citations keep it too (BibTeX writes runs of spaces as one).
        cited = cite_blocks(page)[0]  # the page's BibTeX
        assert f"booktitle = {{{' '.join(spelling.split())}}}" in cited

    assert _filter_values(site, "venue") == {"NeurIPS": len(SPELLINGS)}
