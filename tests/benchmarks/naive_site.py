"""The naive baseline: the same entries as a plain MkDocs + Material site, the obvious way.

One Markdown file per paper written into `docs/papers/`, every paper in the navigation,
Material's tags plugin for the tag pages and Material's lunr search. The paper pages hold the
same HTML as the catalogue's own pages, so the two builds differ only in how they scale.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from generator import CatalogueSources, load_catalogue
from generator.render.page import RenderSettings
from generator.render.pages import PageRenderer


def write_naive_site(catalogue_root: Path, target: Path) -> Path:
    """Write the baseline site's sources for the catalogue at `catalogue_root`; return its
    `mkdocs.yml`."""
    catalogue = load_catalogue(CatalogueSources(catalogue_root))
    docs = target / "docs"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(catalogue_root / "docs", docs)
    (docs / "index.md").write_text("# Papers\n\nThe naive baseline.\n", encoding="utf-8")
    (docs / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    renderer = PageRenderer(catalogue, RenderSettings())
    nav = []
    vocabulary = catalogue.vocabulary
    for paper in catalogue.papers:
        page = renderer.paper_page(paper)
        head = {"title": page.title, "tags": [vocabulary[t].name for t in paper.entry.tags]}
        text = f"---\n{yaml.safe_dump(head, allow_unicode=True, width=10_000)}---\n\n{page.html}"
        path = docs / page.uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        nav.append({page.title: page.uri})
    config = {
        "site_name": "Naive baseline",
        "site_url": "https://example.org/naive/",
        "theme": {"name": "material", "font": False, "features": ["navigation.tabs"]},
        "plugins": ["search", "tags"],
        "extra_css": ["stylesheets/catalogue.css"],
        "nav": [{"Home": "index.md"}, {"Tags": "tags.md"}, {"Papers": nav}],
    }
    config_file = target / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, width=10_000), "utf-8")
    return config_file
