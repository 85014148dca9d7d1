"""The map of the catalogue: deterministic, every paper on the grid, regions named by words
their papers use, a layout of landmarks beyond `LANDMARKS`, and kept while serving."""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest
from scipy import sparse

from generator import CatalogueSources, load_catalogue, processes
from generator.enrich import map as catalogue_map
from generator.enrich.catalogue import Catalogue, build_catalogue
from generator.enrich.map import GRID, build_map, landmarks_from_json, landmarks_to_json
from generator.enrich.projection import sample_positions
from generator.enrich.related import (
    TAG_SHARE,
    find_related,
    paper_key,
    paper_text,
    paper_vectors,
    tag_features,
    tag_weights,
)
from generator.enrich.similarity import joined
from generator.enrich.term_counts import clean_text
from generator.render.map_page import MAP_URI, POINTS_FILE, SCRIPT, data_paths, map_files
from generator.render.page import RenderSettings
from generator.render.pages import PageRenderer
from generator.serve.kept_map import KeptMap
from tests.benchmarks.synthetic import synthesize_catalogue


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    root = synthesize_catalogue(tmp_path_factory.mktemp("map"), 300, seed=3)
    return load_catalogue(CatalogueSources(root))


def test_the_same_entries_give_the_same_map_byte_for_byte(synthetic: Catalogue) -> None:
    first = map_files(synthetic)
    again = build_catalogue(synthetic.papers, synthetic.vocabulary)
    assert map_files(again) == first


def test_every_paper_is_on_the_grid_and_regions_are_named_by_their_words(
    synthetic: Catalogue,
) -> None:
    layout = synthetic.map
    assert layout.slugs == tuple(p.slug for p in synthetic.papers)
    assert all(0 <= v <= GRID for v in (*layout.x, *layout.y))
    assert len(set(zip(layout.x, layout.y, strict=True))) > 0.9 * len(layout.slugs)
    members = [m for r in layout.regions for m in r.members]
    assert sorted(members) == list(range(len(synthetic.papers)))  # each paper in one region
    for region in layout.regions:
        for word in region.words:
            users = sum(
                word in re.findall(r"\w\w+", clean_text(paper_text(synthetic.papers[m])))
                for m in region.members
            )
            assert users > 0


def test_papers_that_share_tags_sit_together(synthetic: Catalogue) -> None:
    layout = synthetic.map
    tags = [set(p.entry.tags) for p in synthetic.papers]
    points = list(zip(layout.x, layout.y, strict=True))

    def nearest(i: int) -> int:
        others = (j for j in range(len(points)) if j != i)
        return min(
            others,
            key=lambda j: (points[i][0] - points[j][0]) ** 2 + (points[i][1] - points[j][1]) ** 2,
        )

    share = sum(bool(tags[i] & tags[nearest(i)]) for i in range(len(points))) / len(points)
    # A random pair of synthetic papers shares a tag about a fifth of the time.
    assert share > 0.6


def test_beyond_the_landmarks_the_others_are_placed_by_them(
    synthetic: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue_map, "LANDMARKS", 100)
    layout = build_map(synthetic.papers, synthetic.vocabulary)
    assert len(layout.x) == len(synthetic.papers)
    assert layout == build_map(synthetic.papers, synthetic.vocabulary)


def test_serve_keeps_the_map_and_places_a_new_paper_by_its_related(
    synthetic: Catalogue,
) -> None:
    kept = KeptMap()
    first = kept.map_for(synthetic)
    fewer = build_catalogue(synthetic.papers[1:], synthetic.vocabulary)
    fewer.use_related(synthetic.related)
    updated = kept.map_for(fewer)
    assert updated.slugs == first.slugs[1:]
    assert updated.x == first.x[1:] and updated.y == first.y[1:]
    assert kept.map_for(fewer) is updated  # nothing changed: the same map
    back = build_catalogue(synthetic.papers, synthetic.vocabulary)
    back.use_related(synthetic.related)
    again = kept.map_for(back)
    newcomer = synthetic.papers[0].slug
    related = synthetic.related[newcomer][0].slug
    at = again.slugs.index(newcomer)
    near = again.slugs.index(related)
    assert (again.x[at], again.y[at]) == (again.x[near], again.y[near])


def test_the_data_files_hold_every_paper_once_in_catalogue_order(synthetic: Catalogue) -> None:
    files = map_files(synthetic)
    assert sorted(files) == sorted(data_paths(len(synthetic.papers)))
    points = json.loads(files[POINTS_FILE])
    count = len(synthetic.papers)
    assert points["count"] == count
    assert len(points["x"]) == len(points["y"]) == len(points["colour"]) == count
    rows = [row for path in data_paths(count)[1:] for row in json.loads(files[path])]
    assert [slug for slug, _ in rows] == [p.slug for p in synthetic.papers]
    for tag, gaps in zip(points["tags"], points["tagged"], strict=True):
        at, members = 0, []
        for gap in gaps:
            at += gap
            members.append(at)
        assert members == [i for i, p in enumerate(synthetic.papers) if tag in p.entry.tags]


def test_only_the_map_page_names_its_data_and_script(synthetic: Catalogue) -> None:
    renderer = PageRenderer(synthetic, RenderSettings())
    named = []
    for page in renderer.all_pages():
        shown = page.markdown() + page.head
        if "points.json" in shown or "map/papers-" in shown or SCRIPT in shown:
            named.append(page.uri)
        if page.uri != MAP_URI:
            assert not [path for path, _ in page.files if path.startswith("map/")]
    assert named == [MAP_URI]
    home = renderer.render_home_summary()
    assert "points.json" not in home and SCRIPT not in home
    assert 'href="map/"' in home  # the home page links to the map page, not its data
    page = renderer.map_page()
    assert sorted(path for path, _ in page.files) == sorted(data_paths(len(synthetic.papers)))


@pytest.mark.parametrize("count", [1, 3, 4, 9])
def test_papers_too_alike_to_lay_out_still_get_a_map(synthetic: Catalogue, count: int) -> None:
    # The same words and tags in every entry: t-SNE would start from a spread of zero (and
    # crashed the process on the NaN that gave).
    first = synthetic.papers[0]
    alike = [dataclasses.replace(first, slug=f"{first.slug}-{n}") for n in range(count)]
    layout = build_map(alike, synthetic.vocabulary)
    assert len(set(zip(layout.x, layout.y, strict=True))) == count
    assert sorted(m for r in layout.regions for m in r.members) == list(range(count))


def test_a_map_laid_out_in_a_process_of_its_own_is_the_one_laid_out_here(
    synthetic: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large catalogue's build lays the map out beside it, in another process.
    started = []

    def beside(*args: object) -> object:
        started.append(args)
        return processes.beside(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(catalogue_map, "BESIDE_FROM", 0)
    monkeypatch.setattr(catalogue_map, "beside", beside)
    papers, vocabulary = synthetic.papers, synthetic.vocabulary
    laid_out = catalogue_map.map_beside(papers, vocabulary, paper_vectors(papers), "seal")
    assert len(started) == 1
    layout = laid_out()
    assert layout == synthetic.map  # `build_map(papers, vocabulary)`, made once here
    assert layout.landmarks is not None  # t-SNE's layout comes back for the record
    assert layout.landmarks.points.shape == (len(papers), 2)


def test_the_map_and_related_papers_from_vectors_made_once_are_those_made_alone(
    synthetic: Catalogue,
) -> None:
    # A build that computes both computes the papers' TF-IDF vectors once for the two.
    papers, vocabulary = synthetic.papers, synthetic.vocabulary
    vectors = paper_vectors(papers)
    # The catalogue's own are made alone: `build_map(papers, vocabulary)`, `find_related(...)`.
    assert build_map(papers, vocabulary, vectors) == synthetic.map
    assert find_related(papers, vocabulary, vectors=vectors) == synthetic.related


def _joined_matrix(catalogue: Catalogue) -> sparse.csr_matrix:
    """The matrix `lay_out` reduces: the papers' TF-IDF vectors joined with their tags."""
    vectors = paper_vectors(catalogue.papers)
    assert vectors is not None
    keys = [paper_key(p) for p in catalogue.papers]
    tags = tag_features(keys, tag_weights(catalogue.vocabulary))
    return joined(vectors[0], tags, TAG_SHARE)


def test_papers_outside_the_sample_move_only_themselves(
    synthetic: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A smaller sample and fewer landmarks than the catalogue, as in a large one.
    monkeypatch.setattr(catalogue_map, "SAMPLE_SIZE", 100)
    monkeypatch.setattr(catalogue_map, "LANDMARKS", 50)
    slugs = [p.slug for p in synthetic.papers]
    matrix = _joined_matrix(synthetic)
    sample = set(sample_positions(slugs, 100).tolist())
    landmarks = sample_positions(slugs, 50)
    assert set(landmarks.tolist()) <= sample  # the landmarks are sample papers
    reduced = catalogue_map._reduce(matrix, slugs)
    points = catalogue_map._layout(reduced, slugs)
    outside = [n for n in range(len(slugs)) if n not in sample]

    # One paper outside the sample given another's vector: it alone moves, next to that one.
    edited, like = outside[0], outside[-1]
    rows = np.arange(len(slugs))
    rows[edited] = like
    changed_reduced = catalogue_map._reduce(sparse.csr_matrix(matrix[rows]), slugs)
    changed_points = catalogue_map._layout(changed_reduced, slugs)
    others = [n for n in range(len(slugs)) if n != edited]
    assert (changed_reduced[others] == reduced[others]).all()  # bit for bit
    assert (changed_points[others] == points[others]).all()
    assert not (changed_points[edited] == points[edited]).all()
    radius = np.ptp(points[landmarks], axis=0).max() / catalogue_map.SPREAD
    assert np.linalg.norm(changed_points[edited] - points[like]) <= 2 * radius

    # Papers outside the sample removed: every other paper stays where it was.
    kept = [n for n in range(len(slugs)) if n not in outside[::3]]
    fewer_slugs = [slugs[n] for n in kept]
    fewer_reduced = catalogue_map._reduce(sparse.csr_matrix(matrix[kept]), fewer_slugs)
    assert (fewer_reduced == reduced[kept]).all()
    assert (catalogue_map._layout(fewer_reduced, fewer_slugs) == points[kept]).all()


def test_a_papers_offset_from_its_landmark_is_drawn_from_its_slug() -> None:
    slugs = [f"paper-{n}" for n in range(2000)]
    offsets = catalogue_map._disc_offsets(slugs)
    assert (catalogue_map._disc_offsets(slugs[5:7]) == offsets[5:7]).all()
    lengths = np.linalg.norm(offsets, axis=1)
    assert (lengths <= 1).all()
    # Uniform over the disc: about a quarter within half the radius, all angles.
    assert 0.2 < float(np.mean(lengths < 0.5)) < 0.3
    quadrants = {(bool(x > 0), bool(y > 0)) for x, y in offsets}
    assert len(quadrants) == 4


def test_a_recorded_layout_of_the_landmarks_gives_the_map_t_sne_gives(
    synthetic: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue_map, "SAMPLE_SIZE", 100)
    monkeypatch.setattr(catalogue_map, "LANDMARKS", 50)
    papers, vocabulary = synthetic.papers, synthetic.vocabulary
    inputs = catalogue_map._layout_inputs(papers, vocabulary, paper_vectors(papers))
    first = catalogue_map.lay_out(*inputs, "seal")
    assert first == build_map(papers, vocabulary) and first.landmarks is not None
    kept = json.loads(json.dumps(landmarks_to_json(first.landmarks)))
    recorded = landmarks_from_json(kept)
    assert recorded is not None and (recorded.points == first.landmarks.points).all()

    slugs, keys, weights, vectors = inputs
    assert vectors is not None
    sample = sample_positions(slugs, 100).tolist()
    outside = [n for n in range(len(slugs)) if n not in set(sample)]

    def with_rows_of(edited: int, like: int) -> tuple[sparse.csr_matrix, list[str]]:
        rows = np.arange(len(slugs))
        rows[edited] = like
        return sparse.csr_matrix(vectors[0][rows]), vectors[1]

    ran: list[int] = []
    tsne = catalogue_map._tsne

    def counted(vectors: np.ndarray) -> np.ndarray:
        ran.append(len(vectors))
        return tsne(vectors)

    monkeypatch.setattr(catalogue_map, "_tsne", counted)
    # A paper outside the sample changed: the landmarks' layout is taken, and the map is the
    # one laid out without a record.
    edited = with_rows_of(outside[0], outside[-1])
    fresh = catalogue_map.lay_out(slugs, keys, weights, edited)
    ran.clear()
    taken = catalogue_map.lay_out(slugs, keys, weights, edited, "seal", recorded)
    assert ran == [] and taken == fresh and taken.landmarks is recorded
    # Another seal (another generator's version or user), or a sample paper changed: t-SNE.
    again = catalogue_map.lay_out(slugs, keys, weights, edited, "other seal", recorded)
    assert ran == [50] and again == fresh
    in_sample = with_rows_of(sample[0], outside[-1])
    changed = catalogue_map.lay_out(slugs, keys, weights, in_sample, "seal", recorded)
    assert ran == [50, 50] and changed == catalogue_map.lay_out(slugs, keys, weights, in_sample)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"made_from": "d"},
        {"made_from": 1, "points": [[0.5, 1.5]]},
        {"made_from": "d", "points": [[0.5, 1]]},  # floats are written as floats
        {"made_from": "d", "points": [[0.5, 1.5, 2.5]]},
        {"made_from": "d", "points": [[0.5], [1.5]]},
        {"made_from": "d", "points": [[0.5, 1.5], [2.5]]},
        {"made_from": "d", "points": [[0.5, float("nan")]]},
        {"made_from": "d", "points": "[[0.5, 1.5]]"},
    ],
)
def test_a_layout_of_the_landmarks_that_is_not_one_is_not_taken(data: object) -> None:
    assert landmarks_from_json(data) is None
