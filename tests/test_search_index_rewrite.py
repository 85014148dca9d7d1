"""Pagefind's index rewritten: a fixed order (issue 3, a byte-identical site), short page ids
and word chunks where a rare word does not travel with a common one (issue 5, a light first
search)."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import cbor2
import pytest

from generator.site.search_index_rewrite import (
    CHUNK_BYTES,
    SIGNATURE,
    SearchIndexFormatError,
    drop_pages,
    read_index_file,
    rewrite_index,
    round_word_count,
)

FILTERS = {
    "tag": {"Quantization": [3, 1, 2], "KV cache": [0, 2], "Pruning & sparsity": [4]},
    "year": {"2024": [0, 1], "2023": [2, 3, 4]},
}
PAGES = 5
HEAVY_CHUNK = [
    ["apple", [[0, [1], []]], []],
    ["apricot", [[1, [2, 7], []], [3, [4], []]], []],
    ["the", [[page, list(range(3000)), []] for page in range(PAGES)], []],
]
"""A word chunk as Pagefind closes it: after the word (here "the") that takes it past its size."""
LIGHT_CHUNK = [["xenon", [[2, [5], []]], []], ["xylem", [[4, [9], []]], []]]


def _write(path: Path, value: object) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(value)))


def _fake_index(folder: Path, seed: int, version: str = "1.5.2", edited: int = -1) -> Path:
    """An index laid out as Pagefind 1.5.2 writes it, its filters in a shuffled order."""
    shuffle = random.Random(seed).shuffle
    for sub in ("filter", "fragment"):
        (folder / sub).mkdir(parents=True)
    table = []
    for number, (name, values) in enumerate(FILTERS.items()):
        pairs = [[value, list(pages)] for value, pages in values.items()]
        shuffle(pairs)
        file_hash = f"en_{seed:03d}{number:04d}"
        _write(folder / "filter" / f"{file_hash}.pf_filter", [name, pairs])
        table.append([name, file_hash])
    shuffle(table)
    pages = []
    for n in range(PAGES):
        page_hash = f"en_{n + 100 * (n == edited):07x}"  # a fragment's name is its content's hash
        (folder / "fragment" / f"{page_hash}.pf_fragment").write_bytes(f"page {n}".encode())
        pages.append([page_hash, 100 + n])
    (folder / "index").mkdir()
    _write(folder / "index" / "en_0000001.pf_index", [HEAVY_CHUNK])
    _write(folder / "index" / "en_0000002.pf_index", [LIGHT_CHUNK])
    chunks = [["a", "the", "en_0000001"], ["x", "xylem", "en_0000002"]]
    meta = [version, pages, chunks, table, [], ["title"]]
    meta_hash = f"en_{seed:010d}"
    _write(folder / f"pagefind.{meta_hash}.pf_meta", meta)
    languages = {"en": {"hash": meta_hash, "wasm": "en", "page_count": PAGES}}
    entry = {"version": version, "languages": languages, "include_characters": ["_"]}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry, separators=(",", ":")))
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _meta(folder: Path) -> list[object]:
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    meta = read_index_file(folder / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert isinstance(meta, list)
    return meta


def test_any_order_gives_the_same_files(tmp_path: Path) -> None:
    results = []
    for seed in (1, 2, 3):
        folder = _fake_index(tmp_path / str(seed), seed)
        rewrite_index(folder)
        results.append(_files(folder))
    assert results[0] == results[1] == results[2]
    assert len([name for name in results[0] if name.startswith("filter/")]) == 2


def test_the_rewritten_index_says_the_same_thing(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=7)
    rewrite_index(folder)
    meta = _meta(folder)
    filters, pages = meta[3], meta[1]
    assert isinstance(filters, list) and isinstance(pages, list)
    assert [name for name, _ in filters] == ["tag", "year"]
    for name, file_hash in filters:
        stored, values = read_index_file(folder / "filter" / f"{file_hash}.pf_filter")
        assert stored == name
        assert [value for value, _ in values] == sorted(FILTERS[name])
        assert {value: pages for value, pages in values} == {
            value: sorted(pages) for value, pages in FILTERS[name].items()
        }
    # Page n keeps its place (filters and word index refer to it by number), its word count
    # (rounded) and its fragment.
    assert [count for _, count in pages] == [100, 100, 104, 104, 104]
    for n, (page_id, _) in enumerate(pages):
        assert (folder / "fragment" / f"{page_id}.pf_fragment").read_bytes() == f"page {n}".encode()
    assert len(list((folder / "fragment").iterdir())) == PAGES
    assert len(list(folder.glob("*.pf_meta"))) == 1  # the old one is gone


def test_page_ids_are_short_and_change_with_any_fragment(tmp_path: Path) -> None:
    one = _fake_index(tmp_path / "one", seed=1)
    two = _fake_index(tmp_path / "two", seed=1, edited=3)
    rewrite_index(one)
    rewrite_index(two)
    ids_one = [page[0] for page in _meta(one)[1]]  # type: ignore[attr-defined]
    ids_two = [page[0] for page in _meta(two)[1]]  # type: ignore[attr-defined]
    tag = ids_one[0].split("-")[0]
    assert ids_one == [f"{tag}-{n}" for n in range(PAGES)]
    # Another fragment: every id changes, so no browser pairs a cached fragment with this index.
    assert set(ids_one).isdisjoint(ids_two)


def _filter_values(folder: Path) -> dict[str, dict[str, list[int]]]:
    return {
        name: dict(read_index_file(folder / "filter" / f"{file_hash}.pf_filter")[1])
        for name, file_hash in _meta(folder)[3]  # type: ignore[attr-defined]
    }


def test_dropped_pages_leave_every_filter_and_become_of_kind_superseded(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=1)
    rewrite_index(folder)
    before = _files(folder)
    # A bundle of papers alone has no kind filter (papers have none): the drop makes one.
    assert "kind" not in _filter_values(folder)
    added = drop_pages(folder, {2, 4})
    filters = _filter_values(folder)
    assert filters["kind"] == {"superseded": [2, 4]}
    assert filters["tag"] == {"KV cache": [0], "Quantization": [1, 3]}  # "Pruning" had only 4
    assert filters["year"] == {"2023": [3], "2024": [0, 1]}
    # Nothing but the entry file (replaced, not written into) changed of what was there: the
    # files may be linked to the last site's. The new ones are those drop_pages names.
    after = _files(folder)
    assert [name for name in before if after[name] != before[name]] == ["pagefind-entry.json"]
    assert set(after) - set(before) == set(added)
    # Dropped again (a site's own page, of kind page, among them): the kind keeps its pages.
    drop_pages(folder, {1})
    assert _filter_values(folder)["kind"] == {"superseded": [1, 2, 4]}


def test_word_counts_keep_five_significant_bits() -> None:
    assert [round_word_count(n) for n in (0, 1, 31, 32, 33, 63, 64, 65, 66, 67)] == [
        0, 1, 31, 32, 34, 64, 64, 64, 68, 68
    ]  # fmt: skip
    assert round_word_count(211) == 208 and round_word_count(213) == 216
    for count in range(1, 100_000):
        rounded = round_word_count(count)
        assert abs(rounded - count) / count <= 1 / 32
    # The point: a table of page lengths compresses to far fewer distinct values.
    assert len({round_word_count(n) for n in range(150, 300)}) == 17


def test_an_unknown_pagefind_version_changes_nothing(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=1, version="9.9.9")
    before = _files(folder)
    with pytest.raises(SearchIndexFormatError, match=r"Pagefind 9\.9\.9"):
        rewrite_index(folder)
    assert _files(folder) == before


def test_a_file_that_is_not_pagefind_s_is_refused(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=1)
    meta = next(folder.glob("*.pf_meta"))
    meta.write_bytes(gzip.compress(b"something else"))
    with pytest.raises(SearchIndexFormatError, match="not a Pagefind index file"):
        rewrite_index(folder)


def test_a_large_word_gets_a_chunk_of_its_own(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=1)
    rewrite_index(folder)
    chunks = _meta(folder)[2]
    assert isinstance(chunks, list)
    assert [chunk[:2] for chunk in chunks] == [
        ["apple", "apricot"],
        ["the", "the"],
        ["xenon", "xylem"],
    ]
    words = [read_index_file(folder / "index" / f"{name}.pf_index") for _, _, name in chunks]
    # The rare words no longer travel with "the"; no word lost or changed.
    assert words == [[HEAVY_CHUNK[:2]], [HEAVY_CHUNK[2:]], [LIGHT_CHUNK]]
    assert len(list((folder / "index").iterdir())) == 3  # Pagefind's chunk files are gone


def test_words_are_cut_into_small_chunks_in_order(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=1)
    many = [[f"w{n:04d}", [[n % PAGES, list(range(n % 50)), []]], []] for n in range(2000)]
    _write(folder / "index" / "en_0000002.pf_index", [many])
    rewrite_index(folder)
    chunks = _meta(folder)[2]
    assert isinstance(chunks, list)
    stored = []
    for _, _, name in chunks:
        path = folder / "index" / f"{name}.pf_index"
        assert len(gzip.decompress(path.read_bytes())) < CHUNK_BYTES + 100 or name == chunks[1][2]
        stored += read_index_file(path)[0]
    assert stored == HEAVY_CHUNK + many
    assert len(chunks) > 2 + len(cbor2.dumps(many)) // CHUNK_BYTES
    # Pagefind's lookup (pagefind_web's request_indexes) finds each word in its own chunk, at
    # once: the fallback that loads every chunk a cut-down range might hold is not needed.
    for *_, name in chunks:
        for word, *_ in read_index_file(folder / "index" / f"{name}.pf_index")[0]:
            assert _chunks_pagefind_loads(word, chunks) == [name], word
    # A prefix of words ("w01": w0100...w0199) loads a chunk holding some of them.
    loaded = _chunks_pagefind_loads("w01", chunks)
    assert loaded
    for name in loaded:
        words = read_index_file(folder / "index" / f"{name}.pf_index")[0]
        assert any(word.startswith("w01") for word, *_ in words)


def _chunks_pagefind_loads(term: str, chunks: list[list[str]]) -> list[str]:
    """The chunks Pagefind 1.5's search loads for `term`: the first whose range holds it, or
    else every one whose range holds it with both cut to the same length."""
    for first, last, name in chunks:
        if first <= term <= last:
            return [name]
    return [
        name
        for first, last, name in chunks
        if term[: len(first)] >= first[: len(term)] and term[: len(last)] <= last[: len(term)]
    ]


def test_words_out_of_order_are_refused(tmp_path: Path) -> None:
    # Chunk ranges are made for words in order, as Pagefind 1.5 writes them.
    folder = _fake_index(tmp_path / "index", seed=1)
    _write(folder / "index" / "en_0000002.pf_index", [[["aardvark", [[0, [1], []]], []]]])
    with pytest.raises(SearchIndexFormatError, match="words out of order"):
        rewrite_index(folder)


def test_a_word_chunk_that_is_not_one_is_refused(tmp_path: Path) -> None:
    folder = _fake_index(tmp_path / "index", seed=1)
    _write(folder / "index" / "en_0000001.pf_index", {"words": []})
    with pytest.raises(SearchIndexFormatError, match="not a Pagefind word chunk"):
        rewrite_index(folder)
