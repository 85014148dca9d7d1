"""Sitemaps for search engines: MkDocs lists its own pages; the generated pages are added here.

A sitemap may list at most 50,000 addresses, so the generated pages go into numbered files
and `sitemap.xml` becomes the index of all of them.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

from generator.model.escaping import xml_text
from generator.site.theme_internals import build_date

MAX_URLS = 50_000
"""The sitemap protocol's limit per file."""

_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def write_sitemaps(site_dir: Path, site_url: str, page_urls: Iterable[str]) -> list[str]:
    """Move MkDocs' `sitemap.xml` aside, write the generated pages' sitemaps and an index.

    `page_urls` are relative to the site root (`papers/x/`). Returns the sitemap files written.
    """
    base = site_url if site_url.endswith("/") else site_url + "/"
    # The build date as MkDocs gives it to its own sitemap (SOURCE_DATE_EPOCH when set).
    lastmod = f"<lastmod>{build_date()}</lastmod>"
    names = []
    own = site_dir / "sitemap.xml"
    if own.exists():
        own.replace(site_dir / "sitemap-pages.xml")
        names.append("sitemap-pages.xml")
    (site_dir / "sitemap.xml.gz").unlink(missing_ok=True)
    chunk: list[str] = []
    number = 0

    def flush() -> None:
        nonlocal number, chunk
        number += 1
        name = f"sitemap-generated-{number}.xml"
        body = "".join(f"<url><loc>{xml_text(base + url)}</loc>{lastmod}</url>\n" for url in chunk)
        _write(
            site_dir / name,
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {_NS}>\n{body}</urlset>\n',
        )
        names.append(name)
        chunk = []

    for url in page_urls:
        chunk.append(url)
        if len(chunk) == MAX_URLS:
            flush()
    if chunk:
        flush()
    entries = "".join(
        f"<sitemap><loc>{xml_text(base + name)}</loc>{lastmod}</sitemap>\n" for name in names
    )
    index = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {_NS}>\n{entries}</sitemapindex>\n'
    )
    _write(site_dir / "sitemap.xml", index)
    # mtime=0: the same index gives the same bytes, so an unchanged site stays unchanged.
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(index.encode("utf-8"), mtime=0))
    return names


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")
