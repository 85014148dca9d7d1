"""Stage 4, render: the catalogue as Markdown pages for MkDocs, keyed by source path.

Each page is YAML front matter (written by a YAML emitter from a fixed set of keys) and one
raw HTML block rendered by Jinja2 with autoescaping on: entry text reaches the page only
through `text.to_html`, which escapes every character, so nothing in an entry is ever read as
Markdown, HTML or template syntax. Because the body is HTML already, the site build puts it
into the theme's page directly (`page_shell`); only the pages in the navigation go through
MkDocs' Markdown. The redirect pages of renamed entries are small complete HTML files
(`papers/<former-slug>/index.html`) that MkDocs copies as they are.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from . import text, urls
from .enrich import Catalogue
from .escaping import yaml_document
from .pagination import PER_PAGE, ListPage, page_uri, pager_numbers, paginate
from .validate import Paper
from .vocabulary import Tag

FRONT_MATTER_KEYS = ("title", "description")
"""The only front-matter keys a generated page has; none can be set by an entry."""

LINK_LABELS = {
    "pdf": "PDF",
    "paper": "Paper",
    "code": "Code",
    "project": "Project page",
    "huggingface": "Hugging Face",
    "arxiv": "arXiv",
    "doi": "DOI",
    "video": "Video",
    "slides": "Slides",
    "blog": "Blog post",
    "data": "Data",
    "demo": "Demo",
}


@dataclass(frozen=True)
class RenderSettings:
    """What rendering needs to know about the site."""

    edit_url_base: str | None = None
    """`https://github.com/owner/repo/edit/main/`: entry paths are appended; None hides the link."""
    use_directory_urls: bool = True
    site_name: str = "Paper catalogue"
    site_url: str | None = None
    """`https://example.org/catalogue/`: makes the canonical link of redirect pages absolute."""
    favicon: str | None = None
    """The theme's icon, relative to the site root (`assets/images/favicon.png`)."""
    list_page_size: int = PER_PAGE
    """Papers per page of a tag's list and of the list of all papers."""


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("generator", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENV.filters["tex"] = text.to_html
_ENV.filters["teaser"] = text.teaser
_ENV.filters["plain"] = text.to_plain


@dataclass(frozen=True)
class GeneratedPage:
    """One generated page: its place, what the theme shows around it, and its HTML body."""

    uri: str
    """Source path under the docs folder (`papers/<slug>.md`)."""
    title: str
    """Plain text (not escaped): the theme's `<title>` and header."""
    description: str
    """Plain text (not escaped): the page's meta description."""
    html: str
    """The body: one block of HTML, escaped and safe."""
    edit_source: str | None = None
    """The entry file that "Edit this page" opens, for paper pages."""

    def markdown(self) -> str:
        """The page as MkDocs reads it: front matter and the HTML block."""
        return front_matter(title=self.title, description=self.description) + self.html


def front_matter(**values: str) -> str:
    """Front matter from fixed keys, emitted by PyYAML so that no value can add a key."""
    assert set(values) <= set(FRONT_MATTER_KEYS), set(values)
    return f"---\n{yaml_document(values)}---\n\n"


class PageRenderer:
    """Renders every generated page of one catalogue."""

    def __init__(
        self,
        catalogue: Catalogue,
        settings: RenderSettings,
        item_cache: dict[tuple[str, str], tuple[Paper, Markup]] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.settings = settings
        self.item_cache = item_cache
        """List entries by (folder, slug), kept by `catalogue serve` so that a rebuild
        renders only the entries of papers that changed."""

    def href(self, from_uri: str, to_uri: str) -> str:
        return urls.relative_href(from_uri, to_uri, self.settings.use_directory_urls)

    def tag_link(self, from_uri: str, tag: Tag) -> dict[str, Any]:
        return {"name": tag.name, "href": self.href(from_uri, urls.tag_uri(tag.id)), "tag": tag}

    def paper_item(self, from_uri: str, paper: Paper) -> dict[str, Any]:
        """What a list shows of a paper: linked title, teaser, tags."""
        vocabulary = self.catalogue.vocabulary
        return {
            "paper": paper,
            "entry": paper.entry,
            "href": self.href(from_uri, urls.paper_uri(paper.slug)),
            "tags": [self.tag_link(from_uri, vocabulary[t]) for t in paper.entry.tags],
        }

    def list_item(self, from_uri: str, paper: Paper) -> Markup:
        """A paper as an entry of the list on page `from_uri`."""
        key = (posixpath.dirname(from_uri), paper.slug)
        cached = self.item_cache.get(key) if self.item_cache is not None else None
        if cached is not None and cached[0] is paper:  # serve reuses unchanged Paper objects
            return cached[1]
        html = Markup(
            _ENV.get_template("list_item.md.j2").render(it=self.paper_item(from_uri, paper))
        )
        if self.item_cache is not None:
            self.item_cache[key] = (paper, html)
        return html

    def paper_page(self, paper: Paper) -> GeneratedPage:
        """A paper's page: title, authors, date, venue, tags, abstract, links, edit link."""
        uri = urls.paper_uri(paper.slug)
        entry = paper.entry
        edit_url = (
            f"{self.settings.edit_url_base}{paper.source}" if self.settings.edit_url_base else None
        )
        links = [
            {"label": LINK_LABELS.get(label, label), "url": url}
            for label, url in entry.links.items()
        ]
        html = _ENV.get_template("paper.md.j2").render(
            uri=uri, r=self, item=self.paper_item(uri, paper), links=links, edit_url=edit_url
        )
        title = text.to_plain(entry.title)
        return GeneratedPage(uri, title, text.teaser(entry.abstract, 300), html, paper.source)

    def render_paper_page(self, paper: Paper) -> str:
        """A paper's page as Markdown (front matter and the HTML block)."""
        return self.paper_page(paper).markdown()

    def render_tag_page(self, tag: Tag) -> str:
        """The first page of a tag's list as Markdown."""
        return next(self.tag_pages(tag)).markdown()

    def tag_pages(self, tag: Tag) -> Iterator[GeneratedPage]:
        """A tag's pages: its description and the papers that carry it, 100 to a page."""
        first_uri = urls.tag_uri(tag.id)
        papers = self.catalogue.tag_index.papers(tag.id)
        for part in paginate(papers, self.settings.list_page_size):
            uri = page_uri(first_uri, part.number)
            title = tag.name if part.number == 1 else f"{tag.name} (page {part.number})"
            html = _ENV.get_template("tag.md.j2").render(
                uri=uri,
                r=self,
                tag=tag,
                total=len(papers),
                items=[self.list_item(uri, p) for p in part.items],
                pages=self.pager(first_uri, uri, part),
                overview_href=self.href(uri, urls.TAGS_OVERVIEW_URI),
            )
            yield GeneratedPage(uri, title, tag.description, html)

    def tags_overview(self) -> GeneratedPage:
        """Every tag that has papers, grouped by kind, with its count."""
        uri = urls.TAGS_OVERVIEW_URI
        groups = []
        for kind, heading in (("method", "Methods"), ("modality", "Modalities")):
            tags = [t for t in self.catalogue.used_tags if t.kind == kind]
            rows = [
                {**self.tag_link(uri, t), "count": self.catalogue.tag_index.count(t.id)}
                for t in tags
            ]
            if rows:
                groups.append({"heading": heading, "kind": kind, "rows": rows})
        html = _ENV.get_template("tags.md.j2").render(uri=uri, r=self, groups=groups)
        description = f"All {len(self.catalogue.used_tags)} tags of the catalogue."
        return GeneratedPage(uri, "Tags", description, html)

    def all_papers_pages(self) -> Iterator[GeneratedPage]:
        """The list of every paper, in catalogue order, 100 to a page."""
        first_uri = urls.ALL_PAPERS_URI
        papers = self.catalogue.papers
        description = f"All {len(papers)} papers of the catalogue."
        for part in paginate(papers, self.settings.list_page_size):
            uri = page_uri(first_uri, part.number)
            title = "All papers" if part.number == 1 else f"All papers (page {part.number})"
            html = _ENV.get_template("papers.md.j2").render(
                uri=uri,
                r=self,
                total=len(papers),
                items=[self.list_item(uri, p) for p in part.items],
                pages=self.pager(first_uri, uri, part),
            )
            yield GeneratedPage(uri, title, description, html)

    def pager(self, first_uri: str, uri: str, part: ListPage[Paper]) -> dict[str, Any]:
        """Links between the pages of one list: previous, next and page numbers."""

        def link(number: int) -> str:
            return self.href(uri, page_uri(first_uri, number))

        numbers = [
            {"number": n, "current": n == part.number, "href": link(n) if n else None}
            for n in pager_numbers(part.number, part.count)
        ]
        return {
            "number": part.number,
            "count": part.count,
            "first": part.first_index + 1,
            "last": part.first_index + len(part.items),
            "numbers": numbers,
            "prev_href": link(part.number - 1) if part.number > 1 else None,
            "next_href": link(part.number + 1) if part.number < part.count else None,
        }

    def render_redirect_page(self, paper: Paper, former_slug: str) -> str:
        """A page at a paper's former address that sends readers (and search engines) on."""
        use_directory_urls = self.settings.use_directory_urls
        target = self.href(urls.paper_uri(former_slug), urls.paper_uri(paper.slug))
        canonical = target
        if self.settings.site_url:
            page = urls.page_url(urls.paper_uri(paper.slug), use_directory_urls)
            canonical = self.settings.site_url.rstrip("/") + "/" + page
        # Without an icon of its own, the browser asks for /favicon.ico while redirecting.
        redirect_url = urls.page_url(urls.paper_uri(former_slug), use_directory_urls)
        favicon = self.settings.favicon
        if favicon:
            favicon = urls.relative_to_page(redirect_url, favicon)
        return _ENV.get_template("redirect.html.j2").render(
            title=text.to_plain(paper.entry.title),
            site_name=self.settings.site_name,
            target=target,
            canonical=canonical,
            favicon=favicon,
        )

    def render_home_summary(self) -> Markup:
        """The generated part of the home page: counts, largest tags, latest papers."""
        uri = urls.HOME_URI
        largest = [
            {**self.tag_link(uri, t), "count": self.catalogue.tag_index.count(t.id)}
            for t in self.catalogue.largest_tags(12)
        ]
        html = _ENV.get_template("home_summary.md.j2").render(
            uri=uri,
            r=self,
            paper_count=len(self.catalogue.papers),
            tag_count=len(self.catalogue.used_tags),
            largest=largest,
            latest=[self.paper_item(uri, p) for p in self.catalogue.latest(10)],
            tags_href=self.href(uri, urls.TAGS_OVERVIEW_URI),
            papers_href=self.href(uri, urls.ALL_PAPERS_URI),
        )
        return Markup(html)

    def nav_pages(self) -> list[GeneratedPage]:
        """The generated pages that MkDocs builds (the navigation links to them)."""
        return [next(self.all_papers_pages()), self.tags_overview()]

    def redirect_pages(self) -> dict[str, str]:
        """The redirect page of each former slug, by its file under the docs folder."""
        use_directory_urls = self.settings.use_directory_urls
        return {
            urls.redirect_uri(former, use_directory_urls): self.render_redirect_page(paper, former)
            for paper in self.catalogue.papers
            for former in paper.entry.former_slugs
        }

    def list_pages(self) -> Iterator[GeneratedPage]:
        """The pages that list papers: all papers, the tags overview, each tag."""
        yield from self.all_papers_pages()
        yield self.tags_overview()
        for tag in self.catalogue.used_tags:
            yield from self.tag_pages(tag)

    def paper_pages(self, papers: Sequence[Paper] | None = None) -> Iterator[GeneratedPage]:
        """One page per paper (every paper unless `papers` is given), rendered one at a time."""
        for paper in self.catalogue.papers if papers is None else papers:
            yield self.paper_page(paper)

    def all_pages(self) -> Iterator[GeneratedPage]:
        """Every generated page in a stable order, rendered one at a time (100,000 entries
        fit in memory; 100,000 rendered pages need not)."""
        yield from self.list_pages()
        yield from self.paper_pages()

    def page_uris(self) -> Iterator[str]:
        """The source path of every generated page, without rendering any."""
        papers = self.catalogue.papers
        for number in range(1, len(paginate(papers, self.settings.list_page_size)) + 1):
            yield page_uri(urls.ALL_PAPERS_URI, number)
        yield urls.TAGS_OVERVIEW_URI
        for tag in self.catalogue.used_tags:
            tagged = self.catalogue.tag_index.papers(tag.id)
            for number in range(1, len(paginate(tagged, self.settings.list_page_size)) + 1):
                yield page_uri(urls.tag_uri(tag.id), number)
        for paper in papers:
            yield urls.paper_uri(paper.slug)


def generated_pages(catalogue: Catalogue, settings: RenderSettings) -> Iterator[GeneratedPage]:
    """Every generated page, in a stable order, rendered lazily."""
    return PageRenderer(catalogue, settings).all_pages()


def render_pages(catalogue: Catalogue, settings: RenderSettings) -> dict[str, str]:
    """Every generated page as Markdown (redirects as HTML), by source path, in a stable order."""
    renderer = PageRenderer(catalogue, settings)
    pages = {page.uri: page.markdown() for page in renderer.all_pages()}
    pages.update(renderer.redirect_pages())
    return pages
