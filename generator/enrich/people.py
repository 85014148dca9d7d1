"""Enrich: one page per author, with names that merge only when they are the same name.

Two spellings are one author when they are equal after Unicode normalisation (NFKC), case
folding and collapsing spaces: `Yann LeCun` and `yann  lecun` merge, `Y. LeCun` and `Yann
LeCun` do not, because initials might stand for someone else. A person who appears under two
spellings is joined in `authors.yaml`, the one place where a person (not a program) says so:

    people:
      - name: Yann LeCun
        spellings: [Y. LeCun, Yann Le Cun]
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from slugify import slugify

from generator.enrich.addresses import Claim, claim_addresses, first_added
from generator.enrich.citations import family_name
from generator.model.names import lookalike_name, name_key
from generator.model.paper import Paper
from generator.model.problems import Problem
from generator.read.authors_file import AuthorAliases

AUTHOR_PAGE_MIN_PAPERS = 2
"""An author has a page of their own from this many papers on (plugin option
`author_page_min_papers`). An author with fewer is named (not linked) on their paper's page
and listed with it in the authors' index: a page that lists only the paper a reader came from
tells them nothing, and in a field's reading list most authors have one paper, so a page
for each would be most of a large site's pages and bytes (figures in the benchmark results)."""

RESERVED_SLUGS = frozenset({"index", "letters"})
"""Author page names taken by the authors' own index pages."""


@dataclass(frozen=True)
class Author:
    """One author and their papers."""

    key: str
    """`name_key` of the name shown: what every spelling of this author maps to."""
    name: str
    slug: str
    """The page's address under `/authors/` (`addresses`: it never moves for a newcomer)."""
    papers: tuple[Paper, ...]
    """In catalogue order."""

    @property
    def letter(self) -> str:
        """The index letter: first letter of the family name, `#` when it is not A-Z."""
        return _index_letter(self.name)


# slugify transliterates (Ø -> O, Ж -> Z) but costs ~25 us: at 17,800 authors (10,000
# papers) an author's letter, page name and sort key were a second of every `catalogue serve`
# rebuild, so each name is worked out once per session.
@functools.lru_cache(maxsize=1 << 20)
def _index_letter(name: str) -> str:
    initial = slugify(family_name(name))[:1].upper()
    return initial if initial.isalpha() else "#"


@functools.lru_cache(maxsize=1 << 20)
def _name_slug(key: str) -> str:
    """The page name of the author whose `name_key` is `key`, before any `-2` that makes it
    unique (`addresses.claim_addresses`)."""
    return slugify(key, max_length=80) or "author"


@functools.lru_cache(maxsize=1 << 20)
def _family_key(name: str) -> str:
    """What authors are sorted by: the family name, compared as `name_key` compares."""
    return name_key(family_name(name))


def forget_names() -> None:
    """Drop what was worked out per name (a one-off build is done with its entries; these
    caches grow with the names and would stay for the rest of the process)."""
    for cached in (name_key, lookalike_name, _index_letter, _name_slug, _family_key):
        cached.cache_clear()


@dataclass(frozen=True)
class AuthorIndex:
    """Every author, and which author each spelling in the entries is."""

    authors: tuple[Author, ...]
    """Sorted by family name, then name."""
    by_key: dict[str, Author]
    aliases: AuthorAliases

    def author(self, spelling: str) -> Author:
        """The author a spelling in an entry stands for."""
        joined = self.aliases.name_for(spelling)
        return self.by_key[name_key(joined or spelling)]

    def letters(self) -> dict[str, tuple[Author, ...]]:
        """Authors grouped by index letter, letters in order (`#` last)."""
        groups: dict[str, list[Author]] = defaultdict(list)
        for author in self.authors:
            groups[author.letter].append(author)
        order = sorted(groups, key=lambda letter: (letter == "#", letter))
        return {letter: tuple(groups[letter]) for letter in order}


def build_author_index(papers: Sequence[Paper], aliases: AuthorAliases) -> AuthorIndex:
    """Group the papers by author, joining spellings only where `authors.yaml` says so."""
    papers_by_key: dict[str, list[Paper]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for paper in papers:
        seen: set[str] = set()
        for spelling in paper.entry.authors:
            joined = aliases.name_for(spelling)
            key = name_key(joined or spelling)
            if key in seen:  # the same person twice on one paper: list the paper once
                continue
            seen.add(key)
            papers_by_key[key].append(paper)
            spellings[key][joined or spelling] += 1
    names = {key: _display_name(spellings[key]) for key in papers_by_key}
    ordered = sorted(names, key=lambda k: (_family_key(names[k]), k))
    # The address comes from what makes one author (their key), not from whichever of
    # their spellings is the most used today; a name that joined earlier keeps it.
    claims = (Claim(k, _name_slug(k), first_added(papers_by_key[k])) for k in ordered)
    slugs = claim_addresses(claims, RESERVED_SLUGS)
    authors = tuple(Author(k, names[k], slugs[k], tuple(papers_by_key[k])) for k in ordered)
    return AuthorIndex(authors, {a.key: a for a in authors}, aliases)


def _display_name(counts: Counter[str]) -> str:
    # The spelling most entries use; among equals, the first in code point order.
    return min(counts, key=lambda spelling: (-counts[spelling], spelling))


def check_alias_usage(index: AuthorIndex) -> list[Problem]:
    """A spelling in `authors.yaml` that no entry uses is a leftover: ask to remove it."""
    if not index.aliases.lines:
        return []  # no authors.yaml, or an empty one: nothing to look for
    used = {name_key(s) for a in index.authors for p in a.papers for s in p.entry.authors}
    problems = []
    for key, (line, where) in sorted(index.aliases.lines.items(), key=lambda kv: kv[1]):
        if where.endswith(".name"):
            continue  # the name shown may be a spelling no entry uses
        if key not in used:
            problems.append(
                Problem(
                    index.aliases.path,
                    line,
                    where,
                    "no entry uses this spelling; remove it (or fix its spelling)",
                )
            )
    return problems
