"""TF-IDF vectors weighed from term counts (`generator/enrich/term_counts.py`) are
scikit-learn's `TfidfVectorizer`'s with the document frequencies rounded (exactly its vectors
while no frequency is past the rounding's start), whether the counts were all made now or
partly taken from a build's record; an edit leaves the other texts' vectors as they were
unless a rounded frequency moved; and a record that is not whole, or not this generator's,
is never used."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from generator.enrich import term_counts
from generator.enrich.related import paper_text
from generator.enrich.term_counts import (
    EXACT_FREQUENCIES,
    TermCounts,
    clean_text,
    count_terms,
    rounded_frequencies,
    weigh,
)
from generator.pipeline import CatalogueSources, load_catalogue
from tests.support import texts_read

VERSION = "this generator"


@pytest.fixture(scope="module")
def seed_texts(repo_root: Path) -> list[str]:
    return [paper_text(p) for p in load_catalogue(CatalogueSources(repo_root)).papers]


def _scikit_learn(texts: list[str]) -> tuple[sparse.csr_matrix, list[str]] | None:
    """scikit-learn's vectors with the catalogue's settings, each document frequency and the
    number of texts rounded as `rounded_frequencies` rounds them before weighing and
    pruning."""
    counter = CountVectorizer(stop_words="english", preprocessor=clean_text, dtype=np.float32)
    try:
        counts = sparse.csr_matrix(counter.fit_transform(texts))
    except ValueError:
        return None
    users = rounded_frequencies(np.asarray((counts > 0).sum(axis=0)).ravel())
    rows = rounded_frequencies(np.asarray([len(texts)]))[0]
    kept = np.flatnonzero((users >= 2) & (users <= 0.5 * rows))
    if 0.5 * rows < 2 or not len(kept):
        return None
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts[:, kept])
    idf = np.full(len(kept), 1 + rows, np.float32) / (1 + users[kept]).astype(np.float32)
    transformer.idf_ = np.log(idf) + np.float32(1)
    matrix = sparse.csr_matrix(transformer.transform(counts[:, kept]), dtype=np.float32)
    matrix.sort_indices()
    return matrix, list(counter.get_feature_names_out()[kept])


def _unrounded(texts: list[str]) -> tuple[sparse.csr_matrix, list[str]] | None:
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
    # Up to `EXACT_FREQUENCIES` texts nothing is rounded: scikit-learn's own vectors. Few
    # texts, no shared term, only stop words: scikit-learn has no vectors, nor do we.
    for texts in (
        seed_texts[:EXACT_FREQUENCIES],
        seed_texts[:2],
        seed_texts[:3],
        ["alpha beta", "gamma delta", "epsilon zeta", "eta theta"],
        ["the of and", "it is was", "and the", "of is"],
        [],
    ):
        _same_vectors(weigh(count_terms(texts)), _unrounded(texts))


def test_frequencies_are_exact_and_then_rounded_to_steps() -> None:
    counts = np.arange(0, 5000)
    rounded = rounded_frequencies(counts)
    assert (rounded[: EXACT_FREQUENCIES + 1] == counts[: EXACT_FREQUENCIES + 1]).all()
    assert (np.diff(rounded) >= 0).all()  # more texts never weigh as fewer
    large = counts > EXACT_FREQUENCIES
    assert (np.abs(rounded[large] / counts[large] - 1) <= 2 ** (1 / 16) - 1).all()
    # Eight steps a doubling: from 1,000 to 2,000 texts, eight or nine rounded values.
    assert len(set(rounded[1000:2000])) in (8, 9)


def test_an_edit_moves_no_other_vector_unless_a_rounded_frequency_moved(
    seed_texts: list[str],
) -> None:
    """Adding a word many texts use, or removing one, changes the other texts' vectors only
    when its rounded frequency changes; the check then finds the texts that moved."""
    before = weigh(count_terms(seed_texts))
    assert before is not None
    users = np.asarray((before[0] > 0).sum(axis=0)).ravel()
    column = {term: n for n, term in enumerate(before[1])}
    kept_steps, moved_steps = 0, 0
    for term in (t for t in before[1] if users[column[t]] > EXACT_FREQUENCIES):
        editing = next(n for n, text in enumerate(seed_texts) if term not in clean_text(text))
        texts = list(seed_texts)
        texts[editing] += f" {term}"
        after = weigh(count_terms(texts))
        assert after is not None and after[1] == before[1]
        untouched = [
            n for n in range(len(texts)) if n != editing and (after[0][n] != before[0][n]).nnz == 0
        ]
        step_moved = (
            rounded_frequencies(np.asarray([users[column[term]] + 1]))[0]
            != (rounded_frequencies(np.asarray([users[column[term]]]))[0])
        )
        if step_moved:
            moved_steps += 1
            users_of_term = {n for n in range(len(texts)) if before[0][n, column[term]] > 0}
            assert set(range(len(texts))) - set(untouched) - {editing} == users_of_term
        else:
            kept_steps += 1
            assert len(untouched) == len(texts) - 1
    assert kept_steps and moved_steps  # both cases happen among the seed's common words


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
