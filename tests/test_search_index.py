"""The search index is built from paper articles alone (issue 5: Pagefind parsed the whole
theme around every paper), and that gives exactly the index of the whole pages."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from generator.model.stable_digest import generator_version
from generator.private_cache import record_secret
from generator.site import search_index
from generator.site.search_index import (
    BUNDLE_LIST,
    DELTA_NAME,
    PAGES_RECORD,
    SEARCH_FOLDER,
    SOURCE_DIGEST,
    BackgroundIndex,
    StreamedIndex,
    _index_folder,
    _until_written,
    build_search_index,
    bundles_of,
    plan_delta,
)
from generator.site.search_index_rewrite import read_index_file, rewrite_index
from tests.support import snapshot


def test_articles_alone_give_the_index_of_whole_pages(seed_site: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    for page in seed_site.rglob("*.html"):
        copy = pages / page.relative_to(seed_site)
        copy.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, copy)
    whole = tmp_path / "whole-pages-index"
    # In a thread of its own, as the build runs it: the browser tests leave an event loop
    # running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        indexed = worker.submit(lambda: asyncio.run(_index_folder(pages, whole))).result()
    rewrite_index(whole)
    built = snapshot(seed_site / SEARCH_FOLDER)
    del built[BUNDLE_LIST], built[SOURCE_DIGEST], built[PAGES_RECORD]
    assert indexed > 124
    assert snapshot(whole) == built


def test_pagefind_reads_only_the_pages_it_indexes(tmp_path: Path) -> None:
    # Lists carry no data-pagefind-body: given to Pagefind, they cost memory, not results.
    pages = {
        "index.html": "<main><div data-pagefind-body>Home</div></main>",
        "about/index.html": "<main><div data-pagefind-body>About</div></main>",
        "tags/kv-cache/index.html": "<main><ul><li>A paper</li></ul></main>",
        "papers/page/2/index.html": "<main><ul><li>A paper</li></ul></main>",
        "papers/index.html": "<main><ul><li>A paper</li></ul></main>",
        # The list of all papers in its other orders: lists, not papers, so they neither go to
        # Pagefind nor count towards a bundle (100,000 papers made six bundles, not five).
        "papers/newest/index.html": "<main><ul><li>A paper</li></ul></main>",
        "papers/published/index.html": "<main><ul><li>A paper</li></ul></main>",
        "papers/newest/page/2/index.html": "<main><ul><li>A paper</li></ul></main>",
    }
    pages.update(
        {f"papers/p{n}/index.html": "<article data-pagefind-body>P</article>" for n in range(5)}
    )
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    bundles = [
        [page.relative_to(tmp_path).as_posix() for page in b] for b in bundles_of(tmp_path, 2)
    ]
    assert bundles == [
        ["about/index.html", "index.html", "papers/p0/index.html", "papers/p1/index.html"],
        ["papers/p2/index.html", "papers/p3/index.html"],
        ["papers/p4/index.html"],
    ]


def _paper_site(root: Path, papers: int) -> Path:
    for n in range(papers):
        page = root / "papers" / f"p{n}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f'<html><body><article class="catalogue-paper" data-pagefind-body>'
            f"<h1>Paper number{n} on sparse{n % 3} attention</h1></article></body></html>",
            encoding="utf-8",
        )
    return root


def test_a_rebuild_takes_over_the_bundles_whose_pages_did_not_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "DELTA_LEAST", 0)  # no delta: bundles indexed whole
    site = _paper_site(tmp_path / "site", 6)
    first = build_search_index(site, tmp_path / "first", bundle_pages=3)
    assert (first.pages, first.reused) == (6, 0)
    # Nothing changed: every bundle is the previous one, linked, and no Pagefind ran.
    same = build_search_index(site, tmp_path / "same", bundle_pages=3, previous=tmp_path / "first")
    assert (same.pages, same.reused) == (6, 6)
    assert snapshot(tmp_path / "same") == snapshot(tmp_path / "first")
    entry = tmp_path / "same" / "more" / "1" / "pagefind-entry.json"
    assert entry.stat().st_ino == (tmp_path / "first" / "more" / "1" / entry.name).stat().st_ino
    # One paper of the second bundle changed: the first bundle is taken over, the second is
    # indexed again and finds the new word.
    (site / "papers" / "p4" / "index.html").write_text(
        '<article class="catalogue-paper" data-pagefind-body><h1>Changed quokka</h1></article>',
        encoding="utf-8",
    )
    changed = build_search_index(
        site, tmp_path / "changed", bundle_pages=3, previous=tmp_path / "same"
    )
    assert (changed.pages, changed.reused) == (6, 3)
    fresh = build_search_index(site, tmp_path / "fresh", bundle_pages=3)
    assert fresh.reused == 0
    assert snapshot(tmp_path / "changed") == snapshot(tmp_path / "fresh")
    assert snapshot(tmp_path / "changed") != snapshot(tmp_path / "first")


def test_a_bundle_made_from_other_pages_is_not_taken_over(tmp_path: Path) -> None:
    site = _paper_site(tmp_path / "site", 2)
    build_search_index(site, tmp_path / "first")
    (tmp_path / "first" / SOURCE_DIGEST).write_text("something else\n", encoding="utf-8")
    again = build_search_index(site, tmp_path / "again", previous=tmp_path / "first")
    assert again.reused == 0 and again.pages == 2


def test_an_index_made_for_another_secret_is_not_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An index that came with the sources (in a site forced past .gitignore) was made for a
    # secret this user does not have: its bundles are not kept, whole or as a delta's base.
    site = _paper_site(tmp_path / "site", 4)
    build_search_index(site, tmp_path / "first")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    record_secret.cache_clear()
    generator_version.cache_clear()
    try:
        again = build_search_index(site, tmp_path / "again", previous=tmp_path / "first")
        (site / "papers" / "p1" / "index.html").write_text(
            '<article class="catalogue-paper" data-pagefind-body><h1>Quokka</h1></article>',
            encoding="utf-8",
        )
        changed = build_search_index(site, tmp_path / "changed", previous=tmp_path / "first")
    finally:
        record_secret.cache_clear()
        generator_version.cache_clear()
    assert (again.pages, again.reused) == (4, 0)
    assert (changed.pages, changed.reused) == (4, 0)
    assert not (tmp_path / "changed" / DELTA_NAME).exists()


def test_the_delta_holds_the_pages_changed_or_added_since_the_base() -> None:
    base = [("", [("index.html", "h"), ("papers/a/index.html", "a")]),
            ("more/1", [("papers/b/index.html", "b"), ("papers/c/index.html", "c")])]  # fmt: skip
    site = [("index.html", "h"), ("papers/a/index.html", "a2"), ("papers/b/index.html", "b"),
            ("papers/d/index.html", "d")]  # fmt: skip
    # a changed, d added, c removed: a and d are indexed again; a (number 1 of the first
    # bundle) and c (number 1 of the second) are superseded.
    plan = plan_delta(base, site, share=0.0, least=3)
    assert plan is not None
    assert plan.pages == ["papers/a/index.html", "papers/d/index.html"]
    assert plan.superseded == {"": [1], "more/1": [1]}
    # Nothing changed: every bundle kept, no delta.
    same = plan_delta(base, [page for _, pages in base for page in pages], share=0.0, least=0)
    assert same is not None and same.pages == [] and same.superseded == {}


def test_a_delta_past_its_bound_is_folded_back() -> None:
    base = [("", [(f"papers/p{n}/index.html", "x") for n in range(100)])]
    changed = [(f"papers/p{n}/index.html", "y" if n < 3 else "x") for n in range(100)]
    # Three changes and one removal: four pages, 5% of 99 pages (4.95) allows four.
    plan = plan_delta(base, changed[:99], share=0.05, least=0)
    assert plan is not None and len(plan.pages) == 3 and plan.superseded[""] == [0, 1, 2, 99]
    # Three changes and two removals: five pages, past 5% of 98.
    assert plan_delta(base, changed[:98], share=0.05, least=0) is None
    # The least a delta may hold, whatever the share; never more than a bundle.
    assert plan_delta(base, changed[:98], share=0.05, least=5) is not None
    assert plan_delta(base, changed[:98], bundle_pages=4, share=1.0, least=50) is None


def _filters(bundle: Path) -> dict[str, dict[str, list[int]]]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = read_index_file(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    return {
        name: dict(read_index_file(bundle / "filter" / f"{file}.pf_filter")[1])
        for name, file in meta[3]
    }


def _words(bundle: Path) -> set[str]:
    return {
        word[0]
        for chunk in (bundle / "index").glob("*.pf_index")
        for word in read_index_file(chunk)[0]
    }


def _tagged_site(root: Path, titles: dict[str, str]) -> Path:
    for slug, title in titles.items():
        page = root / "papers" / slug / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f'<html><body><article class="catalogue-paper" data-pagefind-body>'
            f"<h1>{title}</h1>"
            f'<a data-pagefind-filter="tag">{slug}-tag</a></article></body></html>',
            encoding="utf-8",
        )
    for slug in {page.parent.name for page in (root / "papers").glob("*/index.html")} - set(titles):
        shutil.rmtree(root / "papers" / slug)
    return root


def test_a_rebuild_indexes_the_changed_pages_alone_and_drops_them_from_the_kept_bundles(
    tmp_path: Path,
) -> None:
    titles = {f"p{n}": f"Paper about sparse{n} attention" for n in range(6)}
    site = _tagged_site(tmp_path / "site", titles)
    build_search_index(site, tmp_path / "first", bundle_pages=3)
    first = snapshot(tmp_path / "first")
    # p1 (first bundle) gets a new title, p4 (second bundle) goes, p9 comes.
    titles["p1"] = "Paper about quokka attention"
    del titles["p4"]
    titles["p9"] = "Paper about wombat attention"
    _tagged_site(site, titles)
    report = build_search_index(
        site, tmp_path / "delta", bundle_pages=3, previous=tmp_path / "first"
    )
    assert (report.pages, report.reused) == (6, 4)
    delta = tmp_path / "delta"
    assert json.loads((delta / BUNDLE_LIST).read_text()) == ["more/1/", f"{DELTA_NAME}/"]
    # The delta is Pagefind's index of the changed and added pages alone.
    assert [path for path, _ in json.loads((delta / DELTA_NAME / PAGES_RECORD).read_text())] == [
        "papers/p1/index.html", "papers/p9/index.html"]  # fmt: skip
    assert {"quokka", "wombat"} <= _words(delta / DELTA_NAME)
    assert "sparse1" not in _words(delta / DELTA_NAME)
    assert "kind" not in _filters(delta / DELTA_NAME)  # papers have no kind
    # The kept bundles are the first build's (the same words, linked), but p1 (number 1 of the
    # first bundle) and p4 (number 1 of the second) are now of kind superseded, which every
    # search of the search box leaves out, and in no other filter.
    assert "sparse1" in _words(delta) and "sparse4" in _words(delta / "more" / "1")
    assert _filters(delta)["kind"] == {"superseded": [1]}
    assert _filters(delta / "more" / "1")["kind"] == {"superseded": [1]}
    assert "p1-tag" not in _filters(delta)["tag"]
    assert "p4-tag" not in _filters(delta / "more" / "1")["tag"]  # facet counts stay right
    assert "kind" not in _filters(tmp_path / "first")  # untouched
    assert snapshot(tmp_path / "first") == first
    # Built again over that, nothing changed: the same index, the delta taken over.
    again = build_search_index(site, tmp_path / "again", bundle_pages=3, previous=delta)
    assert again.reused == 6 - 2
    assert snapshot(tmp_path / "again") == snapshot(delta)
    # Back to the first pages: the kept bundles are again as they were made, no delta.
    titles = {f"p{n}": f"Paper about sparse{n} attention" for n in range(6)}
    _tagged_site(site, titles)
    back = build_search_index(site, tmp_path / "back", bundle_pages=3, previous=tmp_path / "again")
    assert back.reused == 6
    assert snapshot(tmp_path / "back") == first


def test_a_delta_grown_past_its_bound_gives_way_to_a_whole_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "DELTA_LEAST", 1)
    titles = {f"p{n}": f"Paper about sparse{n} attention" for n in range(6)}
    site = _tagged_site(tmp_path / "site", titles)
    build_search_index(site, tmp_path / "first", bundle_pages=3)
    titles["p1"] = "Paper about quokka attention"
    _tagged_site(site, titles)
    one = build_search_index(site, tmp_path / "one", bundle_pages=3, previous=tmp_path / "first")
    assert one.reused == 5 and (tmp_path / "one" / DELTA_NAME).is_dir()
    titles["p4"] = "Paper about wombat attention"
    _tagged_site(site, titles)
    two = build_search_index(site, tmp_path / "two", bundle_pages=3, previous=tmp_path / "one")
    assert two.reused == 0  # both bundles changed since the base: each indexed whole
    assert not (tmp_path / "two" / DELTA_NAME).exists()
    build_search_index(site, tmp_path / "fresh", bundle_pages=3)
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "fresh")


def test_serve_refreshes_its_index_over_the_last_one(tmp_path: Path) -> None:
    titles = {f"p{n}": f"Paper about sparse{n} attention" for n in range(6)}
    site = _tagged_site(tmp_path / "site", titles)
    build_search_index(site, site / SEARCH_FOLDER, bundle_pages=3)
    index = BackgroundIndex(bundle_pages=3)
    try:
        index.keep(site)
        titles["p1"] = "Paper about quokka attention"
        _tagged_site(site, titles)
        index.refresh(site)
        delta = site / SEARCH_FOLDER / DELTA_NAME
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with index._lock:  # held while the finished index is copied in
                if (delta / SOURCE_DIGEST).exists():
                    break
            time.sleep(0.2)
        assert "quokka" in _words(delta)
        assert _filters(site / SEARCH_FOLDER)["kind"] == {"superseded": [1]}
    finally:
        index.close()


def test_pagefind_numbers_pages_in_the_order_they_are_given(tmp_path: Path) -> None:
    # The delta names superseded pages by their number in a bundle, taken from the order of
    # the bundle's record: the order Pagefind numbered them in.
    site = _tagged_site(tmp_path / "site", {f"p{n}": f"Paper {n}" for n in range(12)})
    build_search_index(site, tmp_path / "index")
    record = json.loads((tmp_path / "index" / PAGES_RECORD).read_text())
    entry = json.loads((tmp_path / "index" / "pagefind-entry.json").read_text())
    meta = read_index_file(
        tmp_path / "index" / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    )
    urls = []
    for page_id, *_ in meta[1]:
        fragment = gzip.decompress(
            (tmp_path / "index" / "fragment" / f"{page_id}.pf_fragment").read_bytes()
        )
        urls.append(json.loads(fragment[len(b"pagefind_dcd") :])["url"])
    assert urls == ["/" + path.removesuffix("index.html") for path, _ in record]


def _wait(output: Path, timeout: float) -> None:
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        worker.submit(lambda: asyncio.run(_until_written(output, timeout))).result()


def test_the_build_waits_until_pagefinds_files_are_whole(tmp_path: Path) -> None:
    # Pagefind answers "written" before its async writer has finished: an empty entry file
    # and a cut gzip stream must be waited for, and are read once they are whole.
    index = gzip.compress(b"pagefind_dcd" + b"x" * 5000)
    (tmp_path / "pagefind-entry.json").write_bytes(b"")
    (tmp_path / "fragment").mkdir()
    (tmp_path / "fragment" / "en_1.pf_fragment").write_bytes(index[:100])
    (tmp_path / "pagefind.js").write_bytes(b"export{}")

    def finish() -> None:
        time.sleep(0.3)
        (tmp_path / "fragment" / "en_1.pf_fragment").write_bytes(index)
        (tmp_path / "pagefind-entry.json").write_text('{"version": "1.5.2"}')

    finisher = threading.Thread(target=finish)
    start = time.monotonic()
    finisher.start()
    _wait(tmp_path, timeout=10)
    waited = time.monotonic() - start
    finisher.join()
    assert waited >= 0.3
    assert json.loads((tmp_path / "pagefind-entry.json").read_text())["version"] == "1.5.2"


def test_files_that_never_become_whole_fail_the_build_by_name(tmp_path: Path) -> None:
    (tmp_path / "filter").mkdir()
    (tmp_path / "filter" / "en_2.pf_filter").write_bytes(gzip.compress(b"abc")[:-4])
    (tmp_path / "pagefind-entry.json").write_text("{}")
    with pytest.raises(PluginError, match=r"unfinished: filter/en_2\.pf_filter"):
        _wait(tmp_path, timeout=0.2)


def _stream(site: Path, output: Path, papers: list[Path]) -> StreamedIndex:
    streamed = StreamedIndex(site, output)
    for page in papers:
        assert streamed.takes(page)
        streamed.paper(page, page.read_bytes())
    streamed.papers_written()
    return streamed


def test_an_index_made_while_the_pages_are_written_is_the_index_of_the_site(
    tmp_path: Path,
) -> None:
    site = _paper_site(tmp_path / "site", 5)
    (site / "index.html").write_text("<main><div data-pagefind-body>Home</div></main>", "utf-8")
    (site / "tags").mkdir()
    (site / "tags" / "index.html").write_text("<main><ul><li>A list</li></ul></main>", "utf-8")
    papers = sorted((site / "papers").glob("*/index.html"))
    assert not StreamedIndex(site, tmp_path / "unused").takes(site / "tags" / "index.html")
    report = _stream(site, tmp_path / "streamed", papers).result()
    assert report is not None and (report.pages, report.reused) == (6, 0)
    build_search_index(site, tmp_path / "read")
    assert snapshot(tmp_path / "streamed") == snapshot(tmp_path / "read")


def test_a_streamed_index_that_missed_a_page_is_dropped(tmp_path: Path) -> None:
    site = _paper_site(tmp_path / "site", 3)
    papers = sorted((site / "papers").glob("*/index.html"))
    assert _stream(site, tmp_path / "streamed", papers[:2]).result() is None
    assert not (tmp_path / "streamed").exists()


def test_an_index_whose_records_cannot_be_read_is_not_kept(tmp_path: Path) -> None:
    # A bundle list or page record that is not what the build wrote (cut, or nested deeper
    # than the JSON parser goes) makes the next build index everything again.
    site = _tagged_site(tmp_path / "site", {f"p{n}": f"Paper {n}" for n in range(3)})
    index = tmp_path / "index"
    build_search_index(site, index)
    assert search_index._base_of(index) is not None
    (index / BUNDLE_LIST).write_text("[" * 100_000, encoding="utf-8")
    assert search_index._base_of(index) is None
    (index / BUNDLE_LIST).write_text("[]", encoding="utf-8")
    assert search_index._base_of(index) is not None
    (index / PAGES_RECORD).write_text('[["index.html", ', encoding="utf-8")
    assert search_index._base_of(index) is None
