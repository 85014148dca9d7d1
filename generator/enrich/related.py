"""Enrich: the five papers most like each paper, with the reason a reader can check.

Two papers are alike when they use the same distinctive words (TF-IDF cosine of title and
abstract, `similarity`) and when the catalogue's editors gave them the same tags. Words
alone are thin evidence in a small catalogue, where two abstracts about one method often
share few distinctive words; tags are what the editors read each paper for. So a quarter of
each score (`TAG_SHARE`) is the cosine of the two papers' tags, each tag weighted by how rare
it is (inverse document frequency: a tag most papers carry says little), and a modality tag
(what kind of model) half as much as a method tag (what the paper does), because readers
look for papers that do the same thing (`MODALITY_WEIGHT`). The measured effect on topic
agreement is in `tests/benchmarks/RESULTS.md`.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse

from generator.enrich.neighbours import Kept
from generator.enrich.projection import SAMPLE_SIZE
from generator.enrich.similarity import (
    EXACT_UP_TO,
    Compared,
    Compute,
    Previous,
    Similar,
    compare,
    vectorize,
)
from generator.enrich.term_counts import Vectors, rounded_frequencies
from generator.model.paper import Paper
from generator.model.stable_digest import StableDigests, generator_version
from generator.model.vocabulary import Vocabulary

RELATED_LIMIT = 5
TAG_SHARE = 0.25
"""The part of each similarity score that comes from shared tags (the rest from words)."""
MODALITY_WEIGHT = 0.5
"""A modality tag's weight next to a method tag's (1.0) in the tag part of the score."""


class RelatedPaper(NamedTuple):
    """A paper similar to another one, and why. (A named tuple: `catalogue serve` receives
    50,000 of them from the process that finds them, and tuples unpickle several times faster
    than dataclass instances, on the thread that serves the next edit.)"""

    slug: str
    score: float
    """Similarity in (0, 1]: TF-IDF cosine of title and abstract and cosine of the weighted
    tags, `1 - TAG_SHARE` and `TAG_SHARE` of it."""
    shared_tags: tuple[str, ...]
    """Tag ids both papers carry, in the order the first paper lists them."""
    shared_terms: tuple[str, ...]
    """The words that weigh most in the similarity, strongest first."""


RelatedMap = dict[str, tuple[RelatedPaper, ...]]
"""Each paper's related papers, by its slug."""

PaperKey = tuple[str, tuple[str, ...]]
"""A paper's slug and tag ids: what related papers need of it besides its text."""

TagWeights = Mapping[str, float]
"""Each tag id's weight in the tag part of the score, before its rarity (`tag_weights`)."""


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


def tag_weights(vocabulary: Vocabulary) -> dict[str, float]:
    """Method tags 1, modality tags `MODALITY_WEIGHT`."""
    return {t.id: 1.0 if t.kind == "method" else MODALITY_WEIGHT for t in vocabulary.tags}


def paper_vectors(papers: Sequence[Paper]) -> Vectors:
    """The TF-IDF vectors of the papers' texts (`paper_text`), as related papers and the map
    compute them: a build that computes both computes these once."""
    return vectorize([paper_text(p) for p in papers]) if len(papers) > 1 else None


def find_related(
    papers: Sequence[Paper],
    vocabulary: Vocabulary,
    limit: int = RELATED_LIMIT,
    tag_share: float = TAG_SHARE,
    vectors: Vectors | Compute = Compute.VECTORS,
) -> RelatedMap:
    """The related papers of each paper, by slug; the same on every build of the same input.
    `vectors`: `paper_vectors(papers)`, if computed already."""
    texts, keys = [paper_text(p) for p in papers], [paper_key(p) for p in papers]
    return related_of(texts, keys, tag_weights(vocabulary), limit, tag_share, vectors)


def related_of(
    texts: Sequence[str],
    keys: Sequence[PaperKey],
    weights: TagWeights,
    limit: int,
    tag_share: float = TAG_SHARE,
    vectors: Vectors | Compute = Compute.VECTORS,
) -> RelatedMap:
    """The related papers of the papers with these texts and keys (`paper_text`,
    `paper_key`): what `catalogue serve` runs in a process of its own. `tag_share` 0 is
    words alone."""
    return compare_related(texts, keys, weights, limit, tag_share, vectors)[0]


def compare_related(
    texts: Sequence[str],
    keys: Sequence[PaperKey],
    weights: TagWeights,
    limit: int = RELATED_LIMIT,
    tag_share: float = TAG_SHARE,
    vectors: Vectors | Compute = Compute.VECTORS,
    previous: Previous | None = None,
    *,
    exact_up_to: int = EXACT_UP_TO,
    sample_size: int = SAMPLE_SIZE,
) -> tuple[RelatedMap, Compared]:
    """`related_of`, and what `similarity.compare` kept for the next build; `previous`, what
    an earlier one kept (`previous_from_json`), spares the work whose inputs are unchanged
    and gives the same related papers."""
    features = tag_features(keys, weights) if tag_share else None
    compared = compare(
        texts,
        limit,
        features=features,
        feature_share=tag_share,
        vectors=vectors,
        keys=[slug for slug, _ in keys],
        feature_names=tag_columns(keys) if tag_share else (),
        previous=previous,
        exact_up_to=exact_up_to,
        sample_size=sample_size,
        features_apart=functools.partial(_tags_apart, keys, weights),
    )
    return related_from(keys, compared.found), compared


def _tags_apart(
    keys: Sequence[PaperKey], weights: TagWeights, rows: Sequence[int]
) -> tuple[sparse.csr_matrix, list[str]]:
    """The tag features of the papers `rows`, their tags' rarity counted among them alone."""
    chosen = [keys[row] for row in rows]
    return tag_features(chosen, weights), tag_columns(chosen)


def tag_columns(keys: Sequence[PaperKey]) -> list[str]:
    """The tag of each column of `tag_features(keys, ...)`."""
    return sorted({t for _, tags in keys for t in tags})


def tag_features(keys: Sequence[PaperKey], weights: TagWeights) -> sparse.csr_matrix:
    """A row per paper, a column per tag: the tag's weight times its rarity, where the paper
    carries it (rows are L2-normalised by `similarity.compare`)."""
    count = len(keys)
    frequency = Counter(t for _, tags in keys for t in set(tags))
    names = tag_columns(keys)
    columns = {t: n for n, t in enumerate(names)}
    # Smoothed inverse document frequency, as scikit-learn's TfidfTransformer computes it,
    # of rounded frequencies as the words' (`term_counts.rounded_frequencies`): adding a tag
    # to one paper then almost never moves the vectors of the other papers that carry it.
    rounded = rounded_frequencies(np.asarray([count, *(frequency[t] for t in names)]))
    rarity = {t: weights.get(t, 1.0) * (math.log((1 + rounded[0]) / (1 + f)) + 1)
              for t, f in zip(names, rounded[1:].tolist(), strict=True)}  # fmt: skip
    rows, cols, values = [], [], []
    for row, (_, tags) in enumerate(keys):
        for tag in dict.fromkeys(tags):
            rows.append(row)
            cols.append(columns[tag])
            values.append(rarity[tag])
    return sparse.csr_matrix(
        (np.asarray(values, dtype=np.float32), (rows, cols)), shape=(count, len(columns))
    )


def related_from(keys: Sequence[PaperKey], similar: Sequence[tuple[Similar, ...]]) -> RelatedMap:
    """`similarity.compare` of the papers' texts, as related papers by slug, with shared
    tags."""
    related: RelatedMap = {}
    for (slug, tags), found in zip(keys, similar, strict=True):
        items = []
        for item in found:
            other, other_tags = keys[item.index]
            shared = tuple(t for t in tags if t in other_tags)
            items.append(RelatedPaper(other, item.score, shared, item.shared_terms))
        related[slug] = tuple(items)
    return related


def papers_inputs(papers: Sequence[Paper], vocabulary: Vocabulary) -> str:
    """A digest (hex) of what both related papers and the map read of the catalogue: the
    papers' texts and keys, the tags' weights and the generator's version (`related_inputs`
    and `map.map_inputs` start from it, so a build that asks for both digests the texts
    once)."""
    texts, keys = [paper_text(p) for p in papers], [paper_key(p) for p in papers]
    return StableDigests().digest((generator_version(), texts, keys, tag_weights(vocabulary))).hex()


def related_inputs(papers_digest: str) -> str:
    """A digest (hex) of everything `find_related` (with its defaults) works from, given the
    papers' `papers_inputs`: equal digests give the same related papers."""
    return StableDigests().digest((papers_digest, RELATED_LIMIT, TAG_SHARE)).hex()


def related_to_json(related: RelatedMap) -> dict[str, list[list[object]]]:
    """The related papers as JSON values (floats written exactly: `repr`)."""
    return {slug: [[r.slug, r.score, list(r.shared_tags), list(r.shared_terms)] for r in items]
            for slug, items in related.items()}  # fmt: skip


def related_from_json(data: Any, slugs: Sequence[str]) -> RelatedMap:
    """The related papers `related_to_json` wrote for the papers `slugs`; ValueError if they
    are not theirs."""
    if not isinstance(data, dict) or list(data) != list(slugs):
        raise ValueError("the recorded related papers are of other papers")
    known = set(slugs)
    related: RelatedMap = {}
    for slug, items in data.items():
        found = []
        for other, score, tags, terms in items:
            if other not in known or type(score) is not float:
                raise ValueError("a recorded related paper is not in the catalogue")
            if not all(type(t) is str for t in [*tags, *terms]):
                raise ValueError("a recorded related paper is malformed")
            found.append(RelatedPaper(other, score, tuple(tags), tuple(terms)))
        related[slug] = tuple(found)
    return related


def previous_from_json(kept: Kept, data: Any) -> Previous:
    """What a build kept (`Kept`) with the related papers it recorded (`related_to_json`) for
    the same papers, as `compare_related` takes them; ValueError if they do not agree."""
    if not isinstance(data, dict) or len(data) != len(kept.keys):
        raise ValueError("the recorded related papers are of other papers")
    row_of = {slug: row for row, slug in enumerate(kept.keys)}
    found = []
    for slug in kept.keys:
        items = []
        for other, score, _tags, terms in data[slug]:
            if other not in row_of or type(score) is not float:
                raise ValueError("a recorded related paper is not in the catalogue")
            if not all(type(t) is str for t in terms):
                raise ValueError("a recorded related paper is malformed")
            items.append(Similar(row_of[other], score, tuple(terms)))
        found.append(tuple(items))
    return Previous(kept, found)
