"""Enrich: the five papers most like each paper, with the reason a reader can check."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from generator.enrich.similarity import Similar, most_similar
from generator.model.paper import Paper

RELATED_LIMIT = 5


class RelatedPaper(NamedTuple):
    """A paper similar to another one, and why. (A named tuple: `catalogue serve` receives
    50,000 of them from the process that finds them, and tuples unpickle several times faster
    than dataclass instances, on the thread that serves the next edit.)"""

    slug: str
    score: float
    """TF-IDF cosine similarity of title and abstract, in (0, 1]."""
    shared_tags: tuple[str, ...]
    """Tag ids both papers carry, in the order the first paper lists them."""
    shared_terms: tuple[str, ...]
    """The words that weigh most in the similarity, strongest first."""


RelatedMap = dict[str, tuple[RelatedPaper, ...]]
"""Each paper's related papers, by its slug."""

PaperKey = tuple[str, tuple[str, ...]]
"""A paper's slug and tag ids: what related papers need of it besides its text."""


def paper_text(paper: Paper) -> str:
    """What similarity is computed from: the title (twice, so it weighs more) and abstract.

    As written: TeX commands are dropped with the rest of the noise by the vectorizer, and
    resolving them first (`text.to_plain`) would cost a fifth of the whole computation.
    """
    title = paper.entry.title
    return f"{title}\n{title}\n{paper.entry.abstract}"


def paper_key(paper: Paper) -> PaperKey:
    """The paper's slug and tag ids."""
    return paper.slug, tuple(paper.entry.tags)


def find_related(papers: Sequence[Paper], limit: int = RELATED_LIMIT) -> RelatedMap:
    """The related papers of each paper, by slug; the same on every build of the same input."""
    return related_of([paper_text(p) for p in papers], [paper_key(p) for p in papers], limit)


def related_of(texts: Sequence[str], keys: Sequence[PaperKey], limit: int) -> RelatedMap:
    """The related papers of the papers with these texts and keys (`paper_text`,
    `paper_key`): what `catalogue serve` runs in a process of its own."""
    return related_from(keys, most_similar(texts, limit))


def related_from(keys: Sequence[PaperKey], similar: Sequence[tuple[Similar, ...]]) -> RelatedMap:
    """`most_similar` of the papers' texts, as related papers by slug, with shared tags."""
    related: RelatedMap = {}
    for (slug, tags), found in zip(keys, similar, strict=True):
        items = []
        for item in found:
            other, other_tags = keys[item.index]
            shared = tuple(t for t in tags if t in other_tags)
            items.append(RelatedPaper(other, item.score, shared, item.shared_terms))
        related[slug] = tuple(items)
    return related
