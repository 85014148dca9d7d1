"""Browsing by author, year and venue: an index of each (authors by letter), and a list of
papers per author, year and venue. Only authors, years and venues some entry has appear."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.model.paper import Paper
from generator.render import urls
from generator.render.context import PageKit, RenderContext
from generator.render.page import GeneratedPage, PagePlan, render_template
from generator.render.pagination import INDEX_ROWS_PER_PAGE, ListPage, page_uri, paginate

IndexRow = tuple[str, str, int]
"""A row of an index page: the name shown, the page it leads to, how many papers."""


@dataclass(frozen=True)
class IndexContext:
    """A page of an index (letters, authors of a letter, years, venues)."""

    first_uri: str
    heading: str
    intro: str
    part: ListPage[IndexRow]


@dataclass(frozen=True)
class BrowseListContext:
    """A page of the papers of one author, year or venue."""

    first_uri: str
    heading: str
    description: str
    note: str
    """What the count adds (", newest first")."""
    total: int
    index_uri: str
    """The index page that lists this author, year or venue."""
    index_label: str
    part: ListPage[Paper]


def browse_plans(ctx: RenderContext) -> Iterator[PagePlan[Any]]:
    """Authors (an index by letter, a list per letter, a page per author), years and venues
    (an index, a page each), when entries have them; lists are paginated."""
    yield from _author_plans(ctx)
    catalogue = ctx.catalogue
    if catalogue.years:
        yield from _index_plans(
            ctx,
            urls.YEARS_INDEX_URI,
            "Papers by year",
            "Publication years, newest first.",
            [(g.year, urls.year_uri(g.year), len(g.papers)) for g in catalogue.years],
        )
        for year in catalogue.years:
            yield from _paper_list_plans(
                ctx, urls.year_uri(year.year), f"Papers of {year.year}",
                f"Papers published in {year.year}.", year.papers, urls.YEARS_INDEX_URI,
                "all years", ", newest first",
            )  # fmt: skip
    if catalogue.venues:
        yield from _index_plans(
            ctx,
            urls.VENUES_INDEX_URI,
            "Papers by venue",
            "Conferences, journals and workshops; each venue's page has all its years.",
            [(v.name, urls.venue_uri(v.slug), len(v.papers)) for v in catalogue.venues],
        )
        for venue in catalogue.venues:
            yield from _paper_list_plans(
                ctx, urls.venue_uri(venue.slug), venue.name,
                f"Papers published at {venue.name}.", venue.papers, urls.VENUES_INDEX_URI,
                "all venues", ", newest first",
            )  # fmt: skip


def _author_plans(ctx: RenderContext) -> Iterator[PagePlan[Any]]:
    authors = ctx.catalogue.authors
    if not authors.authors:
        return
    letters = authors.letters()
    yield from _index_plans(
        ctx,
        urls.AUTHORS_INDEX_URI,
        "Authors",
        f"{len(authors.authors)} authors, by the first letter of their family name.",
        [(letter, urls.author_letter_uri(letter), len(group)) for letter, group in letters.items()],
    )
    # Each author's page of their letter's index (it is paginated), for their page's link
    # back to it.
    listed_on: dict[str, str] = {}
    for letter, group in letters.items():
        yield from _index_plans(
            ctx,
            urls.author_letter_uri(letter),
            f"Authors: {letter}",
            f"{len(group)} authors whose family name starts with {letter}.",
            # An author without a page of their own leads to their paper.
            [(a.name, urls.author_uri(a.slug) if ctx.has_page(a)
              else urls.paper_uri(a.papers[0].slug), len(a.papers)) for a in group],
        )  # fmt: skip
        for part in paginate(group, INDEX_ROWS_PER_PAGE):  # as `_index_plans` cuts it
            where = page_uri(urls.author_letter_uri(letter), part.number)
            listed_on.update((a.slug, where) for a in part.items if ctx.has_page(a))
    for author in filter(ctx.has_page, authors.authors):
        yield from _paper_list_plans(
            ctx, urls.author_uri(author.slug), author.name, f"Papers by {author.name}.",
            author.papers, listed_on[author.slug], "other authors", "",
        )  # fmt: skip


def _index_plans(
    ctx: RenderContext, first_uri: str, heading: str, intro: str, rows: list[IndexRow]
) -> Iterator[PagePlan[IndexContext]]:
    """An index: name, link and count per row, `INDEX_ROWS_PER_PAGE` rows to a page."""
    for part in paginate(rows, INDEX_ROWS_PER_PAGE):
        uri = page_uri(first_uri, part.number)
        context = partial(IndexContext, first_uri, heading, intro, part)
        yield PagePlan(uri, context, partial(_index_page, ctx.kit, uri))


def _index_page(kit: PageKit, uri: str, shows: IndexContext) -> GeneratedPage:
    part = shows.part
    title = shows.heading if part.number == 1 else f"{shows.heading} (page {part.number})"
    html = render_template(
        "browse_index.html.j2",
        heading=title,
        intro=shows.intro,
        rows=[
            {"name": name, "href": kit.href(uri, target), "count": count}
            for name, target, count in part.items
        ],
        pages=kit.pager(shows.first_uri, uri, part),
    )
    return GeneratedPage(uri, title, shows.intro, html, head=kit.head(uri))


def _paper_list_plans(
    ctx: RenderContext,
    first_uri: str,
    heading: str,
    description: str,
    papers: Sequence[Paper],
    index_uri: str,
    index_label: str,
    note: str,
) -> Iterator[PagePlan[BrowseListContext]]:
    for part in paginate(papers, ctx.settings.list_page_size):
        uri = page_uri(first_uri, part.number)
        context = partial(
            BrowseListContext, first_uri, heading, description, note, len(papers), index_uri,
            index_label, part,
        )  # fmt: skip
        yield PagePlan(uri, context, partial(_browse_page, ctx.kit, uri))


def _browse_page(kit: PageKit, uri: str, shows: BrowseListContext) -> GeneratedPage:
    part = shows.part
    title = shows.heading if part.number == 1 else f"{shows.heading} (page {part.number})"
    html = render_template(
        "browse_papers.html.j2",
        heading=shows.heading,
        note=shows.note,
        total=shows.total,
        items=[kit.list_item(uri, p) for p in part.items],
        pages=kit.pager(shows.first_uri, uri, part),
        index_href=kit.href(uri, shows.index_uri),
        index_label=shows.index_label,
    )
    return GeneratedPage(uri, title, shows.description, html, head=kit.head(uri))
