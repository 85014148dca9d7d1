"""The lists of papers by tag: every paper, the tags overview, and each tag's pages."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from functools import partial
from typing import Any

from markupsafe import Markup

from generator.enrich.orders import BY_TITLE, ListOrder
from generator.model.paper import Paper
from generator.model.vocabulary import Tag
from generator.render import urls
from generator.render.context import RenderContext
from generator.render.exports import feeds_enabled
from generator.render.figures import papers_per_year, render_figures
from generator.render.head import page_head
from generator.render.page import GeneratedPage, gzipped_note, render_template
from generator.render.pagination import ListPage, page_uri, paginate


def all_papers_pages(ctx: RenderContext) -> Iterator[GeneratedPage]:
    """The list of every paper in each order the catalogue offers (by title first),
    `list_page_size` to a page."""
    papers = ctx.catalogue.papers
    for order in ctx.catalogue.orders.offered:
        first_uri = urls.order_uri(urls.ALL_PAPERS_URI, order.key)
        listed = ctx.catalogue.orders.ordered(papers, order)
        shape = (len(papers), order, ctx.catalogue.orders.offered)
        for part in paginate(listed, ctx.settings.list_page_size):
            uri = page_uri(first_uri, part.number)
            make = partial(_all_papers_page, ctx, uri, part, len(papers), order)
            yield ctx.list_page(uri, part, shape, make)


def _all_papers_page(
    ctx: RenderContext, uri: str, part: ListPage[Paper], total: int, order: ListOrder
) -> GeneratedPage:
    heading = "All papers" if order is BY_TITLE else f"All papers, {order.phrase}"
    title = heading if part.number == 1 else f"{heading} (page {part.number})"
    html = render_template(
        "papers.html.j2",
        total=total,
        order=order,
        orders=order_links(ctx, uri, urls.ALL_PAPERS_URI, order),
        items=[ctx.list_item(uri, p) for p in part.items],
        pages=ctx.pager(urls.order_uri(urls.ALL_PAPERS_URI, order.key), uri, part),
    )
    return GeneratedPage(uri, title, f"All {total} papers of the catalogue.", html)


def order_links(
    ctx: RenderContext, uri: str, list_uri: str, current: ListOrder
) -> list[dict[str, Any]]:
    """The switch between the orders of the list whose first page (by title) is `list_uri`:
    each order's first page; none when the catalogue offers one order only."""
    offered = ctx.catalogue.orders.offered
    if len(offered) < 2:
        return []
    return [
        {
            "label": order.label,
            "href": ctx.href(uri, urls.order_uri(list_uri, order.key)),
            "current": order is current,
        }
        for order in offered
    ]


def tags_overview(ctx: RenderContext) -> GeneratedPage:
    """Every tag that has papers, grouped by kind, with its count."""
    uri = urls.TAGS_OVERVIEW_URI
    catalogue = ctx.catalogue
    groups = []
    for kind, heading in (("method", "Methods"), ("modality", "Modalities")):
        rows = [
            {**ctx.tag_link(uri, t), "count": catalogue.tag_index.count(t.id)}
            for t in catalogue.used_tags
            if t.kind == kind
        ]
        if rows:
            groups.append({"heading": heading, "kind": kind, "rows": rows})
    html = render_template("tags.html.j2", groups=groups)
    description = f"All {len(catalogue.used_tags)} tags of the catalogue."
    return GeneratedPage(uri, "Tags", description, html)


def tag_pages(ctx: RenderContext, tag: Tag) -> Iterator[GeneratedPage]:
    """A tag's pages: its description and the papers that carry it, paginated, in each
    order the catalogue offers (by title first)."""
    papers = ctx.catalogue.tag_index.papers(tag.id)
    feeds = feeds_enabled(ctx.settings.addresses)
    # Gzipped in a large catalogue: the link changes when the catalogue crosses the line.
    bibtex = urls.whole_catalogue_export(urls.tag_bibtex(tag.id), len(ctx.catalogue.papers))
    offered = ctx.catalogue.orders.offered
    # The tag's papers per year, on the first page of each order.
    figures = render_figures([papers_per_year(papers)], id_prefix=f"figure-{tag.id}")
    for order in offered:
        first_uri = urls.order_uri(urls.tag_uri(tag.id), order.key)
        listed = ctx.catalogue.orders.ordered(papers, order)
        for part in paginate(listed, ctx.settings.list_page_size):
            uri = page_uri(first_uri, part.number)
            shown = figures if part.number == 1 else Markup("")
            shape = (tag, len(papers), feeds, bibtex, order, offered, shown)
            make = partial(_tag_page, ctx, tag, uri, part, shape)
            yield ctx.list_page(uri, part, shape, make)


def _tag_page(
    ctx: RenderContext,
    tag: Tag,
    uri: str,
    part: ListPage[Paper],
    shape: tuple[Tag, int, bool, str, ListOrder, tuple[ListOrder, ...], Markup],
) -> GeneratedPage:
    _, total, feeds, bibtex, order, _, figures = shape
    heading = tag.name if order is BY_TITLE else f"{tag.name}, {order.phrase}"
    title = heading if part.number == 1 else f"{heading} (page {part.number})"
    first_uri = urls.tag_uri(tag.id)
    html = render_template(
        "tag.html.j2",
        tag=tag,
        total=total,
        figures=figures,
        order=order,
        orders=order_links(ctx, uri, first_uri, order),
        items=[ctx.list_item(uri, p) for p in part.items],
        pages=ctx.pager(urls.order_uri(first_uri, order.key), uri, part),
        overview_href=ctx.href(uri, urls.TAGS_OVERVIEW_URI),
        bibtex_href=ctx.file_href(uri, bibtex),
        bibtex_name=posixpath.basename(bibtex),
        bibtex_note=gzipped_note(bibtex),
        feed_href=ctx.file_href(uri, urls.tag_feed(tag.id)) if feeds else None,
    )
    return GeneratedPage(uri, title, tag.description, html, head=page_head(ctx, uri, tag))
