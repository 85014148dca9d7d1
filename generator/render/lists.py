"""The lists of papers by tag: every paper, the tags overview, and each tag's pages."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from functools import partial

from generator.model.paper import Paper
from generator.model.vocabulary import Tag
from generator.render import urls
from generator.render.context import RenderContext
from generator.render.exports import feeds_enabled
from generator.render.head import page_head
from generator.render.page import GeneratedPage, gzipped_note, render_template
from generator.render.pagination import ListPage, page_uri, paginate


def all_papers_pages(ctx: RenderContext) -> Iterator[GeneratedPage]:
    """The list of every paper, in catalogue order, `list_page_size` to a page."""
    first_uri = urls.ALL_PAPERS_URI
    papers = ctx.catalogue.papers
    for part in paginate(papers, ctx.settings.list_page_size):
        uri = page_uri(first_uri, part.number)
        make = partial(_all_papers_page, ctx, uri, part, papers)
        yield ctx.list_page(uri, part, (len(papers),), make)


def _all_papers_page(
    ctx: RenderContext, uri: str, part: ListPage[Paper], papers: Sequence[Paper]
) -> GeneratedPage:
    title = "All papers" if part.number == 1 else f"All papers (page {part.number})"
    html = render_template(
        "papers.html.j2",
        total=len(papers),
        items=[ctx.list_item(uri, p) for p in part.items],
        pages=ctx.pager(urls.ALL_PAPERS_URI, uri, part),
    )
    return GeneratedPage(uri, title, f"All {len(papers)} papers of the catalogue.", html)


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
    """A tag's pages: its description and the papers that carry it, paginated."""
    first_uri = urls.tag_uri(tag.id)
    papers = ctx.catalogue.tag_index.papers(tag.id)
    feeds = feeds_enabled(ctx.settings.addresses)
    # Gzipped in a large catalogue: the link changes when the catalogue crosses the line.
    bibtex = urls.whole_catalogue_export(urls.tag_bibtex(tag.id), len(ctx.catalogue.papers))
    for part in paginate(papers, ctx.settings.list_page_size):
        uri = page_uri(first_uri, part.number)
        shape = (tag, len(papers), feeds, bibtex)
        make = partial(_tag_page, ctx, tag, uri, part, papers, feeds, bibtex)
        yield ctx.list_page(uri, part, shape, make)


def _tag_page(
    ctx: RenderContext,
    tag: Tag,
    uri: str,
    part: ListPage[Paper],
    papers: Sequence[Paper],
    feeds: bool,
    bibtex: str,
) -> GeneratedPage:
    title = tag.name if part.number == 1 else f"{tag.name} (page {part.number})"
    html = render_template(
        "tag.html.j2",
        tag=tag,
        total=len(papers),
        items=[ctx.list_item(uri, p) for p in part.items],
        pages=ctx.pager(urls.tag_uri(tag.id), uri, part),
        overview_href=ctx.href(uri, urls.TAGS_OVERVIEW_URI),
        bibtex_href=ctx.file_href(uri, bibtex),
        bibtex_name=posixpath.basename(bibtex),
        bibtex_note=gzipped_note(bibtex),
        feed_href=ctx.file_href(uri, urls.tag_feed(tag.id)) if feeds else None,
    )
    return GeneratedPage(uri, title, tag.description, html, head=page_head(ctx, uri, tag))
