"""What a page adds to the theme's `<head>`: feed links, and on a paper's page the Google
Scholar `citation_*` and OpenGraph meta tags (every value escaped by the template)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.enrich.citations import PublicationKind, publication_kind
from generator.model import text
from generator.model.paper import Paper
from generator.model.vocabulary import Tag
from generator.render import urls
from generator.render.context import RenderContext
from generator.render.exports import feeds_enabled
from generator.render.links import pdf_url
from generator.render.page import render_template


def page_head(ctx: RenderContext, src_uri: str, tag: Tag | None = None) -> Markup:
    """Feed links on every page (and the tag's on the pages of a tag), and a paper's meta tags
    on its page."""
    settings = ctx.settings
    feeds = []
    if feeds_enabled(settings.addresses):
        feeds.append(
            {"title": f"{settings.site_name}: newest papers",
             "href": ctx.file_href(src_uri, urls.CATALOGUE_FEED)}
        )  # fmt: skip
        tag = tag or ctx.tag_at(src_uri)
        if tag is not None:
            feeds.append(
                {"title": f"{settings.site_name}: newest papers tagged {tag.name}",
                 "href": ctx.file_href(src_uri, urls.tag_feed(tag.id))}
            )  # fmt: skip
    paper = ctx.paper_at(src_uri)
    html = render_template(
        "page_head.html.j2",
        feeds=feeds,
        paper=_scholar_meta(ctx, paper) if paper else None,
        site_name=settings.site_name,
    )
    return Markup(html)


def _scholar_meta(ctx: RenderContext, paper: Paper) -> dict[str, Any]:
    """Values of the citation_* and og:* meta tags (escaped by the template)."""
    entry = paper.entry
    kind = publication_kind(entry)
    addresses = ctx.settings.addresses
    return {
        "title": text.to_plain(entry.title),
        "authors": entry.authors,
        # Google Scholar reads dates as 2024/05/17, 2024/05 or 2024.
        "date": entry.date.replace("-", "/") if entry.date else None,
        "journal": entry.venue if kind is PublicationKind.JOURNAL_ARTICLE else None,
        "conference": entry.venue if kind is PublicationKind.CONFERENCE_PAPER else None,
        "arxiv": entry.arxiv,
        "pdf_url": pdf_url(entry),
        "keywords": "; ".join(ctx.catalogue.vocabulary[t].name for t in entry.tags),
        "description": text.teaser(entry.abstract, 300),
        "url": addresses.page(urls.paper_uri(paper.slug)) if addresses.site_url else None,
    }
