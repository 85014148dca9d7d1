"""A paper as an entry of a list page: linked title, teaser (or date · venue), tag chips.

Every paper is listed about nine times (all papers, each of its tags, authors, year, venue),
and lists of 100,000 papers hold about a million entries: rendering each through Jinja was
two fifths of writing the site (issue 5). An entry differs from one list to another only in
the relative path to the `papers/` and `tags/` folders, so each paper's entry is escaped and
assembled once, cut at those two places, and joined with the paths of each list page.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.model import text
from generator.model.escaping import html_text
from generator.model.kept import KeptValues
from generator.model.paper import Paper
from generator.model.vocabulary import Vocabulary
from generator.render import urls
from generator.render.page import chip_class_attribute

FACTS_ONLY_FOLDERS = frozenset(
    posixpath.dirname(uri)
    for uri in (urls.AUTHORS_INDEX_URI, urls.YEARS_INDEX_URI, urls.VENUES_INDEX_URI)
)
"""Lists whose entries show date and venue rather than a teaser of the abstract: a paper is
listed on each of its authors' pages, and these lists are most of the site's bytes at scale."""

_NAME = "x"
"""A stand-in slug, to find where a link's folder part ends (any valid slug would do)."""


@dataclass
class ListEntries:
    """Renders list entries; keeps each paper's assembled entry for the next list (and, while
    serving, for the next build: an unchanged paper is the same `Paper` object)."""

    vocabulary: Vocabulary
    use_directory_urls: bool = True
    _cuts: KeptValues[tuple[str, bool], tuple[str, ...]] = field(default_factory=KeptValues)
    """Each paper's entry without its folder paths (`HEAD + papers + tags.join(rest)`), by
    slug and whether it shows facts only, made from the paper."""
    _last_folders: tuple[str, tuple[str, str]] = ("", ("", ""))
    """The folder links of the last list page asked for: its entries come one after the other."""

    HEAD = '<li><a dir="auto" href="'
    """The item has no class: the list's own class styles its items (`ul.catalogue-list > li`),
    and a class on each of a million items is bytes for nothing. For the same reason the title
    is the item's first link, the teaser its `<span>` and the chips the links of its
    `catalogue-tags`, none with a class."""

    def entry(self, from_uri: str, paper: Paper, facts_only: bool = False) -> Markup:
        """`paper` as an entry of the list on page `from_uri`; with date and venue instead of a
        teaser when `facts_only` or when the list is one of `FACTS_ONLY_FOLDERS`."""
        folder = posixpath.dirname(from_uri)
        facts_only = facts_only or folder.split("/", 1)[0] in FACTS_ONLY_FOLDERS
        where = (paper.slug, facts_only)
        rest = self._cuts.reuse(where, (paper,), (), lambda: self._cut(paper, facts_only))
        papers, tags = self._folders(from_uri)
        return Markup(self.HEAD + papers + tags.join(rest))

    def forget(self) -> None:
        """Drop every kept entry (tag names or site settings changed; or a one-off build is
        done with its lists)."""
        self._cuts.clear()
        self._last_folders = ("", ("", ""))

    def _folders(self, from_uri: str) -> tuple[str, str]:
        """The links from `from_uri` to the `papers/` and `tags/` folders, as link prefixes."""
        if self._last_folders[0] != from_uri:
            prefixes = (
                self._prefix(from_uri, urls.paper_uri(_NAME)),
                self._prefix(from_uri, urls.tag_uri(_NAME)),
            )
            self._last_folders = (from_uri, prefixes)
        return self._last_folders[1]

    def _prefix(self, from_uri: str, to_uri: str) -> str:
        href = urls.relative_href(from_uri, to_uri, self.use_directory_urls)
        return href[: href.rindex(_NAME)]

    def _cut(self, paper: Paper, facts_only: bool) -> tuple[str, ...]:
        # Title, teaser and venue are isolated (`dir="auto"`, `<bdi>`): a right-to-left one
        # must not carry the date, the dot or the next line's text into its own direction.
        entry = paper.entry
        suffix = _link_suffix(self.use_directory_urls)
        middle = f'{paper.slug}{suffix}">{text.to_html(entry.title)}</a>\n'
        if facts_only:
            if entry.date or entry.venue:
                dot = " · " if entry.date and entry.venue else ""
                venue = f"<bdi>{html_text(entry.venue)}</bdi>" if entry.venue else ""
                facts = f"{entry.date or ''}{dot}{venue}"
                middle += f"<span>{facts}</span>\n"
        else:
            teaser = html_text(text.teaser(entry.abstract))
            middle += f'<span dir="auto">{teaser}</span>\n'
        middle += '<span class="catalogue-tags">'
        pieces = [middle]
        for n, tag_id in enumerate(entry.tags):
            tag = self.vocabulary[tag_id]
            gap = " " if n else ""
            pieces[-1] += f'{gap}<a{chip_class_attribute(tag.kind)} href="'
            pieces.append(f'{tag_id}{suffix}">{html_text(tag.name)}</a>')
        pieces[-1] += "</span>\n</li>\n"
        return tuple(pieces)


@functools.cache
def _link_suffix(use_directory_urls: bool) -> str:
    """What follows the slug in a link: `/` or `.html`."""
    href = urls.relative_href(urls.HOME_URI, urls.paper_uri(_NAME), use_directory_urls)
    return href[href.rindex(_NAME) + len(_NAME) :]
