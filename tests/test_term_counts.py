"""TF-IDF vectors weighed from term counts (`generator/enrich/term_counts.py`) are
scikit-learn's `TfidfVectorizer`'s, whether the counts were all made now or partly taken from
a build's record, and a record that is not whole, or not this generator's, is never used."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from generator.enrich import term_counts
from generator.enrich.related import paper_text
from generator.enrich.term_counts import TermCounts, clean_text, count_terms, weigh
from generator.pipeline import CatalogueSources, load_catalogue
from tests.support import texts_read

VERSION = "this generator"


@pytest.fixture(scope="module")
def seed_texts(repo_root: Path) -> list[str]:
    return [paper_text(p) for p in load_catalogue(CatalogueSources(repo_root)).papers]


def _scikit_learn(texts: list[str]) -> tuple[sparse.csr_matrix, list[str]] | None:
    vectorizer = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        min_df=2,
        max_df=0.5,
        preprocessor=clean_text,
        dtype=np.float32,
    )
    try:
        matrix = sparse.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:
        return None
    matrix.sort_indices()  # scikit-learn leaves each row's columns in the order first seen
    return matrix, list(vectorizer.get_feature_names_out())


def _same_vectors(ours: term_counts.Vectors, theirs: term_counts.Vectors) -> None:
    assert (ours is None) == (theirs is None)
    if ours is None or theirs is None:
        return
    assert ours[1] == theirs[1]
    assert ours[0].dtype == np.float32 and ours[0].shape == theirs[0].shape
    assert (ours[0] != theirs[0]).nnz == 0


def test_weighed_counts_are_scikit_learns_vectors(seed_texts: list[str]) -> None:
    _same_vectors(weigh(count_terms(seed_texts)), _scikit_learn(seed_texts))
    # Few texts, no shared term, only stop words: scikit-learn has no vectors, nor do we.
    for texts in (
        seed_texts[:2],
        seed_texts[:3],
        ["alpha beta", "gamma delta", "epsilon zeta", "eta theta"],
        ["the of and", "it is was", "and the", "of is"],
        [],
    ):
        _same_vectors(weigh(count_terms(texts)), _scikit_learn(texts))


def test_counts_taken_from_a_record_weigh_as_counts_made_now(
    seed_texts: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "terms.npz"
    count_terms(seed_texts).save(record, VERSION)
    # An edit, a paper removed, a paper added, and one text twice.
    texts = list(seed_texts)
    texts[4] += " Speculative decoding with quantized drafts."
    del texts[9]
    texts.append("A new paper on pruning attention heads, written with sparsity in mind.")
    texts.append(texts[0])
    read = texts_read(monkeypatch)

    known = TermCounts.load(record, VERSION)
    assert known is not None
    counts = count_terms(texts, known)
    assert read == [texts[4], texts[-2]]
    _same_vectors(weigh(counts), _scikit_learn(texts))

    # The removed paper's terms that no other text uses are not kept for ever.
    removed_only = set(count_terms([seed_texts[9]]).terms) - set(count_terms(texts).terms)
    assert removed_only and not removed_only & set(counts.terms)


def test_a_record_of_another_generator_or_not_whole_is_not_used(
    seed_texts: list[str], tmp_path: Path
) -> None:
    record = tmp_path / "terms.npz"
    counts = count_terms(seed_texts)
    counts.save(record, VERSION)
    loaded = TermCounts.load(record, VERSION)
    assert loaded is not None
    assert loaded.digests == counts.digests and loaded.terms == counts.terms
    assert (loaded.matrix != counts.matrix).nnz == 0
    assert TermCounts.load(record, "another generator") is None
    assert TermCounts.load(tmp_path / "missing.npz", VERSION) is None

    whole = record.read_bytes()
    record.write_bytes(whole[: len(whole) // 2])
    assert TermCounts.load(record, VERSION) is None
    record.write_bytes(b"not a record")
    assert TermCounts.load(record, VERSION) is None
    with record.open("wb") as file:
        np.save(file, np.arange(3))  # one array, not a record's parts
    assert TermCounts.load(record, VERSION) is None

    def tampered(**change: np.ndarray) -> TermCounts | None:
        parts = {
            "version": np.frombuffer(VERSION.encode(), np.uint8),
            "digests": np.frombuffer(b"".join(counts.digests), np.uint8),
            "indptr": counts.matrix.indptr.astype(np.int64),
            "indices": counts.matrix.indices.astype(np.int32),
            "counts": counts.matrix.data.astype(np.int32),
            "terms": np.frombuffer("\n".join(counts.terms).encode(), np.uint8),
        }
        with record.open("wb") as file:
            np.savez(file, **(parts | change))
        return TermCounts.load(record, VERSION)

    assert tampered() is not None  # the parts as `save` writes them
    indices, data = counts.matrix.indices.astype(np.int32), counts.matrix.data.astype(np.int32)
    too_far = indices.copy()
    too_far[0] = len(counts.terms)
    negative = data.copy()
    negative[0] = -3
    twice = indices.copy()
    twice[1] = twice[0]
    for change in (
        {"indices": too_far},
        {"counts": negative},
        {"indices": twice},
        {"counts": data[:-1]},
        {"digests": np.zeros(5, np.uint8)},
        {"indptr": counts.matrix.indptr.astype(np.int32)},
        {"terms": np.frombuffer("\n".join(counts.terms[:-1]).encode(), np.uint8)},
        {"terms": np.frombuffer(b"\xff\xfe", np.uint8)},
    ):
        assert tampered(**change) is None, change
