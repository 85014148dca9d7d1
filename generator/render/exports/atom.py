"""Render: Atom feeds of the newest entries (whole catalogue and per tag), built as XML trees.

"Newest" is when an entry joined the catalogue: its `added` day, not the paper's publication
date (a 2017 paper added today is news to the catalogue's readers). Entries without `added`
cannot be placed in time and are left out. Entry ids are `tag:` URIs made from the site's
host, the day the entry was added and its slug, so they never change once published; the
feed's own id is its address. Text goes into the tree as text, and ElementTree escapes it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from generator.model.escaping import xml_chars
from generator.model.paper import Paper
from generator.model.text import to_plain
from generator.model.vocabulary import Vocabulary

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
"""Entries per feed: what feed readers fetch; older entries stay on the site."""


@dataclass(frozen=True)
class FeedLinks:
    """Addresses a feed needs: all absolute."""

    feed_url: str
    """Where the feed itself is served: its id and `rel="self"` link."""
    page_url: str
    """The page the feed follows (the home page, a tag page)."""


@dataclass(frozen=True)
class FeedContext:
    """What every feed of one site shares."""

    site_name: str
    vocabulary: Vocabulary
    page_urls: dict[str, str]
    """Absolute address of each paper's page, by slug."""
    tag_urls: dict[str, str]
    """Absolute address of each tag's page, by id."""


def newest(papers: Sequence[Paper], limit: int = FEED_SIZE) -> list[Paper]:
    """The `limit` entries added most recently; among one day's entries, catalogue order."""
    dated = [p for p in papers if p.entry.added]
    # Stable sort: catalogue order (the input's) breaks ties between entries of one day.
    return sorted(dated, key=lambda p: p.entry.added or "", reverse=True)[:limit]


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def entry_id(site_address: str, paper: Paper) -> str:
    """A `tag:` URI (RFC 4151) for an entry: the site's host, day added and slug."""
    host = urlsplit(site_address).hostname or "localhost"
    return f"tag:{host},{paper.entry.added}:papers/{paper.slug}"


def atom_feed(title: str, links: FeedLinks, papers: Sequence[Paper], site: FeedContext) -> bytes:
    """An Atom 1.0 document of `papers` (already the newest, in order) as UTF-8 bytes."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", attrs)
        if text is not None:
            element.text = xml_chars(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", links.feed_url)
    sub(feed, "title", title, type="text")
    days = [p.entry.added for p in papers if p.entry.added]
    # An empty feed has no entry to date it by; its page's newest entry is then unknown, and
    # the Unix epoch says "never updated" without inventing a day.
    sub(feed, "updated", _timestamp(max(days)) if days else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="self", type="application/atom+xml", href=links.feed_url)
    sub(feed, "link", rel="alternate", type="text/html", href=links.page_url)
    author = sub(feed, "author")
    sub(author, "name", site.site_name)
    sub(feed, "generator", "paper-catalogue")
    for paper in papers:
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(links.feed_url, paper))
        sub(entry, "title", to_plain(paper.entry.title), type="text")
        day = _timestamp(paper.entry.added or "1970-01-01")
        sub(entry, "updated", day)
        sub(entry, "published", day)
        sub(entry, "link", rel="alternate", type="text/html", href=site.page_urls[paper.slug])
        for name in paper.entry.authors:
            sub(sub(entry, "author"), "name", name)
        for tag_id in paper.entry.tags:
            tag = site.vocabulary[tag_id]
            sub(entry, "category", term=tag.id, label=tag.name, scheme=site.tag_urls[tag.id])
        sub(entry, "summary", to_plain(paper.entry.abstract), type="text")
    ET.indent(feed)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
