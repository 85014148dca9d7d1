"""Reproducible output: the same entries, in any order and with any file times, give
byte-identical generated Markdown and, with SOURCE_DATE_EPOCH set, a byte-identical site."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import (
    CatalogueSources,
    LoadedEntry,
    RenderSettings,
    Vocabulary,
    build_catalogue,
    generate_pages,
    load_entries,
    load_vocabulary,
    render_pages,
    validate_entries,
)
from tests.support import build_site, copy_catalogue, snapshot

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`


EPOCH = 1_700_000_000  # 2023-11-14


@pytest.fixture(scope="module")
def seed_input(repo_root: Path) -> tuple[list[LoadedEntry], Vocabulary, dict[str, str]]:
    sources = CatalogueSources(repo_root)
    vocabulary, problems = load_vocabulary(sources.vocabulary_path, sources.vocabulary_file)
    loaded, load_problems = load_entries(sources.papers_path, sources.root)
    assert vocabulary is not None and not problems + load_problems
    pages = generate_pages(sources, RenderSettings())
    return loaded, vocabulary, pages


@settings(max_examples=8, deadline=None)
@given(order=st.randoms(use_true_random=False))
def test_entries_in_any_order_give_the_same_pages(
    seed_input: tuple[list[LoadedEntry], Vocabulary, dict[str, str]], order: random.Random
) -> None:
    loaded, vocabulary, expected = seed_input
    shuffled = list(loaded)
    order.shuffle(shuffled)
    papers, problems = validate_entries(shuffled, vocabulary)
    assert problems == []
    pages = render_pages(build_catalogue(papers, vocabulary), RenderSettings())
    assert list(pages) == list(expected)  # the same pages, in the same order
    assert pages == expected


def _copy_scrambled(repo_root: Path, target: Path, seed: int) -> Path:
    """The catalogue copied with its entries created in a shuffled order and random times."""
    copy_catalogue(repo_root, target, papers=False)
    entries = sorted((repo_root / "papers").iterdir())
    scramble = random.Random(seed)
    scramble.shuffle(entries)
    (target / "papers").mkdir()
    for entry in entries:
        copy = target / "papers" / entry.name
        copy.write_bytes(entry.read_bytes())
        moment = scramble.randrange(0, 2_000_000_000)
        os.utime(copy, (moment, moment))
    for file in target.rglob("*.md"):
        moment = scramble.randrange(0, 2_000_000_000)
        os.utime(file, (moment, moment))
    return target


def test_file_order_times_and_location_change_no_generated_page(
    repo_root: Path, tmp_path: Path
) -> None:
    first = _copy_scrambled(repo_root, tmp_path / "first", seed=1)
    second = _copy_scrambled(repo_root, tmp_path / "elsewhere" / "second", seed=2)
    settings_ = RenderSettings(edit_url_base="https://example.org/edit/main/")
    pages = generate_pages(CatalogueSources(first), settings_)
    assert pages == generate_pages(CatalogueSources(second), settings_)
    assert pages == generate_pages(CatalogueSources(repo_root), settings_)


def test_site_is_byte_identical_with_source_date_epoch(
    repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first = _copy_scrambled(repo_root, tmp_path / "first", seed=3)
    second = _copy_scrambled(repo_root, tmp_path / "nested" / "second", seed=4)
    build_site(first / "mkdocs.yml", first / "site")
    build_site(second / "mkdocs.yml", tmp_path / "other-site-name")
    one, two = snapshot(first / "site"), snapshot(tmp_path / "other-site-name")

    # Pagefind 1.5.2 alone writes its filter index in a varying order; the build puts it in
    # order (generator/site/search_index_rewrite.py), so its files are compared like any other.
    assert any(path.startswith("pagefind/filter/") for path in one)
    assert sorted(one) == sorted(two)
    differing = [path for path in one if one[path] != two[path]]
    assert differing == []
    # The sitemaps' dates come from SOURCE_DATE_EPOCH, not from the clock or the files.
    day = dt.datetime.fromtimestamp(EPOCH, dt.UTC).date().isoformat()
    sitemap = one["sitemap-pages.xml"].decode() + one["sitemap-generated-1.xml"].decode()
    assert sitemap.count("<lastmod>") == sitemap.count(f"<lastmod>{day}</lastmod>") > 100
    assert gzip.decompress(one["sitemap.xml.gz"]) == one["sitemap.xml"]
    assert "pagefind/pagefind.js" in one
