"""What a one-off build still holds when Pagefind's indexer starts beside it: not the
downloads MkDocs has written, nor the caches of titles, abstracts, names and slugs (figures,
at 30,000 and 100,000 papers, are in tests/benchmarks/RESULTS.md). A real in-process
`mkdocs build`; the plugin's `index_search` is wrapped only to look at the build then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from generator.model import names, paper, text
from generator.plugin import CataloguePlugin
from generator.render.exports import members
from generator.site.generated_file import GeneratedFile
from tests.support import small_catalogue

pytestmark = pytest.mark.slow  # a real build: left out of `make test-quick`

ENTRIES: dict[str, dict[str, object]] = {
    slug: {
        "title": f"Paper {slug.upper()} with $x^2$",
        "abstract": f"The abstract of paper {slug}. It has two sentences.",
        "tags": ["llm", "quantization"],
    }
    for slug in ("alpha", "beta", "gamma")
}


def test_a_one_off_build_lets_go_of_downloads_and_text_caches_before_indexing(
    tmp_path: Path, repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_catalogue(repo_root, tmp_path / "catalogue", ENTRIES)
    seen: dict[str, Any] = {}
    on_files, index_search = CataloguePlugin.on_files, CataloguePlugin.index_search

    def keep_files(self: CataloguePlugin, files: Files, config: Any) -> Files:
        seen["files"] = files
        return on_files(self, files, config)

    def look_then_index(self: CataloguePlugin, *args: Any, **kwargs: Any) -> None:
        generated = [f for f in seen["files"] if isinstance(f, GeneratedFile)]
        seen["downloads"] = {f.src_uri: f.holds_content for f in generated}
        seen["read back"] = {f.src_uri: f.content_bytes for f in generated}
        seen["cached"] = {
            cached.__qualname__: cached.cache_info().currsize
            for cached in (text.to_html, text.teaser, paper.lookalike_title, names.name_key,
                           names.lookalike_name, members._ends_group)
        }  # fmt: skip
        index_search(self, *args, **kwargs)

    monkeypatch.setattr(CataloguePlugin, "on_files", keep_files)
    monkeypatch.setattr(CataloguePlugin, "index_search", look_then_index)
    site = root / "site"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    downloads = seen["downloads"]
    assert "catalogue.bib" in downloads and "feed.xml" in downloads
    assert not any(downloads.values()), downloads  # written, then let go
    # Read back from the site as it was being built, they are what the published site has.
    for path, data in seen["read back"].items():
        assert (site / path).read_bytes() == data, path
    assert b"@misc{alpha," in seen["read back"]["catalogue.bib"]
    assert seen["cached"] == dict.fromkeys(seen["cached"], 0)
