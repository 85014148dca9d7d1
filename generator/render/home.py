"""The generated part of the home page: counts, largest tags, latest additions, downloads."""

from __future__ import annotations

from markupsafe import Markup

from generator.enrich.orders import NEWEST_ADDED
from generator.render import urls
from generator.render.context import RenderContext
from generator.render.exports import feeds_enabled
from generator.render.figures import (
    papers_added_per_month,
    papers_per_tag,
    papers_per_year,
    render_figures,
)
from generator.render.page import gzipped_note, render_template


def home_summary(ctx: RenderContext) -> Markup:
    """What `docs/index.md` shows where it has `<!-- catalogue:summary -->`."""
    uri = urls.HOME_URI
    catalogue, kit = ctx.catalogue, ctx.kit
    largest = [
        {**kit.tag_link(uri, t), "count": catalogue.tag_index.count(t.id)}
        for t in catalogue.largest_tags(12)
    ]
    html = render_template(
        "home_summary.html.j2",
        paper_count=len(catalogue.papers),
        tag_count=len(catalogue.used_tags),
        largest=largest,
        figures=render_figures(
            [
                papers_per_year(catalogue.papers),
                papers_added_per_month(catalogue.papers),
                papers_per_tag(catalogue),
            ]
        ),
        latest=[kit.paper_item(uri, p) for p in catalogue.latest_added(10)],
        newest_href=kit.href(uri, urls.order_uri(urls.ALL_PAPERS_URI, NEWEST_ADDED.key)),
        tags_href=kit.href(uri, urls.TAGS_OVERVIEW_URI),
        papers_href=kit.href(uri, urls.ALL_PAPERS_URI),
        map_href=kit.href(uri, urls.MAP_URI) if catalogue.papers else None,
        browse=_browse_buttons(ctx, uri),
        downloads=_downloads(ctx, uri),
    )
    return Markup(html)


def _browse_buttons(ctx: RenderContext, uri: str) -> list[dict[str, str]]:
    catalogue = ctx.catalogue
    buttons = []
    for present, label, index_uri in (
        (catalogue.years, "By year", urls.YEARS_INDEX_URI),
        (catalogue.venues, "By venue", urls.VENUES_INDEX_URI),
        (catalogue.authors.authors, "By author", urls.AUTHORS_INDEX_URI),
    ):
        if present:
            buttons.append({"label": label, "href": ctx.href(uri, index_uri)})
    return buttons


def _downloads(ctx: RenderContext, uri: str) -> list[dict[str, str]]:
    count = len(ctx.catalogue.papers)

    def export(kind: str, path: str, about: str) -> tuple[str, str, str, str, str]:
        published = urls.whole_catalogue_export(path, count)
        return (kind, published, published, "", about + gzipped_note(published))

    rows = [
        export("json", urls.CATALOGUE_JSON, "every entry, for programs"),
        ("schema", urls.CATALOGUE_SCHEMA, "catalogue.schema.json", "",
         "the JSON Schema of catalogue.json"),
        export("bibtex", urls.CATALOGUE_BIBTEX, "every paper as BibTeX"),
        export("csv", urls.CATALOGUE_CSV,
               "one row per paper, for spreadsheets (a cell starting with = + - or @ has "
               "a ' put in front, so that no spreadsheet runs it as a formula)"),
    ]  # fmt: skip
    if feeds_enabled(ctx.settings.addresses):
        rows.append(
            ("feed", urls.CATALOGUE_FEED, "Atom feed", "application/atom+xml",
             "the newest papers, for feed readers")
        )  # fmt: skip
    return [
        {"kind": kind, "href": ctx.kit.file_href(uri, path), "label": label, "type": mime,
         "about": about}
        for kind, path, label, mime, about in rows
    ]  # fmt: skip
