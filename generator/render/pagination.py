"""Long lists split into numbered pages, so no list page grows with the catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

PER_PAGE = 100
"""Papers per list page: a page a phone loads quickly, whatever the catalogue's size."""

INDEX_ROWS_PER_PAGE = 500
"""Rows (an author, a venue, a year and its count) per page of an index: a page about as
large as a list's. In a large catalogue one letter of the authors' index holds over 10,000 names."""


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a paginated list."""

    number: int
    """1 for the first page."""
    count: int
    """How many pages the list has."""
    items: Sequence[T]
    first_index: int
    """Position (from 0) of this page's first item in the whole list."""


def paginate(items: Sequence[T], per_page: int = PER_PAGE) -> list[ListPage[T]]:
    """`items` cut into pages of `per_page`; an empty list still has one (empty) page."""
    count = max(1, -(-len(items) // per_page))
    return [
        ListPage(n + 1, count, items[n * per_page : (n + 1) * per_page], n * per_page)
        for n in range(count)
    ]


def page_uri(first_uri: str, number: int) -> str:
    """The source path of page `number` of the list whose first page is `first_uri`.

    `tags/quantization.md` -> `tags/quantization/page/2.md`; `papers/index.md` ->
    `papers/page/2.md`.
    """
    if number == 1:
        return first_uri
    stem = first_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return f"{stem}/page/{number}.md" if stem else f"page/{number}.md"


def pager_numbers(current: int, count: int, around: int = 2) -> list[int | None]:
    """Page numbers a pager shows: first, last and `around` either side; None is a gap."""
    shown = sorted({1, count, *range(max(1, current - around), min(count, current + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
