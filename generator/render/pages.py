"""Stage 4, render: every generated page of one catalogue, keyed by source path.

Each kind of page has its module: `paper_page`, `lists` (all papers, tags), `browse`
(authors, years, venues), `home`, `redirects`; `head` writes what pages add to the theme's
`<head>`, `context` what they share. `PageRenderer` is the one object the site build and the
tests hold: it renders pages one at a time, so a catalogue of any size never holds all its
rendered pages at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from markupsafe import Markup

from generator.enrich.catalogue import Catalogue
from generator.model.paper import Paper
from generator.model.vocabulary import Tag
from generator.render import browse, home, lists, redirects, urls
from generator.render.context import RenderContext
from generator.render.head import page_head
from generator.render.page import GeneratedPage, RenderSettings
from generator.render.pagination import page_uri, paginate
from generator.render.paper_page import paper_page


class PageRenderer(RenderContext):
    """Renders every generated page of one catalogue."""

    def paper_page(self, paper: Paper) -> GeneratedPage:
        """A paper's page: facts, tags, abstract, links, related papers, citations."""
        return paper_page(self, paper)

    def render_paper_page(self, paper: Paper) -> str:
        """A paper's page as Markdown (front matter and the HTML block)."""
        return self.paper_page(paper).markdown()

    def tag_pages(self, tag: Tag) -> Iterator[GeneratedPage]:
        """A tag's pages: its description and the papers that carry it."""
        return lists.tag_pages(self, tag)

    def render_tag_page(self, tag: Tag) -> str:
        """The first page of a tag's list as Markdown."""
        return next(self.tag_pages(tag)).markdown()

    def tags_overview(self) -> GeneratedPage:
        return lists.tags_overview(self)

    def all_papers_pages(self) -> Iterator[GeneratedPage]:
        return lists.all_papers_pages(self)

    def browse_pages(self, render: bool = True) -> Iterator[GeneratedPage]:
        return browse.browse_pages(self, render)

    def render_home_summary(self) -> Markup:
        return home.home_summary(self)

    def render_page_head(self, src_uri: str, tag: Tag | None = None) -> Markup:
        return page_head(self, src_uri, tag)

    def render_redirect_page(self, paper: Paper, former_slug: str) -> str:
        return redirects.redirect_page(self, paper, former_slug)

    def redirect_pages(self) -> dict[str, str]:
        return redirects.redirect_pages(self)

    def nav_pages(self) -> list[GeneratedPage]:
        """The generated pages that MkDocs builds (the navigation links to them)."""
        return [next(self.all_papers_pages()), self.tags_overview()]

    def list_pages(self) -> Iterator[GeneratedPage]:
        """The pages that list papers: all papers, the tags overview, each tag, and the
        authors, years and venues."""
        for page in (*self.all_papers_pages(), self.tags_overview()):
            # Every page links the catalogue's feed; the others below render their own head.
            yield dataclasses.replace(page, head=self.render_page_head(page.uri))
        for tag in self.catalogue.used_tags:
            yield from self.tag_pages(tag)
        yield from self.browse_pages()

    def paper_pages(self) -> Iterator[GeneratedPage]:
        """One page per paper, rendered one at a time."""
        for paper in self.catalogue.papers:
            yield self.paper_page(paper)

    def all_pages(self) -> Iterator[GeneratedPage]:
        """Every generated page in a stable order, rendered one at a time (the entries fit
        in memory; all their rendered pages need not)."""
        yield from self.list_pages()
        yield from self.paper_pages()

    def page_uris(self) -> Iterator[str]:
        """The source path of every generated page, without rendering any."""
        papers = self.catalogue.papers
        orders = self.catalogue.orders.offered
        size = self.settings.list_page_size
        for order in orders:
            first_uri = urls.order_uri(urls.ALL_PAPERS_URI, order.key)
            for number in range(1, len(paginate(papers, size)) + 1):
                yield page_uri(first_uri, number)
        yield urls.TAGS_OVERVIEW_URI
        for tag in self.catalogue.used_tags:
            tagged = self.catalogue.tag_index.papers(tag.id)
            for order in orders:
                first_uri = urls.order_uri(urls.tag_uri(tag.id), order.key)
                for number in range(1, len(paginate(tagged, size)) + 1):
                    yield page_uri(first_uri, number)
        for paper in papers:
            yield urls.paper_uri(paper.slug)
        for page in self.browse_pages(render=False):
            yield page.uri


def render_pages(catalogue: Catalogue, settings: RenderSettings) -> dict[str, str]:
    """Every generated page as Markdown (redirects as HTML), by source path, in a stable order."""
    renderer = PageRenderer(catalogue, settings)
    pages = {page.uri: page.markdown() for page in renderer.all_pages()}
    pages.update(renderer.redirect_pages())
    return pages
