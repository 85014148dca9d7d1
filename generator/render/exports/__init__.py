"""Render: the files readers download, besides the pages: citations, feeds, whole catalogue.

`export_files` returns every one of them by its path in the site; the plugin adds them to the
build as generated files, so like the pages they are never written to `docs/`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from generator.enrich.catalogue import Catalogue
from generator.model.escaping import json_for_script
from generator.model.kept import KeptValues
from generator.model.paper import Paper
from generator.model.vocabulary import Vocabulary
from generator.render import urls
from generator.render.exports.atom import FeedContext, FeedLinks, atom_feed, newest
from generator.render.exports.bibtex import bibtex_entry
from generator.render.exports.catalogue_csv import catalogue_csv, csv_row
from generator.render.exports.catalogue_json import catalogue_json, catalogue_schema, json_item
from generator.render.exports.citation_record import citation_record
from generator.render.exports.members import RowsText


@dataclass(frozen=True)
class SiteAddresses:
    """Absolute addresses when the site's address is known, else paths from the site root."""

    site_url: str | None
    use_directory_urls: bool = True

    def page(self, uri: str) -> str:
        """The address of a page, by its source path."""
        return self.file(urls.page_url(uri, self.use_directory_urls))

    def file(self, path: str) -> str:
        """The address of a file, by its path in the site."""
        return urls.absolute_url(self.site_url, path) if self.site_url else path


def citations(catalogue: Catalogue, paper: Paper) -> dict[str, str]:
    """What a paper's page cites it with: its BibTeX entry (`bibtex`), and the record its
    RIS and CSL-JSON are made from in the page (`record`, JSON for a script element)."""
    return paper_citations(paper, catalogue.citation_keys[paper.slug], catalogue.vocabulary)


def paper_citations(paper: Paper, key: str, vocabulary: Vocabulary) -> dict[str, str]:
    """`citations` of `paper` under citation key `key`, with the tag names of `vocabulary`."""
    return {
        "bibtex": bibtex_entry(paper, key, vocabulary),
        "record": str(json_for_script(citation_record(paper, key, vocabulary))),
    }


@dataclass
class CitationStore:
    """Each paper's citations, made once for its page and the BibTeX exports
    (BibTeX escaping alone was a tenth of a large build), and its row of `catalogue.csv` and
    item of `catalogue.json`. `catalogue serve` keeps the store between builds, so a rebuild
    makes only those of changed entries (the exports' rows of all 10,000 entries of a large
    catalogue took most of a second of every rebuild)."""

    _texts: KeptValues[str, dict[str, str]] = field(default_factory=KeptValues)
    """By slug, made from the paper and its citation key."""
    _rows: KeptValues[tuple[str, str], str] = field(default_factory=KeptValues)
    """By export and slug, made from the paper, its page's address and its citation key."""
    _vocabulary: Vocabulary | None = None
    """The tag vocabulary they were made with (tag names are the keywords)."""
    keep_rows: bool = False
    """Keep the exports' rows for the next build (serve). A one-off build has none: at a
    large catalogue's size the rows would be a large part of its memory."""

    def of(self, catalogue: Catalogue, paper: Paper) -> dict[str, str]:
        """`paper`'s citations by format key; made again when the entry or its citation key
        changed (serve reuses the `Paper` of an unchanged entry). Call `keep_only` first
        when the catalogue is a new one."""
        return self.texts(paper, catalogue.citation_keys[paper.slug], catalogue.vocabulary)

    def texts(self, paper: Paper, key: str, vocabulary: Vocabulary) -> dict[str, str]:
        """`of`, for a paper's page: from its citation key and the kit's vocabulary, which
        is the catalogue's (`keep_only` forgets the texts when it changes)."""
        make = functools.partial(paper_citations, paper, key, vocabulary)
        return self._texts.reuse(paper.slug, (paper,), key, make)

    def row_maker(
        self, export: str, make: Callable[[Paper, str, str], str]
    ) -> Callable[[Paper, str, str], str]:
        """`make` (a paper's row of the whole-catalogue export `export`, from the paper, its
        page's address and its citation key), made again only when one of those changed;
        `make` itself unless `keep_rows`."""
        if not self.keep_rows:
            return make

        def row(paper: Paper, url: str, key: str) -> str:
            where = (export, paper.slug)
            return self._rows.reuse(where, (paper,), (url, key), lambda: make(paper, url, key))

        return row

    def keep_only(self, catalogue: Catalogue) -> None:
        """Forget the texts of papers no longer in `catalogue`, or all citations when its
        tag vocabulary differs from the one they were made with."""
        if catalogue.vocabulary != self._vocabulary:
            self._texts.clear()
            self._vocabulary = catalogue.vocabulary
        present = {p.slug for p in catalogue.papers}
        self._texts.keep_only(present)
        self._rows.keep_only(where for where in self._rows if where[1] in present)


@dataclass(frozen=True)
class ExportPlan:
    """One whole-catalogue download, before it is made."""

    path: str
    """Where it is published in the site."""
    papers: Sequence[Paper]
    """The papers it shows, in its order; besides them it is made from their citation keys,
    the tag vocabulary, the site's name and addresses (and the generator's code)."""
    make: Callable[[], str | bytes]
    """Makes its text (or its gzipped bytes)."""
    members: RowsText | None = None
    """Its rows, when it is one row per paper: a build over an existing site takes the members
    whose papers are unchanged from the published file (`site.export_record`)."""
    compressed: bool = False
    """Published gzipped, a gzip member per member."""


def export_files(
    catalogue: Catalogue,
    addresses: SiteAddresses,
    site_name: str,
    store: CitationStore | None = None,
) -> dict[str, str | bytes]:
    """The whole-catalogue downloads by their path in the site, in a stable order: JSON, CSV,
    BibTeX (all papers and per tag), feeds. A paper's own citations are in its page."""
    return {plan.path: plan.make() for plan in export_plans(catalogue, addresses, site_name, store)}


def export_plans(
    catalogue: Catalogue,
    addresses: SiteAddresses,
    site_name: str,
    store: CitationStore | None = None,
) -> list[ExportPlan]:
    """`export_files`, each still to be made: a build over an existing site makes only those
    whose papers changed (`site.export_record`)."""
    cited = store or CitationStore()
    keys, papers = catalogue.citation_keys, catalogue.papers
    page_urls = {p.slug: addresses.page(urls.paper_uri(p.slug)) for p in papers}

    def bibtex_of(selection: Sequence[Paper]) -> RowsText:
        return RowsText("", selection, lambda paper: cited.of(catalogue, paper)["bibtex"], "\n")

    def published(path: str, rows: RowsText) -> ExportPlan:
        where = urls.whole_catalogue_export(path, len(papers))
        if where == path:
            return ExportPlan(where, rows.papers, rows.text, rows)
        return ExportPlan(where, rows.papers, rows.gzipped, rows, compressed=True)

    json_row, csv_line = cited.row_maker("json", json_item), cited.row_maker("csv", csv_row)
    plans = [
        published(
            urls.CATALOGUE_JSON, catalogue_json(site_name, papers, page_urls, keys, json_row)
        ),
        published(urls.CATALOGUE_CSV, catalogue_csv(papers, page_urls, keys, csv_line)),
        ExportPlan(urls.CATALOGUE_SCHEMA, (), catalogue_schema),
        published(urls.CATALOGUE_BIBTEX, bibtex_of(papers)),
    ]
    for tag in catalogue.used_tags:
        tagged = catalogue.tag_index.papers(tag.id)
        plans.append(published(urls.tag_bibtex(tag.id), bibtex_of(tagged)))
    if addresses.site_url:  # Atom needs absolute addresses; see `feeds_enabled`
        plans.extend(_feeds(catalogue, addresses, site_name, page_urls))
    return plans


def feeds_enabled(addresses: SiteAddresses) -> bool:
    """Feeds are made when the site's address (`site_url`) is known: Atom ids and links must
    be absolute."""
    return bool(addresses.site_url)


def _feeds(
    catalogue: Catalogue, addresses: SiteAddresses, site_name: str, page_urls: dict[str, str]
) -> list[ExportPlan]:
    tag_urls = {t.id: addresses.page(urls.tag_uri(t.id)) for t in catalogue.vocabulary.tags}
    site = FeedContext(site_name, catalogue.vocabulary, page_urls, tag_urls)

    def feed(title: str, path: str, page: str, papers: Sequence[Paper]) -> bytes:
        return atom_feed(title, FeedLinks(addresses.file(path), page), newest(papers), site)

    # A feed shows the newest of its papers: which those are depends on all of them.
    feeds = [
        ExportPlan(
            urls.CATALOGUE_FEED,
            catalogue.papers,
            functools.partial(
                feed,
                f"{site_name}: newest papers",
                urls.CATALOGUE_FEED,
                addresses.page(urls.HOME_URI),
                catalogue.papers,
            ),
        )
    ]
    for tag in catalogue.used_tags:
        path, tagged = urls.tag_feed(tag.id), catalogue.tag_index.papers(tag.id)
        title = f"{site_name}: newest papers tagged {tag.name}"
        make = functools.partial(feed, title, path, tag_urls[tag.id], tagged)
        feeds.append(ExportPlan(path, tagged, make))
    return feeds
