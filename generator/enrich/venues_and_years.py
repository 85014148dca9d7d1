"""Enrich: papers grouped by publication year and by venue, newest first.

A venue page gathers every year of one venue: `NeurIPS 2023` and `NeurIPS 2024` are both on
the `NeurIPS` page (a four-digit year in the venue's name is left out of the grouping). Names
that differ only in case, spacing or Unicode form are one venue.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from slugify import slugify

from generator.enrich.addresses import Claim, claim_addresses, first_added
from generator.model.names import name_key
from generator.model.paper import Paper

RESERVED_SLUGS = frozenset({"index"})
"""Venue page names taken by the venues' own index page."""

_YEAR_IN_NAME_RE = re.compile(r"(?<![\w'])(?:19|20)\d{2}(?!\w)|'\d{2}(?!\w)")


def venue_series(venue: str) -> str:
    """A venue's name without its year: `NeurIPS 2023` -> `NeurIPS`, `ICML'24` -> `ICML`."""
    stripped = _YEAR_IN_NAME_RE.sub(" ", venue)
    cleaned = " ".join(stripped.split()).strip(" ,;:-\u2013()")  # \u2013: en dash
    return cleaned or venue.strip()


def newest_first(papers: Sequence[Paper]) -> tuple[Paper, ...]:
    """Papers by date, newest first; undated last; catalogue order among equals."""
    # Python's sort is stable, so catalogue order (the input order) breaks ties.
    return tuple(sorted(papers, key=lambda p: _negated_date(p.entry.date)))


def _negated_date(date: str | None) -> tuple[int, ...]:
    if not date:
        return (1,)
    parts = [int(part) for part in date.split("-")]
    parts += [0] * (3 - len(parts))
    return (0, *(-part for part in parts))


@dataclass(frozen=True)
class YearGroup:
    """The papers published in one year."""

    year: str
    papers: tuple[Paper, ...]


@dataclass(frozen=True)
class Venue:
    """One venue (all its years) and its papers."""

    key: str
    """`name_key` of the name without its year: what every spelling of this venue maps to."""
    name: str
    """The spelling most entries use (ties: the first in code point order): the venue's
    page, the venues' index and the search filter show it."""
    slug: str
    """The page's address under `/venues/` (`addresses`: it never moves for a newcomer)."""
    papers: tuple[Paper, ...]


def group_by_year(papers: Sequence[Paper]) -> tuple[YearGroup, ...]:
    """A group per year that has papers, newest year first."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.entry.year:
            groups[paper.entry.year].append(paper)
    return tuple(YearGroup(y, newest_first(groups[y])) for y in sorted(groups, reverse=True))


def group_by_venue(papers: Sequence[Paper]) -> tuple[Venue, ...]:
    """A group per venue that has papers, by name."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for paper in papers:
        if paper.entry.venue:
            series = venue_series(paper.entry.venue)
            key = name_key(series)
            groups[key].append(paper)
            spellings[key][series] += 1
    names = {k: min(c, key=lambda s: (-c[s], s)) for k, c in spellings.items()}
    ordered = sorted(groups, key=lambda k: (names[k].casefold(), k))
    # As for authors (`people`): the address comes from the key, and a venue that had it
    # keeps it when another venue making the same address joins later.
    claims = (Claim(k, _venue_slug(k), first_added(groups[k])) for k in ordered)
    slugs = claim_addresses(claims, RESERVED_SLUGS)
    return tuple(Venue(k, names[k], slugs[k], newest_first(groups[k])) for k in ordered)


def _venue_slug(key: str) -> str:
    """The page name of a venue, before any `-2` that makes it unique."""
    return slugify(key, max_length=80) or "venue"
