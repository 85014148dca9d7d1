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


TAGS_OVERVIEW_URI = "tags/index.md"
ALL_PAPERS_URI = "papers/index.md"
HOME_URI = "index.md"


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page, relative to the site root (`papers/x/` or `papers/x.html`)."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        base = stem[: -len("index")]
        return base if use_directory_urls else base + "index.html"
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


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


def check_generated_path(uri: str) -> str:
    """`uri` unchanged if it is a plain relative path under the docs folder; else ValueError.

    Slugs and tag ids are validated long before this; the check is the last line of defence,
    so that no file name or field can ever make the build write outside the site folder.
    """
    if not all(_SAFE_SEGMENT.fullmatch(part) for part in uri.split("/")):
        raise ValueError(f"refusing to generate {uri!r}: not a plain path inside the site")
    return uri
