"""Where each generated page lives, and links between pages that work from any page.

Generated pages are raw HTML inside Markdown (so that no entry text is ever parsed as
Markdown), and MkDocs does not rewrite links inside raw HTML: the links are made relative
here, exactly as MkDocs would place the pages.
"""

from __future__ import annotations

import posixpath
import re


def paper_uri(slug: str) -> str:
    """The source path of a paper's page."""
    return f"papers/{slug}.md"


def tag_uri(tag_id: str) -> str:
    """The source path of a tag's page."""
    return f"tags/{tag_id}.md"


def redirect_uri(former_slug: str, use_directory_urls: bool = True) -> str:
    """The file that keeps a paper's former address working (`papers/<old>/index.html`)."""
    stem = f"papers/{former_slug}"
    return f"{stem}/index.html" if use_directory_urls else f"{stem}.html"


def order_uri(first_uri: str, order_key: str) -> str:
    """The first page of a list in another order (`enrich.orders`): `papers/index.md` ->
    `papers/newest.md`, `tags/quantization.md` -> `tags/quantization/newest.md`; the title
    order (no key) is the list itself."""
    if not order_key:
        return first_uri
    stem = first_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return f"{stem}/{order_key}.md" if stem else f"{order_key}.md"


TAGS_OVERVIEW_URI = "tags/index.md"
ALL_PAPERS_URI = "papers/index.md"
HOME_URI = "index.md"
MAP_URI = "map/index.md"
"""The map of the catalogue (`render.map_page`)."""


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page, relative to the site root (`papers/x/` or `papers/x.html`)."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        base = stem[: -len("index")]
        return base if use_directory_urls else base + "index.html"
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def page_file(src_uri: str, use_directory_urls: bool = True) -> str:
    """The file a page is written to, relative to the site root (`papers/x/index.html`)."""
    url = page_url(src_uri, use_directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def relative_href(from_uri: str, to_uri: str, use_directory_urls: bool = True) -> str:
    """A link from page `from_uri` to page `to_uri` that works wherever the site is served."""
    source = page_url(from_uri, use_directory_urls)
    target = page_url(to_uri, use_directory_urls)
    source_dir = source if source.endswith("/") or not source else posixpath.dirname(source)
    # posixpath.relpath, done on the already normal URL parts: lists of 100,000 papers make
    # millions of links, and relpath's normalisation was a tenth of the build.
    from_parts = [p for p in source_dir.split("/") if p]
    to_parts = [p for p in target.split("/") if p]
    common = 0
    for a, b in zip(from_parts, to_parts, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


def relative_to_page(page: str, site_path: str) -> str:
    """A link from the page at URL `page` (`papers/x/`) to the file `site_path` of the site."""
    base = page if page.endswith("/") else posixpath.dirname(page)
    return posixpath.relpath(site_path, base.rstrip("/") or ".")


# Slugs and tag ids, plus the suffixes pages get: nothing else may name a generated file.
_SAFE_SEGMENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:\.md|\.html)?", re.ASCII)


_SAFE_FILE_SEGMENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z]+){0,2}", re.ASCII)
"""The same, with a file extension or two (`cite.ris`, `catalogue.schema.json`)."""


def check_generated_file(path: str) -> str:
    """`path` unchanged if it is a plain relative path of a download; else ValueError."""
    if not all(_SAFE_FILE_SEGMENT.fullmatch(part) for part in path.split("/")):
        raise ValueError(f"refusing to generate {path!r}: not a plain path inside the site")
    return path


def check_generated_path(uri: str) -> str:
    """`uri` unchanged if it is a plain relative path under the docs folder; else ValueError.

    Slugs and tag ids are validated long before this; the check is the last line of defence,
    so that no file name or field can ever make the build write outside the site folder.
    """
    if not all(_SAFE_SEGMENT.fullmatch(part) for part in uri.split("/")):
        raise ValueError(f"refusing to generate {uri!r}: not a plain path inside the site")
    return uri


def author_uri(slug: str) -> str:
    """The source path of an author's page."""
    return f"authors/{slug}.md"


def author_letter_uri(letter: str) -> str:
    """The source path of the list of authors under one index letter (`#` is `other`)."""
    return f"authors/letters/{'other' if letter == '#' else letter.lower()}.md"


def year_uri(year: str) -> str:
    """The source path of the page of one publication year."""
    return f"years/{year}.md"


def venue_uri(slug: str) -> str:
    """The source path of a venue's page."""
    return f"venues/{slug}.md"


AUTHORS_INDEX_URI = "authors/index.md"
YEARS_INDEX_URI = "years/index.md"
VENUES_INDEX_URI = "venues/index.md"

# Downloads: files next to the pages they belong to, and the whole-catalogue exports at the
# root of the site.
CATALOGUE_FEED = "feed.xml"
CATALOGUE_JSON = "catalogue.json"
CATALOGUE_SCHEMA = "catalogue.schema.json"
CATALOGUE_BIBTEX = "catalogue.bib"
CATALOGUE_CSV = "catalogue.csv"
GZIP_EXPORTS_FROM = 20_000
"""From this many papers on, `catalogue.json`, `catalogue.csv`, `catalogue.bib` and each tag's
BibTeX are published gzipped (`catalogue.json.gz`): beyond it the JSON and CSV grow towards
GitHub's file size limit, and gzip makes every export a fraction of its size (figures in
the benchmark results)."""


def whole_catalogue_export(path: str, papers: int) -> str:
    """Where an export of many papers (the catalogue's, a tag's) is published: `path`, or
    `path.gz` when the catalogue has `papers` >= `GZIP_EXPORTS_FROM`."""
    return f"{path}.gz" if papers >= GZIP_EXPORTS_FROM else path


CITATION_SUFFIXES = {"bibtex": "bib", "ris": "ris", "csl-json": "json"}
"""The file name ending of a paper's citation in each format, as a download saves it."""


def tag_bibtex(tag_id: str) -> str:
    """The BibTeX of every paper of a tag."""
    return f"tags/{tag_id}/{tag_id}.bib"


def tag_feed(tag_id: str) -> str:
    """The Atom feed of a tag's newest papers.

    At the site's root, beside `feed.xml`: Material fetches `sitemap.xml` from the folder of
    every `<link rel="alternate">` in a page's head (for its language selector), and only the
    root has one; a feed in `tags/<id>/` would cost every tag page a failed request.
    """
    return f"feed-{tag_id}.xml"


def file_href(from_uri: str, file_path: str, use_directory_urls: bool = True) -> str:
    """A link from page `from_uri` to a file of the site (not a page) at `file_path`."""
    source = page_url(from_uri, use_directory_urls)
    source_dir = source if source.endswith("/") or not source else posixpath.dirname(source)
    return posixpath.relpath(file_path, source_dir.rstrip("/") or ".")


def absolute_url(site_url: str, path: str) -> str:
    """`path` (relative to the site root) on the published site."""
    return site_url.rstrip("/") + "/" + path
