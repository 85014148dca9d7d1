"""A paper: a valid entry with where it came from, and what makes two entries one paper."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from generator.model.arxiv_ids import arxiv_base
from generator.model.confusables import looks_like
from generator.model.entry import Entry
from generator.model.text import to_plain

__all__ = ["Paper", "arxiv_base", "lookalike_title", "normalised_title"]


@dataclass(frozen=True)
class Paper:
    """A valid entry with where it came from."""

    slug: str
    """The paper's URL path under `/papers/`."""
    source: str
    """The entry file, relative to the repository root."""
    entry: Entry
    """The validated fields."""
    lines: dict[str, int]
    """Line of each top-level field and of each author (`authors[2]`) in the source, for
    cross-entry messages."""

    def line_of(self, field: str) -> int:
        """Where `field` is written in the entry file (that of its list for `authors[2]` when
        only the list's line is known; 1 if it is not written)."""
        return self.lines.get(field, self.lines.get(field.split("[")[0], 1))


@functools.lru_cache(maxsize=262_144)  # sorting and duplicate checks ask for every title
def normalised_title(title: str) -> str:
    """A title reduced to lowercase letters and digits, so near-identical titles compare equal."""
    plain = unicodedata.normalize("NFKD", to_plain(title)).casefold()
    # A title of symbols only ("???") keeps its symbols rather than colliding with every other.
    return re.sub(r"[\W_]+", "", plain) or " ".join(plain.split())


@functools.lru_cache(maxsize=262_144)
def lookalike_title(title: str) -> str:
    """What a title looks like: its `normalised_title` with every letter from another script
    replaced by the letter it imitates, so a copy with a Cyrillic a (U+0430) is the same title."""
    normalised = normalised_title(title)
    if normalised.isascii():
        return normalised
    return re.sub(r"[\W_]+", "", looks_like(normalised)) or normalised


def forget_titles() -> None:
    """Drop the cached forms of titles (a one-off build is done with its entries)."""
    normalised_title.cache_clear()
    lookalike_title.cache_clear()
