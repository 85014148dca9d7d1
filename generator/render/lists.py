"""The lists of papers by tag: every paper, the tags overview, and each tag's pages."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.enrich.orders import BY_TITLE, ListOrder
from generator.model.paper import Paper
from generator.model.vocabulary import Tag
from generator.render import urls
from generator.render.context import PageKit, RenderContext
from generator.render.exports import feeds_enabled
from generator.render.figures import Figure, papers_per_year, render_figures
from generator.render.page import GeneratedPage, PagePlan, gzipped_note, render_template
from generator.render.pagination import ListPage, page_uri, paginate


@dataclass(frozen=True)
class AllPapersContext:
    """A page of the list of every paper, in one order."""

    part: ListPage[Paper]
    total: int
    order: ListOrder
    offered: tuple[ListOrder, ...]
    """The orders the catalogue offers (the switch between them)."""


@dataclass(frozen=True)
class TagsContext:
    """The tags overview: per kind of tag, its heading and each used tag with its count."""

    groups: tuple[tuple[str, str, tuple[tuple[Tag, int], ...]], ...]
    used: int
    """How many tags have papers."""


@dataclass(frozen=True)
class TagPageContext:
    """A page of a tag's list, in one order."""

    tag: Tag
    part: ListPage[Paper]
    total: int
    feeds: bool
    """Whether the site has feeds (it needs its own address)."""
    bibtex: str
    """Where the tag's BibTeX is published (gzipped in a large catalogue)."""
    order: ListOrder
    offered: tuple[ListOrder, ...]
    years: Figure | None
    """The tag's papers per year, shown on the first page of each order."""


def all_papers_plans(ctx: RenderContext) -> Iterator[PagePlan[AllPapersContext]]:
    """The list of every paper in each order the catalogue offers (by title first),
    `list_page_size` to a page."""
    papers, orders = ctx.catalogue.papers, ctx.catalogue.orders
    for order in orders.offered:
        first_uri = urls.order_uri(urls.ALL_PAPERS_URI, order.key)
        listed = orders.ordered(papers, order)
        for part in paginate(listed, ctx.settings.list_page_size):
            uri = page_uri(first_uri, part.number)
            context = partial(AllPapersContext, part, len(papers), order, orders.offered)
            yield PagePlan(uri, context, partial(_all_papers_page, ctx.kit, uri))


def _all_papers_page(kit: PageKit, uri: str, shows: AllPapersContext) -> GeneratedPage:
    part, order = shows.part, shows.order
    heading = "All papers" if order is BY_TITLE else f"All papers, {order.phrase}"
    title = heading if part.number == 1 else f"{heading} (page {part.number})"
    html = render_template(
        "papers.html.j2",
        total=shows.total,
        order=order,
        orders=order_links(kit, uri, urls.ALL_PAPERS_URI, order, shows.offered),
        # A list by date shows each paper's date and venue, not a teaser: the teaser is there
        # in the list by title, and the two lists by date would be two more copies of it.
        items=[kit.list_item(uri, p, facts_only=order is not BY_TITLE) for p in part.items],
        pages=kit.pager(urls.order_uri(urls.ALL_PAPERS_URI, order.key), uri, part),
    )
    description = f"All {shows.total} papers of the catalogue."
    return GeneratedPage(uri, title, description, html, head=kit.head(uri))


def order_links(
    kit: PageKit,
    uri: str,
    list_uri: str,
    current: ListOrder,
    offered: tuple[ListOrder, ...],
) -> list[dict[str, Any]]:
    """The switch between the orders of the list whose first page (by title) is `list_uri`:
    each order's first page; none when the catalogue offers one order only."""
    if len(offered) < 2:
        return []
    return [
        {
            "label": order.label,
            "href": kit.href(uri, urls.order_uri(list_uri, order.key)),
            "current": order is current,
        }
        for order in offered
    ]


def tags_overview_plan(ctx: RenderContext) -> PagePlan[TagsContext]:
    """Every tag that has papers, grouped by kind, with its count."""
    uri = urls.TAGS_OVERVIEW_URI
    return PagePlan(uri, partial(_tags_context, ctx), partial(_tags_overview, ctx.kit, uri))


def _tags_context(ctx: RenderContext) -> TagsContext:
    catalogue = ctx.catalogue
    groups = []
    for kind, heading in (("method", "Methods"), ("modality", "Modalities")):
        rows = tuple(
            (t, catalogue.tag_index.count(t.id)) for t in catalogue.used_tags if t.kind == kind
        )
        if rows:
            groups.append((kind, heading, rows))
    return TagsContext(tuple(groups), len(catalogue.used_tags))


def _tags_overview(kit: PageKit, uri: str, shows: TagsContext) -> GeneratedPage:
    groups = [
        {
            "heading": heading,
            "kind": kind,
            "rows": [{**kit.tag_link(uri, tag), "count": count} for tag, count in rows],
        }
        for kind, heading, rows in shows.groups
    ]
    html = render_template("tags.html.j2", groups=groups)
    description = f"All {shows.used} tags of the catalogue."
    return GeneratedPage(uri, "Tags", description, html, head=kit.head(uri))


def tag_plans(ctx: RenderContext, tag: Tag) -> Iterator[PagePlan[TagPageContext]]:
    """A tag's pages: its description and the papers that carry it, paginated, in each
    order the catalogue offers (by title first)."""
    papers, orders = ctx.catalogue.tag_index.papers(tag.id), ctx.catalogue.orders
    feeds = feeds_enabled(ctx.settings.addresses)
    # Gzipped in a large catalogue: the link changes when the catalogue crosses the line.
    bibtex = urls.whole_catalogue_export(urls.tag_bibtex(tag.id), len(ctx.catalogue.papers))
    years = papers_per_year(papers)
    for order in orders.offered:
        first_uri = urls.order_uri(urls.tag_uri(tag.id), order.key)
        listed = orders.ordered(papers, order)
        for part in paginate(listed, ctx.settings.list_page_size):
            uri = page_uri(first_uri, part.number)
            shown = years if part.number == 1 else None
            context = partial(
                TagPageContext, tag, part, len(papers), feeds, bibtex, order, orders.offered,
                shown,
            )  # fmt: skip
            yield PagePlan(uri, context, partial(_tag_page, ctx.kit, uri))


def _tag_page(kit: PageKit, uri: str, shows: TagPageContext) -> GeneratedPage:
    tag, part, order = shows.tag, shows.part, shows.order
    heading = tag.name if order is BY_TITLE else f"{tag.name}, {order.phrase}"
    title = heading if part.number == 1 else f"{heading} (page {part.number})"
    first_uri = urls.tag_uri(tag.id)
    html = render_template(
        "tag.html.j2",
        tag=tag,
        total=shows.total,
        figures=render_figures([shows.years], id_prefix=f"figure-{tag.id}"),
        order=order,
        orders=order_links(kit, uri, first_uri, order, shows.offered),
        # A list by date shows each paper's date and venue, not a teaser: the teaser is there
        # in the list by title, and the two lists by date would be two more copies of it.
        items=[kit.list_item(uri, p, facts_only=order is not BY_TITLE) for p in part.items],
        pages=kit.pager(urls.order_uri(first_uri, order.key), uri, part),
        overview_href=kit.href(uri, urls.TAGS_OVERVIEW_URI),
        bibtex_href=kit.file_href(uri, shows.bibtex),
        bibtex_name=posixpath.basename(shows.bibtex),
        bibtex_note=gzipped_note(shows.bibtex),
        feed_href=kit.file_href(uri, urls.tag_feed(tag.id)) if shows.feeds else None,
    )
    return GeneratedPage(uri, title, tag.description, html, head=kit.head(uri, tag))
