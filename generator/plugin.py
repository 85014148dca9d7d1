"""The MkDocs plugin: the catalogue is generated as part of every `mkdocs build` and `serve`.

Nothing generated is ever written to `docs/`: there is nothing to commit and nothing to go
stale. The two list pages in the navigation (and the redirect pages of renamed entries) are
added to MkDocs as in-memory files; every other generated page (papers, tags, further list
pages) is already HTML, so after MkDocs has built its own pages the plugin puts each one into
the theme's page shell and writes it (`page_shell`, `write_pages`), then writes the sitemaps
and runs Pagefind over the finished site. A plain `mkdocs build` therefore produces the whole
site, search index included.

`mkdocs build` and `gh-deploy` write into a staging folder that replaces the site only once
the whole build has succeeded (see `publish`); `mkdocs serve` builds in place as usual.
Publishing is the plugin's very last `on_post_build` step (priority `PUBLISH_PRIORITY`), after
the generated pages and the search index: a plugin that writes into the site in
`on_post_build` must run before it, which any priority above -10000 does.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import jinja2
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.enrich.catalogue import Catalogue
from generator.enrich.citations import forget_base_keys
from generator.enrich.people import AUTHOR_PAGE_MIN_PAPERS, forget_names
from generator.model.escaping import html_text
from generator.model.field_docs import FIELDS_MARKER, render_field_table
from generator.model.paper import forget_titles
from generator.model.problems import CatalogueError
from generator.model.stable_digest import StableDigests
from generator.model.text import forget_texts
from generator.pipeline import CatalogueSources, count_entry_files, load_catalogue
from generator.processes import release_free_memory
from generator.progress import BuildProgress
from generator.render import urls
from generator.render.exports import export_files, export_plans
from generator.render.exports.members import forget_groups
from generator.render.page import RenderSettings
from generator.render.pages import PageRenderer
from generator.render.pagination import PER_PAGE
from generator.render.template_cache import use_compiled_template_cache
from generator.serve.state import ServeState
from generator.site.export_record import ExportRecord
from generator.site.generated_file import GeneratedFile
from generator.site.page_record import use_recorded_enrichment
from generator.site.page_shell import PageShells
from generator.site.publish import SitePublisher, published_site_of
from generator.site.search_index import BUNDLE_PAGES, StreamedIndex, build_search_index
from generator.site.sitemap import write_sitemaps
from generator.site.theme_internals import WarningCounter, builder_logger
from generator.site.write_pages import PageWriter, PaperFeed

log = logging.getLogger("mkdocs.plugins.catalogue")

SUMMARY_MARKER = "<!-- catalogue:summary -->"
"""Where the home page (`docs/index.md`) shows the generated counts and largest tags."""
GUIDE_MARKER = "<!-- catalogue:contributing -->"
"""Where a hand-written page shows the contributing guide, so the site and GitHub share one text."""
PUBLISH_PRIORITY = -10_000
"""`on_post_build` priority of publishing: after every other plugin has written its files."""
STAGED_COMMANDS = ("build", "gh-deploy")
DIRTY_SERVE_NOTE = (
    "Each rebuild rewrites only the pages that changed; after adding, renaming or removing "
    "a page in docs/, restart to update the navigation of the other hand-written pages."
)
"""Said once when serving, in place of MkDocs' warning before every dirty build."""

IN_NAV = (urls.ALL_PAPERS_URI, urls.TAGS_OVERVIEW_URI, urls.MAP_URI)
"""Generated pages that MkDocs builds itself, because the navigation links to them."""


class CataloguePluginConfig(Config):
    """Options of the `catalogue` plugin in `mkdocs.yml`."""

    papers_dir = c.Type(str, default="papers")
    """Folder of entry files, relative to `mkdocs.yml`."""
    vocabulary = c.Type(str, default="tags.yaml")
    """The tag vocabulary, relative to `mkdocs.yml`."""
    authors = c.Type(str, default="authors.yaml")
    """Spellings of one person joined (optional file), relative to `mkdocs.yml`."""
    edit_branch = c.Type(str, default="main")
    """Branch that "Edit this entry" links open on GitHub (with the site's `repo_url`)."""
    contributing_guide = c.Type(str, default="CONTRIBUTING.md")
    """Shown where a page has `<!-- catalogue:contributing -->`; relative to `mkdocs.yml`."""
    list_page_size = c.Type(int, default=PER_PAGE)
    """Papers per page of each tag's list and of the list of all papers."""
    author_page_min_papers = c.Type(int, default=AUTHOR_PAGE_MIN_PAPERS)
    """An author has a page of their own from this many papers on (1: every author)."""
    search = c.Type(bool, default=True)
    """Build the Pagefind search index after the site (off only for benchmarks of the rest)."""
    search_bundle_pages = c.Type(int, default=BUNDLE_PAGES)
    """Most paper pages per Pagefind run (its memory grows with each page it holds); a
    larger catalogue is indexed in several bundles that the search box merges."""


@dataclass
class _Build:
    """One build (or one of serve's rebuilds): its pages, and what MkDocs made for them."""

    renderer: PageRenderer
    generated: set[str]
    """Source paths of the generated pages."""
    started: float
    """When MkDocs began building its own pages (for the progress report)."""
    nav: Navigation | None = None
    shells: PageShells | None = None
    """The theme's page around generated pages, once MkDocs has its navigation and theme."""
    digests: StableDigests = field(default_factory=StableDigests)
    """Digests of what the build records for the next (downloads and pages share those of
    the papers)."""
    exports: ExportRecord | None = None
    """The downloads of a one-off build over an existing site, some still to be linked."""


class CataloguePlugin(BasePlugin[CataloguePluginConfig]):
    """Load and check the entries before the build starts; add their pages to the build."""

    def __init__(self) -> None:
        self.command: str | None = None
        self.sources: CatalogueSources | None = None
        self.progress = BuildProgress(log, 0)
        self.catalogue: Catalogue | None = None
        """The catalogue of the build under way (from `on_config` on)."""
        self.build: _Build | None = None
        """The build under way (from `on_files` until its pages are written)."""
        self.publisher: SitePublisher | None = None
        self.warnings = WarningCounter()
        self.serving: ServeState | None = None
        """What `catalogue serve` keeps between rebuilds (on_startup makes MkDocs keep the
        plugin): an edit changes one file, so a rebuild parses one file and renders the
        pages that show it."""

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        if command in STAGED_COMMANDS:
            # MkDocs decides "strict mode failed" only after `on_post_build`; counting the
            # same warnings here lets publishing skip a build that is about to be aborted.
            builder_logger().addHandler(self.warnings)
        if command == "serve":
            # `catalogue serve` passes --dirty: MkDocs then keeps the site folder between
            # rebuilds, and the writer replaces only what changed.
            self.serving = ServeState(in_place=dirty)
            if dirty:
                log.info(DIRTY_SERVE_NOTE)

    def on_shutdown(self) -> None:
        builder_logger().removeHandler(self.warnings)
        self._abandon()  # interrupted (Ctrl-C) after staging began: the site is untouched
        if self.serving is not None:
            self.serving.close()  # its background workers and their files

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.sources = CatalogueSources(
            root, self.config.papers_dir, self.config.vocabulary, self.config.authors
        )
        self.progress = BuildProgress(log, count_entry_files(self.sources))
        publisher = None
        if self.command in STAGED_COMMANDS:
            publisher = SitePublisher(Path(config.site_dir))
        try:
            # Every entry is checked here, before MkDocs touches the output folder.
            if self.serving is not None:
                self.catalogue = self.serving.load(self.sources, self.progress)
            else:
                record = publisher.record if publisher is not None else None
                self.catalogue = load_catalogue(self.sources, self.progress, None, record)
        except CatalogueError as exc:
            outcome = "the site was not built (a published site is left as it was)"
            raise PluginError("The catalogue has problems:\n" + exc.report(outcome)) from None
        if publisher is not None:
            self.publisher = publisher
            config.site_dir = str(publisher.begin())
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.serving is not None and self.serving.in_place:
            # A dirty build rebuilds only changed hand-written pages; the home page shows
            # counts from the entries, so it is always rebuilt.
            Path(config.site_dir, "index.html").unlink(missing_ok=True)

    def render_settings(self, config: MkDocsConfig) -> RenderSettings:
        edit_base = None
        if config.repo_url:
            branch = self.config.edit_branch
            edit_base = f"{config.repo_url.rstrip('/')}/edit/{branch}/"
        return RenderSettings(
            edit_url_base=edit_base,
            use_directory_urls=config.use_directory_urls,
            site_name=config.site_name,
            site_url=config.site_url or None,
            favicon=config.theme.get("favicon"),
            list_page_size=self.config.list_page_size,
            author_page_min_papers=self.config.author_page_min_papers,
        )

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.catalogue is not None
        if self.publisher is not None:  # a one-off build: the last one's map, related papers
            use_recorded_enrichment(self.catalogue, self.publisher.record)
        memory = self.serving.rendering if self.serving is not None else None
        renderer = PageRenderer(self.catalogue, self.render_settings(config), memory)
        use_directory_urls = config.use_directory_urls
        # Never write one output path twice: a hand-written page at a generated page's source
        # path or output path (`docs/papers/x.md`, `docs/papers/x/index.md`) is an error.
        written = {file.dest_uri: file for file in files}
        generated = set()
        for uri in renderer.page_uris():
            urls.check_generated_path(uri)
            dest = urls.page_file(uri, use_directory_urls)
            _refuse_overwrite(files.get_file_from_path(uri) or written.get(dest), dest, "page")
            generated.add(uri)
        nav_pages = renderer.nav_pages()
        in_memory = {page.uri: page.markdown() for page in nav_pages}
        in_memory.update(renderer.redirect_pages())
        for uri, content in in_memory.items():
            urls.check_generated_path(uri)
            _add_generated(files, written, File.generated(config, uri, content=content), "page")
        for path, text in (item for page in nav_pages for item in page.files):  # the map's data
            urls.check_generated_file(path)
            _add_generated(files, written, GeneratedFile.generated(config, path, content=text),
                           "file")  # fmt: skip
        # Downloads (BibTeX of the catalogue and tags, feeds, exports) are files MkDocs copies.
        build = _Build(renderer, generated, time.monotonic())
        if self.serving is not None:
            exports = self.serving.export_files(renderer)
        else:
            exports = self._export_files(build, config)
        for path, data in exports.items():
            urls.check_generated_file(path)
            # Written by MkDocs before any page, then let go (`GeneratedFile`).
            _add_generated(files, written, GeneratedFile.generated(config, path, content=data),
                           "file")  # fmt: skip
        for plan, _ in build.exports.waiting if build.exports is not None else ():
            urls.check_generated_file(plan.path)  # linked from the last site once it is built
            _refuse_overwrite(files.get_file_from_path(plan.path) or written.get(plan.path),
                              plan.path, "file")  # fmt: skip
        build.started = time.monotonic()
        self.build = build
        return files

    def _export_files(self, build: _Build, config: MkDocsConfig) -> dict[str, str | bytes]:
        """The downloads of a one-off build that must be made; over an existing site, those
        whose papers are unchanged wait to be linked from it (`ExportRecord`)."""
        renderer = build.renderer
        catalogue, settings = renderer.catalogue, renderer.settings
        addresses, name = settings.addresses, settings.site_name
        if self.publisher is None:
            return export_files(catalogue, addresses, name, renderer.cited)
        plans = export_plans(catalogue, addresses, name, renderer.cited)
        build.exports = ExportRecord.load(self.publisher.record)
        published = published_site_of(Path(config.site_dir))
        keys = catalogue.citation_keys
        return build.exports.to_make(plans, build.digests, addresses, name, keys, published)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        # Pages MkDocs builds itself (hand-written ones, the two lists in the navigation) get
        # the feed links here; generated pages carry their own head (`page_shell`).
        # TemplateContext declares MkDocs' own keys only; themes read any key a plugin adds.
        extra = cast(dict[str, Any], context)
        if self.build is not None:
            extra["catalogue_head"] = self.build.renderer.render_page_head(page.file.src_uri)
        # Search indexes hand-written pages whole; generated pages mark what it indexes.
        extra["catalogue_search_body"] = not page.file.generated_by
        return context

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.build is not None:
            self.build.nav = nav
        return nav

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        use_compiled_template_cache(env)
        if self.build is not None and self.build.nav is not None:
            self.build.shells = PageShells(config, env, self.build.nav, files)
        return env

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        src = page.file.src_uri
        if self.build is not None and src in self.build.generated:
            # Material prints page.title and page.meta values into HTML without escaping;
            # the generated values are entry text, so they go in already escaped.
            page.meta = {key: _escaped(value) for key, value in page.meta.items()}
            page.edit_url = None
        elif GUIDE_MARKER in markdown:
            # Not returned yet: the same page may also hold the table of fields.
            markdown = markdown.replace(GUIDE_MARKER, self._contributing_guide(), 1)
        elif src == urls.HOME_URI and self.build is not None:
            html = self.build.renderer.render_home_summary()
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

    @event_priority(PUBLISH_PRIORITY)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.build is not None
        mkdocs_took = time.monotonic() - self.build.started
        self.progress.record("MkDocs pages, theme and assets", mkdocs_took)
        site_dir = Path(config.site_dir)
        if self.publisher is not None:
            self.publisher.adopt_spare()  # the last site's folders, for the files written next
        streamed = None
        if self.config.search and self.serving is None and self.catalogue is not None:
            # Pagefind indexes the papers while the lists are written (`StreamedIndex`).
            papers = len(self.catalogue.papers)
            streamed = StreamedIndex.start(site_dir, papers, self.config.search_bundle_pages)
        try:
            written = self.write_generated_pages(site_dir, streamed)
            if self.build.exports is not None:
                linked = self.build.exports.link_unchanged(published_site_of(site_dir), site_dir)
                log.debug(f"catalogue: {linked} downloads taken over unmade (export record)")
        except BaseException:
            if streamed is not None:
                streamed.abandon()
            raise
        if config.site_url:
            write_sitemaps(site_dir, config.site_url, written)
        self.build = self.catalogue = None  # what a rebuild keeps is in `serving`
        if self.serving is None:
            self.release_memory()
        if self.config.search:
            self.index_search(site_dir, streamed)
        self.publish(config)
        if self.serving is not None:
            self.serving.after_build()

    def release_memory(self) -> None:
        """A one-off build is done with the entries once the pages are written: give their
        memory back before Pagefind's indexer, a process of its own, takes its share
        (issue 5: both at once were the build's peak). The caches of what was worked out
        per title, abstract, name and slug go too: they hold those texts."""
        forget_groups()
        forget_names()
        forget_base_keys()
        forget_texts()
        forget_titles()
        gc.collect()
        release_free_memory()

    def write_generated_pages(self, site_dir: Path, feed: PaperFeed | None = None) -> list[str]:
        """Write every generated page that MkDocs did not build; return their site URLs."""
        assert self.build is not None and self.build.shells is not None
        kept = self.serving.pages if self.serving is not None else None
        writer = PageWriter(kept, feed=feed, digests=self.build.digests)
        total = len(self.build.generated) - len(IN_NAV)
        with self.progress.stage("write generated pages", total) as stage:
            written = writer.write(self.build.renderer, self.build.shells, site_dir, IN_NAV, stage)
        if self.serving is not None:
            log.debug(
                f"catalogue: {writer.reused} pages reused, {writer.unchanged} files unchanged "
                f"on disk"
            )
        else:
            log.debug(f"catalogue: {writer.recorded} pages taken over unrendered (page record)")
        return written

    def index_search(self, site_dir: Path, streamed: StreamedIndex | None = None) -> None:
        """Pagefind over the finished site (or what is left of it once the pages are written,
        `streamed`); while serving, in the background after the first."""
        bundle_pages = self.config.search_bundle_pages
        if self.serving is not None and self.serving.refresh_search_index(site_dir, bundle_pages):
            return  # serving: the edit shows now with the last index; the new one follows
        with self.progress.stage("search index (Pagefind)", unit="pages") as stage:
            report = streamed.result(bundle_pages) if streamed is not None else None
            if report is None:
                report = build_search_index(site_dir, bundle_pages=bundle_pages)
            stage.advance(report.pages)
        log.debug(f"Pagefind wrote {report.files} files, {report.bytes:,} bytes")
        if self.serving is not None:
            self.serving.search.keep(site_dir)

    def publish(self, config: MkDocsConfig) -> None:
        """Replace the site by the finished staging folder (`build`, `gh-deploy`)."""
        publisher = self.publisher
        if publisher is None:
            return
        if config.strict and self.warnings.count:
            return  # MkDocs aborts next and `on_build_error` drops the staging folder
        self.publisher = None
        report = publisher.publish()
        config.site_dir = str(publisher.site_dir)  # `gh-deploy` pushes from here afterwards
        self.warnings.count = 0
        log.info(
            f"Published {report.files} files to {publisher.site_dir} ({report.unchanged} "
            f"unchanged, {report.removed} removed, by {report.method})"
        )

    def on_build_error(self, *, error: Exception) -> None:
        self._abandon()
        self.warnings.count = 0

    def _abandon(self) -> None:
        if self.publisher is not None:
            publisher, self.publisher = self.publisher, None
            publisher.abandon()

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        assert self.sources is not None
        server.watch(str(self.sources.papers_path))
        server.watch(str(self.sources.vocabulary_path))
        if self.sources.authors_path.exists():
            server.watch(str(self.sources.authors_path))
        if self.serving is not None:
            # Related papers computed after an edit: rebuild to show them.
            server.watch(str(self.serving.related.trigger))
        guide = self.sources.root / self.config.contributing_guide
        if guide.is_file():
            server.watch(str(guide))
        return server


def _escaped(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return html_text(value)
    return value


def _add_generated(files: Files, written: Mapping[str, File], file: File, kind: str) -> None:
    """Add a generated file, refusing one that would overwrite a hand-written or earlier one."""
    other = files.get_file_from_path(file.src_uri) or written.get(file.dest_uri)
    _refuse_overwrite(other, file.dest_uri, kind)
    files.append(file)


def _refuse_overwrite(other: File | None, dest: str, kind: str) -> None:
    """Stop the build if `other`, a hand-written (or earlier) file, sits where a generated
    `kind` ("page", "file") goes."""
    if other is not None:
        raise PluginError(
            f"docs/{other.src_uri} would be overwritten by a generated {kind} "
            f"({dest}); rename or remove it"
        )
