"""Enrich: the orders a list of papers can be read in: by title, newest added first, newest
published first.

Each order ranks the whole catalogue once; any list (a tag's papers) is put in an order by
sorting on those ranks, so a catalogue of 100,000 papers in 40 tags is sorted three times,
not once per list. An order is offered only when some entry has what it sorts by (`added`,
`date`): a second copy of the title order would only send readers round in circles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.enrich.venues_and_years import newest_first
from generator.model.paper import Paper


@dataclass(frozen=True)
class ListOrder:
    """One order of a list of papers."""

    key: str
    """Its part of the list's address (`papers/newest/`); the title order has none."""
    label: str
    """What the switch between orders shows."""
    phrase: str
    """How a list's count line says it: "17 papers, newest added first"."""


BY_TITLE = ListOrder("", "Title", "by title")
NEWEST_ADDED = ListOrder("newest", "Newest added", "newest added first")
NEWEST_PUBLISHED = ListOrder("published", "Publication date", "newest published first")
ORDERS = (BY_TITLE, NEWEST_ADDED, NEWEST_PUBLISHED)
ORDER_KEYS = frozenset(o.key for o in ORDERS if o.key)
"""The addresses the orders take beside a list's own: no entry may be named after them."""


@dataclass(frozen=True)
class PaperOrders:
    """Every order the catalogue offers, as each paper's rank in it."""

    offered: tuple[ListOrder, ...]
    """The orders lists are offered in, `BY_TITLE` first."""
    ranks: dict[str, dict[str, int]]
    """Each order's rank of each paper (by order key, then slug); the title order has none:
    lists are kept in title order already."""

    def ordered(self, papers: Sequence[Paper], order: ListOrder) -> Sequence[Paper]:
        """`papers` (in title order) in `order`."""
        if order is BY_TITLE or not order.key:
            return papers
        rank = self.ranks[order.key]
        return tuple(sorted(papers, key=lambda p: rank[p.slug]))


def build_orders(papers: Sequence[Paper]) -> PaperOrders:
    """The orders of `papers`, which come in title order. Ties keep the title order; papers
    without the field sorted by come last."""
    offered = [BY_TITLE]
    ranks: dict[str, dict[str, int]] = {}
    if any(p.entry.added for p in papers):
        offered.append(NEWEST_ADDED)
        # Sorting is stable, also with reverse=True: equal days keep the title order, and
        # the empty string of an entry without `added` sorts last.
        by_added = sorted(papers, key=lambda p: p.entry.added or "", reverse=True)
        ranks[NEWEST_ADDED.key] = _ranks(by_added)
    if any(p.entry.date for p in papers):
        offered.append(NEWEST_PUBLISHED)
        # As the year pages list them: `2024` counts as the start of 2024, after its days.
        ranks[NEWEST_PUBLISHED.key] = _ranks(newest_first(papers))
    return PaperOrders(tuple(offered), ranks)


def _ranks(papers: Iterable[Paper]) -> dict[str, int]:
    return {p.slug: n for n, p in enumerate(papers)}
