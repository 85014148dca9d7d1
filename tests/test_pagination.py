"""Long lists cut into pages: sizes, addresses and the numbers a pager shows."""

from generator.pagination import page_uri, pager_numbers, paginate


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
