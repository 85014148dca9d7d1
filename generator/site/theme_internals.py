"""Every use of MkDocs' or Material's internals: what is neither plugin API nor theme API.

The plugin otherwise talks to MkDocs only through its documented plugin API (events, `File`,
`Files`, `Config`, `PluginError`) and to Material only through its documented theme
customisation (`overrides/`, template blocks, CSS variables). What is left is here, so that an
upgrade of MkDocs or Material (or a move to a fork such as ProperDocs) has one file to read:

- rendering the theme's `main.html` for a page MkDocs never built (`render_theme_page`):
  MkDocs' `get_context`, a hand-made `Page`, and the other plugins' page events called by hand;
- how Material writes its icons and scripts into a page, and its indentation
  (`replace_icons`, `replace_inline_scripts`, `drop_indentation`), which `page_shell` rewrites;
- small undocumented helpers of MkDocs (`relative_url`, `build_date`), its command line
  (`run_builder`), the logger its strict mode counts (`builder_logger`), its "dirty build"
  warning, silenced while serving (`quiet_dirty_build_warning`), and the file watcher of its
  live-reload server, replaced while serving (`change_events_from_the_system`);
- Material templates that `overrides/` copies whole or in part (`MATERIAL_COPIES`).

`problems_with_installed()` checks each of these against the installed packages;
`tests/test_theme_internals.py` runs it, so an upgrade that breaks one fails with this
module's name. Errors at build time name it too (`ThemeInternalsChanged`).
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import jinja2
import mkdocs
import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.commands import build as mkdocs_build
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils import get_build_date, get_relative_url

MODULE = "generator/site/theme_internals.py"


class ThemeInternalsChanged(PluginError):
    """MkDocs or Material no longer does what this module relies on."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{MODULE}: {what} ({installed_versions()}); update that module")


def installed_versions() -> str:
    """The builder and theme this process runs, as an error message names them."""
    builder = "ProperDocs" if mkdocs.__name__ == "properdocs" else "MkDocs"
    return (
        f"{builder} {getattr(mkdocs, '__version__', '?')}, "
        f"Material {metadata.version('mkdocs-material')}"
    )


# --- MkDocs: the builder's logger, command line, helpers ------------------------------------


def builder_logger() -> logging.Logger:
    """The logger whose warnings the builder's strict mode counts: `mkdocs`, or `properdocs`
    when ProperDocs runs (it answers `import mkdocs` with itself, and its own warnings never
    pass through the `mkdocs` logger)."""
    return logging.getLogger(mkdocs.__name__)


class WarningCounter(logging.Handler):
    """Counts warnings and errors, as the builder's strict mode does on `builder_logger()`."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def run_builder(args: list[str], prog_name: str) -> None:
    """Run MkDocs' own command line (`build`, `serve`) with `args`."""
    from mkdocs.__main__ import cli

    cli.main(args=args, prog_name=prog_name)


def relative_url(path: str, from_url: str) -> str:
    """The address of site path `path` relative to the page at `from_url`, as MkDocs makes it."""
    return get_relative_url(path, from_url)


def build_date() -> str:
    """The build day as MkDocs writes it into its sitemap (SOURCE_DATE_EPOCH when set)."""
    return get_build_date()


DIRTY_BUILD_WARNING = "A 'dirty' build is being performed"
"""How the warning MkDocs logs before every `--dirty` build begins. `catalogue serve` builds
dirty on purpose (its writer replaces exactly the generated pages that changed), so on every
edit it warned about something the catalogue handles."""


class _DropDirtyBuildWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_BUILD_WARNING)


@contextmanager
def quiet_dirty_build_warning() -> Iterator[None]:
    """Within the block, MkDocs' warning about `--dirty` builds is not logged (nothing else)."""
    drop = _DropDirtyBuildWarning()
    mkdocs_build.log.addFilter(drop)
    try:
        yield
    finally:
        mkdocs_build.log.removeFilter(drop)


CHANGES = (
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileDeletedEvent,
    watchdog.events.FileMovedEvent,
    watchdog.events.DirCreatedEvent,
    watchdog.events.DirDeletedEvent,
    watchdog.events.DirMovedEvent,
)
"""The file events that mean a change. The system also reports a file opened or closed
unwritten; MkDocs rebuilds on any event, and the build reads every watched entry, so without
this filter each rebuild would start the next."""


class _ChangeObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """The system's own file watcher (inotify on Linux, FSEvents on macOS, ...), told only of
    changes."""

    def schedule(self, event_handler: Any, path: str, **options: Any) -> Any:
        options.setdefault("event_filter", list(CHANGES))
        return super().schedule(event_handler, path, **options)


@contextmanager
def change_events_from_the_system() -> Iterator[None]:
    """While serving: MkDocs' live-reload server learns of changed files from the system
    instead of looking at every watched file twice a second.

    MkDocs polls (`PollingObserver`) because some file systems send no events (network
    shares, folders shared into a virtual machine): `catalogue serve --poll` keeps that.
    Polling reads the state of each of the catalogue's entry files every half second on a
    thread of the server, under the interpreter lock the rebuilds need; the larger the
    catalogue, the more of the server's time it takes, idle or not (figures in
    tests/benchmarks/RESULTS.md)."""
    original: type[LiveReloadServer] = getattr(mkdocs_serve, "LiveReloadServer")  # noqa: B009

    class _Server(original):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            polling = watchdog.observers.polling.PollingObserver
            if not isinstance(getattr(self, "observer", None), polling):
                raise ThemeInternalsChanged("MkDocs' live-reload server no longer polls")
            self.observer = _ChangeObserver()

    setattr(mkdocs_serve, "LiveReloadServer", _Server)  # noqa: B010
    try:
        yield
    finally:
        setattr(mkdocs_serve, "LiveReloadServer", original)  # noqa: B010


# --- MkDocs and Material: the theme page of a page MkDocs never built -------------------------


def render_theme_page(
    config: MkDocsConfig,
    env: jinja2.Environment,
    nav: Navigation,
    files: Files,
    *,
    uri: str,
    meta: Mapping[str, str],
    content: str,
    edit_url: str | None,
    context_extra: Mapping[str, Any],
) -> str:
    """The theme's `main.html` for a page at docs path `uri` that is not one of MkDocs' pages,
    as MkDocs' own build would render it: the same context, the other plugins' `page_context`
    and `post_page` events. `content` is HTML; starting it with `<h1` keeps Material from
    adding a heading of its own (`partials/content.html`)."""
    page = Page(None, File.generated(config, uri, content=""), config)
    page.markdown = ""
    page.meta = dict(meta)
    page.content = content
    page.toc = TableOfContents([])
    page.edit_url = edit_url
    page.active = True
    try:
        if list(inspect.signature(mkdocs_build.get_context).parameters)[:4] != _CONTEXT_ARGS:
            raise ThemeInternalsChanged("mkdocs.commands.build.get_context changed its arguments")
        context = mkdocs_build.get_context(nav, files, config, page)
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        # TemplateContext declares MkDocs' own keys only; themes read any key a plugin adds.
        cast(dict[str, Any], context).update(context_extra)
        html = env.get_template("main.html").render(context)
        return config.plugins.on_post_page(html, page=page, config=config)
    finally:
        page.active = False


_CONTEXT_ARGS = ["nav", "files", "config", "page"]


# --- Material: how it writes icons, scripts and indentation ------------------------------------

MATERIAL_ICON_RE = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="([^"<>]+)">(.*?)</svg>', re.S
)
"""An icon as Material includes it inline (`{% include ".icons/....svg" %}`): view box and
paths."""
_ANY_INLINE_SVG = '<svg xmlns="http://www.w3.org/2000/svg"'
_INLINE_SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.S)
_INDENT_RE = re.compile(r"\n\s+")
_BETWEEN_TAGS_RE = re.compile(r">\n+<")


def replace_icons(html: str, replace: Callable[[str, str], str]) -> str:
    """`html` (theme markup, no page content) with each of Material's inline icons replaced
    by `replace(view_box, body)`; an icon in another form is an error, not a silent miss."""
    replaced = MATERIAL_ICON_RE.sub(lambda m: replace(m.group(1), m.group(2)), html)
    if _ANY_INLINE_SVG in replaced:
        raise ThemeInternalsChanged("Material writes an inline icon in a form not recognised")
    return replaced


def inline_script_pieces(html: str) -> list[tuple[str, str]]:
    """`html` (theme markup) cut at its inline scripts: each piece is ("markup", text) or
    ("script", body), in the order of the page."""
    pieces, start = [], 0
    for match in _INLINE_SCRIPT_RE.finditer(html):
        if match.start() > start:
            pieces.append(("markup", html[start : match.start()]))
        pieces.append(("script", match.group(1)))
        start = match.end()
    if start < len(html):
        pieces.append(("markup", html[start:]))
    return pieces


def replace_inline_scripts(html: str, replace: Callable[[str], str | None]) -> str:
    """`html` (theme markup) with each of Material's inline scripts replaced by
    `replace(body)`, or left as it is where that gives None."""

    def one(match: re.Match[str]) -> str:
        new = replace(match.group(1))
        return match.group(0) if new is None else new

    return _INLINE_SCRIPT_RE.sub(one, html)


CONTENT_TABS_SCRIPT = (
    "<script>var target=document.getElementById(location.hash.slice(1));"
    'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script>'
)
"""Material's `main.html` script that opens the content tab (`pymdownx.tabbed`) an address's
`#anchor` names."""


def drop_content_tabs_script(html: str) -> str:
    """Theme markup without `CONTENT_TABS_SCRIPT`, for pages that have no content tabs."""
    return html.replace(CONTENT_TABS_SCRIPT, "")


def drop_indentation(html: str) -> str:
    """Theme markup without its indentation (Material's templates have no `<pre>`)."""
    return _INDENT_RE.sub("\n", html)


EMPTY_COMPONENTS = '<div data-md-component="skip"></div><div data-md-component="announce"></div>'
"""Material's holders of the skip link and of the announcement bar, as `base.html` writes them
(once line breaks between tags are dropped) for a page with neither: its script only looks up
an announcement that is there."""

_NAV_LABEL_RE = re.compile(
    r'(class="md-nav__link">)<span class="md-ellipsis">\n([^<>\n]*)\n</span>'
)


_GENERATOR_META_RE = re.compile(r'<meta name="generator" content="mkdocs-[^"<>]*">')
"""The tag naming MkDocs' and Material's versions, which Material's `base.html` writes into
every page's head: read by tools that guess how a site was made, shown to no reader."""


def drop_generator_meta(html: str) -> str:
    """Theme markup without the `generator` meta tag."""
    return _GENERATOR_META_RE.sub("", html)


_EMPTY_TOC_SIDEBAR_RE = re.compile(
    '<div class="md-sidebar md-sidebar--secondary" data-md-component="sidebar" '
    'data-md-type="toc" ><div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner">'
    '<nav class="md-nav md-nav--secondary" aria-label="[^"<>]*"></nav></div></div></div>'
)
"""Material's table-of-contents sidebar of a page whose table of contents is empty (once line
breaks between tags are dropped): its script sizes the inner boxes, which hold nothing."""
EMPTY_SIDEBAR = '<div class="md-sidebar md-sidebar--secondary"></div>'
"""What keeps its place: the stylesheet gives the sidebar its width and hides it on narrow
screens by these classes alone."""


def empty_toc_sidebar(html: str) -> str:
    """Theme markup whose empty table-of-contents sidebar is `EMPTY_SIDEBAR`."""
    return _EMPTY_TOC_SIDEBAR_RE.sub(EMPTY_SIDEBAR, html)


def drop_empty_components(html: str) -> str:
    """Theme markup without `EMPTY_COMPONENTS`."""
    return html.replace(EMPTY_COMPONENTS, "")


def unwrap_nav_labels(html: str) -> str:
    """Theme markup whose navigation links hold their plain label without Material's
    `md-ellipsis` span: it only clips a label on one line, and a navigation label wraps."""
    return _NAV_LABEL_RE.sub(r"\1\2", html)


def drop_newlines_between_tags(html: str) -> str:
    """Theme markup without the line breaks between one tag and the next."""
    return _BETWEEN_TAGS_RE.sub("><", html)


# --- Material templates that overrides/ copies ---------------------------------------------------

MATERIAL_COPIES = {
    "partials/header.html": "8cf3fb15bcf969ff596649616fd99366b3c31c08d57a86d05308efc16d8fa75f",
    "partials/source.html": "6847616d67be4920d39c278c2799bf20222bbc02ee2a8393aca85e3eaa518752",
    "base.html#config": "7e39d18735bd35176f3df2efe5065fa0bc41a5d8ea8fa9ac16572971fa15f2eb",
}
"""SHA-256 of the Material templates (or, after `#`, the one block of a template) that files
in `overrides/` copy with changes: `partials/header.html` (search box), `partials/source.html`
(no repository statistics; the space between icon and name written out), `main.html`'s
`config` block (no search translations, search worker or unset settings). When Material
changes one, the copy must be compared with the new original by hand."""


def material_templates() -> Path:
    """The installed Material's template folder."""
    return Path(str(metadata.distribution("mkdocs-material").locate_file("material/templates")))


def template_digest(templates: Path, name: str) -> str:
    """SHA-256 of a template of `templates`, or of one block of it (`base.html#config`)."""
    path, _, block = name.partition("#")
    text = (templates / path).read_text(encoding="utf-8")
    if block:
        found = re.search(rf"{{% block {block} %}}(.*?){{% endblock %}}", text, flags=re.S)
        text = found.group(1) if found else ""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- The check against the installed packages -------------------------------------------------


def problems_with_installed(templates: Path | None = None) -> list[str]:
    """What this module relies on and the installed MkDocs and Material no longer provide,
    each naming this module (empty when all holds)."""
    templates = templates or material_templates()
    problems = []
    for name, digest in MATERIAL_COPIES.items():
        if not (templates / name.partition("#")[0]).is_file():
            problems.append(f"Material has no {name.partition('#')[0]} any more")
        elif template_digest(templates, name) != digest:
            problems.append(
                f"Material's {name} changed: compare the copy in overrides/ with it, then "
                f"update MATERIAL_COPIES"
            )
    if list(inspect.signature(mkdocs_build.get_context).parameters)[:4] != _CONTEXT_ARGS:
        problems.append("mkdocs.commands.build.get_context changed its arguments")
    if "LiveReloadServer(" not in inspect.getsource(mkdocs_serve.serve):
        problems.append("mkdocs.commands.serve no longer makes its LiveReloadServer")
    if "self.observer = " not in inspect.getsource(LiveReloadServer.__init__):
        problems.append("MkDocs' LiveReloadServer no longer makes its observer in __init__")
    if DIRTY_BUILD_WARNING not in inspect.getsource(mkdocs_build.build):
        problems.append("MkDocs' warning about dirty builds changed: DIRTY_BUILD_WARNING")
    base = (templates / "base.html").read_text(encoding="utf-8")
    if '<meta name="generator" content="mkdocs-{{ mkdocs_version }}' not in base:
        problems.append("Material's base.html writes its generator tag otherwise")
    icon = (templates / ".icons" / "material" / "magnify.svg").read_text(encoding="utf-8")
    if not MATERIAL_ICON_RE.fullmatch(icon.strip()):
        problems.append("Material's icons are not in the form MATERIAL_ICON_RE expects")
    return [f"{MODULE}: {problem} ({installed_versions()})" for problem in problems]
