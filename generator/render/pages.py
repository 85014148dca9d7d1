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

import dataclasses
import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import jinja2
from markupsafe import Markup

from generator.enrich.catalogue import Catalogue
from generator.enrich.citations import PublicationKind, publication_kind
from generator.enrich.people import AUTHOR_PAGE_MIN_PAPERS, Author
from generator.enrich.related import RelatedPaper
from generator.enrich.venues_and_years import Venue
from generator.model import text
from generator.model.escaping import html_element_text, yaml_document
from generator.model.paper import Paper, same_papers
from generator.model.vocabulary import Tag
from generator.render import urls
from generator.render.exports import CitationStore, SiteAddresses, feeds_enabled
from generator.render.links import paper_links, pdf_url
from generator.render.list_entries import ListEntries
from generator.render.pagination import (
    INDEX_ROWS_PER_PAGE,
    PER_PAGE,
    ListPage,
    page_uri,
    pager_numbers,
    paginate,
)

FRONT_MATTER_KEYS = ("title", "description")
"""The only front-matter keys a generated page has; none can be set by an entry."""


def _gzipped_note(published: str) -> str:
    """What a download's label adds when it is published gzipped (`whole_catalogue_export`)."""
    return " (gzipped)" if published.endswith(".gz") else ""


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


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("generator.render", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    # Templates ship with the package: no check of their files on every `get_template`, which
    # lists of 100,000 papers call millions of times.
    auto_reload=False,
)
_ENV.filters["tex"] = text.to_html
_ENV.filters["teaser"] = text.teaser
_ENV.filters["plain"] = text.to_plain
_ENV.filters["element_text"] = html_element_text


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

    def markdown(self) -> str:
        """The page as MkDocs reads it: front matter and the HTML block."""
        return front_matter(title=self.title, description=self.description) + self.html


def front_matter(**values: str) -> str:
    """Front matter from fixed keys, emitted by PyYAML so that no value can add a key."""
    assert set(values) <= set(FRONT_MATTER_KEYS), set(values)
    return f"---\n{yaml_document(values)}---\n\n"


@dataclass
class KeptLists:
    """List pages kept by `catalogue serve` from one build to the next, by source path: the
    papers listed, the shape of the list (title, counts, page number), the page."""

    pages: dict[str, tuple[tuple[Paper, ...], tuple[object, ...], GeneratedPage]] = (
        dataclasses.field(default_factory=dict)
    )


class PageRenderer:
    """Renders every generated page of one catalogue."""

    def __init__(
        self,
        catalogue: Catalogue,
        settings: RenderSettings,
        entries: ListEntries | None = None,
        cited: CitationStore | None = None,
        kept_lists: KeptLists | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.settings = settings
        self.entries = entries or ListEntries(catalogue.vocabulary, settings.use_directory_urls)
        """List entries, kept by `catalogue serve` so that a rebuild assembles only the
        entries of papers that changed."""
        self.cited = cited or CitationStore()
        """Each paper's citations, shared with its citation files and the BibTeX exports."""
        self.kept_lists = kept_lists
        """List pages of the last build, kept by `catalogue serve`: a page whose papers and
        place in its list are unchanged is not rendered again."""
        self._venue_by_slug = {p.slug: v for v in catalogue.venues for p in v.papers}
        self._paper_by_uri = {urls.paper_uri(p.slug): p for p in catalogue.papers}
        self._tag_by_uri = {urls.tag_uri(t.id): t for t in catalogue.used_tags}

    def href(self, from_uri: str, to_uri: str) -> str:
        return urls.relative_href(from_uri, to_uri, self.settings.use_directory_urls)

    def file_href(self, from_uri: str, file_path: str) -> str:
        return urls.file_href(from_uri, file_path, self.settings.use_directory_urls)

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
        return self.entries.entry(from_uri, paper)

    def has_page(self, author: Author) -> bool:
        """Whether `author` has a page of their own (`author_page_min_papers`)."""
        return len(author.papers) >= self.settings.author_page_min_papers

    def paper_page(self, paper: Paper) -> GeneratedPage:
        """A paper's page: facts, tags, abstract, links, related papers, citations, edit link."""
        uri = urls.paper_uri(paper.slug)
        entry = paper.entry
        edit_url = (
            f"{self.settings.edit_url_base}{paper.source}" if self.settings.edit_url_base else None
        )
        catalogue = self.catalogue
        authors = [catalogue.authors.author(name) for name in entry.authors]
        venue = self._venue_of(paper)
        html = _ENV.get_template("paper.md.j2").render(
            uri=uri,
            r=self,
            item=self.paper_item(uri, paper),
            authors=[
                {
                    "name": name,
                    "href": self.href(uri, urls.author_uri(author.slug))
                    if self.has_page(author)
                    else None,
                }
                for name, author in zip(entry.authors, authors, strict=True)
            ],
            year_href=self.href(uri, urls.year_uri(entry.year)) if entry.year else None,
            venue_href=self.href(uri, urls.venue_uri(venue.slug)) if venue else None,
            links=paper_links(entry),
            related=[self._related_item(uri, r) for r in catalogue.related[paper.slug]],
            citation_key=catalogue.citation_keys[paper.slug],
            citations=self._citation_blocks(uri, paper),
            edit_url=edit_url,
        )
        title = text.to_plain(entry.title)
        description = text.teaser(entry.abstract, 300)
        head = self.render_page_head(uri)
        return GeneratedPage(uri, title, description, html, paper.source, head)

    def _venue_of(self, paper: Paper) -> Venue | None:
        return self._venue_by_slug.get(paper.slug)

    def _related_item(self, from_uri: str, related: RelatedPaper) -> dict[str, Any]:
        other = self.catalogue.paper(related.slug)
        return {
            "entry": other.entry,
            "href": self.href(from_uri, urls.paper_uri(other.slug)),
            "reason": related_reason(related, self.catalogue),
        }

    def _citation_blocks(self, uri: str, paper: Paper) -> list[dict[str, str]]:
        texts = self.cited.of(self.catalogue, paper)
        key = self.catalogue.citation_keys[paper.slug]
        blocks = []
        for fmt, label in (("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON")):
            filename = urls.CITATION_FILES[fmt]
            blocks.append(
                {
                    "format": fmt,
                    "label": label,
                    "text": texts[fmt].replace("\r\n", "\n"),
                    "filename": filename,
                    "href": self.file_href(uri, urls.paper_file(paper.slug, filename)),
                    # Saved under the citation key, so downloads of several papers do not clash.
                    "download_name": f"{key}.{filename.split('.', 1)[1]}",
                }
            )
        return blocks

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
        feeds = feeds_enabled(self.settings.addresses)
        # Gzipped in a large catalogue: the link changes when the catalogue crosses the line.
        bibtex = urls.whole_catalogue_export(urls.tag_bibtex(tag.id), len(self.catalogue.papers))
        for part in paginate(papers, self.settings.list_page_size):
            uri = page_uri(first_uri, part.number)
            shape = (tag, len(papers), feeds, bibtex)
            make = partial(self._tag_page, tag, uri, part, papers, feeds, bibtex)
            yield self._list_page(uri, part, shape, make)

    def _tag_page(
        self,
        tag: Tag,
        uri: str,
        part: ListPage[Paper],
        papers: Sequence[Paper],
        feeds: bool,
        bibtex: str,
    ) -> GeneratedPage:
        first_uri = urls.tag_uri(tag.id)
        title = tag.name if part.number == 1 else f"{tag.name} (page {part.number})"
        html = _ENV.get_template("tag.md.j2").render(
            uri=uri,
            r=self,
            tag=tag,
            total=len(papers),
            items=[self.list_item(uri, p) for p in part.items],
            pages=self.pager(first_uri, uri, part),
            overview_href=self.href(uri, urls.TAGS_OVERVIEW_URI),
            bibtex_href=self.file_href(uri, bibtex),
            bibtex_name=posixpath.basename(bibtex),
            bibtex_note=_gzipped_note(bibtex),
            feed_href=self.file_href(uri, urls.tag_feed(tag.id)) if feeds else None,
        )
        head = self.render_page_head(uri, tag)
        return GeneratedPage(uri, title, tag.description, html, head=head)

    def _list_page(
        self,
        uri: str,
        part: ListPage[Paper],
        shape: tuple[object, ...],
        make: Callable[[], GeneratedPage],
    ) -> GeneratedPage:
        """A page of a list of papers: `_kept_page` with its place in the list."""
        return self._kept_page(uri, part.items, (*shape, part.number, part.count), make)

    def _kept_page(
        self,
        uri: str,
        papers: Sequence[Paper],
        shape: tuple[object, ...],
        make: Callable[[], GeneratedPage],
    ) -> GeneratedPage:
        """The page `make()` renders, or the same page kept from the last build when it
        lists the same papers (the same `Paper` objects) in the same `shape` of list (title,
        counts, page number; an index's rows)."""
        kept = self.kept_lists
        if kept is None:
            return make()
        last = kept.pages.get(uri)
        if last is not None and last[1] == shape and same_papers(last[0], papers):
            return last[2]
        page = make()
        kept.pages[uri] = (tuple(papers), shape, page)
        return page

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
        for part in paginate(papers, self.settings.list_page_size):
            uri = page_uri(first_uri, part.number)
            make = partial(self._all_papers_page, uri, part, papers)
            yield self._list_page(uri, part, (len(papers),), make)

    def _all_papers_page(
        self, uri: str, part: ListPage[Paper], papers: Sequence[Paper]
    ) -> GeneratedPage:
        title = "All papers" if part.number == 1 else f"All papers (page {part.number})"
        html = _ENV.get_template("papers.md.j2").render(
            uri=uri,
            r=self,
            total=len(papers),
            items=[self.list_item(uri, p) for p in part.items],
            pages=self.pager(urls.ALL_PAPERS_URI, uri, part),
        )
        return GeneratedPage(uri, title, f"All {len(papers)} papers of the catalogue.", html)

    def pager(self, first_uri: str, uri: str, part: ListPage[Any]) -> dict[str, Any]:
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
            browse=self._browse_buttons(uri),
            downloads=self._downloads(uri),
        )
        return Markup(html)

    def _browse_buttons(self, uri: str) -> list[dict[str, str]]:
        catalogue = self.catalogue
        buttons = []
        for present, label, index_uri in (
            (catalogue.years, "By year", urls.YEARS_INDEX_URI),
            (catalogue.venues, "By venue", urls.VENUES_INDEX_URI),
            (catalogue.authors.authors, "By author", urls.AUTHORS_INDEX_URI),
        ):
            if present:
                buttons.append({"label": label, "href": self.href(uri, index_uri)})
        return buttons

    def _downloads(self, uri: str) -> list[dict[str, str]]:
        count = len(self.catalogue.papers)

        def export(kind: str, path: str, about: str) -> tuple[str, str, str, str, str]:
            published = urls.whole_catalogue_export(path, count)
            return (kind, published, published, "", about + _gzipped_note(published))

        rows = [
            export("json", urls.CATALOGUE_JSON, "every entry, for programs"),
            ("schema", urls.CATALOGUE_SCHEMA, "catalogue.schema.json", "",
             "the JSON Schema of catalogue.json"),
            export("bibtex", urls.CATALOGUE_BIBTEX, "every paper as BibTeX"),
            export("csv", urls.CATALOGUE_CSV,
                   "one row per paper, for spreadsheets (a cell starting with = + - or @ has "
                   "a ' put in front, so that no spreadsheet runs it as a formula)"),
        ]  # fmt: skip
        if feeds_enabled(self.settings.addresses):
            rows.append(
                ("feed", urls.CATALOGUE_FEED, "Atom feed", "application/atom+xml",
                 "the newest papers, for feed readers")
            )  # fmt: skip
        return [
            {"kind": kind, "href": self.file_href(uri, path), "label": label, "type": mime,
             "about": about}
            for kind, path, label, mime, about in rows
        ]  # fmt: skip

    def render_page_head(self, src_uri: str, tag: Tag | None = None) -> Markup:
        """What a page adds to its HTML head: feed links on every page (and the tag's on the
        pages of a tag), and on a paper's page the Google Scholar `citation_*` and OpenGraph
        tags (every value escaped)."""
        addresses = self.settings.addresses
        feeds = []
        if feeds_enabled(addresses):
            feeds.append(
                {"title": f"{self.settings.site_name}: newest papers",
                 "href": urls.file_href(src_uri, urls.CATALOGUE_FEED,
                                        self.settings.use_directory_urls)}
            )  # fmt: skip
            tag = tag or self._tag_by_uri.get(src_uri)
            if tag is not None:
                feeds.append(
                    {"title": f"{self.settings.site_name}: newest papers tagged {tag.name}",
                     "href": self.file_href(src_uri, urls.tag_feed(tag.id))}
                )  # fmt: skip
        paper = self._paper_by_uri.get(src_uri)
        html = _ENV.get_template("page_head.html.j2").render(
            feeds=feeds,
            paper=self._scholar_meta(paper) if paper else None,
            site_name=self.settings.site_name,
        )
        return Markup(html)

    def _scholar_meta(self, paper: Paper) -> dict[str, Any]:
        """Values of the citation_* and og:* meta tags (escaped by the template)."""
        entry = paper.entry
        kind = publication_kind(entry)
        addresses = self.settings.addresses
        return {
            "title": text.to_plain(entry.title),
            "authors": entry.authors,
            # Google Scholar reads dates as 2024/05/17, 2024/05 or 2024.
            "date": entry.date.replace("-", "/") if entry.date else None,
            "journal": entry.venue if kind is PublicationKind.JOURNAL_ARTICLE else None,
            "conference": entry.venue if kind is PublicationKind.CONFERENCE_PAPER else None,
            "arxiv": entry.arxiv,
            "pdf_url": pdf_url(entry),
            "keywords": "; ".join(self.catalogue.vocabulary[t].name for t in entry.tags),
            "description": text.teaser(entry.abstract, 300),
            "url": addresses.page(urls.paper_uri(paper.slug)) if addresses.site_url else None,
        }

    def browse_pages(self, render: bool = True) -> Iterator[GeneratedPage]:
        """Authors (an index by letter, a list per letter, a page per author), years and
        venues (an index, a page each), when entries have them; lists are paginated. With
        `render=False` only the addresses are right (for `page_uris`)."""
        catalogue = self.catalogue
        authors = catalogue.authors
        if authors.authors:
            letters = authors.letters()
            yield from self._index_pages(
                urls.AUTHORS_INDEX_URI,
                "Authors",
                f"{len(authors.authors)} authors, by the first letter of their family name.",
                [(letter, urls.author_letter_uri(letter), len(group))
                 for letter, group in letters.items()],
                render,
            )  # fmt: skip
            # Each author's page of their letter's index (it is paginated), for their page's
            # link back to it.
            listed_on: dict[str, str] = {}
            for letter, group in letters.items():
                yield from self._index_pages(
                    urls.author_letter_uri(letter),
                    f"Authors: {letter}",
                    f"{len(group)} authors whose family name starts with {letter}.",
                    # An author without a page of their own leads to their paper.
                    [(a.name, urls.author_uri(a.slug) if self.has_page(a)
                      else urls.paper_uri(a.papers[0].slug), len(a.papers)) for a in group],
                    render,
                )  # fmt: skip
                for part in paginate(group, INDEX_ROWS_PER_PAGE):  # as `_index_pages` cuts it
                    where = page_uri(urls.author_letter_uri(letter), part.number)
                    listed_on.update((a.slug, where) for a in part.items if self.has_page(a))
            for author in filter(self.has_page, authors.authors):
                yield from self._paper_list_pages(
                    urls.author_uri(author.slug), author.name, f"Papers by {author.name}.",
                    author.papers, listed_on[author.slug], "other authors", "", render,
                )  # fmt: skip
        if catalogue.years:
            yield from self._index_pages(
                urls.YEARS_INDEX_URI,
                "Papers by year",
                "Publication years, newest first.",
                [(g.year, urls.year_uri(g.year), len(g.papers)) for g in catalogue.years],
                render,
            )
            for year in catalogue.years:
                yield from self._paper_list_pages(
                    urls.year_uri(year.year), f"Papers of {year.year}",
                    f"Papers published in {year.year}.", year.papers, urls.YEARS_INDEX_URI,
                    "all years", ", newest first", render,
                )  # fmt: skip
        if catalogue.venues:
            yield from self._index_pages(
                urls.VENUES_INDEX_URI,
                "Papers by venue",
                "Conferences, journals and workshops; each venue's page has all its years.",
                [(v.name, urls.venue_uri(v.slug), len(v.papers)) for v in catalogue.venues],
                render,
            )
            for venue in catalogue.venues:
                yield from self._paper_list_pages(
                    urls.venue_uri(venue.slug), venue.name, f"Papers published at {venue.name}.",
                    venue.papers, urls.VENUES_INDEX_URI, "all venues", ", newest first", render,
                )  # fmt: skip

    def _index_pages(
        self,
        first_uri: str,
        heading: str,
        intro: str,
        rows: list[tuple[str, str, int]],
        render: bool,
    ) -> Iterator[GeneratedPage]:
        """An index (letters, authors of a letter, years, venues): name, link and count per
        row, `INDEX_ROWS_PER_PAGE` rows to a page."""
        for part in paginate(rows, INDEX_ROWS_PER_PAGE):
            uri = page_uri(first_uri, part.number)
            title = heading if part.number == 1 else f"{heading} (page {part.number})"
            if not render:
                yield GeneratedPage(uri, title, intro, "")
                continue
            # Serve keeps an index page whose rows are unchanged (most edits change none).
            make = partial(self._index_page, uri, first_uri, title, intro, part)
            yield self._kept_page(uri, (), (title, intro, part), make)

    def _index_page(
        self,
        uri: str,
        first_uri: str,
        title: str,
        intro: str,
        part: ListPage[tuple[str, str, int]],
    ) -> GeneratedPage:
        html = _ENV.get_template("browse_index.md.j2").render(
            heading=title,
            intro=intro,
            rows=[
                {"name": name, "href": self.href(uri, target), "count": count}
                for name, target, count in part.items
            ],
            pages=self.pager(first_uri, uri, part),
        )
        return GeneratedPage(uri, title, intro, html, head=self.render_page_head(uri))

    def _paper_list_pages(
        self,
        first_uri: str,
        heading: str,
        description: str,
        papers: Sequence[Paper],
        index_uri: str,
        index_label: str,
        note: str,
        render: bool,
    ) -> Iterator[GeneratedPage]:
        for part in paginate(papers, self.settings.list_page_size):
            uri = page_uri(first_uri, part.number)
            title = heading if part.number == 1 else f"{heading} (page {part.number})"
            if not render:
                yield GeneratedPage(uri, title, description, "")
                continue
            shape = (heading, description, note, len(papers), index_uri, index_label)
            make = partial(self._browse_page, uri, part, title, shape, first_uri)
            yield self._list_page(uri, part, shape, make)

    def _browse_page(
        self,
        uri: str,
        part: ListPage[Paper],
        title: str,
        shape: tuple[str, str, str, int, str, str],
        first_uri: str,
    ) -> GeneratedPage:
        heading, description, note, total, index_uri, index_label = shape
        html = _ENV.get_template("browse_papers.md.j2").render(
            heading=heading,
            note=note,
            total=total,
            items=[self.list_item(uri, p) for p in part.items],
            pages=self.pager(first_uri, uri, part),
            index_href=self.href(uri, index_uri),
            index_label=index_label,
        )
        return GeneratedPage(uri, title, description, html, head=self.render_page_head(uri))

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
        """The pages that list papers: all papers, the tags overview, each tag, and the
        authors, years and venues."""
        for page in (*self.all_papers_pages(), self.tags_overview()):
            # Every page links the catalogue's feed; the others below render their own head.
            yield dataclasses.replace(page, head=self.render_page_head(page.uri))
        for tag in self.catalogue.used_tags:
            yield from self.tag_pages(tag)
        yield from self.browse_pages()

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
        for page in self.browse_pages(render=False):
            yield page.uri


def generated_pages(catalogue: Catalogue, settings: RenderSettings) -> Iterator[GeneratedPage]:
    """Every generated page, in a stable order, rendered lazily."""
    return PageRenderer(catalogue, settings).all_pages()


def render_pages(catalogue: Catalogue, settings: RenderSettings) -> dict[str, str]:
    """Every generated page as Markdown (redirects as HTML), by source path, in a stable order."""
    renderer = PageRenderer(catalogue, settings)
    pages = {page.uri: page.markdown() for page in renderer.all_pages()}
    pages.update(renderer.redirect_pages())
    return pages


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
