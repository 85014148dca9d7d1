"""Render: a download of one row per paper (the catalogue's JSON, CSV and BibTeX, each tag's
BibTeX) cut into members, so that a build over an existing site makes again only the members
whose papers changed.

The papers are cut into groups where a paper's slug says so (its digest), not every so many
papers: a paper added, removed or edited changes its own group only, and every other group
keeps its bytes. A plain download is its members' texts one after another. A gzipped one (a
large catalogue's) is a file of gzip members, one per group: a gzip file may be several members
one after another (RFC 1952, 2.2), and every reader (`gunzip`, `zcat`, Python's `gzip`,
browsers' and spreadsheets' decompressors) reads them as one text. A fresh build cuts the same
groups, so it writes the same bytes as a rebuild (`site.export_record` takes the unchanged
members from the published file).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.model.paper import Paper

MEMBER_PAPERS = 256
"""Papers in a member, on average: each member costs the compressor a fresh start (a fraction
of a percent of its size at this length), and a changed paper costs compressing its member."""

COMPRESS_LEVEL = 9
"""gzip's smallest output: a download is made once and fetched many times."""


@dataclass(frozen=True)
class Member:
    """The text of one member: `prefix`, the rows of `papers` (separated), `suffix`."""

    prefix: str
    papers: tuple[Paper, ...]
    suffix: str


@dataclass(frozen=True)
class RowsText:
    """A download that is a head, one row per paper with a separator between rows, and a
    tail: `catalogue.json`, `catalogue.csv`, the BibTeX files."""

    head: str
    papers: Sequence[Paper]
    row: Callable[[Paper], str]
    separator: str = ""
    tail: str = ""

    def text(self) -> str:
        """The whole text."""
        return self.head + self.separator.join(map(self.row, self.papers)) + self.tail

    def members(self) -> list[Member]:
        """The text cut into members: their texts, one after another, are `text()`."""
        groups = _groups(self.papers)
        last = len(groups) - 1
        return [
            Member(self.head if i == 0 else self.separator, group, self.tail if i == last else "")
            for i, group in enumerate(groups)
        ]

    def member_bytes(self, member: Member, compressed: bool) -> bytes:
        """One member's bytes: its text in UTF-8, gzipped if `compressed`."""
        text = member.prefix + self.separator.join(map(self.row, member.papers)) + member.suffix
        if not compressed:
            return text.encode("utf-8")
        # No time in the header: the same catalogue gives the same bytes.
        return gzip.compress(text.encode("utf-8"), compresslevel=COMPRESS_LEVEL, mtime=0)

    def gzipped(self) -> bytes:
        """The whole text as a gzip file of `members()`."""
        return b"".join(self.member_bytes(member, True) for member in self.members())


def _groups(papers: Sequence[Paper]) -> list[tuple[Paper, ...]]:
    """`papers` in order, cut after each paper whose slug ends a group (one group at least)."""
    groups: list[tuple[Paper, ...]] = []
    start = 0
    for i, paper in enumerate(papers):
        if _ends_group(paper.slug, MEMBER_PAPERS):
            groups.append(tuple(papers[start : i + 1]))
            start = i + 1
    if start < len(papers) or not groups:
        groups.append(tuple(papers[start:]))
    return groups


@functools.lru_cache(maxsize=1 << 18)
def _ends_group(slug: str, every: int) -> bool:
    """Whether the paper `slug` ends its group, in groups of `every` papers on average."""
    digest = hashlib.blake2b(slug.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % every == 0


def forget_groups() -> None:
    """Drop which slugs end a group (a one-off build is done with its downloads once the
    pages are written: the cache holds every slug for the rest of the process)."""
    _ends_group.cache_clear()
