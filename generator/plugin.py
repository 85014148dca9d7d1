"""The MkDocs plugin: the catalogue is generated as part of every `mkdocs build` and `serve`.

Pages are added as in-memory files, so nothing generated is ever written to `docs/`: there
is nothing to commit and nothing to go stale. `mkdocs build` and `gh-deploy` write into a
staging folder that replaces the site only once the whole build has succeeded (see
`publish`); `mkdocs serve` builds in place as usual. Publishing is the plugin's very last
`on_post_build` step (priority `PUBLISH_PRIORITY`): a plugin that writes into the site in
`on_post_build` must run before it, which any priority above -10000 does.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from . import urls
from .enrich import Catalogue
from .errors import CatalogueError
from .field_docs import FIELDS_MARKER, render_field_table
from .pipeline import CatalogueSources, load_catalogue
from .publish import SitePublisher
from .render import PageRenderer, RenderSettings, render_pages

log = logging.getLogger("mkdocs.plugins.catalogue")

SUMMARY_MARKER = "<!-- catalogue:summary -->"
"""Where the home page (`docs/index.md`) shows the generated counts and largest tags."""
GUIDE_MARKER = "<!-- catalogue:contributing -->"
"""Where a hand-written page shows the contributing guide, so the site and GitHub share one text."""
PUBLISH_PRIORITY = -10_000
"""`on_post_build` priority of publishing: after every other plugin has written its files."""
STAGED_COMMANDS = ("build", "gh-deploy")


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
        self.command: str | None = None
        self.publisher: SitePublisher | None = None
        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        if command in STAGED_COMMANDS:
            # MkDocs decides "strict mode failed" only after `on_post_build`; counting the
            # same warnings here lets publishing skip a build that is about to be aborted.
            logging.getLogger("mkdocs").addHandler(self.warnings)

    def on_shutdown(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        self._abandon()  # interrupted (Ctrl-C) after staging began: the site is untouched

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.sources = CatalogueSources(root, self.config.papers_dir, self.config.vocabulary)
        try:
            # Every entry is checked here, before MkDocs touches the output folder.
            self.catalogue = load_catalogue(self.sources)
        except CatalogueError as exc:
            raise PluginError("The catalogue has problems:\n" + exc.report()) from None
        if self.command in STAGED_COMMANDS:
            self.publisher = SitePublisher(Path(config.site_dir))
            config.site_dir = str(self.publisher.begin())
        return config

    @event_priority(PUBLISH_PRIORITY)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        publisher = self.publisher
        if publisher is None:
            return
        if config.strict and self.warnings.get_counts():
            return  # MkDocs aborts next and `on_build_error` drops the staging folder
        self.publisher = None
        report = publisher.publish()
        config.site_dir = str(publisher.site_dir)  # `gh-deploy` pushes from here afterwards
        self.warnings.counts.clear()
        log.info(
            f"Published {report.files} files to {publisher.site_dir} ({report.unchanged} "
            f"unchanged, {report.removed} removed, by {report.method})"
        )

    def on_build_error(self, *, error: Exception) -> None:
        self._abandon()
        self.warnings.counts.clear()

    def _abandon(self) -> None:
        if self.publisher is not None:
            publisher, self.publisher = self.publisher, None
            publisher.abandon()

    def render_settings(self, config: MkDocsConfig) -> RenderSettings:
        edit_base = None
        if config.repo_url:
            branch = self.config.edit_branch
            edit_base = f"{config.repo_url.rstrip('/')}/edit/{branch}/"
        return RenderSettings(
            edit_url_base=edit_base,
            use_directory_urls=config.use_directory_urls,
            site_name=config.site_name,
            site_url=config.site_url,
            favicon=config.theme.get("favicon"),
        )

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.catalogue is not None
        pages = render_pages(self.catalogue, self.render_settings(config))
        in_nav = {urls.ALL_PAPERS_URI, urls.TAGS_OVERVIEW_URI}
        # Never write one output path twice: a hand-written page at a generated page's source
        # path or output path (`docs/papers/x.md`, `docs/papers/x/index.md`) is an error.
        written = {file.dest_uri: file for file in files}
        generated = []
        for uri, content in pages.items():
            urls.check_generated_path(uri)
            inclusion = InclusionLevel.UNDEFINED if uri in in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, uri, content=content, inclusion=inclusion)
            other = files.get_file_from_path(uri) or written.get(file.dest_uri)
            if other is not None:
                raise PluginError(
                    f"docs/{other.src_uri} would be overwritten by a generated page "
                    f"({file.dest_uri}); rename or remove it"
                )
            generated.append(file)
        for file in generated:
            files.append(file)
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
