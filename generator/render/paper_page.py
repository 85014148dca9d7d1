"""A paper's page: facts, tags, abstract, links, related papers, citations, edit link."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from markupsafe import Markup

from generator.enrich.related import RelatedPaper
from generator.model import text
from generator.model.paper import Paper
from generator.model.vocabulary import Vocabulary
from generator.render import urls
from generator.render.context import PageKit, RenderContext
from generator.render.links import paper_links
from generator.render.page import GeneratedPage, PagePlan, render_template


@dataclass(frozen=True)
class PaperContext:
    """What a paper's page shows besides its own entry: what other papers decide."""

    paper: Paper
    authors: tuple[tuple[str, str | None], ...]
    """Each author as the entry spells them, and the source path of their page (None when
    they have none: fewer papers than `author_page_min_papers`)."""
    venue: tuple[str, str] | None
    """The source path of the venue's page and the venue's one name (what search filters
    by), when the entry has a venue."""
    related: tuple[tuple[RelatedPaper, Paper], ...]
    """The related papers, each with its paper (its title is shown)."""
    citation_key: str
    """Its citations are made from it, the paper and the vocabulary when the page is
    rendered (`PageKit.cited`): a page linked unrendered from the last build needs none."""


def paper_plan(ctx: RenderContext, paper: Paper) -> PagePlan[PaperContext]:
    """The page of `paper`, to be rendered."""
    uri = urls.paper_uri(paper.slug)
    make = partial(render_paper_page, ctx.kit, uri)
    return PagePlan(uri, partial(paper_context, ctx, paper), make, paper.source)


def paper_context(ctx: RenderContext, paper: Paper) -> PaperContext:
    """What the page of `paper` shows that the catalogue decides."""
    catalogue = ctx.catalogue
    authors = []
    for name in paper.entry.authors:
        author = catalogue.authors.author(name)
        authors.append((name, urls.author_uri(author.slug) if ctx.has_page(author) else None))
    venue = ctx.venue_of(paper)
    return PaperContext(
        paper,
        tuple(authors),
        (urls.venue_uri(venue.slug), venue.name) if venue else None,
        tuple((r, catalogue.paper(r.slug)) for r in catalogue.related[paper.slug]),
        catalogue.citation_keys[paper.slug],
    )


def render_paper_page(kit: PageKit, uri: str, shows: PaperContext) -> GeneratedPage:
    """The page `uri` of the paper `shows` is about."""
    paper, entry = shows.paper, shows.paper.entry
    edit_base = kit.settings.edit_url_base
    venue_uri, venue_name = shows.venue or (None, None)
    cited = kit.cited.texts(paper, shows.citation_key, kit.vocabulary)
    html = render_template(
        "paper.html.j2",
        item=kit.paper_item(uri, paper),
        authors=[
            {"name": name, "href": kit.href(uri, page) if page else None}
            for name, page in shows.authors
        ],
        year_href=kit.href(uri, urls.year_uri(entry.year)) if entry.year else None,
        venue_href=kit.href(uri, venue_uri) if venue_uri else None,
        venue_name=venue_name,
        links=paper_links(entry),
        related=[
            {
                "entry": other.entry,
                "href": kit.href(uri, urls.paper_uri(other.slug)),
                "reason": related_reason(related, kit.vocabulary),
            }
            for related, other in shows.related
        ],
        citation_key=shows.citation_key,
        bibtex=_bibtex_block(shows, cited),
        # Made by `escaping.json_for_script` (`exports.citations`), kept as a plain string.
        citation_record=Markup(cited["record"]),
        edit_url=f"{edit_base}{paper.source}" if edit_base else None,
    )
    title = text.to_plain(entry.title)
    description = text.description(entry.abstract)
    head = kit.head(uri, paper=paper)
    return GeneratedPage(uri, title, description, html, paper.source, head)


def paper_page(ctx: RenderContext, paper: Paper) -> GeneratedPage:
    """The page of `paper`, rendered."""
    return paper_plan(ctx, paper).page()


def _bibtex_block(shows: PaperContext, cited: dict[str, str]) -> dict[str, str]:
    """The page's BibTeX block. Its RIS and CSL-JSON blocks are written in the page, from the
    citation record (docs/javascripts/catalogue-cite.js), with the same names."""
    suffix = urls.CITATION_SUFFIXES["bibtex"]
    return {
        "text": cited["bibtex"],
        # The link's words, as when each format had a file beside the page.
        "filename": f"cite.{suffix}",
        # Saved under the citation key, so downloads of several papers do not clash.
        "download_name": f"{shows.citation_key}.{suffix}",
    }


def related_reason(related: RelatedPaper, vocabulary: Vocabulary) -> str:
    """One line a reader can check: the tags both papers carry and the words they share."""
    parts = []
    if related.shared_tags:
        names = ", ".join(vocabulary[t].name for t in related.shared_tags)
        parts.append(f"Also tagged {names}")
    if related.shared_terms:
        words = ", ".join(f"“{term}”" for term in related.shared_terms)
        parts.append(f"{'both use' if parts else 'Both use'} the words {words}")
    return "; ".join(parts) + "." if parts else ""
