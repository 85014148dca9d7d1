"""Nearest documents by TF-IDF cosine similarity, in memory linear in the number of documents.

Each document is a TF-IDF vector (scikit-learn), optionally joined with a vector of other
features (the paper's tags: `related`), each part weighted so that a score is
`(1 - share) x text cosine + share x feature cosine`. Scores are computed a chunk of rows at a
time against all documents and only the best candidates of each row are kept (`argpartition`),
so memory holds one chunk of scores, never the n x n matrix. Candidates are then re-ranked by
their exact TF-IDF cosine, and ties go to the earlier document, so the result is the same on
every build.

Up to `EXACT_UP_TO` documents the chunk scores are the exact sparse cosine. Beyond that the
quadratic work has to be cheap, so candidates come from a `LSA_DIMENSIONS`-dimensional
projection of the TF-IDF vectors (latent semantic analysis, dense BLAS products) and only
their final order uses the exact cosine: on the synthetic catalogue at 10,000 papers this
finds 99.9% of the exact top 5 (see `tests/benchmarks/bench_related.py`).
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from threadpoolctl import threadpool_limits

from generator.enrich.term_counts import Vectors, count_terms, weigh

EXACT_UP_TO = 5_000
"""Up to this many documents, candidates come from the exact cosine of every pair."""
LSA_DIMENSIONS = 128
SVD_ITERATIONS = 5
"""Power iterations of the randomized SVD (scikit-learn's default)."""
CANDIDATES = 32
"""Candidates per document kept from a chunk before the exact re-ranking."""
CHUNK_ROWS = 256
"""Rows of scores computed at once: the memory bound is CHUNK_ROWS x n floats per worker."""
SHARED_TERMS = 3

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Similar:
    """One document similar to another."""

    index: int
    """Position of the similar document in the input."""
    score: float
    """Cosine similarity of the joined vectors (TF-IDF alone without features), in (0, 1]."""
    shared_terms: tuple[str, ...]
    """The terms (of the text, never features) that contribute most to the score,
    strongest first."""


class Compute(enum.Enum):
    """The vectors are not given: computed here."""

    VECTORS = enum.auto()


def vectorize(texts: Sequence[str]) -> Vectors:
    """L2-normalised TF-IDF vectors and the term of each column; None if no term is shared
    (`term_counts`: a build that recorded the texts' counts weighs them with `weigh` too)."""
    return weigh(count_terms(texts))


def most_similar(
    texts: Sequence[str],
    limit: int,
    *,
    features: sparse.csr_matrix | None = None,
    feature_share: float = 0.0,
    exact_up_to: int = EXACT_UP_TO,
    workers: int | None = None,
    vectors: Vectors | Compute = Compute.VECTORS,
) -> list[tuple[Similar, ...]]:
    """For each text, up to `limit` other texts sharing terms (or features) with it, most
    similar first. `features` has a row per text (L2-normalised here); `feature_share` is
    its part of every score. `vectors`: the texts' `vectorize` if it was made already."""
    count = len(texts)
    if vectors is Compute.VECTORS:
        vectors = vectorize(texts) if count > 1 else None
    if features is not None and count > 1:
        matrix, terms = vectors or (sparse.csr_matrix(np.zeros((count, 0), np.float32)), [])
        matrix = joined(matrix, features, feature_share)
    elif vectors is None:
        return [() for _ in texts]
    else:
        matrix, terms = vectors
    candidate_scores = _candidate_scorer(matrix, exact=count <= exact_up_to)
    keep = min(CANDIDATES, count - 1)

    def chunk(start: int) -> list[tuple[Similar, ...]]:
        stop = min(count, start + CHUNK_ROWS)
        scores = candidate_scores(start, stop)
        scores[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not itself
        candidates = np.argpartition(scores, -keep, axis=1)[:, -keep:]
        del scores
        return _rerank(matrix, terms, start, candidates, limit)

    workers = workers or _available_cores()
    # One BLAS thread per worker: the workers already keep every core busy.
    with threadpool_limits(limits=1), ThreadPoolExecutor(max_workers=workers) as pool:
        chunks = pool.map(chunk, range(0, count, CHUNK_ROWS))
        return [row for rows in chunks for row in rows]


def joined(text: sparse.csr_matrix, features: sparse.csr_matrix, share: float) -> sparse.csr_matrix:
    """Each row's text vector and feature vector side by side, weighted so that the dot
    product of two rows is `(1 - share) x text cosine + share x feature cosine`. The text
    columns come first, so term numbers stay what `vectorize` gave."""
    from sklearn.preprocessing import normalize  # where it is used: see `vectorize`

    weighted = normalize(sparse.csr_matrix(features, dtype=np.float32)) * np.float32(np.sqrt(share))
    both = sparse.hstack([text * np.float32(np.sqrt(1 - share)), weighted], format="csr")
    return sparse.csr_matrix(both, dtype=np.float32)


def _candidate_scorer(
    matrix: sparse.csr_matrix, *, exact: bool
) -> Callable[[int, int], FloatArray]:
    """A function giving the scores of rows start:stop against every row, as a dense array."""
    # A vocabulary no larger than the projection would make projecting pointless.
    if exact or matrix.shape[1] <= LSA_DIMENSIONS:
        transposed = sparse.csr_matrix(matrix.T)

        def exact_scores(start: int, stop: int) -> FloatArray:
            product = matrix[start:stop] @ transposed
            return np.asarray(product.toarray(), dtype=np.float32)

        return exact_scores
    from sklearn.decomposition import TruncatedSVD  # where it is used: see `vectorize`
    from sklearn.preprocessing import normalize

    dimensions = min(LSA_DIMENSIONS, matrix.shape[1] - 1)
    svd = TruncatedSVD(n_components=dimensions, n_iter=SVD_ITERATIONS, random_state=0)
    projected = normalize(svd.fit_transform(matrix)).astype(np.float32)
    projected_t = np.ascontiguousarray(projected.T)

    def projected_scores(start: int, stop: int) -> FloatArray:
        scores: FloatArray = projected[start:stop] @ projected_t
        return scores

    return projected_scores


def _rerank(
    matrix: sparse.csr_matrix, terms: list[str], start: int, candidates: IntArray, limit: int
) -> list[tuple[Similar, ...]]:
    """Exact cosine of each row's candidates; the best `limit` with a positive score."""
    rows, keep = candidates.shape
    sources = np.repeat(np.arange(start, start + rows), keep)
    products = sparse.csr_matrix(matrix[sources].multiply(matrix[candidates.ravel()]))
    exact = np.asarray(products.sum(axis=1), dtype=np.float64).reshape(rows, keep)
    # Round away float noise so that equal scores tie, then prefer the earlier document.
    exact = np.round(exact, 6)
    order = np.lexsort((candidates, -exact), axis=1)[:, :limit]
    best_pairs = (np.arange(rows)[:, None] * keep + order).ravel()
    # Only text columns name words a reader can check; feature columns (tags) are left out.
    shared = _strongest_terms(sparse.csr_matrix(products[best_pairs][:, : len(terms)]))
    result = []
    for row in range(rows):
        found = []
        for rank, position in enumerate(order[row]):
            score = float(exact[row, position])
            if score <= 0:
                break
            term_ids = shared[row * order.shape[1] + rank]
            found.append(
                Similar(
                    int(candidates[row, position]),
                    score,
                    tuple(terms[t] for t in term_ids if t >= 0),
                )
            )
        result.append(tuple(found))
    return result


def _strongest_terms(products: sparse.csr_matrix) -> IntArray:
    """Per row, the columns of the `SHARED_TERMS` largest positive values (-1 when fewer)."""
    counts = np.diff(products.indptr)
    row_of = np.repeat(np.arange(products.shape[0]), counts)
    # Strongest first within each row; equal weights in term order, so reasons never flicker.
    order = np.lexsort((products.indices, -products.data, row_of))
    columns = np.where(products.data[order] > 0, products.indices[order], -1)
    result = np.full((products.shape[0], SHARED_TERMS), -1, dtype=np.int64)
    for rank in range(SHARED_TERMS):
        has = counts > rank
        result[has, rank] = columns[products.indptr[:-1][has] + rank]
    return result


def _available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
