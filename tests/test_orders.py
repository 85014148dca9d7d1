"""Lists in the orders readers want: by title, newest added first, newest published first."""

from __future__ import annotations

from generator.enrich.catalogue import build_catalogue
from generator.enrich.orders import (
    BY_TITLE,
    NEWEST_ADDED,
    NEWEST_PUBLISHED,
    ORDER_KEYS,
    build_orders,
)
from generator.model.entry import RESERVED_SLUGS, Entry, slug_problem
from generator.model.paper import Paper
from generator.model.vocabulary import Tag, Vocabulary
from generator.render import urls

VOCABULARY = Vocabulary(
    (Tag(id="kv-cache", name="KV cache", kind="method", description="Caches."),)
)


def paper(slug: str, title: str, added: str | None = None, date: str | None = None) -> Paper:
    entry = Entry(title=title, abstract="Text.", tags=["kv-cache"], added=added, date=date)
    return Paper(slug, f"papers/{slug}.yaml", entry, {})


def slugs(papers: object) -> list[str]:
    return [p.slug for p in papers]  # type: ignore[attr-defined]


def test_newest_added_first_ties_by_title_and_entries_without_a_day_last() -> None:
    catalogue = build_catalogue(
        [
            paper("c", "Gamma", added="2026-11-29"),
            paper("a", "Alpha"),
            paper("b", "Beta", added="2026-12-01"),
            paper("d", "Delta", added="2026-11-29"),
        ],
        VOCABULARY,
    )
    orders = catalogue.orders
    assert orders.offered == (BY_TITLE, NEWEST_ADDED)  # no entry has a date
    assert slugs(orders.ordered(catalogue.papers, BY_TITLE)) == ["a", "b", "d", "c"]
    assert slugs(orders.ordered(catalogue.papers, NEWEST_ADDED)) == ["b", "d", "c", "a"]
    # A tag's list is the same order, restricted to its papers.
    tagged = catalogue.tag_index.papers("kv-cache")[1:]
    assert slugs(orders.ordered(tagged, NEWEST_ADDED)) == ["b", "d", "c"]
    assert slugs(catalogue.latest_added(10)) == ["b", "d", "c"]  # the home page's list


def test_newest_published_first_a_year_after_its_months_and_days() -> None:
    papers = [
        paper("a", "A", date="2024"),
        paper("b", "B", date="2024-05"),
        paper("c", "C", date="2024-05-17"),
        paper("d", "D", date="2023-12-31"),
        paper("e", "E"),
        paper("f", "F", date="2025"),
    ]
    orders = build_orders(papers)
    assert orders.offered == (BY_TITLE, NEWEST_PUBLISHED)
    assert slugs(orders.ordered(papers, NEWEST_PUBLISHED)) == ["f", "c", "b", "a", "d", "e"]


def test_only_the_title_order_when_no_entry_has_days_or_dates() -> None:
    assert build_orders([paper("a", "A"), paper("b", "B")]).offered == (BY_TITLE,)


def test_no_entry_can_take_the_address_of_an_order() -> None:
    assert ORDER_KEYS <= RESERVED_SLUGS
    for key in ORDER_KEYS:
        assert slug_problem(key) is not None
        assert urls.order_uri(urls.ALL_PAPERS_URI, key) == urls.paper_uri(key)
    assert urls.order_uri(urls.tag_uri("kv-cache"), "newest") == "tags/kv-cache/newest.md"
    assert urls.order_uri(urls.ALL_PAPERS_URI, "") == urls.ALL_PAPERS_URI
