"""Stage 3, enrich: from valid papers to the catalogue readers browse.

Order and tag index here; citation keys (`citations`), authors (`people`), years and venues
(`venues_and_years`) and related papers (`related`) in their own modules.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.enrich.citations import citation_keys
from generator.enrich.map import CatalogueMap, build_map
from generator.enrich.orders import BY_TITLE, NEWEST_ADDED, PaperOrders, build_orders
from generator.enrich.people import AuthorIndex, build_author_index
from generator.enrich.related import RelatedPaper, find_related
from generator.enrich.venues_and_years import Venue, YearGroup, group_by_venue, group_by_year
from generator.model.paper import Paper, normalised_title
from generator.model.problems import Problem
from generator.model.vocabulary import Tag, Vocabulary
from generator.read.authors_file import AuthorAliases


@dataclass(frozen=True)
class TagIndex:
    """Which papers carry each tag, in catalogue order."""

    papers_by_tag: dict[str, tuple[Paper, ...]]

    def papers(self, tag_id: str) -> tuple[Paper, ...]:
        """The papers tagged `tag_id` (empty if none)."""
        return self.papers_by_tag.get(tag_id, ())

    def count(self, tag_id: str) -> int:
        """How many papers carry `tag_id`."""
        return len(self.papers(tag_id))


@dataclass(frozen=True)
class Catalogue:
    """Everything the pages are rendered from."""

    papers: tuple[Paper, ...]
    """Every paper, sorted by title (then slug) so output never depends on file order."""
    vocabulary: Vocabulary
    tag_index: TagIndex
    used_tags: tuple[Tag, ...] = field(default=())
    """Vocabulary tags that at least one paper carries, in vocabulary order."""
    citation_keys: dict[str, str] = field(default_factory=dict)
    """The BibTeX key (and CSL-JSON / RIS id) of each paper, by slug."""
    authors: AuthorIndex = field(default_factory=lambda: build_author_index((), AuthorAliases()))
    years: tuple[YearGroup, ...] = field(default=())
    """Years that have papers, newest first."""
    venues: tuple[Venue, ...] = field(default=())
    """Venues that have papers, by name."""
    orders: PaperOrders = field(default_factory=lambda: PaperOrders((BY_TITLE,), {}))
    """The orders lists are offered in besides the title order (newest added, published)."""

    @functools.cached_property
    def related(self) -> dict[str, tuple[RelatedPaper, ...]]:
        """The related papers of each paper, by slug: computed when first rendered (it is the
        one costly step), so `catalogue check` does not pay for it."""
        return find_related(self.papers, self.vocabulary)

    @functools.cached_property
    def map(self) -> CatalogueMap:
        """Where each paper sits on the map of the catalogue: computed when first rendered,
        like `related`."""
        return build_map(self.papers, self.vocabulary)

    def use_map(self, catalogue_map: CatalogueMap) -> None:
        """Render with this map instead of computing it (`catalogue serve`)."""
        self.__dict__["map"] = catalogue_map

    def use_related(self, related: dict[str, tuple[RelatedPaper, ...]]) -> None:
        """Render with these related papers instead of computing them (`catalogue serve`:
        generator/serve/background_related.py)."""
        self.__dict__["related"] = related  # where `functools.cached_property` keeps it

    def paper(self, slug: str) -> Paper:
        """The paper with this slug."""
        return self._by_slug[slug]

    @functools.cached_property
    def _by_slug(self) -> dict[str, Paper]:
        return {p.slug: p for p in self.papers}

    def latest_added(self, limit: int) -> list[Paper]:
        """The `limit` papers that joined the catalogue last (by `added`), newest first; papers
        without `added` are left out."""
        if NEWEST_ADDED not in self.orders.offered:
            return []
        newest = self.orders.ordered(self.papers, NEWEST_ADDED)[:limit]
        return [p for p in newest if p.entry.added]

    def largest_tags(self, limit: int) -> list[Tag]:
        """The `limit` tags with the most papers, largest first (ties in vocabulary order)."""
        ranked = sorted(self.used_tags, key=lambda t: -self.tag_index.count(t.id))
        return ranked[:limit]


def build_catalogue(
    papers: Iterable[Paper], vocabulary: Vocabulary, aliases: AuthorAliases | None = None
) -> Catalogue:
    """Order the papers and index them by tag, author, year and venue; give citation keys."""
    ordered = tuple(sorted(papers, key=lambda p: (normalised_title(p.entry.title), p.slug)))
    by_tag: dict[str, list[Paper]] = {tag.id: [] for tag in vocabulary.tags}
    for paper in ordered:
        for tag_id in paper.entry.tags:
            by_tag[tag_id].append(paper)
    index = TagIndex({tag_id: tuple(items) for tag_id, items in by_tag.items() if items})
    used = tuple(tag for tag in vocabulary.tags if index.count(tag.id))
    return Catalogue(
        ordered,
        vocabulary,
        index,
        used,
        citation_keys=citation_keys(ordered),
        authors=build_author_index(ordered, aliases or AuthorAliases()),
        years=group_by_year(ordered),
        venues=group_by_venue(ordered),
        orders=build_orders(ordered),
    )


def check_tag_usage(catalogue: Catalogue) -> list[Problem]:
    """A tag that only one paper carries helps no reader: ask for a second paper or removal."""
    problems = []
    for tag in catalogue.used_tags:
        papers = catalogue.tag_index.papers(tag.id)
        if len(papers) == 1:
            problems.append(
                Problem(
                    papers[0].source,
                    papers[0].line_of("tags"),
                    "tags",
                    f"tag {tag.id!r} would carry only this paper; a tag needs at least two "
                    f"papers (use a broader tag, or tag another paper {tag.id!r} too)",
                )
            )
    return problems
