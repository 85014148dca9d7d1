"""A paper's page: facts, tags, abstract, links, related papers, citations, edit link."""

from __future__ import annotations

from typing import Any

from generator.enrich.catalogue import Catalogue
from generator.enrich.related import RelatedPaper
from generator.model import text
from generator.model.paper import Paper
from generator.render import urls
from generator.render.context import RenderContext
from generator.render.head import page_head
from generator.render.links import paper_links
from generator.render.page import GeneratedPage, render_template

CITATION_FORMATS = (("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON"))
"""The citation formats a paper page offers, in order; the first is shown on the page."""


def paper_page(ctx: RenderContext, paper: Paper) -> GeneratedPage:
    """The page of `paper`."""
    uri = urls.paper_uri(paper.slug)
    entry = paper.entry
    catalogue = ctx.catalogue
    edit_base = ctx.settings.edit_url_base
    authors = [catalogue.authors.author(name) for name in entry.authors]
    venue = ctx.venue_of(paper)
    html = render_template(
        "paper.html.j2",
        item=ctx.paper_item(uri, paper),
        authors=[
            {
                "name": name,
                "href": ctx.href(uri, urls.author_uri(author.slug))
                if ctx.has_page(author)
                else None,
            }
            for name, author in zip(entry.authors, authors, strict=True)
        ],
        year_href=ctx.href(uri, urls.year_uri(entry.year)) if entry.year else None,
        venue_href=ctx.href(uri, urls.venue_uri(venue.slug)) if venue else None,
        links=paper_links(entry),
        related=[_related_item(ctx, uri, r) for r in catalogue.related[paper.slug]],
        citation_key=catalogue.citation_keys[paper.slug],
        citations=_citation_blocks(ctx, uri, paper),
        edit_url=f"{edit_base}{paper.source}" if edit_base else None,
    )
    title = text.to_plain(entry.title)
    description = text.teaser(entry.abstract, 300)
    return GeneratedPage(uri, title, description, html, paper.source, page_head(ctx, uri))


def _related_item(ctx: RenderContext, from_uri: str, related: RelatedPaper) -> dict[str, Any]:
    other = ctx.catalogue.paper(related.slug)
    return {
        "entry": other.entry,
        "href": ctx.href(from_uri, urls.paper_uri(other.slug)),
        "reason": related_reason(related, ctx.catalogue),
    }


def _citation_blocks(ctx: RenderContext, uri: str, paper: Paper) -> list[dict[str, str]]:
    texts = ctx.cited.of(ctx.catalogue, paper)
    key = ctx.catalogue.citation_keys[paper.slug]
    blocks = []
    for fmt, label in CITATION_FORMATS:
        filename = urls.CITATION_FILES[fmt]
        blocks.append(
            {
                "format": fmt,
                "label": label,
                "text": texts[fmt].replace("\r\n", "\n"),
                "filename": filename,
                "href": ctx.file_href(uri, urls.paper_file(paper.slug, filename)),
                # Saved under the citation key, so downloads of several papers do not clash.
                "download_name": f"{key}.{filename.split('.', 1)[1]}",
            }
        )
    return blocks


def related_reason(related: RelatedPaper, catalogue: Catalogue) -> str:
    """One line a reader can check: the tags both papers carry and the words they share."""
    parts = []
    if related.shared_tags:
        names = ", ".join(catalogue.vocabulary[t].name for t in related.shared_tags)
        parts.append(f"Also tagged {names}")
    if related.shared_terms:
        words = ", ".join(f"“{term}”" for term in related.shared_terms)
        parts.append(f"{'both use' if parts else 'Both use'} the words {words}")
    return "; ".join(parts) + "." if parts else ""
