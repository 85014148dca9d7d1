"""Long lists cut into pages: sizes, addresses and the numbers a pager shows."""

import posixpath
import re
from pathlib import Path

import pytest

from generator import CatalogueSources, RenderSettings, load_catalogue
from generator.render import urls
from generator.render.pages import PageRenderer
from generator.render.pagination import page_uri, pager_numbers, paginate
from tests.benchmarks.synthetic import synthesize_catalogue


def test_pages_hold_at_most_per_page_items_and_cover_all() -> None:
    parts = paginate(list(range(250)), per_page=100)
    assert [len(p.items) for p in parts] == [100, 100, 50]
    assert [p.first_index for p in parts] == [0, 100, 200]
    assert {p.count for p in parts} == {3}
    assert [x for p in parts for x in p.items] == list(range(250))


def test_an_empty_list_has_one_empty_page() -> None:
    (only,) = paginate([], per_page=100)
    assert (only.number, only.count, list(only.items)) == (1, 1, [])


def test_page_addresses_nest_under_the_first_page() -> None:
    assert page_uri("papers/index.md", 1) == "papers/index.md"
    assert page_uri("papers/index.md", 2) == "papers/page/2.md"
    assert page_uri("tags/kv-cache.md", 7) == "tags/kv-cache/page/7.md"


def test_pager_shows_ends_and_neighbours_with_gaps() -> None:
    assert pager_numbers(1, 1) == [1]
    assert pager_numbers(1, 75) == [1, 2, 3, None, 75]
    assert pager_numbers(40, 75) == [1, None, 38, 39, 40, 41, 42, None, 75]
    assert pager_numbers(4, 5) == [1, 2, 3, 4, 5]


def test_an_index_of_many_authors_is_paginated_and_each_author_links_to_their_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.render.browse

    monkeypatch.setattr(generator.render.browse, "INDEX_ROWS_PER_PAGE", 20)
    catalogue = load_catalogue(CatalogueSources(synthesize_catalogue(tmp_path, 300, seed=2)))
    renderer = PageRenderer(catalogue, RenderSettings())
    pages = {page.uri: page for page in renderer.browse_pages()}
    for letter, group in catalogue.authors.letters().items():
        first = urls.author_letter_uri(letter)
        targets: list[str] = []
        for number in range(1, -(-len(group) // 20) + 1):
            page = pages[page_uri(first, number)]
            rows = re.findall(r'<li><a href="([^"]+)" dir="auto">', page.html)
            assert 0 < len(rows) <= 20
            if len(group) > 20:
                assert 'class="catalogue-pager"' in page.html
            for href in rows:
                target = posixpath.normpath(posixpath.join(urls.page_url(page.uri), href))
                targets.append(target)
                if not target.startswith("authors/"):
                    continue
                # The author's page links back to the index page that lists them.
                author_page = pages[f"{target}.md"]
                back = re.search(r'<a href="([^"]+)">other authors</a>', author_page.html)
                assert back, target
                back_target = posixpath.normpath(posixpath.join(target, back.group(1)))
                assert back_target == posixpath.normpath(urls.page_url(page.uri))
        # Authors with a page of their own lead there, the others to their one paper.
        assert targets == [
            posixpath.normpath(urls.page_url(
                urls.author_uri(a.slug) if renderer.has_page(a)
                else urls.paper_uri(a.papers[0].slug)))
            for a in group
        ]  # fmt: skip
    assert any(len(group) > 20 for group in catalogue.authors.letters().values())
    assert any(not renderer.has_page(a) for a in catalogue.authors.authors)
    assert any(renderer.has_page(a) for a in catalogue.authors.authors)
