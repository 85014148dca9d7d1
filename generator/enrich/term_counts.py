"""Enrich: how often each text uses each term, counted once per text, then weighed into the
TF-IDF vectors that related papers and the map compare (`similarity.vectorize`).

TF-IDF is two steps: count each text's terms, then weigh every count by how many texts use
the term. Counting reads every character of every text and is most of the work; weighing
reads only the counts. A text's counts depend on that text alone, so a one-off build records
them beside the site (`TermCounts.save`) and the next build takes the counts of every text it
counted before (`count_terms(texts, known)`) and reads only the texts that are new or edited.
Weighing always runs over all the counts, as it must: an edit moves the weight of its terms
in every text that uses them. A build with a record and one without give the same counts,
and so the same vectors, because both weigh with `weigh`.

The settings are scikit-learn's `TfidfVectorizer(stop_words="english", sublinear_tf=True,
min_df=2, max_df=0.5, preprocessor=clean_text)`: its analyzer reads the texts, its
`TfidfTransformer` weighs, and terms are pruned and ordered as it prunes and orders them,
with one difference: the number of texts and each term's number of texts are rounded
(`rounded_frequencies`) before they weigh or prune. Unrounded, one edit that adds or removes
a word other texts use moves that word's weight, and so the vector, of every text that uses
it, and every one of them would have to be compared again; rounded, the weights almost always
stay, and only the edited text's vector moves (`neighbours`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from generator.enrich.array_record import load_arrays, save_arrays

MIN_DF = 2
"""A term in one text cannot make two texts similar."""
MAX_DF = 0.5
"""A term in most texts ("model", "inference" in this catalogue) says little about which
are alike."""
DIGEST_SIZE = 16
EXACT_FREQUENCIES = 32
"""Frequencies up to this are exact (a rare word's weight is most of what it says)."""
STEPS_PER_DOUBLING = 8
"""Beyond `EXACT_FREQUENCIES`, frequencies are rounded to 8 steps a doubling (9% apart)."""

Vectors = tuple[sparse.csr_matrix, list[str]] | None
"""The L2-normalised TF-IDF vectors (a row per text) and the term of each column, or None
when no term is left once pruned (scikit-learn's "no terms remain")."""

_MATH_MARKS_RE = re.compile(r"[$_^{}]")
"""Removed, so that `H$_2$O` reads as the word "h2o"."""
_NOISE_RE = re.compile(r"\\[A-Za-z]*|\b\d[\d.,]*\b")
"""TeX commands (`\\eg`, `\\mathbb`) and bare numbers ("34.7", "2024"): no topic in them."""


def clean_text(text: str) -> str:
    """Text as the vectorizer reads it: lowercase, without TeX marks, commands or numbers."""
    return _NOISE_RE.sub(" ", _MATH_MARKS_RE.sub("", text.lower()))


@dataclass(frozen=True)
class TermCounts:
    """How often each text uses each term, before any pruning or weighing."""

    digests: tuple[bytes, ...]
    """Per row, the digest of the text counted (`text_digest`)."""
    matrix: sparse.csr_matrix
    """A row per text, a column per term; int32 counts, indices sorted."""
    terms: tuple[str, ...]
    """The term of each column; every column is used by some row."""

    def save(self, path: Path, version: str) -> None:
        """Record the counts in `path` for builds of generator `version` (`array_record`)."""
        save_arrays(
            path,
            version,
            {
                "digests": np.frombuffer(b"".join(self.digests), np.uint8),
                "indptr": self.matrix.indptr.astype(np.int64),
                "indices": self.matrix.indices.astype(np.int32),
                "counts": self.matrix.data.astype(np.int32),
                "terms": np.frombuffer("\n".join(self.terms).encode(), np.uint8),
            },
        )

    @classmethod
    def load(cls, path: Path, version: str) -> TermCounts | None:
        """The counts `save` recorded in `path` for generator `version`; None if there are
        none, they are of another version, or they are not whole and consistent."""
        return load_arrays(path, version, _TYPES, _checked)


_TYPES: dict[str, type[np.generic]] = {
    "digests": np.uint8,
    "indptr": np.int64,
    "indices": np.int32,
    "counts": np.int32,
    "terms": np.uint8,
}


def _checked(arrays: dict[str, Any]) -> TermCounts:
    """The counts in `arrays`; ValueError unless every part has the shape `save` gives it."""
    if any(array.ndim != 1 for array in arrays.values()):
        raise ValueError("a part is not a flat array")
    digests, indptr = arrays["digests"], arrays["indptr"]
    indices, counts = arrays["indices"], arrays["counts"]
    terms = tuple(arrays["terms"].tobytes().decode().split("\n")) if arrays["terms"].size else ()
    rows = len(indptr) - 1
    if rows < 0 or len(digests) != rows * DIGEST_SIZE or len(set(terms)) != len(terms):
        raise ValueError("rows, digests and terms do not agree")
    if indptr[0] != 0 or indptr[-1] != len(indices) or len(counts) != len(indices):
        raise ValueError("the rows do not cover the counts")
    if (np.diff(indptr) < 0).any() or (counts <= 0).any():
        raise ValueError("a row or a count is negative")
    if len(indices) and (indices.min() < 0 or indices.max() >= len(terms)):
        raise ValueError("a count is of no term")
    matrix = sparse.csr_matrix((counts, indices, indptr), shape=(rows, len(terms)))
    if not matrix.has_sorted_indices or not matrix.has_canonical_format:
        raise ValueError("a row counts a term twice")
    whole = digests.tobytes()
    return TermCounts(
        tuple(whole[i : i + DIGEST_SIZE] for i in range(0, len(whole), DIGEST_SIZE)),
        matrix,
        terms,
    )


def text_digest(text: str) -> bytes:
    """What a text's recorded counts are found by."""
    return hashlib.blake2b(text.encode(), digest_size=DIGEST_SIZE).digest()


@functools.cache
def _analyzer() -> Callable[[str], list[str]]:
    """scikit-learn's word analyzer with the catalogue's settings: the terms of one text."""
    # Imported where it is used: importing scikit-learn is most of the time of a command
    # that never compares papers (`catalogue check` in a contributor's hook).
    from sklearn.feature_extraction.text import CountVectorizer

    analyze: Callable[[str], list[str]] = CountVectorizer(
        stop_words="english", preprocessor=clean_text
    ).build_analyzer()
    return analyze


def count_terms(texts: Sequence[str], known: TermCounts | None = None) -> TermCounts:
    """The term counts of `texts`, in their order: a text `known` counted already (same
    digest) is not read again."""
    digests = tuple(text_digest(text) for text in texts)
    columns = {term: column for column, term in enumerate(known.terms)} if known else {}
    known_rows = {digest: row for row, digest in enumerate(known.digests)} if known else {}
    known_count = len(known.digests) if known else 0
    analyze = _analyzer()
    # Each text's row among the known rows followed by the rows counted now.
    taken = np.empty(len(texts), np.int64)
    indices: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for position, (text, digest) in enumerate(zip(texts, digests, strict=True)):
        row = known_rows.get(digest)
        if row is None:
            row = known_count + len(indptr) - 1
            counted = Counter(analyze(text))
            indices.extend(columns.setdefault(term, len(columns)) for term in counted)
            counts.extend(counted.values())
            indptr.append(len(indices))
        taken[position] = row
    width = len(columns)
    new = sparse.csr_matrix(
        (np.asarray(counts, np.int32), np.asarray(indices, np.int32), np.asarray(indptr, np.int64)),
        shape=(len(indptr) - 1, width),
    )
    old = (
        sparse.csr_matrix((known.matrix.data, known.matrix.indices, known.matrix.indptr),
                          shape=(known_count, width))
        if known else sparse.csr_matrix(np.zeros((0, width), np.int32))
    )  # fmt: skip
    matrix = sparse.csr_matrix(sparse.vstack([old, new], format="csr")[taken], dtype=np.int32)
    # Terms only texts no longer here used are dropped, so the record does not grow forever.
    used = np.flatnonzero(np.bincount(matrix.indices, minlength=width))
    terms = list(columns)
    if len(used) < width:
        renumbered = np.full(width, -1, np.int32)
        renumbered[used] = np.arange(len(used), dtype=np.int32)
        matrix = sparse.csr_matrix(
            (matrix.data, renumbered[matrix.indices], matrix.indptr), shape=(len(texts), len(used))
        )
        terms = [terms[column] for column in used]
    matrix.sort_indices()
    return TermCounts(digests, matrix, tuple(terms))


def weigh(counts: TermCounts) -> Vectors:
    """The TF-IDF vectors of the counted texts and the term of each column: terms used by
    fewer than `MIN_DF` or more than `MAX_DF` of the texts pruned, the others in the order
    of their names, each text's vector L2-normalised. None if no term is left."""
    from sklearn.feature_extraction.text import TfidfTransformer  # see `_analyzer`

    rows = counts.matrix.shape[0]
    texts = float(rounded_frequencies(np.asarray([rows]))[0])
    most = MAX_DF * texts
    if not counts.terms or most < MIN_DF:  # scikit-learn refuses these too
        return None
    users = rounded_frequencies(np.bincount(counts.matrix.indices, minlength=len(counts.terms)))
    kept = np.flatnonzero((users >= MIN_DF) & (users <= most))
    if not len(kept):
        return None
    ordered = sorted(kept.tolist(), key=counts.terms.__getitem__)
    column_of = np.full(len(counts.terms), -1, np.int32)
    column_of[ordered] = np.arange(len(ordered), dtype=np.int32)
    columns = column_of[counts.matrix.indices]
    keep = columns >= 0
    row_of = np.repeat(np.arange(rows), np.diff(counts.matrix.indptr))
    indptr = np.zeros(rows + 1, np.int64)
    np.cumsum(np.bincount(row_of[keep], minlength=rows), out=indptr[1:])
    pruned = sparse.csr_matrix(
        (counts.matrix.data[keep].astype(np.float32), columns[keep], indptr),
        shape=(rows, len(ordered)),
    )
    pruned.sort_indices()
    transformer = TfidfTransformer(sublinear_tf=True).fit(pruned)
    # scikit-learn's smoothed inverse document frequency (in its steps and float32, as it
    # computes it for float32 counts), of the rounded frequencies.
    idf = np.full(len(ordered), 1 + texts, np.float32)
    idf /= (1 + users[ordered]).astype(np.float32)
    np.log(idf, out=idf)
    transformer.idf_ = idf + np.float32(1)
    weighted = transformer.transform(pruned)
    return sparse.csr_matrix(weighted, dtype=np.float32), [counts.terms[i] for i in ordered]


def rounded_frequencies(counts: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """How many texts (or how many texts use a term) as the weights read it: exact up to
    `EXACT_FREQUENCIES`, then rounded to the nearest of `STEPS_PER_DOUBLING` steps a
    doubling. A count moves to another step only when it crosses the middle between two, so
    an edit, an addition or a removal leaves almost every rounded count, and so every weight,
    as it was; a weight moves by at most about 0.05 (its logarithm's share of a half step)."""
    values = np.asarray(counts, np.float64)
    rounded = values.copy()
    large = values > EXACT_FREQUENCIES
    steps = np.rint(STEPS_PER_DOUBLING * np.log2(values[large] / EXACT_FREQUENCIES))
    rounded[large] = EXACT_FREQUENCIES * np.exp2(steps / STEPS_PER_DOUBLING)
    return rounded
