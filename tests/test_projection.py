"""The projection fitted on a fixed sample (`generator/enrich/projection.py`) stays put when
papers outside the sample change, and each paper's projection depends on its own vector."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from generator.enrich.projection import fit_basis, sample_positions


def _matrix(rows: int, columns: int, seed: int) -> sparse.csr_matrix:
    matrix = sparse.random(rows, columns, density=0.05, random_state=seed, format="csr")
    return sparse.csr_matrix(matrix, dtype=np.float32)


def test_the_sample_is_chosen_by_slug_and_kept_when_other_papers_come_and_go() -> None:
    slugs = [f"paper-{n}" for n in range(500)]
    sample = sample_positions(slugs, 50)
    assert len(sample) == 50 and (np.diff(sample) > 0).all()
    chosen = {slugs[n] for n in sample}
    # Papers added that do not enter the sample, and papers outside it removed.
    fewer = [s for n, s in enumerate(slugs) if n % 3 or s in chosen]
    assert {fewer[n] for n in sample_positions(fewer, 50)} == chosen
    more = [*slugs, *(f"late-{n}" for n in range(200))]
    entered = {more[n] for n in sample_positions(more, 50)} - chosen
    assert len(entered) < 50 and entered <= {f"late-{n}" for n in range(200)}
    assert (sample_positions(slugs[:40], 50) == np.arange(40)).all()  # all when fewer


def test_the_basis_depends_on_the_sample_rows_alone() -> None:
    matrix = _matrix(300, 400, seed=1)
    sample = np.arange(0, 300, 3)
    basis = fit_basis(matrix, sample, 16)
    assert basis.components.shape[0] == 16
    projected = basis.project(matrix)
    assert np.allclose(np.linalg.norm(projected[np.abs(projected).sum(axis=1) > 0], axis=1), 1)

    # Every row outside the sample replaced, and new columns (terms) on the left.
    changed = sparse.lil_matrix(matrix)
    other = _matrix(300, 400, seed=2)
    for row in range(300):
        if row % 3:
            changed[row] = other[row]
    left = sparse.lil_matrix(_matrix(300, 7, seed=3))
    left[sample] = 0
    widened = sparse.csr_matrix(sparse.hstack([left, changed]))
    widened.eliminate_zeros()
    again = fit_basis(widened, sample, 16)
    assert (again.components == basis.components).all()
    assert (again.columns == basis.columns + 7).all()
    # A row that did not change projects to the same values, bit for bit.
    reprojected = again.project(widened)
    assert (reprojected[sample] == projected[sample]).all()


def test_a_sample_smaller_than_the_dimensions_gives_fewer_directions() -> None:
    matrix = _matrix(5, 40, seed=4)
    basis = fit_basis(matrix, np.arange(5), 16)
    assert basis.components.shape[0] <= 4
    assert basis.project(matrix).shape == (5, basis.components.shape[0])
