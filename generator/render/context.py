"""What every kind of page shares: the catalogue, the settings, links between pages, list
entries, pagers, and the list pages `catalogue serve` keeps between rebuilds."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.enrich.catalogue import Catalogue
from generator.enrich.people import Author
from generator.enrich.venues_and_years import Venue
from generator.model.paper import Paper, same_papers
from generator.model.vocabulary import Tag
from generator.render import urls
from generator.render.exports import CitationStore
from generator.render.list_entries import ListEntries
from generator.render.page import GeneratedPage, RenderSettings
from generator.render.pagination import ListPage, page_uri, pager_numbers


@dataclass
class KeptLists:
    """List pages kept by `catalogue serve` from one build to the next, by source path: the
    papers listed, the shape of the list (title, counts, page number), the page."""

    pages: dict[str, tuple[tuple[Paper, ...], tuple[object, ...], GeneratedPage]] = (
        dataclasses.field(default_factory=dict)
    )


class RenderContext:
    """The catalogue being rendered, with what its pages share."""

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

    def venue_of(self, paper: Paper) -> Venue | None:
        return self._venue_by_slug.get(paper.slug)

    def paper_at(self, src_uri: str) -> Paper | None:
        """The paper whose page is `src_uri`, if it is a paper's page."""
        return self._paper_by_uri.get(src_uri)

    def tag_at(self, src_uri: str) -> Tag | None:
        """The tag whose (first) page is `src_uri`, if it is a tag's page."""
        return self._tag_by_uri.get(src_uri)

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

    def list_page(
        self,
        uri: str,
        part: ListPage[Paper],
        shape: tuple[object, ...],
        make: Callable[[], GeneratedPage],
    ) -> GeneratedPage:
        """A page of a list of papers: `kept_page` with its place in the list."""
        return self.kept_page(uri, part.items, (*shape, part.number, part.count), make)

    def kept_page(
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
