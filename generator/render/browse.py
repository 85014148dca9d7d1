"""Browsing by author, year and venue: an index of each (authors by letter), and a list of
papers per author, year and venue. Only authors, years and venues some entry has appear."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from generator.model.paper import Paper
from generator.render import urls
from generator.render.context import RenderContext
from generator.render.head import page_head
from generator.render.page import GeneratedPage, render_template
from generator.render.pagination import INDEX_ROWS_PER_PAGE, ListPage, page_uri, paginate

IndexRow = tuple[str, str, int]
"""A row of an index page: the name shown, the page it leads to, how many papers."""


def browse_pages(ctx: RenderContext, render: bool = True) -> Iterator[GeneratedPage]:
    """Authors (an index by letter, a list per letter, a page per author), years and venues
    (an index, a page each), when entries have them; lists are paginated. With
    `render=False` only the addresses are right (for `page_uris`)."""
    yield from _author_pages(ctx, render)
    catalogue = ctx.catalogue
    if catalogue.years:
        yield from _index_pages(
            ctx,
            urls.YEARS_INDEX_URI,
            "Papers by year",
            "Publication years, newest first.",
            [(g.year, urls.year_uri(g.year), len(g.papers)) for g in catalogue.years],
            render,
        )
        for year in catalogue.years:
            yield from _paper_list_pages(
                ctx, urls.year_uri(year.year), f"Papers of {year.year}",
                f"Papers published in {year.year}.", year.papers, urls.YEARS_INDEX_URI,
                "all years", ", newest first", render,
            )  # fmt: skip
    if catalogue.venues:
        yield from _index_pages(
            ctx,
            urls.VENUES_INDEX_URI,
            "Papers by venue",
            "Conferences, journals and workshops; each venue's page has all its years.",
            [(v.name, urls.venue_uri(v.slug), len(v.papers)) for v in catalogue.venues],
            render,
        )
        for venue in catalogue.venues:
            yield from _paper_list_pages(
                ctx, urls.venue_uri(venue.slug), venue.name,
                f"Papers published at {venue.name}.", venue.papers, urls.VENUES_INDEX_URI,
                "all venues", ", newest first", render,
            )  # fmt: skip


def _author_pages(ctx: RenderContext, render: bool) -> Iterator[GeneratedPage]:
    authors = ctx.catalogue.authors
    if not authors.authors:
        return
    letters = authors.letters()
    yield from _index_pages(
        ctx,
        urls.AUTHORS_INDEX_URI,
        "Authors",
        f"{len(authors.authors)} authors, by the first letter of their family name.",
        [(letter, urls.author_letter_uri(letter), len(group)) for letter, group in letters.items()],
        render,
    )
    # Each author's page of their letter's index (it is paginated), for their page's link
    # back to it.
    listed_on: dict[str, str] = {}
    for letter, group in letters.items():
        yield from _index_pages(
            ctx,
            urls.author_letter_uri(letter),
            f"Authors: {letter}",
            f"{len(group)} authors whose family name starts with {letter}.",
            # An author without a page of their own leads to their paper.
            [(a.name, urls.author_uri(a.slug) if ctx.has_page(a)
              else urls.paper_uri(a.papers[0].slug), len(a.papers)) for a in group],
            render,
        )  # fmt: skip
        for part in paginate(group, INDEX_ROWS_PER_PAGE):  # as `_index_pages` cuts it
            where = page_uri(urls.author_letter_uri(letter), part.number)
            listed_on.update((a.slug, where) for a in part.items if ctx.has_page(a))
    for author in filter(ctx.has_page, authors.authors):
        yield from _paper_list_pages(
            ctx, urls.author_uri(author.slug), author.name, f"Papers by {author.name}.",
            author.papers, listed_on[author.slug], "other authors", "", render,
        )  # fmt: skip


def _index_pages(
    ctx: RenderContext,
    first_uri: str,
    heading: str,
    intro: str,
    rows: list[IndexRow],
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
        make = partial(_index_page, ctx, uri, first_uri, title, intro, part)
        yield ctx.kept_page(uri, (), (title, intro, part), make)


def _index_page(
    ctx: RenderContext,
    uri: str,
    first_uri: str,
    title: str,
    intro: str,
    part: ListPage[IndexRow],
) -> GeneratedPage:
    html = render_template(
        "browse_index.html.j2",
        heading=title,
        intro=intro,
        rows=[
            {"name": name, "href": ctx.href(uri, target), "count": count}
            for name, target, count in part.items
        ],
        pages=ctx.pager(first_uri, uri, part),
    )
    return GeneratedPage(uri, title, intro, html, head=page_head(ctx, uri))


def _paper_list_pages(
    ctx: RenderContext,
    first_uri: str,
    heading: str,
    description: str,
    papers: Sequence[Paper],
    index_uri: str,
    index_label: str,
    note: str,
    render: bool,
) -> Iterator[GeneratedPage]:
    for part in paginate(papers, ctx.settings.list_page_size):
        uri = page_uri(first_uri, part.number)
        title = heading if part.number == 1 else f"{heading} (page {part.number})"
        if not render:
            yield GeneratedPage(uri, title, description, "")
            continue
        shape = (heading, description, note, len(papers), index_uri, index_label)
        make = partial(_browse_page, ctx, uri, part, title, shape, first_uri)
        yield ctx.list_page(uri, part, shape, make)


def _browse_page(
    ctx: RenderContext,
    uri: str,
    part: ListPage[Paper],
    title: str,
    shape: tuple[str, str, str, int, str, str],
    first_uri: str,
) -> GeneratedPage:
    heading, description, note, total, index_uri, index_label = shape
    html = render_template(
        "browse_papers.html.j2",
        heading=heading,
        note=note,
        total=total,
        items=[ctx.list_item(uri, p) for p in part.items],
        pages=ctx.pager(first_uri, uri, part),
        index_href=ctx.href(uri, index_uri),
        index_label=index_label,
    )
    return GeneratedPage(uri, title, description, html, head=page_head(ctx, uri))
