"""Enrich: what citing a paper needs: a key unique in the catalogue and the kind of publication.

Keys look like `lecun1998gradient` (first author's family name, year, first word of the title
that is not a stop word), as reference managers make them. An entry without authors or year
(the seed entries) is keyed by its slug, which is unique by construction. When two papers
would get one key, the papers in slug order get `a`, `b`, ... after it, so a paper's key only
changes when a paper with the same key and an earlier slug joins.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator

from generator.model.entry import Entry
from generator.model.paper import Paper
from generator.model.text import to_plain

_TITLE_STOP_WORDS = frozenset(
    "a an the on of for in to and with towards toward via from by at is are do does".split()
)
_JOURNAL_RE = re.compile(
    r"\b(journal|transactions|letters|magazine|review|jmlr|tmlr|tacl|tpami|ijcv|nature|science)\b",
    re.IGNORECASE,
)


class PublicationKind(enum.Enum):
    """What a paper is, as far as the entry tells; each export maps it to its own types."""

    JOURNAL_ARTICLE = "journal-article"
    """`venue` names a journal (Journal, Transactions, Letters, JMLR, TMLR, ...)."""
    CONFERENCE_PAPER = "conference-paper"
    """Any other `venue`: conferences and workshops."""
    PREPRINT = "preprint"
    """No venue, but an arXiv id."""
    UNKNOWN = "unknown"
    """Neither: cited by title (and whatever else is known)."""


def publication_kind(entry: Entry) -> PublicationKind:
    """The kind of publication an entry describes."""
    if entry.venue:
        if _JOURNAL_RE.search(entry.venue):
            return PublicationKind.JOURNAL_ARTICLE
        return PublicationKind.CONFERENCE_PAPER
    if entry.arxiv:
        return PublicationKind.PREPRINT
    return PublicationKind.UNKNOWN


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def ascii_word(text: str) -> str:
    """Lowercase ASCII letters and digits of `text` (accents dropped): `Gödel` -> `godel`."""
    return re.sub(r"[^a-z0-9]", "", _ascii(text).lower())


def family_name(name: str) -> str:
    """The family name in a name as printed: `Yann LeCun` -> `LeCun`; `LeCun, Yann` -> `LeCun`."""
    if "," in name:
        return name.split(",", 1)[0].strip()
    parts = name.split()
    return parts[-1] if parts else name


def base_key(paper: Paper) -> str:
    """The key before any `a`/`b` suffix that makes it unique."""
    entry = paper.entry
    if entry.authors and entry.year:
        return _base_key(entry.authors[0], entry.year, entry.title) or paper.slug
    return paper.slug


@functools.lru_cache(maxsize=1 << 18)
def _base_key(first_author: str, year: str, title: str) -> str:
    # Cached: transliterating every title again was a tenth of a second of each
    # `catalogue serve` rebuild at 10,000 papers.
    author = ascii_word(family_name(first_author))
    words = re.findall(r"[a-z0-9]+", _ascii(to_plain(title)).lower())
    word = next((w for w in words if w not in _TITLE_STOP_WORDS), "")
    return f"{author}{year}{word}" if author else ""


def forget_base_keys() -> None:
    """Drop the cached base keys (a one-off build is done with its entries)."""
    _base_key.cache_clear()


def citation_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """A citation key for every paper, by slug: unique, and the same on every build."""
    groups: dict[str, list[str]] = defaultdict(list)
    for paper in papers:
        groups[base_key(paper)].append(paper.slug)
    keys: dict[str, str] = {}
    taken = {base for base, slugs in groups.items() if len(slugs) == 1}
    for base in sorted(groups):
        slugs = sorted(groups[base])
        if len(slugs) == 1:
            keys[slugs[0]] = base
            continue
        suffixes = _suffixes()
        for slug in slugs:
            key = base + next(suffixes)
            while key in taken:  # `smith2020a` + `b` could be another paper's plain key
                key = base + next(suffixes)
            taken.add(key)
            keys[slug] = key
    return keys


def _suffixes() -> Iterator[str]:
    """a, b, ..., z, aa, ab, ...: as many as needed."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    length = 1
    while True:
        for number in range(26**length):
            digits = []
            for _ in range(length):
                number, digit = divmod(number, 26)
                digits.append(letters[digit])
            yield "".join(reversed(digits))
        length += 1
