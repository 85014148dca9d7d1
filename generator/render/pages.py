"""Stage 4, render: every generated page of one catalogue, keyed by source path.

Each kind of page has its module: `paper_page`, `lists` (all papers, tags), `browse`
(authors, years, venues), `home`, `redirects`; `head` writes what pages add to the theme's
`<head>`, `context` what they share. `PageRenderer` is the one object the site build and the
tests hold: it renders pages one at a time, so a catalogue of any size never holds all its
rendered pages at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from generator.enrich.catalogue import Catalogue
from generator.model.paper import Paper
from generator.model.vocabulary import Tag
from generator.render import browse, home, lists, map_page, redirects
from generator.render.context import RenderContext
from generator.render.page import GeneratedPage, PagePlan, RenderSettings
from generator.render.paper_page import paper_plan


class PageRenderer(RenderContext):
    """Renders every generated page of one catalogue."""

    def paper_page(self, paper: Paper) -> GeneratedPage:
        """A paper's page: facts, tags, abstract, links, related papers, citations."""
        return paper_plan(self, paper).page()

    def render_paper_page(self, paper: Paper) -> str:
        """A paper's page as Markdown (front matter and the HTML block)."""
        return self.paper_page(paper).markdown()

    def tag_pages(self, tag: Tag) -> Iterator[GeneratedPage]:
        """A tag's pages: its description and the papers that carry it."""
        return (plan.page() for plan in lists.tag_plans(self, tag))

    def render_tag_page(self, tag: Tag) -> str:
        """The first page of a tag's list as Markdown."""
        return next(self.tag_pages(tag)).markdown()

    def tags_overview(self) -> GeneratedPage:
        return lists.tags_overview_plan(self).page()

    def all_papers_pages(self) -> Iterator[GeneratedPage]:
        return (plan.page() for plan in lists.all_papers_plans(self))

    def browse_pages(self) -> Iterator[GeneratedPage]:
        return (plan.page() for plan in browse.browse_plans(self))

    def render_home_summary(self) -> Markup:
        return home.home_summary(self)

    def render_page_head(self, src_uri: str) -> Markup:
        """What a page MkDocs builds (hand-written, or in the navigation) adds to its head."""
        return self.kit.head(src_uri, self.tag_at(src_uri), self.paper_at(src_uri))

    def render_redirect_page(self, paper: Paper, former_slug: str) -> str:
        return redirects.redirect_page(self, paper, former_slug)

    def redirect_pages(self) -> dict[str, str]:
        return redirects.redirect_pages(self)

    def nav_pages(self) -> list[GeneratedPage]:
        """The generated pages that MkDocs builds (the navigation links to them)."""
        return [next(self.all_papers_pages()), self.tags_overview(), self.map_page()]

    def list_plans(self) -> Iterator[PagePlan[Any]]:
        """The pages that list papers: all papers, the tags overview, each tag, and the
        authors, years and venues."""
        yield from lists.all_papers_plans(self)
        yield lists.tags_overview_plan(self)
        for tag in self.catalogue.used_tags:
            yield from lists.tag_plans(self, tag)
        yield from browse.browse_plans(self)

    def paper_plans(self) -> Iterator[PagePlan[Any]]:
        """One page per paper."""
        for paper in self.catalogue.papers:
            yield paper_plan(self, paper)

    def map_page(self) -> GeneratedPage:
        """The map of the catalogue, with its data files."""
        return map_page.map_plan(self).page()

    def page_plans(self) -> Iterator[PagePlan[Any]]:
        """Every generated page in a stable order, none rendered yet."""
        yield from self.list_plans()
        yield map_page.map_plan(self)
        yield from self.paper_plans()

    def list_pages(self) -> Iterator[GeneratedPage]:
        return (plan.page() for plan in self.list_plans())

    def paper_pages(self) -> Iterator[GeneratedPage]:
        """One page per paper, rendered one at a time."""
        return (plan.page() for plan in self.paper_plans())

    def all_pages(self) -> Iterator[GeneratedPage]:
        """Every generated page in a stable order, rendered one at a time (the entries fit
        in memory; all their rendered pages need not)."""
        return (plan.page() for plan in self.page_plans())

    def page_uris(self) -> Iterator[str]:
        """The source path of every generated page, without rendering any."""
        return (plan.uri for plan in self.page_plans())


def render_pages(catalogue: Catalogue, settings: RenderSettings) -> dict[str, str]:
    """Every generated page as Markdown (redirects as HTML), by source path, in a stable order."""
    renderer = PageRenderer(catalogue, settings)
    pages = {page.uri: page.markdown() for page in renderer.all_pages()}
    pages.update(renderer.redirect_pages())
    return pages
