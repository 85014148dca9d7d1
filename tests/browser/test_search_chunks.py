"""Word chunks split by the build (generator/site/search_index_rewrite.py) are read by Pagefind's
own search in the browser: a real index whose common word crossed Pagefind's chunk size, cut
so that rare words travel alone, still finds every word on exactly its pages (issue 5)."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

from playwright.sync_api import Browser

from generator.site.search_index import _index_folder
from generator.site.search_index_rewrite import read_index_file, rewrite_index
from tests.support import serve_directory

PAGES = 400
COMMON_REPEATS = 120
"""400 pages x 121 positions of "common": past Pagefind's 20,000 per chunk, so the chunk it
closes carries the rare words sorted just before it; and past the rewrite's `CHUNK_BYTES`,
so that it gets a chunk of its own."""


def _rare(page: int) -> str:
    return f"comaa{page % 40:02d}"  # sorted before "common"; each on 10 pages


def test_split_chunks_find_every_word_on_its_pages(browser: Browser, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    for n in range(PAGES):
        body = " ".join(["common"] * COMMON_REPEATS + [_rare(n), f"page{n}"])
        path = pages / f"p{n}" / "index.html"
        path.parent.mkdir(parents=True)
        path.write_text(f"<html><body><main><p>{body}</p></main></body></html>")
    index = tmp_path / "site"
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        assert worker.submit(lambda: asyncio.run(_index_folder(pages, index))).result() == PAGES
    rewrite_index(index)
    meta_name = next(index.glob("pagefind.*.pf_meta"))
    chunks = read_index_file(meta_name)[2]
    words = {
        tuple(entry[0] for entry in read_index_file(index / "index" / f"{name}.pf_index")[0])
        for _, _, name in chunks
    }
    assert ("common",) in words, f"no chunk of its own for the common word: {chunks}"
    (index / "index.html").write_text("<!doctype html><title>search</title>")
    context = browser.new_context()
    try:
        with serve_directory(index) as url:
            page = context.new_page()
            page.goto(url)
            page.evaluate(
                "async () => { window.pf = await import('./pagefind.js');"
                " await window.pf.options({ baseUrl: '/' }); await window.pf.init(); }"
            )

            def count(word: str) -> int:
                script = f"async () => (await window.pf.search({word!r})).results.length"
                return int(page.evaluate(script))

            assert count("common") == PAGES
            for rare in sorted({_rare(n) for n in range(PAGES)}):
                assert count(rare) == PAGES // 40, rare
            for n in range(40, PAGES, 37):  # page40..page399: no other word extends them
                assert count(f"page{n}") == 1, n
    finally:
        context.close()
