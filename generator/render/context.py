"""What every kind of page shares.

A page is worked out in two steps (`page.PagePlan`): what it shows, read from the catalogue
(`RenderContext`), then its HTML, rendered from that alone with a `PageKit`: the site's
settings, the tag vocabulary and the tools made from them (links, tag chips, list entries,
pagers). The kit holds no catalogue, so a renderer cannot read anything its page's context
does not name, and `catalogue serve` can keep a page whose context is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.enrich.catalogue import Catalogue
from generator.enrich.people import Author
from generator.enrich.venues_and_years import Venue
from generator.model.paper import Paper
from generator.model.vocabulary import Tag, Vocabulary
from generator.render import urls
from generator.render.exports import CitationStore
from generator.render.head import page_head
from generator.render.list_entries import ListEntries
from generator.render.page import RenderSettings
from generator.render.pagination import ListPage, page_uri, pager_numbers


@dataclass
class RenderMemory:
    """What rendering keeps from one build to the next (`catalogue serve`): each paper's list
    entry and citations, made again only for papers that changed. A one-off build has one
    for the whole build."""

    entries: ListEntries = field(default_factory=lambda: ListEntries(Vocabulary(())))
    cited: CitationStore = field(default_factory=CitationStore)
    _made_with: tuple[Vocabulary, RenderSettings] | None = None

    @classmethod
    def for_serving(cls) -> RenderMemory:
        """A memory that also keeps each paper's rows of the whole-catalogue exports."""
        return cls(cited=CitationStore(keep_rows=True))

    def use(self, catalogue: Catalogue, settings: RenderSettings) -> None:
        """Render `catalogue` with `settings` from now on: forget every list entry when tag
        names or settings changed, and the citations of papers that are gone."""
        if self._made_with != (catalogue.vocabulary, settings):
            self.entries.forget()
            self.entries.vocabulary = catalogue.vocabulary
            self.entries.use_directory_urls = settings.use_directory_urls
            self._made_with = (catalogue.vocabulary, settings)
        self.cited.keep_only(catalogue)


class PageKit:
    """What rendering a page may use besides the page's own context: the site's settings and
    the tag vocabulary, and what is made from them alone."""

    def __init__(
        self,
        settings: RenderSettings,
        vocabulary: Vocabulary,
        entries: ListEntries,
        cited: CitationStore | None = None,
    ) -> None:
        self.settings = settings
        self.vocabulary = vocabulary
        self.entries = entries
        """List entries, kept by `catalogue serve` so that a rebuild assembles only the
        entries of papers that changed."""
        self.cited = cited or CitationStore()
        """Each paper's citations (made from the paper, its citation key and the vocabulary),
        shared with the downloads: a page's context names its paper and key, and the page
        makes the texts only when it is rendered."""

    @property
    def made_with(self) -> tuple[Vocabulary, RenderSettings]:
        """What the kit renders with: pages rendered with another may differ."""
        return self.vocabulary, self.settings

    def href(self, from_uri: str, to_uri: str) -> str:
        return urls.relative_href(from_uri, to_uri, self.settings.use_directory_urls)

    def file_href(self, from_uri: str, file_path: str) -> str:
        return urls.file_href(from_uri, file_path, self.settings.use_directory_urls)

    def tag_link(self, from_uri: str, tag: Tag) -> dict[str, Any]:
        return {"name": tag.name, "href": self.href(from_uri, urls.tag_uri(tag.id)), "tag": tag}

    def paper_item(self, from_uri: str, paper: Paper) -> dict[str, Any]:
        """What a page shows of a paper it names: linked title, tags."""
        return {
            "paper": paper,
            "entry": paper.entry,
            "href": self.href(from_uri, urls.paper_uri(paper.slug)),
            "tags": [self.tag_link(from_uri, self.vocabulary[t]) for t in paper.entry.tags],
        }

    def list_item(self, from_uri: str, paper: Paper, facts_only: bool = False) -> Markup:
        """A paper as an entry of the list on page `from_uri` (`ListEntries.entry`)."""
        return self.entries.entry(from_uri, paper, facts_only)

    def head(self, uri: str, tag: Tag | None = None, paper: Paper | None = None) -> Markup:
        """What the page `uri` adds to the theme's `<head>` (`head.page_head`)."""
        return page_head(self.settings, self.vocabulary, uri, tag, paper)

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


class RenderContext:
    """The catalogue being rendered, with what its pages share."""

    def __init__(
        self,
        catalogue: Catalogue,
        settings: RenderSettings,
        memory: RenderMemory | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.settings = settings
        memory = memory or RenderMemory()
        memory.use(catalogue, settings)
        self.kit = PageKit(settings, catalogue.vocabulary, memory.entries, memory.cited)
        self.cited = memory.cited
        """Each paper's citations, shared with its citation files and the BibTeX exports."""
        self._venue_by_slug = {p.slug: v for v in catalogue.venues for p in v.papers}
        self._paper_by_uri = {urls.paper_uri(p.slug): p for p in catalogue.papers}
        self._tag_by_uri = {urls.tag_uri(t.id): t for t in catalogue.used_tags}

    def href(self, from_uri: str, to_uri: str) -> str:
        return self.kit.href(from_uri, to_uri)

    def has_page(self, author: Author) -> bool:
        """Whether `author` has a page of their own (`author_page_min_papers`)."""
        return len(author.papers) >= self.settings.author_page_min_papers

    def venue_of(self, paper: Paper) -> Venue | None:
        return self._venue_by_slug.get(paper.slug)

    def paper_at(self, src_uri: str) -> Paper | None:
        """The paper whose page is `src_uri`, if it is a paper's page."""
        return self._paper_by_uri.get(src_uri)

    def tag_at(self, src_uri: str) -> Tag | None:
        """The tag whose (first) page is `src_uri`, if it is a tag's page."""
        return self._tag_by_uri.get(src_uri)
