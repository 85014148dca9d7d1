"""Enrich: the five papers most like each paper, with the reason a reader can check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .similarity import Similar, most_similar
from .validate import Paper

RELATED_LIMIT = 5


@dataclass(frozen=True)
class RelatedPaper:
    """A paper similar to another one, and why."""

    slug: str
    score: float
    """TF-IDF cosine similarity of title and abstract, in (0, 1]."""
    shared_tags: tuple[str, ...]
    """Tag ids both papers carry, in the order the first paper lists them."""
    shared_terms: tuple[str, ...]
    """The words that weigh most in the similarity, strongest first."""


def paper_text(paper: Paper) -> str:
    """What similarity is computed from: the title (twice, so it weighs more) and abstract.

    As written: TeX commands are dropped with the rest of the noise by the vectorizer, and
    resolving them first (`text.to_plain`) would cost a fifth of the whole computation.
    """
    title = paper.entry.title
    return f"{title}\n{title}\n{paper.entry.abstract}"


def find_related(
    papers: Sequence[Paper], limit: int = RELATED_LIMIT
) -> dict[str, tuple[RelatedPaper, ...]]:
    """The related papers of each paper, by slug; the same on every build of the same input."""
    return related_from(papers, most_similar([paper_text(p) for p in papers], limit))


def related_from(
    papers: Sequence[Paper], similar: Sequence[tuple[Similar, ...]]
) -> dict[str, tuple[RelatedPaper, ...]]:
    """`most_similar` of the papers' texts, as related papers by slug, with shared tags."""
    related: dict[str, tuple[RelatedPaper, ...]] = {}
    for paper, found in zip(papers, similar, strict=True):
        items = []
        for item in found:
            other = papers[item.index]
            shared = tuple(t for t in paper.entry.tags if t in other.entry.tags)
            items.append(RelatedPaper(other.slug, item.score, shared, item.shared_terms))
        related[paper.slug] = tuple(items)
    return related
