"""Related papers: exact where promised, the same on every run, and honest about why."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics.pairwise import cosine_similarity

from generator import CatalogueSources, load_catalogue
from generator.enrich.catalogue import Catalogue
from generator.enrich.related import (
    MODALITY_WEIGHT,
    find_related,
    paper_text,
    related_of,
    tag_features,
)
from generator.enrich.similarity import compare, vectorize
from generator.enrich.term_counts import clean_text
from tests.benchmarks.synthetic import synthesize_catalogue


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    root = synthesize_catalogue(tmp_path_factory.mktemp("related"), 700, seed=5)
    return load_catalogue(CatalogueSources(root))


def brute_force(texts: list[str], limit: int) -> tuple[np.ndarray, list[list[int]]]:
    """The naive answer: every pair's cosine, each row's best `limit` (ties: lower index)."""
    vectors = vectorize(texts)
    assert vectors is not None
    scores = cosine_similarity(vectors[0]).astype(np.float64)
    np.fill_diagonal(scores, -1)
    best = [
        [j for j in sorted(range(len(texts)), key=lambda j: (-round(row[j], 6), j))[:limit]]
        for row in scores
    ]
    return scores, best


def test_exact_below_the_threshold_equals_brute_force(synthetic: Catalogue) -> None:
    texts = [paper_text(p) for p in synthetic.papers]
    scores, best = brute_force(texts, 5)
    found = compare(texts, 5).found
    for i, row in enumerate(found):
        assert [s.index for s in row] == best[i]
        for item in row:
            assert item.score == pytest.approx(scores[i, item.index], abs=1e-5)


def test_projected_candidates_find_the_exact_neighbours(synthetic: Catalogue) -> None:
    # Forced onto the path large catalogues take: LSA candidates, exact re-ranking.
    texts = [paper_text(p) for p in synthetic.papers]
    scores, best = brute_force(texts, 5)
    found = compare(texts, 5, exact_up_to=0).found
    hits = sum(len({s.index for s in row} & set(best[i])) for i, row in enumerate(found))
    assert hits / (5 * len(texts)) > 0.97
    for i, row in enumerate(found):
        # Whatever was found is scored by its exact TF-IDF cosine, best first.
        assert [s.score for s in row] == sorted((s.score for s in row), reverse=True)
        for item in row:
            assert item.score == pytest.approx(scores[i, item.index], abs=1e-5)


def test_same_result_on_every_run_and_worker_count(synthetic: Catalogue) -> None:
    texts = [paper_text(p) for p in synthetic.papers]
    assert compare(texts, 5, workers=1).found == compare(texts, 5, workers=2).found
    projected = compare(texts, 5, exact_up_to=0, workers=2).found
    assert projected == compare(texts, 5, exact_up_to=0, workers=1).found


def test_never_itself_at_most_five_and_reasons_are_true(synthetic: Catalogue) -> None:
    related = find_related(synthetic.papers, synthetic.vocabulary)
    for paper in synthetic.papers:
        items = related[paper.slug]
        assert 0 < len(items) <= 5
        assert paper.slug not in {r.slug for r in items}
        for item in items:
            other = synthetic.paper(item.slug)
            assert set(item.shared_tags) == set(paper.entry.tags) & set(other.entry.tags)
            for term in item.shared_terms:
                assert term in re.findall(r"\w\w+", clean_text(paper_text(paper)))
                assert term in re.findall(r"\w\w+", clean_text(paper_text(other)))


def test_a_paper_that_shares_no_word_gets_no_related_papers() -> None:
    texts = [
        "kv cache eviction for long contexts",
        "kv cache quantization to four bits",
        "speculative decoding with draft trees",
        "speculative decoding with early exits",
        "diffusion sampling in fewer steps",
        "orchids tulips violets",
    ]
    found = compare(texts, 5).found
    assert found[5] == ()
    assert [s.index for s in found[0]][:1] == [1]
    assert set(found[0][0].shared_terms) == {"kv", "cache"}


def test_tiny_catalogues() -> None:
    assert compare([], 5).found == []
    assert compare(["only one paper"], 5).found == [()]
    assert compare(["same words", "same words"], 5).found == [(), ()]  # no term in < half


def test_seed_examples_are_on_topic() -> None:
    catalogue = load_catalogue(CatalogueSources(Path(__file__).resolve().parent.parent))
    related = catalogue.related
    slug = "h2o-heavy-hitter-oracle-for-efficient-generative-inference-of-large-language"
    # Checked by reading: H2O is about evicting KV-cache entries; so are its neighbours.
    assert {"kv-cache"} <= set.intersection(*(set(r.shared_tags) for r in related[slug]))


def test_a_tiny_vocabulary_takes_the_exact_path() -> None:
    # Past the exact threshold, but with two terms there is nothing to project.
    texts = ["alpha beta", "alpha gamma", "beta gamma", "delta epsilon"] * 3
    found = compare(texts, 2, exact_up_to=0).found
    assert [s.index for s in found[0]][:1] == [4]  # the same text, earliest first


def test_shared_tags_count_and_a_method_tag_counts_more_than_a_modality_tag() -> None:
    texts = [
        "pruning attention heads in encoders",
        "pruning attention heads in decoders",
        "pruning attention heads in vision towers",
        "orchids tulips violets",
        "roses daisies lilies",
        "rivers lakes seas",
        "hills mountains valleys",
    ]
    keys = [
        ("a", ("pruning", "vision")),
        ("b", ("vision",)),  # shares the modality tag
        ("c", ("pruning",)),  # shares the method tag
        ("d", ("pruning",)),  # shares no word, only a tag
        ("e", ("speech",)),
        ("f", ("other",)),
        ("g", ("other",)),
    ]
    weights = {"pruning": 1.0, "other": 1.0, "vision": MODALITY_WEIGHT, "speech": MODALITY_WEIGHT}
    related = related_of(texts, keys, weights, 5)
    # b and c use the same words as a; c does the same thing, b only works on the same data.
    assert [r.slug for r in related["a"]][:2] == ["c", "b"]
    # d shares no word with anyone, but its tag makes a, c related, and says so.
    assert {r.slug for r in related["d"]} == {"a", "c"}
    assert all(r.shared_tags == ("pruning",) and r.shared_terms == () for r in related["d"])
    assert related["e"] == ()  # nothing in common with any paper


def test_tag_features_weigh_rare_tags_more() -> None:
    keys = [("a", ("common", "rare")), ("b", ("common",)), ("c", ("common",))]
    features = tag_features(keys, {}).toarray()
    common, rare = 0, 1  # columns in tag id order
    assert features[0, rare] > features[0, common] > 0
    assert features[1, rare] == 0
