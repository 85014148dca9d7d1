"""Nearest documents by TF-IDF cosine similarity, in memory linear in the number of documents.

Each document is a TF-IDF vector (scikit-learn), optionally joined with a vector of other
features (the paper's tags: `related`), each part weighted so that a score is
`(1 - share) x text cosine + share x feature cosine`. Scores are computed a chunk of rows at a
time against all documents and only the best candidates of each row are kept (`argpartition`),
so memory holds one chunk of scores, never the n x n matrix. Candidates are then re-ranked by
their exact TF-IDF cosine, and ties go to the document whose key (slug) sorts first, so the
result is the same on every build.

Up to `EXACT_UP_TO` documents the chunk scores are the exact sparse cosine. Beyond that the
quadratic work has to be cheap, so candidates come from a `LSA_DIMENSIONS`-dimensional
projection of the vectors (latent semantic analysis fitted on a fixed sample, `projection`;
dense BLAS products) and only their final order uses the exact cosine; on the realistic
catalogue this finds nearly all of the exact top 5 (`tests/benchmarks/bench_related.py`,
figures in `tests/benchmarks/RESULTS.md`). Those candidates can be kept for the next build
(`neighbours`): given what a build kept, `compare` works out again only the documents whose
vectors moved and those whose candidates did, and takes every other document's result as it
was, which is exactly what computing everything again would give.
"""

from __future__ import annotations

import enum
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from threadpoolctl import threadpool_limits

from generator.enrich import neighbours
from generator.enrich.projection import SAMPLE_SIZE, fit_named, sample_positions
from generator.enrich.term_counts import Vectors, count_terms, weigh

EXACT_UP_TO = 5_000
"""Up to this many documents, candidates come from the exact cosine of every pair."""
LSA_DIMENSIONS = 128
CANDIDATES = 48
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


FeaturesApart = Callable[[IntArray], tuple[sparse.csr_matrix, Sequence[str]]]
"""The features of some rows weighed among those rows alone, and the name of each column."""


class Compute(enum.Enum):
    """The vectors are not given: computed here."""

    VECTORS = enum.auto()


def vectorize(texts: Sequence[str]) -> Vectors:
    """L2-normalised TF-IDF vectors and the term of each column; None if no term is shared
    (`term_counts`: a build that recorded the texts' counts weighs them with `weigh` too)."""
    return weigh(count_terms(texts))


@dataclass(frozen=True)
class Previous:
    """What an earlier `compare` kept, and what it found for each document it kept."""

    kept: neighbours.Kept
    found: Sequence[tuple[Similar, ...]]
    """Per kept row, its similar documents (their `index` is a kept row)."""


@dataclass(frozen=True)
class Compared:
    """Each document's similar documents, and what to keep for the next `compare`."""

    found: list[tuple[Similar, ...]]
    kept: neighbours.Kept | None
    """None when the candidates came from the exact cosine (nothing worth keeping)."""
    worked_out: int
    """How many documents' similar documents were worked out (the others' were kept)."""
    queried: int
    """How many documents were compared with every document (the others with their
    candidates alone)."""


def compare(
    texts: Sequence[str],
    limit: int,
    *,
    features: sparse.csr_matrix | None = None,
    feature_share: float = 0.0,
    exact_up_to: int = EXACT_UP_TO,
    workers: int | None = None,
    vectors: Vectors | Compute = Compute.VECTORS,
    keys: Sequence[str] | None = None,
    feature_names: Sequence[str] = (),
    previous: Previous | None = None,
    sample_size: int = SAMPLE_SIZE,
    features_apart: FeaturesApart | None = None,
) -> Compared:
    """For each text, up to `limit` other texts sharing terms (or features) with it, most
    similar first (`Compared.found`). `features` has a row per text (L2-normalised here);
    `feature_share` is its part of every score. `vectors`: the texts' `vectorize` if it was
    made already. `keys`: each document's key (slug: ties go to the first key, and the
    projection's sample is chosen by key); `feature_names`: the names of the feature
    columns; `previous`: what an earlier `compare` kept (the result is the same with it or
    without it). `features_apart` gives the features of some rows weighed among those rows
    alone, and their names (the projection's sample is weighed so: `projection`)."""
    count = len(texts)
    if vectors is Compute.VECTORS:
        vectors = vectorize(texts) if count > 1 else None
    if features is not None and count > 1:
        matrix, terms = vectors or (sparse.csr_matrix(np.zeros((count, 0), np.float32)), [])
        matrix = joined(matrix, features, feature_share)
    elif vectors is None:
        return Compared([() for _ in texts], None, 0, 0)
    else:
        matrix, terms = vectors
    keys = [str(n) for n in range(count)] if keys is None else list(keys)
    ties = _ranks(keys)
    keep = min(CANDIDATES, count - 1)
    workers = workers or _available_cores()
    # A vocabulary no larger than the projection would make projecting pointless.
    if count <= exact_up_to or matrix.shape[1] <= LSA_DIMENSIONS:
        return Compared(_exactly(matrix, terms, ties, keep, limit, workers), None, count, count)
    names = [*terms, *(feature_names or (f"feature {n}" for n in range(matrix.shape[1])))]
    names = names[: matrix.shape[1]]
    sample = sample_positions(keys, sample_size)
    sample_features: tuple[sparse.csr_matrix, Sequence[str]] | None = None
    if features is not None:
        sample_features = (
            features_apart(sample)
            if features_apart is not None
            else (sparse.csr_matrix(features[sample]), names[len(terms) :])
        )
    # The sample's texts weighed among themselves, so that the basis is theirs alone.
    own = _weighed_apart([texts[n] for n in sample.tolist()], sample_features, feature_share)
    if own[0].shape[1] < 2:
        return Compared(_exactly(matrix, terms, ties, keep, limit, workers), None, count, count)
    projected, settings = _projected(matrix, names, own, limit)
    kept = previous.kept if previous is not None else None
    digests = neighbours.row_digests(matrix, names)
    candidates = neighbours.find(projected, ties, keys, digests, settings, keep, kept, workers)
    found: list[tuple[Similar, ...] | None] = [None] * count
    if previous is not None:
        _take_kept(found, candidates, previous)
    again = np.asarray([row for row, f in enumerate(found) if f is None], np.int64)

    def chunk(start: int) -> None:
        rows = again[start : start + CHUNK_ROWS]
        for row, similar in zip(
            rows.tolist(),
            _rerank(matrix, terms, rows, candidates.best[rows], limit, ties),
            strict=True,
        ):
            found[row] = similar

    with threadpool_limits(limits=1), ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(chunk, range(0, len(again), CHUNK_ROWS)))
    return Compared([f or () for f in found], candidates.kept, len(again), candidates.queried)


def _projected(
    matrix: sparse.csr_matrix,
    names: Sequence[str],
    own: tuple[sparse.csr_matrix, list[str]],
    limit: int,
) -> tuple[npt.NDArray[np.float32], bytes]:
    """Each row of `matrix` (columns `names`) in the basis fitted on the sample weighed
    apart (`own`: its rows and their columns' names), as integer scores take it
    (`neighbours.quantized`), and the digest of what the basis and the settings are made
    of (when it changes, nothing kept holds)."""
    rows, own_names = own
    basis = fit_named(rows, own_names, LSA_DIMENSIONS)
    settings = hashlib.blake2b(repr((LSA_DIMENSIONS, neighbours.QUANTUM, limit)).encode())
    for part in (rows.data, rows.indices, rows.indptr):
        settings.update(part.tobytes())
    settings.update("\n".join(own_names).encode())
    return neighbours.quantized(basis.project(matrix, names)), settings.digest()


def _weighed_apart(
    texts: Sequence[str],
    features: tuple[sparse.csr_matrix, Sequence[str]] | None,
    feature_share: float,
) -> tuple[sparse.csr_matrix, list[str]]:
    """The sample's vectors with their words weighed among the sample's texts alone, joined
    with its `features` (and their names), and the name of each column."""
    vectors = vectorize(texts) if len(texts) > 1 else None
    text, terms = vectors or (sparse.csr_matrix(np.zeros((len(texts), 0), np.float32)), [])
    if features is None:
        return text, list(terms)
    matrix, names = features
    return joined(text, matrix, feature_share), [*terms, *names]


def _take_kept(
    found: list[tuple[Similar, ...] | None], candidates: neighbours.Found, previous: Previous
) -> None:
    """Put the earlier result of each document whose candidates are as they were kept."""
    new_row = np.full(len(previous.kept.keys), -1, np.int64)
    stayed = np.flatnonzero(candidates.old_row >= 0)
    new_row[candidates.old_row[stayed]] = stayed
    for row in np.flatnonzero(candidates.as_before).tolist():
        earlier = previous.found[candidates.old_row[row]]
        rows = [int(new_row[s.index]) for s in earlier]
        if all(r >= 0 for r in rows):
            found[row] = tuple(
                Similar(r, s.score, s.shared_terms) for r, s in zip(rows, earlier, strict=True)
            )


def _exactly(
    matrix: sparse.csr_matrix, terms: list[str], ties: IntArray, keep: int, limit: int,
    workers: int,
) -> list[tuple[Similar, ...]]:  # fmt: skip
    """Each row's similar rows, its candidates from the exact cosine of every pair."""
    count = matrix.shape[0]
    transposed = sparse.csr_matrix(matrix.T)

    def chunk(start: int) -> list[tuple[Similar, ...]]:
        stop = min(count, start + CHUNK_ROWS)
        scores = np.asarray((matrix[start:stop] @ transposed).toarray(), dtype=np.float32)
        scores[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not itself
        candidates = np.argpartition(scores, -keep, axis=1)[:, -keep:]
        del scores
        return _rerank(matrix, terms, np.arange(start, stop), candidates, limit, ties)

    # One BLAS thread per worker: the workers already keep every core busy.
    with threadpool_limits(limits=1), ThreadPoolExecutor(max_workers=workers) as pool:
        chunks = pool.map(chunk, range(0, count, CHUNK_ROWS))
        return [row for rows in chunks for row in rows]


def _ranks(keys: Sequence[str]) -> IntArray:
    """Each key's place among the keys sorted."""
    ranks = np.empty(len(keys), np.int64)
    ranks[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    return ranks


def joined(text: sparse.csr_matrix, features: sparse.csr_matrix, share: float) -> sparse.csr_matrix:
    """Each row's text vector and feature vector side by side, weighted so that the dot
    product of two rows is `(1 - share) x text cosine + share x feature cosine`. The text
    columns come first, so term numbers stay what `vectorize` gave."""
    from sklearn.preprocessing import normalize  # where it is used: see `vectorize`

    weighted = normalize(sparse.csr_matrix(features, dtype=np.float32)) * np.float32(np.sqrt(share))
    both = sparse.hstack([text * np.float32(np.sqrt(1 - share)), weighted], format="csr")
    return sparse.csr_matrix(both, dtype=np.float32)


def _rerank(
    matrix: sparse.csr_matrix,
    terms: list[str],
    sources: IntArray,
    candidates: IntArray,
    limit: int,
    ties: IntArray,
) -> list[tuple[Similar, ...]]:
    """Exact cosine of each of the rows `sources`' candidates; the best `limit` with a
    positive score."""
    rows, keep = candidates.shape
    products = sparse.csr_matrix(
        matrix[np.repeat(sources, keep)].multiply(matrix[candidates.ravel()])
    )
    exact = np.asarray(products.sum(axis=1), dtype=np.float64).reshape(rows, keep)
    # Round away float noise so that equal scores tie, then prefer the first key.
    exact = np.round(exact, 6)
    order = np.lexsort((ties[candidates], -exact), axis=1)[:, :limit]
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
