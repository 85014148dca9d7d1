"""Pagefind's filter index, put in a fixed order (issue 3: a byte-identical site)."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import cbor2
import pytest

from generator.search_index_order import (
    SIGNATURE,
    SearchIndexFormatError,
    put_in_order,
    read_index_file,
)

FILTERS = {
    "tag": {"Quantization": [3, 1, 2], "KV cache": [0, 2], "Pruning & sparsity": [4]},
    "year": {"2024": [0, 1], "2023": [2, 3, 4]},
}


def _write(path: Path, value: object) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(value)))


def _fake_index(folder: Path, seed: int, version: str = "1.5.2") -> Path:
    """An index laid out as Pagefind 1.5.2 writes it, its filters in a shuffled order."""
    shuffle = random.Random(seed).shuffle
    (folder / "filter").mkdir(parents=True)
    table = []
    for number, (name, values) in enumerate(FILTERS.items()):
        pairs = [[value, list(pages)] for value, pages in values.items()]
        shuffle(pairs)
        file_hash = f"en_{seed:03d}{number:04d}"
        _write(folder / "filter" / f"{file_hash}.pf_filter", [name, pairs])
        table.append([name, file_hash])
    shuffle(table)
    pages = [[f"en_{n:07x}", 100 + n] for n in range(5)]
    meta = [version, pages, [["a", "z", "en_0000001"]], table, [], ["title"]]
    meta_hash = f"en_{seed:010d}"
    _write(folder / f"pagefind.{meta_hash}.pf_meta", meta)
    languages = {"en": {"hash": meta_hash, "wasm": "en", "page_count": 5}}
    entry = {"version": version, "languages": languages, "include_characters": ["_"]}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry, separators=(",", ":")))
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_any_order_gives_the_same_files(tmp_path: Path) -> None:
    results = []
    for seed in (1, 2, 3):
        folder = _fake_index(tmp_path / str(seed), seed)
        put_in_order(folder)
        results.append(_files(folder))
    assert results[0] == results[1] == results[2]
    assert len([name for name in results[0] if name.startswith("filter/")]) == 2


def test_the_rewritten_index_says_the_same_thing(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=7)
    put_in_order(folder)
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    meta = read_index_file(folder / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert [name for name, _ in meta[3]] == ["tag", "year"]
    assert meta[1] == [[f"en_{n:07x}", 100 + n] for n in range(5)]  # pages untouched
    for name, file_hash in meta[3]:
        stored, values = read_index_file(folder / "filter" / f"{file_hash}.pf_filter")
        assert stored == name
        assert [value for value, _ in values] == sorted(FILTERS[name])
        assert {value: pages for value, pages in values} == {
            value: sorted(pages) for value, pages in FILTERS[name].items()
        }
    assert len(list(folder.glob("*.pf_meta"))) == 1  # the old one is gone


def test_an_unknown_pagefind_version_changes_nothing(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=1, version="9.9.9")
    before = _files(folder)
    with pytest.raises(SearchIndexFormatError, match=r"Pagefind 9\.9\.9"):
        put_in_order(folder)
    assert _files(folder) == before


def test_a_file_that_is_not_pagefind_s_is_refused(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=1)
    meta = next(folder.glob("*.pf_meta"))
    meta.write_bytes(gzip.compress(b"something else"))
    with pytest.raises(SearchIndexFormatError, match="not a Pagefind index file"):
        put_in_order(folder)
