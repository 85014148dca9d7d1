"""A rebuild with a few entries changed keeps the last search index and indexes only the
changed pages into a delta bundle (generator/site/search_index.py): the search box finds a
changed paper by its new title and not by its old one, and a removed paper not at all, with
the counts of the site as it is (issue 19)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from playwright.sync_api import Browser, Page, expect

from tests.benchmarks.synthetic import synthesize_catalogue
from tests.browser.journeys import search_for
from tests.support import build_site, serve_directory

PAPERS = 300
BUNDLE_PAGES = 100
"""The index comes in three bundles, so the delta stands beside several kept ones."""
ALL_RESULTS = """async ([queries, PAPERS]) => {
  const pf = await import("/pagefind/pagefind.js");
  const options = { baseUrl: "/", noWorker: true };
  await pf.options(options);
  const bundles = await (await fetch("/pagefind/bundles.json")).json();
  for (const bundle of bundles) await pf.mergeIndex("/pagefind/" + bundle, options);
  const found = [];
  for (const query of queries) {
    const response = await pf.search(query, { filters: PAPERS });
    found.push(await Promise.all(response.results.map(async (r) => (await r.data()).url)));
  }
  return found;
}"""
"""Every result's address for each query, as the search box asks (catalogue-search.js)."""
PAPER_FILTER = {"kind": {"none": ["page", "superseded"]}}
"""The papers, as the search box asks for them (its `PAPERS`: the test below checks it)."""


def test_the_search_box_asks_for_the_papers_as_this_test_does(repo_root: Path) -> None:
    script = (repo_root / "docs" / "javascripts" / "catalogue-search.js").read_text("utf-8")
    declared = re.search(r"var PAPERS = (.*);", script)
    assert declared is not None
    assert json.loads(re.sub(r"(\w+):", r'"\1":', declared[1])) == PAPER_FILTER


def _retitle(entry: Path, title: str) -> None:
    text = entry.read_text(encoding="utf-8")
    entry.write_text(re.sub(r"(?m)^title: .*$", f"title: '{title}'", text), encoding="utf-8")


def _count(page: Page, url: str, query: str) -> str:
    """The search box's count of results for `query`, typed into a page loaded afresh (so that
    no earlier query's status can be read as its answer)."""
    page.goto(url)
    search_for(page, query)
    return page.locator(".catalogue-search__status").text_content() or ""


def test_a_rebuilt_index_finds_new_titles_not_old_ones_nor_removed_papers(
    browser: Browser, tmp_path: Path, repo_root: Path
) -> None:
    root = synthesize_catalogue(tmp_path / "cat", PAPERS, seed=5, template_root=repo_root)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    bundled = f"  - catalogue:\n      search_bundle_pages: {BUNDLE_PAGES}\n"
    config.write_text(text.replace("  - catalogue:\n", bundled), encoding="utf-8")
    entries = sorted((root / "papers").glob("*.yaml"))
    tags = [yaml.safe_load(entry.read_text(encoding="utf-8"))["tags"] for entry in entries]
    # One whose tags all stay on two papers or more once it goes (a tag needs two).
    spare = next(
        n for n in range(150, PAPERS) if all(sum(t in ts for ts in tags) > 2 for t in tags[n])
    )
    changed, removed, kept = entries[10], entries[spare], entries[280]
    _retitle(changed, "Xylophonic quokka retrieval")
    _retitle(removed, "Xylophonic zanzibar decoding")
    _retitle(kept, "Xylophonic wombat pruning")
    site = tmp_path / "site"
    build_site(config, site)
    assert json.loads((site / "pagefind" / "bundles.json").read_text()) == ["more/1/", "more/2/"]

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        with serve_directory(site) as url:
            page = context.new_page()
            assert _count(page, url, "xylophonic") == "3 results"

        _retitle(changed, "Marsupial lexicon retrieval")
        removed.unlink()
        build_site(config, site)  # over the site just built
        listed = json.loads((site / "pagefind" / "bundles.json").read_text())
        assert listed == ["more/1/", "more/2/", "delta/"]
        delta = json.loads((site / "pagefind" / "delta" / "catalogue-pages.json").read_text())
        # The changed paper and the pages that show its title or listed the removed paper
        # (related papers, the home page) are indexed again; the rest of the index is kept.
        paths = [path for path, _ in delta]
        assert f"papers/{changed.stem}/index.html" in paths
        assert f"papers/{removed.stem}/index.html" not in paths
        assert len(paths) < PAPERS // 3

        with serve_directory(site) as url:
            page = context.new_page()
            # The old title's word finds only the unchanged paper; the removed one is gone.
            assert _count(page, url, "xylophonic") == "1 result"
            results = page.locator(".catalogue-search__result")
            expect(results).to_have_count(1)
            expect(results.first).to_contain_text("Xylophonic wombat pruning")
            # The new title's words find the changed paper, at its address.
            assert _count(page, url, "marsupial") != "No matching papers"
            link = page.locator(".catalogue-search__result a.catalogue-search__title").first
            expect(link).to_have_text("Marsupial lexicon retrieval")
            expect(link).to_have_attribute("href", re.compile(f"/papers/{changed.stem}/$"))
            # Pagefind also finds words near a query's, so the old words still find papers:
            # never the changed one as it was, nor the removed one. And the papers as the
            # search box asks for them (no kind, every bundle merged) are each paper of
            # the site once.
            page.goto(url)  # the search box not used yet: its bundles are not merged
            found = page.evaluate(ALL_RESULTS, [["quokka", "zanzibar", None], PAPER_FILTER])
            assert f"/papers/{changed.stem}/" not in found[0]
            assert f"/papers/{removed.stem}/" not in found[1]
            assert sorted(found[2]) == sorted(f"/papers/{e.stem}/" for e in entries if e != removed)
            # The tag facet counts each paper of the site once: neither the removed paper
            # nor the changed one as the kept bundle has it.
            _count(page, url, "xylophonic")
            facets = page.locator(".catalogue-search__facets summary")
            facets.click()
            tag = page.locator(".catalogue-search__facet select[name=tag]")
            now = [
                yaml.safe_load(e.read_text(encoding="utf-8")) for e in root.glob("papers/*.yaml")
            ]
            assert len(now) == PAPERS - 1
            expect(tag.locator("option")).to_have_count(
                1 + len({t for e in now for t in e["tags"]})
            )
            options = tag.locator("option").all_text_contents()
            counts = sum(int(o.rsplit("(", 1)[1].rstrip(")")) for o in options if "(" in o)
            assert counts == sum(len(entry["tags"]) for entry in now)
    finally:
        context.close()
