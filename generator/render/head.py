"""What a page adds to the theme's `<head>`: feed links, and on a paper's page the Google
Scholar `citation_*` and OpenGraph meta tags (every value escaped by the template)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.enrich.citations import PublicationKind, publication_kind
from generator.model import text
from generator.model.paper import Paper
from generator.model.vocabulary import Tag, Vocabulary
from generator.render import urls
from generator.render.exports import feeds_enabled
from generator.render.links import pdf_url
from generator.render.page import RenderSettings, render_template


def page_head(
    settings: RenderSettings,
    vocabulary: Vocabulary,
    src_uri: str,
    tag: Tag | None = None,
    paper: Paper | None = None,
) -> Markup:
    """Feed links on every page (and `tag`'s on the pages of a tag), and `paper`'s meta tags
    on its page."""
    feeds = []
    if feeds_enabled(settings.addresses):
        feeds.append(
            {"title": f"{settings.site_name}: newest papers",
             "href": urls.file_href(src_uri, urls.CATALOGUE_FEED, settings.use_directory_urls)}
        )  # fmt: skip
        if tag is not None:
            feeds.append(
                {"title": f"{settings.site_name}: newest papers tagged {tag.name}",
                 "href": urls.file_href(src_uri, urls.tag_feed(tag.id),
                                        settings.use_directory_urls)}
            )  # fmt: skip
    html = render_template(
        "page_head.html.j2",
        feeds=feeds,
        paper=_scholar_meta(settings, vocabulary, paper) if paper else None,
        site_name=settings.site_name,
    )
    return Markup(html)


def _scholar_meta(settings: RenderSettings, vocabulary: Vocabulary, paper: Paper) -> dict[str, Any]:
    """Values of the citation_* and og:* meta tags (escaped by the template)."""
    entry = paper.entry
    kind = publication_kind(entry)
    addresses = settings.addresses
    return {
        "title": text.to_plain(entry.title),
        "authors": entry.authors,
        # Google Scholar reads dates as 2024/05/17, 2024/05 or 2024.
        "date": entry.date.replace("-", "/") if entry.date else None,
        "journal": entry.venue if kind is PublicationKind.JOURNAL_ARTICLE else None,
        "conference": entry.venue if kind is PublicationKind.CONFERENCE_PAPER else None,
        "arxiv": entry.arxiv,
        "pdf_url": pdf_url(entry),
        "keywords": "; ".join(vocabulary[t].name for t in entry.tags),
        "description": text.description(entry.abstract),
        "url": addresses.page(urls.paper_uri(paper.slug)) if addresses.site_url else None,
    }
