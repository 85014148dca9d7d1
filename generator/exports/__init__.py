"""Render: the files readers download, besides the pages: citations, feeds, whole catalogue.

`export_files` returns every one of them by its path in the site; the plugin adds them to the
build as generated files, so like the pages they are never written to `docs/`.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass

from .. import urls
from ..enrich import Catalogue
from ..validate import Paper
from .atom import FeedContext, FeedLinks, atom_feed, newest
from .bibtex import bibtex_entry, bibtex_file
from .catalogue_csv import catalogue_csv
from .catalogue_json import catalogue_json, catalogue_schema
from .csl_json import csl_file
from .ris import ris_record


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
    """A paper's citation in each format, by the format's key in `urls.CITATION_FILES`."""
    key, vocabulary = catalogue.citation_keys[paper.slug], catalogue.vocabulary
    return {
        "bibtex": bibtex_entry(paper, key, vocabulary),
        "ris": ris_record(paper, key, vocabulary),
        "csl-json": csl_file(paper, key, vocabulary),
    }


def export_files(
    catalogue: Catalogue, addresses: SiteAddresses, site_name: str
) -> dict[str, str | bytes]:
    """Every downloadable file by its path in the site, in a stable order."""
    files: dict[str, str | bytes] = {}
    keys, papers = catalogue.citation_keys, catalogue.papers
    page_urls = {p.slug: addresses.page(urls.paper_uri(p.slug)) for p in papers}
    # Each paper's citations are made once: its files, catalogue.bib and its tags' BibTeX
    # share them (BibTeX escaping is a tenth of a large build).
    cited = {paper.slug: citations(catalogue, paper) for paper in papers}

    def bibtex_of(selection: Iterable[Paper]) -> str:
        return bibtex_file(cited[paper.slug]["bibtex"] for paper in selection)

    for paper in papers:
        for format_key, text in cited[paper.slug].items():
            files[urls.paper_file(paper.slug, urls.CITATION_FILES[format_key])] = text
    for path, text in (
        (urls.CATALOGUE_JSON, catalogue_json(site_name, papers, page_urls, keys)),
        (urls.CATALOGUE_CSV, catalogue_csv(papers, page_urls, keys)),
    ):
        published = urls.whole_catalogue_export(path, len(papers))
        files[published] = text if published == path else _gzip(text)
    files[urls.CATALOGUE_SCHEMA] = catalogue_schema()
    files[urls.CATALOGUE_BIBTEX] = bibtex_of(papers)
    for tag in catalogue.used_tags:
        files[urls.tag_bibtex(tag.id)] = bibtex_of(catalogue.tag_index.papers(tag.id))
    if addresses.site_url:  # Atom needs absolute addresses; see `feeds_enabled`
        files.update(_feeds(catalogue, addresses, site_name, page_urls))
    return files


def _gzip(text: str) -> bytes:
    # No time in the header: the same catalogue gives the same bytes.
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def feeds_enabled(addresses: SiteAddresses) -> bool:
    """Feeds are made when the site's address (`site_url`) is known: Atom ids and links must
    be absolute."""
    return bool(addresses.site_url)


def _feeds(
    catalogue: Catalogue, addresses: SiteAddresses, site_name: str, page_urls: dict[str, str]
) -> dict[str, bytes]:
    tag_urls = {t.id: addresses.page(urls.tag_uri(t.id)) for t in catalogue.vocabulary.tags}
    site = FeedContext(site_name, catalogue.vocabulary, page_urls, tag_urls)
    feeds = {
        urls.CATALOGUE_FEED: atom_feed(
            f"{site_name}: newest papers",
            FeedLinks(addresses.file(urls.CATALOGUE_FEED), addresses.page(urls.HOME_URI)),
            newest(catalogue.papers),
            site,
        )
    }
    for tag in catalogue.used_tags:
        path = urls.tag_feed(tag.id)
        feeds[path] = atom_feed(
            f"{site_name}: newest papers tagged {tag.name}",
            FeedLinks(addresses.file(path), tag_urls[tag.id]),
            newest(catalogue.tag_index.papers(tag.id)),
            site,
        )
    return feeds
