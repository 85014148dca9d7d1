"""A large catalogue publishes catalogue.json, catalogue.csv and its BibTeX files gzipped
(issue 5: at 100,000 papers the JSON and CSV would be ~190 MB each, over GitHub's 100 MB file
limit, and the BibTeX files 150 MB of the site)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from generator import CatalogueSources, RenderSettings, load_catalogue
from generator.render import urls
from generator.render.exports import SiteAddresses, export_files
from generator.render.pages import PageRenderer

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
    large = {name for name in plain if name.endswith((".json", ".csv", ".bib"))}
    large.discard("catalogue.schema.json")
    assert {"catalogue.json", "catalogue.csv", "catalogue.bib"} < large
    assert any(name.startswith("tags/") for name in large)
    for name in large:
        assert name not in packed
        data = packed[f"{name}.gz"]
        assert isinstance(data, bytes)
        assert gzip.decompress(data).decode("utf-8") == plain[name]
    assert set(plain) - large <= set(packed)

    renderer = PageRenderer(catalogue, RenderSettings())
    home = renderer.render_home_summary()
    for name in ("catalogue.json", "catalogue.csv", "catalogue.bib"):
        assert f'href="{name}.gz"' in home and f'href="{name}"' not in home
    tag = catalogue.used_tags[0]
    tag_page = renderer.render_tag_page(tag)
    assert f'href="{tag.id}.bib.gz" download="{tag.id}.bib.gz"' in tag_page
    assert "BibTeX of these papers (gzipped)" in tag_page
