"""Stage 4, render: the catalogue as Markdown pages for MkDocs, keyed by source path.

Each page is YAML front matter (written by a YAML emitter from a fixed set of keys) and one
raw HTML block rendered by Jinja2 with autoescaping on: entry text reaches the page only
through `text.to_html`, which escapes every character, so nothing in an entry is ever read as
Markdown, HTML or template syntax. The redirect pages of renamed entries are small complete
HTML files (`papers/<former-slug>/index.html`) that MkDocs copies as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from . import text, urls
from .enrich import Catalogue
from .escaping import yaml_document
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


def front_matter(**values: str) -> str:
    """Front matter from fixed keys, emitted by PyYAML so that no value can add a key."""
    assert set(values) <= set(FRONT_MATTER_KEYS), set(values)
    return f"---\n{yaml_document(values)}---\n\n"


class PageRenderer:
    """Renders every generated page of one catalogue."""

    def __init__(self, catalogue: Catalogue, settings: RenderSettings) -> None:
        self.catalogue = catalogue
        self.settings = settings

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

    def _render(self, template: str, uri: str, title: str, description: str, **ctx: Any) -> str:
        body = _ENV.get_template(template).render(uri=uri, r=self, **ctx)
        return front_matter(title=title, description=description) + body

    def render_paper_page(self, paper: Paper) -> str:
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
        return self._render(
            "paper.md.j2",
            uri,
            text.to_plain(entry.title),
            text.teaser(entry.abstract, 300),
            item=self.paper_item(uri, paper),
            links=links,
            edit_url=edit_url,
        )

    def render_tag_page(self, tag: Tag) -> str:
        """A tag's page: its description and every paper that carries it."""
        uri = urls.tag_uri(tag.id)
        papers = self.catalogue.tag_index.papers(tag.id)
        return self._render(
            "tag.md.j2",
            uri,
            tag.name,
            tag.description,
            tag=tag,
            items=[self.paper_item(uri, p) for p in papers],
            overview_href=self.href(uri, urls.TAGS_OVERVIEW_URI),
        )

    def render_tags_overview(self) -> str:
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
        return self._render(
            "tags.md.j2",
            uri,
            "Tags",
            f"All {len(self.catalogue.used_tags)} tags of the catalogue.",
            groups=groups,
        )

    def render_all_papers(self) -> str:
        """The list of every paper, in catalogue order."""
        uri = urls.ALL_PAPERS_URI
        return self._render(
            "papers.md.j2",
            uri,
            "All papers",
            f"All {len(self.catalogue.papers)} papers of the catalogue.",
            items=[self.paper_item(uri, p) for p in self.catalogue.papers],
        )

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
        """The generated part of the home page: counts, where to start, largest tags."""
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
            tags_href=self.href(uri, urls.TAGS_OVERVIEW_URI),
            papers_href=self.href(uri, urls.ALL_PAPERS_URI),
        )
        return Markup(html)


def render_pages(catalogue: Catalogue, settings: RenderSettings) -> dict[str, str]:
    """Every generated page by source path, in a stable order."""
    renderer = PageRenderer(catalogue, settings)
    pages: dict[str, str] = {}
    pages[urls.ALL_PAPERS_URI] = renderer.render_all_papers()
    pages[urls.TAGS_OVERVIEW_URI] = renderer.render_tags_overview()
    for tag in catalogue.used_tags:
        pages[urls.tag_uri(tag.id)] = renderer.render_tag_page(tag)
    for paper in catalogue.papers:
        pages[urls.paper_uri(paper.slug)] = renderer.render_paper_page(paper)
    for paper in catalogue.papers:
        for former in paper.entry.former_slugs:
            uri = urls.redirect_uri(former, settings.use_directory_urls)
            pages[uri] = renderer.render_redirect_page(paper, former)
    return pages
