"""The map of the catalogue: its page, and the data the page draws from.

The page holds no point itself: `docs/javascripts/catalogue-map.js` fetches `map/points.json`
(every paper's place, colour and tags, as compact integer lists) only on this page, draws it
on a canvas, and fetches the titles and addresses of a block of `PAPERS_PER_FILE` papers
(`map/papers-<n>.json`) only when a reader points at one of them. The data files go with the
page (`GeneratedPage.files`; the map is in the navigation, so the plugin hands both to
MkDocs), and no other page names them. The page itself carries
the text alternative: the regions of the map, their words and their most central papers, as
links.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.enrich.catalogue import Catalogue
from generator.enrich.map import GRID, CatalogueMap
from generator.model import text
from generator.model.paper import Paper
from generator.model.vocabulary import Tag
from generator.render import urls
from generator.render.context import PageKit, RenderContext
from generator.render.page import GeneratedPage, PagePlan, render_template

MAP_URI = urls.MAP_URI
POINTS_FILE = "map/points.json"
PAPERS_PER_FILE = 500
"""Papers per file of titles and addresses: the file a reader's first hover fetches."""
COLOURED_TAGS = 10
"""The largest method tags get a colour of their own; the other papers are grey."""
REGION_PAPERS = 30
"""Papers listed under each region in the page's text alternative (the most central)."""
SCRIPT = "javascripts/catalogue-map.js"


@dataclass(frozen=True)
class MapContext:
    """What the map shows: the layout, the papers (in catalogue order) and the used tags."""

    layout: CatalogueMap
    papers: tuple[Paper, ...]
    tags: tuple[tuple[Tag, int], ...]
    """Every used tag with its number of papers, in the vocabulary's order."""
    coloured: tuple[str, ...]
    """The tag ids that have a colour of their own, largest first."""


def papers_file(number: int) -> str:
    """The file of titles and addresses of papers `number * PAPERS_PER_FILE` onwards."""
    return f"map/papers-{number}.json"


def data_paths(count: int) -> list[str]:
    """The paths of the map's data files for a catalogue of `count` papers."""
    blocks = (count + PAPERS_PER_FILE - 1) // PAPERS_PER_FILE
    return [POINTS_FILE, *(papers_file(n) for n in range(blocks))]


def map_context(catalogue: Catalogue) -> MapContext:
    tags = tuple((t, catalogue.tag_index.count(t.id)) for t in catalogue.used_tags)
    methods = sorted((pair for pair in tags if pair[0].kind == "method"), key=lambda p: -p[1])
    coloured = tuple(t.id for t, _ in methods[:COLOURED_TAGS])
    return MapContext(catalogue.map, tuple(catalogue.papers), tags, coloured)


def map_plan(ctx: RenderContext) -> PagePlan[MapContext]:
    """The map's page, with its data files."""
    return PagePlan(MAP_URI, partial(map_context, ctx.catalogue), partial(_map_page, ctx.kit))


def map_files(catalogue: Catalogue) -> dict[str, str]:
    """The map's data files, by path in the site."""
    return data_files(map_context(catalogue))


def data_files(shows: MapContext) -> dict[str, str]:
    """The map's data files, by path in the site."""
    layout, papers = shows.layout, shows.papers
    tags = [t.id for t, _ in shows.tags]
    column = {t: n for n, t in enumerate(tags)}
    colour_of = {t: n for n, t in enumerate(shows.coloured)}
    colours = []
    tagged: list[list[int]] = [[] for _ in tags]
    for index, paper in enumerate(papers):
        colours.append(next((colour_of[t] for t in paper.entry.tags if t in colour_of), -1))
        for tag_id in dict.fromkeys(paper.entry.tags):
            tagged[column[tag_id]].append(index)
    points = {
        "count": len(papers),
        "grid": GRID,
        "perFile": PAPERS_PER_FILE,
        "x": list(layout.x),
        "y": list(layout.y),
        "colour": colours,
        # Each tag's papers as gaps between positions: small numbers, which compress well.
        "tagged": [_gaps(indices) for indices in tagged],
        "tags": tags,
        "regions": [{"x": r.x, "y": r.y, "words": list(r.words)} for r in layout.regions],
    }
    files = {POINTS_FILE: _json(points)}
    for number, start in enumerate(range(0, len(papers), PAPERS_PER_FILE)):
        block = papers[start : start + PAPERS_PER_FILE]
        files[papers_file(number)] = _json([[p.slug, text.to_plain(p.entry.title)] for p in block])
    return files


def _gaps(indices: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *indices], indices, strict=False)]


def _json(value: Any) -> str:
    # ensure_ascii: entry text reaches the file as \\u escapes only, whatever it holds.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _map_page(kit: PageKit, shows: MapContext) -> GeneratedPage:
    """The map's page: the canvas the script draws on, the tag filter, the legend, and the
    regions with their papers as the text alternative."""
    uri = MAP_URI
    papers = shows.papers
    regions = []
    for region in shows.layout.regions:
        members = [papers[i] for i in region.members[:REGION_PAPERS]]
        regions.append(
            {
                "words": region.words,
                "count": len(region.members),
                "papers": [
                    {"title": p.entry.title, "href": kit.href(uri, urls.paper_uri(p.slug))}
                    for p in members
                ],
            }
        )
    # A paper's address is the prefix, its slug and the suffix (`../papers/` and `/`).
    example = kit.href(uri, urls.paper_uri("x"))
    cut = example.rindex("x")
    html = render_template(
        "map.html.j2",
        count=len(papers),
        points_href=kit.file_href(uri, POINTS_FILE),
        paper_prefix=example[:cut],
        paper_suffix=example[cut + 1 :],
        script_href=kit.file_href(uri, SCRIPT),
        tags=[{"id": t.id, "name": t.name, "count": count} for t, count in shows.tags],
        legend=[kit.vocabulary[t].name for t in shows.coloured],
        regions=regions,
    )
    description = f"All {len(papers)} papers of the catalogue on one map, grouped by topic."
    files = tuple(data_files(shows).items())
    return GeneratedPage(
        uri, "Map of the catalogue", description, html, head=kit.head(uri), files=files
    )
