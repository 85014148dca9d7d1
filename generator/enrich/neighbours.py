"""Enrich: each paper's candidates for its related papers in a large catalogue, kept from one
build to the next, so that after an edit only the papers whose vectors moved are compared
with every paper again.

Above `similarity.EXACT_UP_TO` papers, a paper's candidates are the papers nearest to it in
a projection of the vectors (`projection`: fitted on a fixed sample, so each paper's
projection depends on its own vector). Each projected vector is scaled to `QUANTUM` and
rounded to integers, so that the score of two papers is an integer dot product, which
float32 arithmetic computes exactly in any order (every partial sum stays below 2**24): a
score never depends on which other rows were multiplied with it. Candidates are the best by
score, then by the slug's rank (`ties`), a total order. So a paper's candidates are a
function of the projected vectors alone, and a rebuild computes them exactly as a fresh
build does from what it kept (`Kept`, recorded in `.<site>.record/` by one-off builds):

- a paper whose vector moved (edited, added) is compared with every paper;
- another paper keeps its candidates, with any moved paper that now beats its last one;
- another paper that had a moved or removed paper among its candidates is compared with
  every paper again (the moved paper may have dropped out, and the next one in line was not
  kept).

When the sample the projection is fitted on moved, or more than `REBUILD_SHARE` of the
papers did, everything is computed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from threadpoolctl import threadpool_limits

from generator.enrich.array_record import load_arrays, save_arrays

QUANTUM = 127
"""A unit projected vector's entries are rounded to integers in -127..127."""
CHUNK_ROWS = 64
"""Rows of scores computed at once: CHUNK_ROWS x n floats, twice, per worker."""
REBUILD_SHARE = 0.2
"""When more papers than this share moved, every paper is compared again."""
DIGEST_SIZE = 16
_STRIDE = 16
_TIE_BITS = 2**21
"""Scores are ranked as score x 2**21 + the slug's rank from the end: exact in float64 for
scores below 2**31 and up to two million papers."""

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


def quantized(projected: npt.NDArray[np.float64]) -> FloatArray:
    """Unit projected vectors as integer-valued float32 (`QUANTUM`)."""
    return np.rint(projected * QUANTUM).astype(np.float32)


def row_digests(matrix: sparse.csr_matrix, column_names: Sequence[str]) -> npt.NDArray[np.uint8]:
    """Per row, a digest of its values and the names of their columns (not their numbers,
    which shift when a term is added to the vocabulary): equal digests, equal vectors."""
    names = np.frombuffer(
        b"".join(hashlib.blake2b(n.encode(), digest_size=8).digest() for n in column_names),
        np.uint64,
    )
    data, indices, indptr = matrix.data, names[matrix.indices], matrix.indptr
    digests = np.empty((matrix.shape[0], DIGEST_SIZE), np.uint8)
    for row in range(matrix.shape[0]):
        start, stop = indptr[row], indptr[row + 1]
        digest = hashlib.blake2b(data[start:stop].tobytes(), digest_size=DIGEST_SIZE)
        digest.update(indices[start:stop].tobytes())
        digests[row] = np.frombuffer(digest.digest(), np.uint8)
    return digests


@dataclass(frozen=True)
class Kept:
    """Each paper's candidates, as one build found them, for the next."""

    keys: tuple[str, ...]
    """The papers (slugs), in the order of the rows."""
    digests: npt.NDArray[np.uint8]
    """Per row, its vector's digest (`row_digests`)."""
    basis: bytes
    """The digest of what the projection was fitted on and of the settings."""
    best: IntArray
    """Per row, its candidates (rows), best first."""
    scores: IntArray
    """Their scores."""
    paired: bytes = b""
    """The digest of what was worked out from these candidates and recorded beside them
    (`page_record`), so that a record beside them is not taken unless it is that one."""

    def save(self, path: Path, version: str) -> None:
        """Record in `path` for builds of generator `version` (`array_record`)."""
        save_arrays(
            path,
            version,
            {
                "keys": np.frombuffer("\n".join(self.keys).encode(), np.uint8),
                "digests": self.digests.astype(np.uint8),
                "basis": np.frombuffer(self.basis, np.uint8),
                "best": self.best.astype(np.int32),
                "scores": self.scores.astype(np.int32),
                "paired": np.frombuffer(self.paired, np.uint8),
            },
        )

    @classmethod
    def load(cls, path: Path, version: str) -> Kept | None:
        """What `save` recorded in `path` for generator `version`; None if there is nothing,
        it is of another version, or it is not whole and consistent."""
        return load_arrays(path, version, _TYPES, _checked)


_TYPES: dict[str, type[np.generic]] = {
    "keys": np.uint8,
    "digests": np.uint8,
    "basis": np.uint8,
    "best": np.int32,
    "scores": np.int32,
    "paired": np.uint8,
}


def _checked(arrays: dict[str, Any]) -> Kept:
    """The record in `arrays`; ValueError unless every part has the shape `save` gives it."""
    keys = tuple(arrays["keys"].tobytes().decode().split("\n")) if arrays["keys"].size else ()
    digests, best, scores = arrays["digests"], arrays["best"], arrays["scores"]
    rows = len(keys)
    if len(set(keys)) != rows or digests.shape != (rows, DIGEST_SIZE):
        raise ValueError("keys and digests do not agree")
    if best.ndim != 2 or best.shape[0] != rows or scores.shape != best.shape:
        raise ValueError("candidates and rows do not agree")
    if best.size and (best.min() < 0 or best.max() >= rows):
        raise ValueError("a candidate is of no row")
    if (best == np.arange(rows)[:, None]).any():
        raise ValueError("a row is its own candidate")
    return Kept(keys, digests, arrays["basis"].tobytes(), best.astype(np.int64),
                scores.astype(np.int64), arrays["paired"].tobytes())  # fmt: skip


@dataclass(frozen=True)
class Found:
    """Every row's candidates, and which rows' candidates are as the kept ones were."""

    best: IntArray
    """Per row, its candidates (rows), best first."""
    kept: Kept
    """The same, to record for the next build."""
    as_before: npt.NDArray[np.bool_]
    """Rows whose vector, candidates and candidates' vectors are all as kept: whatever was
    worked out from them holds."""
    old_row: IntArray
    """Each row's row in the kept record (-1 if new or moved)."""
    queried: int
    """How many rows were compared with every row."""


def find(
    projected: FloatArray,
    ties: IntArray,
    keys: Sequence[str],
    digests: npt.NDArray[np.uint8],
    basis: bytes,
    keep: int,
    previous: Kept | None,
    workers: int,
) -> Found:
    """Each row's `keep` best candidates by projected score (`quantized` rows), then by
    `ties` (lower first); worked out again only where `previous` does not hold."""
    count = len(keys)
    scorer = _Scorer(projected, ties)
    old_row = np.full(count, -1, np.int64)
    if previous is not None and previous.basis == basis and previous.best.shape[1] == keep:
        index = {key: row for row, key in enumerate(previous.keys)}
        old_row = np.asarray([index.get(key, -1) for key in keys], np.int64)
        known = old_row >= 0
        known[known] = (digests[known] == previous.digests[old_row[known]]).all(axis=1)
        old_row[~known] = -1
        moved = np.flatnonzero(~known)
        gone = len(previous.keys) - int(known.sum())
        if len(moved) + gone <= REBUILD_SHARE * count:
            best, scores, as_before, queried = _update(
                scorer, previous, keys, old_row, moved, keep, workers
            )
            kept = Kept(tuple(keys), digests, basis, best, scores)
            return Found(best, kept, as_before, old_row, queried)
        old_row[:] = -1
    best, scores = scorer.best(np.arange(count), keep, workers)
    kept = Kept(tuple(keys), digests, basis, best, scores)
    return Found(best, kept, np.zeros(count, np.bool_), old_row, count)


def _update(
    scorer: _Scorer,
    previous: Kept,
    keys: Sequence[str],
    old_row: IntArray,
    moved: IntArray,
    keep: int,
    workers: int,
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_], int]:
    """Every row's candidates and their scores from the kept ones, `moved` rows compared
    with all, which rows' candidates are as they were, and how many rows were compared with
    every row.

    A row that did not move had as candidates the `keep` best by (score, slug), so every
    paper that did not move and was not among them ranks below its last candidate, then and
    now. So its best among its kept candidates that did not move and all moved papers are
    its candidates now, if at least `keep` of those rank above its last candidate as it was
    kept; otherwise it is compared with every paper."""
    count = len(old_row)
    new_row = np.full(len(previous.keys), -1, np.int64)
    stayed = np.flatnonzero(old_row >= 0)
    new_row[old_row[stayed]] = stayed
    had = new_row[previous.best[old_row[stayed]]]  # -1: moved or removed
    had_scores = previous.scores[old_row[stayed]]
    best = np.empty((count, keep), np.int64)
    scores = np.empty((count, keep), np.int64)
    # The last kept candidate's rank among this build's slugs (between two if it is gone).
    last = [previous.keys[c] for c in previous.best[old_row[stayed], -1].tolist()]
    names = np.asarray(keys)
    ordered = np.empty_like(names)
    ordered[scorer.ranks] = names  # the keys in order, from the ranks worked out already
    place = np.searchsorted(ordered, np.asarray(last)).astype(np.float64)
    present = (place < count) & (ordered[np.minimum(place, count - 1).astype(np.int64)] == last)
    place[~present] -= 0.5
    threshold = had_scores[:, -1] * float(_TIE_BITS) + (count - 1 - place)
    merged, merged_scores, lowest = scorer.merged(stayed, had, had_scores, moved, keep)
    whole = lowest >= threshold
    best[stayed[whole]], scores[stayed[whole]] = merged[whole], merged_scores[whole]
    again = np.concatenate([moved, stayed[~whole]])
    best[again], scores[again] = scorer.best(again, keep, workers)
    as_before = np.zeros(count, np.bool_)
    as_before[stayed[whole]] = (merged[whole] == had[whole]).all(axis=1)
    return best, scores, as_before, len(again)


class _Scorer:
    """Projected scores of rows against rows, and the best candidates by them."""

    def __init__(self, projected: FloatArray, ties: IntArray) -> None:
        self.projected = projected
        self.transposed = np.ascontiguousarray(projected.T)
        count = len(ties)
        self.ranks = ties
        # The slug's rank from the end: higher is better, so the first slug wins a tie.
        self.tie = (count - 1 - ties).astype(np.float64)

    def best(self, rows: IntArray, keep: int, workers: int) -> tuple[IntArray, IntArray]:
        """The `keep` best candidates of each of `rows`, best first, and their scores."""
        best = np.empty((len(rows), keep), np.int64)
        scores = np.empty((len(rows), keep), np.int64)

        def chunk(start: int) -> None:
            part = rows[start : start + CHUNK_ROWS]
            found = self.projected[part] @ self.transposed
            found[np.arange(len(part)), part] = -np.inf  # not itself
            least = _at_most_kth(found, keep)
            sources, columns = np.nonzero(found >= least[:, None])
            ranked = found[sources, columns].astype(np.float64) * float(_TIE_BITS)
            ranked += self.tie[columns]
            order = np.lexsort((-ranked, sources))  # by row, best first
            firsts = np.searchsorted(sources[order], np.arange(len(part)))
            taken = order[firsts[:, None] + np.arange(keep)]
            stop = start + len(part)
            best[start:stop] = columns[taken]
            scores[start:stop] = np.floor(ranked[taken] / _TIE_BITS).astype(np.int64)

        with threadpool_limits(limits=1), ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(chunk, range(0, len(rows), CHUNK_ROWS)))
        return best, scores

    def merged(
        self, rows: IntArray, had: IntArray, had_scores: IntArray, moved: IntArray, keep: int
    ) -> tuple[IntArray, IntArray, npt.NDArray[np.float64]]:
        """Each of `rows`' best `keep` among its kept candidates `had` that are still there
        (scored `had_scores`; -1 for none) and the `moved` rows, their scores, and the rank
        of the last of them."""
        best = np.empty((len(rows), keep), np.int64)
        scores = np.empty((len(rows), keep), np.int64)
        lowest = np.empty(len(rows), np.float64)
        moved_t = np.ascontiguousarray(self.projected[moved].T)
        step = 4096
        for start in range(0, len(rows), step):
            part, stop = rows[start : start + step], start + step
            old = had_scores[start:stop] * float(_TIE_BITS) + self.tie[had[start:stop]]
            old[had[start:stop] < 0] = -np.inf
            new = self._ranked(self.projected[part] @ moved_t, moved)
            candidates = np.concatenate(
                [had[start:stop], np.broadcast_to(moved, (len(part), len(moved)))], axis=1
            )
            both = np.concatenate([old, new], axis=1)
            order, top_scores = _top(both, keep)
            best[start:stop] = np.take_along_axis(candidates, order, axis=1)
            scores[start:stop] = top_scores
            lowest[start:stop] = np.take_along_axis(both, order[:, -1:], axis=1)[:, 0]
        return best, scores, lowest

    def _ranked(self, scores: FloatArray, columns: IntArray | None = None) -> Any:
        """Scores as float64 ranks: score x 2**21 + the tie rank of each column."""
        ranked = scores.astype(np.float64)
        ranked *= float(_TIE_BITS)
        ranked += self.tie if columns is None else self.tie[columns]
        return ranked


def _at_most_kth(scores: FloatArray, keep: int) -> FloatArray:
    """Per row, a score at most its `keep`-th best, so that the columns scoring at least
    that hold its `keep` best and their ties, and few more: only those are then ranked.

    Found from every `_STRIDE`-th column (a fraction of the work of partitioning every
    column), taking the value that about four times `keep` columns of the row beat; a row
    where fewer than `keep` do is partitioned whole."""
    rank = max(1, keep // 4)
    if scores.shape[1] < _STRIDE * keep:
        return np.partition(scores, -keep, axis=1)[:, -keep]
    least = np.partition(scores[:, ::_STRIDE], -rank, axis=1)[:, -rank]
    short = (scores >= least[:, None]).sum(axis=1) < keep
    if short.any():
        least[short] = np.partition(scores[short], -keep, axis=1)[:, -keep]
    return least


def _top(ranked: Any, keep: int) -> tuple[IntArray, IntArray]:
    """Per row, the columns of its `keep` highest ranks (all distinct), highest first, and
    their scores."""
    part = np.argpartition(ranked, -keep, axis=1)[:, -keep:]
    values = np.take_along_axis(ranked, part, axis=1)
    order = np.argsort(-values, axis=1)
    columns = np.take_along_axis(part, order, axis=1).astype(np.int64)
    ranked_top = np.take_along_axis(values, order, axis=1)
    # A missing candidate (-inf, `merged`) has no score: its row is compared again.
    finite = np.where(np.isfinite(ranked_top), ranked_top, 0.0)
    scores = np.floor(finite / _TIE_BITS).astype(np.int64)
    return columns, scores
