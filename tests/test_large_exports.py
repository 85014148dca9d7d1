"""A large catalogue publishes catalogue.json and catalogue.csv gzipped (issue 5: at 100,000
papers each would be ~190 MB, over GitHub's 100 MB file limit)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from generator import CatalogueSources, RenderSettings, load_catalogue, urls
from generator.exports import SiteAddresses, export_files
from generator.render import PageRenderer

ADDRESSES = SiteAddresses("https://example.org/catalogue/")


def test_small_catalogues_publish_plain_files(repo_root: Path) -> None:
    files = export_files(load_catalogue(CatalogueSources(repo_root)), ADDRESSES, "Site")
    assert "catalogue.json" in files and "catalogue.csv" in files
    assert not any(path.endswith(".gz") for path in files)


def test_large_catalogues_publish_the_same_content_gzipped(
    repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = load_catalogue(CatalogueSources(repo_root))
    plain = export_files(catalogue, ADDRESSES, "Site")
    monkeypatch.setattr(urls, "GZIP_EXPORTS_FROM", len(catalogue.papers))
    packed = export_files(catalogue, ADDRESSES, "Site")
    for name in ("catalogue.json", "catalogue.csv"):
        assert name not in packed
        data = packed[f"{name}.gz"]
        assert isinstance(data, bytes)
        assert gzip.decompress(data).decode("utf-8") == plain[name]
    assert set(plain) - {"catalogue.json", "catalogue.csv"} <= set(packed)

    home = PageRenderer(catalogue, RenderSettings()).render_home_summary()
    assert 'href="catalogue.json.gz"' in home and 'href="catalogue.csv.gz"' in home
    assert 'href="catalogue.json"' not in home
