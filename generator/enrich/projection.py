"""Enrich: a projection of the papers' vectors to a few dimensions that stays put when other
papers change, for the related papers' candidates (`similarity`) and the map (`map`).

Latent semantic analysis (a truncated SVD of the TF-IDF vectors) finds the directions along
which the papers' words vary most. Fitted on every paper, it moves whenever any paper's
vector moves, and then every paper's projection moves with it: a rebuild after one edit
would have to compare every paper again. So the SVD is fitted on a fixed sample of the
papers, `SAMPLE_SIZE` of them chosen by their slug's digest (`sample_positions`), so that
adding a paper does not redraw it; a sample of a few thousand finds the main directions
about as well as all papers do (recall figures in `tests/benchmarks/RESULTS.md`).

`fit_basis` fits on the sample's rows of the catalogue's vectors: those rows' weights still
depend on how many papers use each word. `fit_named` fits on rows weighed apart (the
related papers weigh the sample's texts among themselves, `similarity`), so that the basis
depends on the sample's papers alone, and projects any vector by its columns' names: an
edit, addition or removal of a paper outside the sample leaves the basis as it was, and each
paper's projection then depends on its own vector alone. Either fit reads only the rows and
the columns they use, in their order, so the same rows give the same basis, bit for bit (one
thread, a fixed seed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from threadpoolctl import threadpool_limits

SAMPLE_SIZE = 2048
"""Papers the basis is fitted on: above this many papers, an edit outside the sample leaves
the basis as it is."""
SVD_ITERATIONS = 5
"""Power iterations of the randomized SVD (scikit-learn's default)."""
SEED = 0

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def sample_positions(slugs: Sequence[str], size: int = SAMPLE_SIZE) -> IntArray:
    """The positions, in order, of the `size` papers whose slug's digest is smallest."""
    if len(slugs) <= size:
        return np.arange(len(slugs), dtype=np.int64)
    digests = [hashlib.blake2b(slug.encode(), digest_size=8).digest() for slug in slugs]
    chosen = sorted(range(len(slugs)), key=digests.__getitem__)[:size]
    return np.sort(np.asarray(chosen, dtype=np.int64))


@dataclass(frozen=True)
class Basis:
    """The directions a truncated SVD of the sample found, over the columns it uses."""

    columns: IntArray
    """The columns of the full matrix that the sample uses, in order."""
    components: FloatArray
    """A row per direction, a column per entry of `columns`."""

    def project(self, matrix: sparse.csr_matrix) -> FloatArray:
        """Each row of `matrix` (the same columns the basis was fitted on) in the basis,
        scaled to unit length (a row the basis does not see stays zero)."""
        reduced = np.asarray(matrix[:, self.columns] @ self.components.T, dtype=np.float64)
        lengths = np.linalg.norm(reduced, axis=1, keepdims=True)
        unit: FloatArray = np.divide(
            reduced, lengths, out=np.zeros_like(reduced), where=lengths > 0
        )
        return unit


def fit_basis(matrix: sparse.csr_matrix, sample: IntArray, dimensions: int) -> Basis:
    """The basis of at most `dimensions` directions fitted on the rows `sample` of `matrix`
    (fewer when the sample spans fewer)."""
    # Imported where it is used: importing scikit-learn is most of the time of a command
    # that never compares papers (`catalogue check` in a contributor's hook).
    from sklearn.decomposition import TruncatedSVD

    rows = sparse.csr_matrix(matrix[sample])
    columns = np.flatnonzero(np.bincount(rows.indices, minlength=matrix.shape[1]))
    rows = sparse.csr_matrix(rows[:, columns])
    dimensions = min(dimensions, rows.shape[0] - 1, rows.shape[1] - 1)
    if dimensions < 1:
        return Basis(columns, np.eye(len(columns), dtype=np.float64))
    svd = TruncatedSVD(n_components=dimensions, n_iter=SVD_ITERATIONS, random_state=SEED)
    with threadpool_limits(limits=1):
        svd.fit(rows)
    return Basis(columns.astype(np.int64), np.asarray(svd.components_, dtype=np.float64))


@dataclass(frozen=True)
class NamedBasis:
    """A basis fitted on rows weighed apart from the catalogue (`fit_named`): its columns are
    named (terms, tags), and a vector is projected by its columns' names."""

    names: tuple[str, ...]
    components: FloatArray
    """A row per direction, a column per name."""

    def project(self, matrix: sparse.csr_matrix, names: Sequence[str]) -> FloatArray:
        """Each row of `matrix`, whose columns are `names`, in the basis, scaled to unit
        length (a row with no column the basis knows stays zero). A row's projection is a
        sum over its own columns in their order: it depends on that row alone."""
        position = {name: n for n, name in enumerate(self.names)}
        known = [(column, position[name]) for column, name in enumerate(names) if name in position]
        columns = np.asarray([c for c, _ in known], np.int64)
        rows = self.components[:, [p for _, p in known]].T if known else np.zeros((0, 1))
        reduced = np.asarray(matrix[:, columns] @ rows, dtype=np.float64)
        lengths = np.linalg.norm(reduced, axis=1, keepdims=True)
        unit: FloatArray = np.divide(
            reduced, lengths, out=np.zeros_like(reduced), where=lengths > 0
        )
        return unit


def fit_named(rows: sparse.csr_matrix, names: Sequence[str], dimensions: int) -> NamedBasis:
    """The basis of at most `dimensions` directions fitted on `rows` (columns `names`)."""
    basis = fit_basis(rows, np.arange(rows.shape[0], dtype=np.int64), dimensions)
    return NamedBasis(tuple(names[c] for c in basis.columns), basis.components)
