"""Related papers worked out from what an earlier build kept (`generator/enrich/neighbours.py`)
are exactly those a build from nothing finds, after every kind of edit, and only the papers
an edit reached are compared again; a kept record that is not whole, or not this
generator's, is never used."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from generator import CatalogueSources, load_catalogue
from generator.enrich import neighbours
from generator.enrich.catalogue import Catalogue
from generator.enrich.neighbours import Kept
from generator.enrich.projection import sample_positions
from generator.enrich.related import (
    PaperKey,
    compare_related,
    paper_key,
    paper_text,
    previous_from_json,
    related_to_json,
    tag_weights,
)
from generator.enrich.similarity import Compared, Previous
from generator.enrich.term_counts import rounded_frequencies
from tests.benchmarks.synthetic import synthesize_catalogue

SAMPLE = 64
"""The projection's sample, small so that most papers are outside it."""
VERSION = "this generator"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    root = synthesize_catalogue(tmp_path_factory.mktemp("neighbours"), 600, seed=11)
    return load_catalogue(CatalogueSources(root))


Papers = tuple[list[str], list[PaperKey]]


def _compared(catalogue: Catalogue, papers: Papers, previous: Previous | None = None) -> Any:
    texts, keys = papers
    return compare_related(
        texts,
        keys,
        tag_weights(catalogue.vocabulary),
        previous=previous,
        exact_up_to=0,
        sample_size=SAMPLE,
    )


def _kept(compared: Compared) -> Previous:
    assert compared.kept is not None
    return Previous(compared.kept, compared.found)


def _outside_sample(keys: list[PaperKey]) -> list[int]:
    sample = set(sample_positions([slug for slug, _ in keys], SAMPLE).tolist())
    return [n for n in range(len(keys)) if n not in sample]


def test_every_edit_gives_what_a_build_from_nothing_gives(
    synthetic: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    # However many papers moved, work from what was kept (a build compares every paper
    # again past a share of them, which a removal reaches in a catalogue this small).
    monkeypatch.setattr(neighbours, "REBUILD_SHARE", 1.0)
    texts = [paper_text(p) for p in synthetic.papers]
    keys = [paper_key(p) for p in synthetic.papers]
    _, compared = _compared(synthetic, (texts, keys))
    assert compared.worked_out == len(texts)
    previous = _kept(compared)
    outside = _outside_sample(keys)
    common = next(w for w in texts[outside[1]].split() if len(w) > 7)

    edits: list[tuple[str, list[str], list[PaperKey]]] = []
    # A word another paper uses, added to a title and abstract.
    changed = list(texts)
    changed[outside[0]] = f"{texts[outside[0]]} {common} {common}"
    edits.append(("shared word", changed, keys))
    # A paper's tags changed (to tags whose rounded frequencies stay: when one moves, every
    # paper with that tag moves too, and is compared again).
    retagged = list(keys)
    slug, tags = keys[outside[2]]
    users = Counter(t for _, ts in keys for t in set(ts))

    def steady(tag: str, change: int) -> bool:
        counts = np.asarray([users[tag], users[tag] + change])
        return bool(np.ptp(rounded_frequencies(counts)) == 0)

    dropped = next(t for t in tags[1:] if steady(t, -1))
    added = next(t for t in sorted(set(users) - set(tags)) if steady(t, +1))
    retagged[outside[2]] = (slug, (*(t for t in tags if t != dropped), added))
    edits.append(("tags", texts, retagged))
    # A paper removed, and a paper added. Every word of the paper is used by one paper
    # fewer or more, so every paper using one of its rarer words moves too (frequencies up to
    # `EXACT_FREQUENCIES` are exact): many in a catalogue this small.
    gone = outside[3]
    edits.append(("removed", texts[:gone] + texts[gone + 1 :], keys[:gone] + keys[gone + 1 :]))
    edits.append(
        ("added", [*texts, f"{texts[outside[4]]} {common}"], [*keys, ("zz-new-paper", tags)])
    )
    # Nothing changed.
    edits.append(("nothing", texts, keys))

    for name, edited_texts, edited_keys in edits:
        fresh_related, fresh = _compared(synthetic, (edited_texts, edited_keys))
        kept_related, kept = _compared(synthetic, (edited_texts, edited_keys), previous)
        assert kept_related == fresh_related, name
        assert kept.found == fresh.found, name
        assert kept.kept is not None and fresh.kept is not None
        assert (kept.kept.best == fresh.kept.best).all(), name
        assert (kept.kept.scores == fresh.kept.scores).all(), name
        # Only what the edit reached was worked out again (the papers that moved and those
        # that have one among their 48 candidates: a large share of 600 papers), and few
        # papers were compared with every paper (those whose vectors moved, a few whose
        # candidates fell).
        if name not in ("removed", "added"):
            assert kept.worked_out < len(edited_texts) // 2, name
            assert kept.queried < len(edited_texts) // 20, name
        if name == "nothing":
            assert kept.worked_out == kept.queried == 0

    # Edits one after another, each from what the last kept.
    chain = previous
    current = list(texts)
    for step, row in enumerate(outside[5:12]):
        current[row] = f"{current[row]} {common} step{step}"
        fresh_related, fresh = _compared(synthetic, (current, keys))
        kept_related, kept = _compared(synthetic, (current, keys), chain)
        assert kept_related == fresh_related and kept.found == fresh.found
        chain = _kept(kept)


def test_an_edit_in_the_sample_compares_every_paper_again(synthetic: Catalogue) -> None:
    texts = [paper_text(p) for p in synthetic.papers]
    keys = [paper_key(p) for p in synthetic.papers]
    _, compared = _compared(synthetic, (texts, keys))
    in_sample = int(sample_positions([slug for slug, _ in keys], SAMPLE)[0])
    changed = list(texts)
    changed[in_sample] += " quantization"
    fresh_related, _ = _compared(synthetic, (changed, keys))
    kept_related, kept = _compared(synthetic, (changed, keys), _kept(compared))
    assert kept_related == fresh_related
    assert kept.worked_out == kept.queried == len(texts)


def test_a_kept_record_is_used_only_whole_and_of_this_generator(
    synthetic: Catalogue, tmp_path: Path
) -> None:
    texts = [paper_text(p) for p in synthetic.papers]
    keys = [paper_key(p) for p in synthetic.papers]
    related, compared = _compared(synthetic, (texts, keys))
    assert compared.kept is not None
    path = tmp_path / "candidates.npz"
    compared.kept.save(path, VERSION)
    loaded = Kept.load(path, VERSION)
    assert loaded is not None and loaded.keys == compared.kept.keys
    assert (loaded.best == compared.kept.best).all()
    assert (loaded.scores == compared.kept.scores).all()
    assert (loaded.digests == compared.kept.digests).all()
    assert loaded.basis == compared.kept.basis
    # What was recorded beside it, read back, is what was found.
    assert previous_from_json(loaded, related_to_json(related)).found == compared.found

    assert Kept.load(path, "another generator") is None
    assert Kept.load(tmp_path / "missing.npz", VERSION) is None
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    assert Kept.load(path, VERSION) is None
    path.write_bytes(b"not a record")
    assert Kept.load(path, VERSION) is None

    kept = compared.kept
    rows = len(kept.keys)
    for change in (
        {"best": np.full_like(kept.best, rows)},  # a candidate of no row
        {"best": np.tile(np.arange(rows)[:, None], (1, kept.best.shape[1]))},  # itself
        {"scores": kept.scores[:-1]},
        {"digests": kept.digests[:-1]},
        {"keys": (*kept.keys[:-1], kept.keys[0])},  # a key twice
    ):
        Kept(**{**kept.__dict__, **change}).save(path, VERSION)
        assert Kept.load(path, VERSION) is None, list(change)

    # Related papers recorded for other papers are refused.
    with pytest.raises((ValueError, KeyError)):
        previous_from_json(kept, {slug: [] for slug in kept.keys[:-1]})
    with pytest.raises(ValueError):
        previous_from_json(kept, {slug: [["not-a-paper", 0.5, [], []]] for slug in kept.keys})
