"""A paper: a valid entry with where it came from, and what makes two entries one paper."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from generator.model.entry import Entry
from generator.model.text import to_plain


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
    """Line of each top-level field in the source, for cross-entry messages."""

    def line_of(self, field: str) -> int:
        """Where `field` is written in the entry file (1 if it is not)."""
        return self.lines.get(field, 1)


@functools.lru_cache(maxsize=262_144)  # sorting and duplicate checks ask for every title
def normalised_title(title: str) -> str:
    """A title reduced to lowercase letters and digits, so near-identical titles compare equal."""
    plain = unicodedata.normalize("NFKD", to_plain(title)).casefold()
    # A title of symbols only ("???") keeps its symbols rather than colliding with every other.
    return re.sub(r"[\W_]+", "", plain) or " ".join(plain.split())


def arxiv_base(identifier: str) -> str:
    """An arXiv id without its version: `2312.11514v2` -> `2312.11514`."""
    return re.sub(r"v\d+$", "", identifier)
