"""The map while serving: laid out once, then kept, so that an edit never waits for it.

Laying out the map costs more the larger the catalogue, and `catalogue serve` must show an
edit within seconds at any size (issue 5). The session's first build lays it out
(`Catalogue.map`); after that each rebuild keeps every paper where it was, puts a new paper
where its most related paper is (or at the centre, when it has none yet), and drops the
papers that are gone. Regions keep their place and words. A one-off build (`catalogue
build`) always lays out the whole map.
"""

from __future__ import annotations

from generator.enrich.catalogue import Catalogue
from generator.enrich.map import GRID, CatalogueMap, Region


class KeptMap:
    """The map of the last catalogue a `catalogue serve` session built."""

    def __init__(self) -> None:
        self.last: CatalogueMap | None = None

    def map_for(self, catalogue: Catalogue) -> CatalogueMap:
        """The map to render `catalogue` with, now."""
        slugs = tuple(p.slug for p in catalogue.papers)
        last = self.last
        if last is None:
            found = catalogue.map
        elif last.slugs == slugs:
            found = last
        else:
            found = _updated(last, catalogue)
        self.last = found
        return found


def _updated(last: CatalogueMap, catalogue: Catalogue) -> CatalogueMap:
    """`last` for the papers of `catalogue`: the same places, new papers by their related."""
    where = {slug: (x, y) for slug, x, y in zip(last.slugs, last.x, last.y, strict=True)}
    slugs = tuple(p.slug for p in catalogue.papers)
    xs, ys = [], []
    for paper in catalogue.papers:
        place = where.get(paper.slug)
        if place is None:
            near = (where.get(r.slug) for r in catalogue.related.get(paper.slug, ()))
            place = next((p for p in near if p is not None), (GRID // 2, GRID // 2))
        xs.append(place[0])
        ys.append(place[1])
    position = {slug: n for n, slug in enumerate(slugs)}
    regions = tuple(
        Region(
            r.x,
            r.y,
            r.words,
            tuple(position[s] for s in (last.slugs[m] for m in r.members) if s in position),
        )
        for r in last.regions
    )
    return CatalogueMap(slugs, tuple(xs), tuple(ys), regions)
