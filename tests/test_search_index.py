"""The search index is built from paper articles alone (issue 5: Pagefind parsed the whole
theme around every paper), and that gives exactly the index of the whole pages."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from pathlib import Path

from generator.search_index import BUNDLE_LIST, SEARCH_FOLDER, _index_folder
from generator.search_index_rewrite import rewrite_index
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
    del built[BUNDLE_LIST]
    assert indexed > 124
    assert snapshot(whole) == built
