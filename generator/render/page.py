"""A generated page, the site settings rendering needs, and the templates that write pages.

Each page is YAML front matter (written by a YAML emitter from a fixed set of keys) and one
raw HTML block rendered by Jinja2 with autoescaping on: entry text reaches the page only
through `text.to_html`, which escapes every character, so nothing in an entry is ever read as
Markdown, HTML or template syntax. Because the body is HTML already, the site build puts it
into the theme's page directly (`site.page_shell`); only the pages in the navigation go
through MkDocs' Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import jinja2
from markupsafe import Markup

from generator.enrich.people import AUTHOR_PAGE_MIN_PAPERS
from generator.model import text
from generator.model.escaping import html_element_text, yaml_document
from generator.render.exports import SiteAddresses
from generator.render.pagination import PER_PAGE
from generator.render.template_cache import use_compiled_template_cache

C = TypeVar("C")

FRONT_MATTER_KEYS = ("title", "description")
"""The only front-matter keys a generated page has; none can be set by an entry."""


@dataclass(frozen=True)
class RenderSettings:
    """What rendering needs to know about the site."""

    edit_url_base: str | None = None
    """`https://github.com/owner/repo/edit/main/`: entry paths are appended; None hides the link."""
    use_directory_urls: bool = True
    site_name: str = "Paper catalogue"
    site_url: str | None = None
    """`https://example.org/catalogue/`: makes the canonical link of redirect pages absolute;
    feeds and `og:url` need it too (absolute addresses)."""
    favicon: str | None = None
    """The theme's icon, relative to the site root (`assets/images/favicon.png`)."""
    list_page_size: int = PER_PAGE
    """Papers per page of every list of papers (tags, all papers, authors, years, venues)."""
    author_page_min_papers: int = AUTHOR_PAGE_MIN_PAPERS
    """An author has a page of their own from this many papers on."""

    @property
    def addresses(self) -> SiteAddresses:
        return SiteAddresses(self.site_url, self.use_directory_urls)


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
    head: str = ""
    """What the page adds to the theme's `<head>` (feed links, citation meta tags): HTML
    rendered by an autoescaping template."""
    files: tuple[tuple[str, str], ...] = ()
    """Files written with the page, by their path in the site: the map's data."""

    def markdown(self) -> str:
        """The page as MkDocs reads it: front matter and the HTML block."""
        return front_matter(title=self.title, description=self.description) + self.html


@dataclass(frozen=True)
class PagePlan(Generic[C]):
    """A generated page before it is rendered: where it goes, what it shows, and how that is
    made into HTML.

    `context()` works out everything the page shows that depends on the catalogue (cheap: no
    HTML, no MathML); `render(context)` makes the page from that alone, with the site's
    settings and tag names (`context.PageKit`). So equal contexts give equal pages, and
    `catalogue serve` keeps a page whose context is unchanged instead of rendering it again
    (`site.write_pages`): what may be kept follows from what the renderer reads.
    """

    uri: str
    """Source path under the docs folder (`papers/<slug>.md`)."""
    context: Callable[[], C]
    render: Callable[[C], GeneratedPage]
    edit_source: str | None = None
    """The entry file that "Edit this page" opens, for paper pages (its theme shell has the
    edit button)."""

    def page(self) -> GeneratedPage:
        """The page, rendered."""
        return self.render(self.context())


def front_matter(**values: str) -> str:
    """Front matter from fixed keys, emitted by PyYAML so that no value can add a key."""
    assert set(values) <= set(FRONT_MATTER_KEYS), set(values)
    return f"---\n{yaml_document(values)}---\n\n"


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("generator.render", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    # Templates ship with the package: no check of their files on every `get_template`, which
    # large lists call for every page.
    auto_reload=False,
)
use_compiled_template_cache(_ENV)
_ENV.filters["tex"] = text.to_html
_ENV.filters["teaser"] = text.teaser
_ENV.filters["plain"] = text.to_plain
_ENV.filters["element_text"] = html_element_text


def tag_chip_class(kind: str) -> str:
    """The classes of a chip of a tag of `kind`: `catalogue-tag`, and `catalogue-tag--<kind>`
    for a kind whose chips look different (a paper's chips are shown about forty times across
    the site, and most are methods, which look like any chip)."""
    return "catalogue-tag" if kind == "method" else f"catalogue-tag catalogue-tag--{kind}"


_ENV.filters["tag_chip_class"] = tag_chip_class


def chip_class_attribute(kind: str) -> Markup:
    """The class attribute of a chip inside a paper's `catalogue-tags`: none for a method
    (the container styles its links as chips, and a paper's chips are shown about forty times
    across the site), `catalogue-tag--<kind>` for a kind whose chips look different."""
    return Markup("") if kind == "method" else Markup(' class="catalogue-tag--{}"').format(kind)


_ENV.filters["chip_class_attribute"] = chip_class_attribute


def render_template(name: str, **context: Any) -> str:
    """One of `templates/` rendered with autoescaping (every value is escaped unless Markup)."""
    return _ENV.get_template(name).render(**context)


def gzipped_note(published: str) -> str:
    """What a download's label adds when it is published gzipped (`whole_catalogue_export`)."""
    return " (gzipped)" if published.endswith(".gz") else ""
