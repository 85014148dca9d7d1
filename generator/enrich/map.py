"""Enrich: the catalogue as a map: every paper a point in 2-D, near the papers it is like, and
the regions of the map named by their characteristic words.

Papers are placed from the same vectors as related papers (TF-IDF of title and abstract
joined with the weighted tags, `related`), reduced to `DIMENSIONS` by LSA fitted on the fixed
sample of papers chosen by slug digest (`projection`), then laid out by t-SNE
(scikit-learn), which keeps each paper's neighbours next to it. t-SNE's cost grows faster
than the catalogue, so beyond `LANDMARKS` papers it lays out that many papers, the ones of
the sample whose slug's digest is smallest, and puts every other paper next to the laid-out
paper most like it, at a small offset drawn from its slug so that no two points coincide.
The measured speed and quality of this against t-SNE of every paper (openTSNE) are in
`tests/benchmarks/RESULTS.md`.

Chosen by slug, not by position or at random, so that a rebuild after an edit lays out what
a fresh build does at a fraction of its cost: a paper outside the sample that is edited,
added or removed moves only itself before the points are scaled to the grid (the basis, the
landmarks and their layout stay as they were), and t-SNE of the landmarks, most of the
map's time, is taken from the last build's record (`page_record`) while its input is the
same, which gives the points t-SNE would give.

Regions are k-means clusters of the points (fixed seed), each named by the words whose TF-IDF
weight is highest in its papers compared with the whole catalogue. Every step has a fixed
seed and runs on one thread, so the same entries give the same map, byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from threadpoolctl import threadpool_limits

from generator.enrich.projection import SAMPLE_SIZE, fit_basis, sample_positions
from generator.enrich.related import (
    TAG_SHARE,
    PaperKey,
    paper_key,
    paper_vectors,
    tag_features,
    tag_weights,
)
from generator.enrich.similarity import Compute, joined
from generator.enrich.term_counts import Vectors
from generator.model.paper import Paper
from generator.model.stable_digest import StableDigests
from generator.model.vocabulary import Vocabulary
from generator.processes import beside

GRID = 4095
"""Coordinates are integers from 0 to GRID: compact in the map's data, the same on every
build."""
DIMENSIONS = 50
"""LSA dimensions t-SNE starts from (its usual first step: PCA to about 50)."""
LANDMARKS = 1000
"""Most papers t-SNE lays out itself; each other paper is placed by the most similar of
these. At most `projection.SAMPLE_SIZE`: the landmarks are papers of the sample."""
SPREAD = 100
"""A paper placed by a laid-out one sits within 1/SPREAD of the map's width of it."""
REGION_WORDS = 3
SEED = 0
BESIDE_FROM = 2000
"""From this many papers a build lays out the map in a process of its own (`map_beside`),
while it finds the related papers: the layout is then most of a core's work for a while."""


@dataclass(frozen=True)
class Region:
    """A part of the map where papers on one topic gather."""

    x: int
    y: int
    """Its centre, on the map's grid."""
    words: tuple[str, ...]
    """The words that set its papers apart, strongest first."""
    members: tuple[int, ...]
    """Its papers, as positions in the catalogue's order, the most central first."""


FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class LandmarksLayout:
    """t-SNE's layout of the landmarks (of every paper, up to `LANDMARKS`), which a build
    records for the next (`page_record`): t-SNE is most of the map's time, and its input,
    the landmarks' reduced vectors, stays the same while the sample's papers do."""

    made_from: str
    """A digest (hex) of t-SNE's input and of the seal it was made with
    (`generator_version()`: the code, its libraries and the user's record secret)."""
    points: FloatArray
    """A row per landmark, in the order t-SNE was given them."""


@dataclass(frozen=True)
class CatalogueMap:
    """Where each paper is, and the named regions."""

    slugs: tuple[str, ...]
    """The papers, in catalogue order."""
    x: tuple[int, ...]
    y: tuple[int, ...]
    regions: tuple[Region, ...]
    landmarks: LandmarksLayout | None = field(default=None, compare=False, repr=False)
    """t-SNE's layout of the landmarks, when laid out with a seal (`lay_out`): not part of
    the map, kept for the next build."""


def build_map(
    papers: Sequence[Paper], vocabulary: Vocabulary, vectors: Vectors | Compute = Compute.VECTORS
) -> CatalogueMap:
    """The map of `papers` (in catalogue order); `vectors`: `related.paper_vectors(papers)`,
    if computed already."""
    if not papers:
        return CatalogueMap((), (), (), ())
    if vectors is Compute.VECTORS:
        vectors = paper_vectors(papers)
    return lay_out(*_layout_inputs(papers, vocabulary, vectors))


def map_beside(
    papers: Sequence[Paper],
    vocabulary: Vocabulary,
    vectors: Vectors,
    seal: str = "",
    recorded: LandmarksLayout | None = None,
) -> Callable[[], CatalogueMap]:
    """Start laying out the map of `papers` in a process of its own (`processes.beside`);
    return the function that waits for it. From `BESIDE_FROM` papers: below, starting a
    process costs more than the layout, which is then made when it is asked for. `seal`
    and `recorded`: see `lay_out`."""
    inputs = (*_layout_inputs(papers, vocabulary, vectors), seal, recorded)
    if len(papers) < BESIDE_FROM:
        return functools.partial(lay_out, *inputs)
    return beside(lay_out, *inputs)


def _layout_inputs(
    papers: Sequence[Paper], vocabulary: Vocabulary, vectors: Vectors
) -> tuple[tuple[str, ...], list[PaperKey], dict[str, float], Vectors]:
    """What `lay_out` needs of the papers: small and picklable, unlike the papers."""
    return (
        tuple(p.slug for p in papers),
        [paper_key(p) for p in papers],
        tag_weights(vocabulary),
        vectors,
    )


def lay_out(
    slugs: tuple[str, ...],
    keys: list[PaperKey],
    weights: dict[str, float],
    vectors: Vectors,
    seal: str = "",
    recorded: LandmarksLayout | None = None,
) -> CatalogueMap:
    """The map of the papers `slugs` (their `paper_key`s, the tags' weights, their vectors).

    With a `seal` (`generator_version()`), the map also gives t-SNE's layout of the
    landmarks (`CatalogueMap.landmarks`), and takes the `recorded` one instead of running
    t-SNE when it was made from the same input with the same seal: t-SNE gives the same
    points for the same input, so the map is the one made without it."""
    if not slugs:
        return CatalogueMap((), (), (), ())
    count = len(slugs)
    text_matrix, terms = vectors or (sparse.csr_matrix(np.zeros((count, 0), np.float32)), [])
    features = tag_features(keys, weights)
    matrix = joined(text_matrix, features, TAG_SHARE)
    # errstate: entries alike leave a variance of zero that scikit-learn divides by when it
    # reports explained variance (which the map does not use); `_tsne` handles such input.
    with threadpool_limits(limits=1), np.errstate(divide="ignore", invalid="ignore"):
        reduced = _reduce(matrix, slugs)
        made: list[LandmarksLayout] = []

        def tsne(landmarks: FloatArray) -> FloatArray:
            if not seal:
                return _tsne(landmarks)
            made.append(_recorded_tsne(landmarks, seal, recorded))
            return made[0].points

        points = _layout(reduced, slugs, tsne)
        grid = _to_grid(points)
        regions = _regions(grid, text_matrix, terms)
    xs = tuple(int(v) for v in grid[:, 0])
    ys = tuple(int(v) for v in grid[:, 1])
    return CatalogueMap(slugs, xs, ys, regions, made[0] if made else None)


def _reduce(matrix: sparse.csr_matrix, slugs: Sequence[str]) -> FloatArray:
    """Each paper's vector in `DIMENSIONS` (fewer for a tiny catalogue), unit length, in the
    basis fitted on the papers of the fixed sample (`projection.sample_positions`)."""
    count, columns = matrix.shape
    dimensions = min(DIMENSIONS, count - 1, columns - 1)
    if dimensions < 2:
        # scikit-learn is imported where it is used: importing it is most of the time of a
        # command that never lays out a map (`catalogue check` in a contributor's hook).
        from sklearn.preprocessing import normalize

        dense = np.asarray(matrix.toarray(), dtype=np.float64)
        return np.asarray(normalize(dense), dtype=np.float64)
    # Fitted on the sample rather than on every paper: the basis, and so every paper's
    # reduced vector, stays as it was when papers outside the sample change, and the fit
    # costs the sample's size, not the catalogue's.
    return fit_basis(matrix, sample_positions(slugs, SAMPLE_SIZE), dimensions).project(matrix)


def _layout(
    reduced: FloatArray,
    slugs: Sequence[str],
    tsne: Callable[[FloatArray], FloatArray] = lambda vectors: _tsne(vectors),
) -> FloatArray:
    """2-D points: t-SNE (`tsne`) of all papers, or of `LANDMARKS` and the rest placed by
    them."""
    count = len(reduced)
    if count < 4:  # t-SNE needs a few neighbours: a small catalogue sits in a square
        return _square(count)
    if count <= LANDMARKS:
        return tsne(reduced)
    # The landmarks are the papers whose slug's digest is smallest, so that papers coming
    # and going elsewhere leave them as they were; they are within the sample the basis is
    # fitted on (LANDMARKS <= SAMPLE_SIZE), so their reduced vectors, and t-SNE of them,
    # change only when one of the sample's papers does.
    chosen = sample_positions(slugs, LANDMARKS)
    landmarks = reduced[chosen]
    laid_out = tsne(landmarks)
    # Each other paper joins the laid-out paper most like it, at a fixed place in a small
    # disc around it, drawn from its slug (not its position, which others' coming and going
    # shifts). Averaging the places of several put papers between groups, next to papers
    # they share little with (tests/benchmarks/RESULTS.md).
    radius = np.ptp(laid_out, axis=0).max() / SPREAD
    offsets = radius * _disc_offsets(slugs)
    points = np.empty((count, 2))
    for start in range(0, count, 4096):
        similarity = reduced[start : start + 4096] @ landmarks.T
        nearest = np.argmax(similarity, axis=1)  # the first of equals: the same every time
        points[start : start + len(nearest)] = (
            laid_out[nearest] + offsets[start : start + len(nearest)]
        )
    points[chosen] = laid_out
    return points


def _disc_offsets(slugs: Sequence[str]) -> FloatArray:
    """For each slug, a point of the unit disc drawn from its digest (uniform over the
    disc), the same on every build."""
    # A digest of its own (`person`), not the one the landmarks are chosen by.
    digests = b"".join(
        hashlib.blake2b(slug.encode(), digest_size=8, person=b"map offset").digest()
        for slug in slugs
    )
    # Two 32-bit fractions per slug: the angle and the distance's square.
    fractions = np.frombuffer(digests, dtype="<u4").reshape(-1, 2) / 2.0**32
    angle = 2 * np.pi * fractions[:, 0]
    distance = np.sqrt(fractions[:, 1])
    return np.column_stack([distance * np.cos(angle), distance * np.sin(angle)])


def _square(count: int) -> FloatArray:
    """`count` points in rows of a square, in order: the map of papers too few or too alike
    to lay out."""
    side = max(1, int(np.ceil(np.sqrt(count))))
    index = np.arange(count)
    return np.column_stack([index % side, index // side]).astype(np.float64)


def _tsne(vectors: FloatArray) -> FloatArray:
    from sklearn.manifold import TSNE  # where it is used: see `_reduce`

    if not np.isfinite(vectors).all() or float(vectors.std(axis=0).max(initial=0)) < 1e-9:
        # Every vector alike (entries with the same words and tags): t-SNE's PCA start would
        # divide by a spread of zero, and its Barnes-Hut step crashes the process on NaN.
        return _square(len(vectors))
    perplexity = min(30.0, (len(vectors) - 1) / 3)
    tsne = TSNE(
        n_components=2, perplexity=perplexity, init="pca", random_state=SEED, metric="cosine"
    )
    return np.asarray(tsne.fit_transform(vectors), dtype=np.float64)


def _recorded_tsne(
    vectors: FloatArray, seal: str, recorded: LandmarksLayout | None
) -> LandmarksLayout:
    """t-SNE of `vectors`: the `recorded` layout if it was made from them with `seal`."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (seal.encode(), repr(vectors.shape).encode(), vectors.dtype.str.encode()):
        digest.update(len(part).to_bytes(8, "little") + part)
    digest.update(np.ascontiguousarray(vectors).tobytes())
    made_from = digest.hexdigest()
    if (
        recorded is not None
        and recorded.made_from == made_from
        and recorded.points.shape == (len(vectors), 2)
    ):
        return recorded
    return LandmarksLayout(made_from, _tsne(vectors))


def _to_grid(points: FloatArray) -> npt.NDArray[np.int64]:
    """Points scaled to 0..GRID on both axes (the same scale, so distances keep their shape),
    centred, as integers."""
    low, high = points.min(axis=0), points.max(axis=0)
    size = float((high - low).max()) or 1.0
    centred = (points - low) / size + (1 - (high - low) / size) / 2
    return np.asarray(np.rint(centred * GRID), dtype=np.int64)


def _regions(
    grid: npt.NDArray[np.int64],
    text_matrix: sparse.csr_matrix,
    terms: list[str],
) -> tuple[Region, ...]:
    """k-means clusters of the points, each named by its most characteristic words."""
    count = len(grid)
    k = int(min(30, max(1, round(np.sqrt(count / 4)))))
    if count < 8 or k < 2:
        # Too few papers to tell topics apart: one region (still the page's list of papers).
        labels = np.zeros(count, dtype=np.int64)
        k = 1
    else:
        from sklearn.cluster import KMeans  # where it is used: see `_reduce`

        kmeans = KMeans(n_clusters=k, n_init=4, random_state=SEED)
        labels = kmeans.fit_predict(grid.astype(np.float64))
    overall = np.asarray(text_matrix.mean(axis=0)).ravel()
    regions = []
    for cluster in range(k):
        members = np.flatnonzero(labels == cluster)
        if not len(members):
            continue
        centre = grid[members].mean(axis=0)
        distance = ((grid[members] - centre) ** 2).sum(axis=1)
        central = members[np.lexsort((members, distance))]
        words: tuple[str, ...] = ()
        if terms and k > 1:
            mean = np.asarray(text_matrix[members].mean(axis=0)).ravel()
            lift = mean - overall
            best = np.lexsort((np.arange(len(terms)), -lift))[:REGION_WORDS]
            words = tuple(terms[t] for t in best if lift[t] > 0)
        regions.append(
            Region(
                int(np.rint(centre[0])),
                int(np.rint(centre[1])),
                words,
                tuple(int(m) for m in central),
            )
        )
    # Largest first, then by place: a stable order for the page and its list of regions.
    regions.sort(key=lambda r: (-len(r.members), r.y, r.x))
    return tuple(regions)


def map_inputs(papers_digest: str) -> str:
    """A digest (hex) of everything `build_map` lays the map out from, given the papers'
    `related.papers_inputs` (texts, keys, tags' weights, generator's version): equal digests
    give the same map."""
    return StableDigests().digest(("map", papers_digest)).hex()


def map_to_json(catalogue_map: CatalogueMap) -> dict[str, object]:
    """The map as JSON values (`map_from_json` reads them back)."""
    regions = [[r.x, r.y, list(r.words), list(r.members)] for r in catalogue_map.regions]
    return {"slugs": list(catalogue_map.slugs), "x": list(catalogue_map.x),
            "y": list(catalogue_map.y), "regions": regions}  # fmt: skip


def landmarks_to_json(landmarks: LandmarksLayout | None) -> object:
    """The landmarks' layout as JSON values (`landmarks_from_json` reads them back): floats
    written in full, so that they read back bit for bit."""
    if landmarks is None:
        return None
    return {"made_from": landmarks.made_from, "points": landmarks.points.tolist()}


def landmarks_from_json(data: Any) -> LandmarksLayout | None:
    """The layout `landmarks_to_json` wrote; None if there is none or it is not one."""
    try:
        made_from, rows = data["made_from"], data["points"]
        if not (isinstance(made_from, str) and isinstance(rows, list)):
            return None
        if not all(type(v) is float for row in rows for v in row):
            return None
        points = np.asarray(rows, dtype=np.float64).reshape(len(rows), 2)
    except (TypeError, KeyError, ValueError):
        return None
    return LandmarksLayout(made_from, points) if np.isfinite(points).all() else None


def map_from_json(data: Any, slugs: Sequence[str]) -> CatalogueMap:
    """The map `map_to_json` wrote for the papers `slugs`; ValueError if it is not one."""
    xs, ys = tuple(data["x"]), tuple(data["y"])
    count = len(slugs)
    if tuple(data["slugs"]) != tuple(slugs) or len(xs) != count or len(ys) != count:
        raise ValueError("the recorded map is of other papers")
    if not all(type(v) is int and 0 <= v <= GRID for v in xs + ys):
        raise ValueError("a recorded point is off the map")
    regions = []
    for x, y, words, members in data["regions"]:
        if not all(type(v) is int and 0 <= v < count for v in members):
            raise ValueError("a recorded region names a paper that is not there")
        if not (type(x) is int and type(y) is int and all(type(w) is str for w in words)):
            raise ValueError("a recorded region is malformed")
        regions.append(Region(x, y, tuple(words), tuple(members)))
    return CatalogueMap(tuple(slugs), xs, ys, tuple(regions))
