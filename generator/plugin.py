"""The MkDocs plugin: the catalogue is generated as part of every `mkdocs build` and `serve`.

Pages are added as in-memory files, so nothing generated is ever written to `docs/`: there
is nothing to commit and nothing to go stale.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import urls
from .enrich import Catalogue
from .errors import CatalogueError
from .field_docs import FIELDS_MARKER, render_field_table
from .pipeline import CatalogueSources, load_catalogue
from .render import PageRenderer, RenderSettings, render_pages

log = logging.getLogger("mkdocs.plugins.catalogue")

SUMMARY_MARKER = "<!-- catalogue:summary -->"
"""Where the home page (`docs/index.md`) shows the generated counts and largest tags."""
GUIDE_MARKER = "<!-- catalogue:contributing -->"
"""Where a hand-written page shows the contributing guide, so the site and GitHub share one text."""


class CataloguePluginConfig(Config):
    """Options of the `catalogue` plugin in `mkdocs.yml`."""

    papers_dir = c.Type(str, default="papers")
    """Folder of entry files, relative to `mkdocs.yml`."""
    vocabulary = c.Type(str, default="tags.yaml")
    """The tag vocabulary, relative to `mkdocs.yml`."""
    edit_branch = c.Type(str, default="main")
    """Branch that "Edit this entry" links open on GitHub (with the site's `repo_url`)."""
    contributing_guide = c.Type(str, default="CONTRIBUTING.md")
    """Shown where a page has `<!-- catalogue:contributing -->`; relative to `mkdocs.yml`."""


class CataloguePlugin(BasePlugin[CataloguePluginConfig]):
    """Load and check the entries before the build starts; add their pages to the build."""

    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.sources: CatalogueSources | None = None
        self.generated: set[str] = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.sources = CatalogueSources(root, self.config.papers_dir, self.config.vocabulary)
        try:
            # Every entry is checked here, before MkDocs touches the output folder.
            self.catalogue = load_catalogue(self.sources)
        except CatalogueError as exc:
            raise PluginError("The catalogue has problems:\n" + exc.report()) from None
        return config

    def render_settings(self, config: MkDocsConfig) -> RenderSettings:
        edit_base = None
        if config.repo_url:
            branch = self.config.edit_branch
            edit_base = f"{config.repo_url.rstrip('/')}/edit/{branch}/"
        return RenderSettings(
            edit_url_base=edit_base,
            use_directory_urls=config.use_directory_urls,
            site_name=config.site_name,
        )

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.catalogue is not None
        pages = render_pages(self.catalogue, self.render_settings(config))
        in_nav = {urls.ALL_PAPERS_URI, urls.TAGS_OVERVIEW_URI}
        clashes = [uri for uri in pages if files.get_file_from_path(uri) is not None]
        if clashes:
            raise PluginError(
                f"docs/{clashes[0]} would be overwritten by a generated page; rename or remove it"
            )
        for uri, content in pages.items():
            inclusion = InclusionLevel.UNDEFINED if uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))
        self.generated = set(pages)
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        src = page.file.src_uri
        if src in self.generated:
            # Material prints page.title and page.meta values into HTML without escaping;
            # the generated values are entry text, so they go in already escaped.
            page.meta = {key: _escaped(value) for key, value in page.meta.items()}
            if src.startswith("papers/") and src != urls.ALL_PAPERS_URI:
                page.edit_url = self._entry_edit_url(src, config)
            else:
                page.edit_url = None
        elif GUIDE_MARKER in markdown:
            # Not returned yet: the same page may also hold the table of fields.
            markdown = markdown.replace(GUIDE_MARKER, self._contributing_guide(), 1)
        elif src == urls.HOME_URI and self.catalogue is not None:
            summary = PageRenderer(self.catalogue, self.render_settings(config))
            html = summary.render_home_summary()
            if SUMMARY_MARKER in markdown:
                return markdown.replace(SUMMARY_MARKER, html, 1)
            return f"{markdown}\n\n{html}\n"
        if FIELDS_MARKER in markdown:
            # The model documents its own fields; the page shows that, never a second copy.
            return markdown.replace(FIELDS_MARKER, render_field_table(), 1)
        return markdown

    def _contributing_guide(self) -> str:
        assert self.sources is not None
        path = self.sources.root / self.config.contributing_guide
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PluginError(
                f"{self.config.contributing_guide} cannot be read ({exc.strerror}); the "
                f"contributing page shows it"
            ) from None

    def _entry_edit_url(self, src: str, config: MkDocsConfig) -> str | None:
        assert self.sources is not None
        base = self.render_settings(config).edit_url_base
        slug = src[len("papers/") : -len(".md")]
        return f"{base}{self.sources.papers_dir}/{slug}.yaml" if base else None

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        assert self.sources is not None
        server.watch(str(self.sources.papers_path))
        server.watch(str(self.sources.vocabulary_path))
        guide = self.sources.root / self.config.contributing_guide
        if guide.is_file():
            server.watch(str(guide))
        return server


def _escaped(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    return value
