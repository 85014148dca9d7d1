"""The theme's page around generated content: rendered once per folder, filled per page.

Rendering Material's `main.html` for each of 100,000 paper pages costs minutes, yet every
page in one folder gets the same theme HTML except for its title, description, address, edit
link and body (pages outside the navigation highlight nothing in it). So the theme renders
one stand-in page per folder, with placeholder tokens where those values go, and each
generated page is that shell with the tokens replaced. Values are HTML-escaped here, because
Material prints titles and meta values unescaped.

Material writes each icon (logo, menu, palette, search, repository, edit, back to top) as an
inline SVG, a few kilobytes of every page. In generated pages each becomes a reference into one
cached sprite, `assets/catalogue-icons.svg` (`<svg><use href="...#id"/></svg>`), which draws
the same path in the same colour (`fill` is inherited through `<use>`).

Material also writes its own small scripts inline (the colour palette chosen last time, the
storage helpers in the head), repeated in every page. In generated pages each becomes a file
named by its content, `assets/javascripts/catalogue-<hash>.js`, loaded from the same place
in the page, so it runs at the same moment with the same `location` (a script's relative URLs
resolve against the page, not the script), and is cached after the first page.

Generated pages have no content tabs (`pymdownx.tabbed`), so Material's inline script that
opens the tab an address names is left out of their shells.

The palette toggle and the search box do nothing without a script (Material's script shows
the toggle, and the search is Pagefind's, in the browser), yet they are a fifth of the theme's
markup in every page. In generated pages, `overrides/partials/header.html` marks them
(`SCRIPT_ONLY_START` ... `SCRIPT_ONLY_END`), and each marked part becomes a script file, named
by its content like the others and loaded from the same place in the page, that writes the same
markup there and runs the inline scripts the part held, in their order. The script runs while
the page is read, before anything below it is, so the page that readers with a script get is
the same; without a script, the two controls that did nothing are not shown.

The navigation drawer repeats the tabs' links with the logo, the site's name and the
repository link, a quarter of the theme's markup, yet it only opens from the header's menu
button on a narrow screen. `overrides/main.html` marks its content and `header.html` the menu
button the same way, so readers with a script get the same drawer; without one, a phone shows
the tabs instead (`docs/stylesheets/catalogue.css`), and the drawer's empty box keeps the page's
layout on a wide screen.

Rendering a page MkDocs never built, and knowing how Material writes its icons and scripts,
are MkDocs' and Material's internals: they live in `theme_internals`, not here.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from generator.model.escaping import html_text
from generator.render.page import GeneratedPage
from generator.site.theme_internals import (
    ThemeInternalsChanged,
    drop_content_tabs_script,
    drop_empty_components,
    drop_generator_meta,
    drop_indentation,
    drop_newlines_between_tags,
    empty_toc_sidebar,
    inline_script_pieces,
    relative_url,
    render_theme_page,
    replace_icons,
    replace_inline_scripts,
    unwrap_nav_labels,
)

# Letters only, so that no filter in a theme template (escape, urlencode) can change them.
STEM = "xcataloguestemx"
TITLE = "xcataloguetitlex"
DESCRIPTION = "xcataloguedescriptionx"
EDIT_URL = "xcatalogueeditx"
HEAD = "xcatalogueheadx"
"""Where `overrides/main.html` puts a page's own head elements (feed links, citation meta)."""
CONTENT = "<h1 xcataloguecontentx>"
"""Starts with `<h1` because Material adds a heading to content without one; every generated
page has its own."""
_TOKEN_RE = re.compile(f"({STEM}|{TITLE}|{DESCRIPTION}|{EDIT_URL}|{HEAD}|{re.escape(CONTENT)})")

ICON_SPRITE = "assets/catalogue-icons.svg"
"""The theme's icons as `<symbol>`s, written next to Material's own assets."""

SCRIPT_ONLY_START = "<!--catalogue:script-only-->"
SCRIPT_ONLY_END = "<!--/catalogue:script-only-->"
"""Around theme markup that does nothing without a script, in generated pages'
`overrides/partials/header.html` and `overrides/main.html` (`catalogue_script_only` set)."""
_SCRIPT_ONLY_RE = re.compile(
    f"{re.escape(SCRIPT_ONLY_START)}(.*?){re.escape(SCRIPT_ONLY_END)}", re.S
)

SCRIPT_MIN_BYTES = 200
"""An inline script of the theme this long or longer becomes a file of its own; a shorter one
costs less than the `<script src>` that would load it."""


@dataclass(frozen=True)
class PageShell:
    """A theme page cut at its placeholders: literal text and token names, alternating."""

    parts: tuple[str, ...]

    def fill(self, values: dict[str, str]) -> str:
        """The page with every placeholder replaced by its (already escaped) value."""
        return "".join(values[part] if i % 2 else part for i, part in enumerate(self.parts))


class PageShells:
    """Theme shells for generated pages, one per folder, rendered on first use."""

    def __init__(
        self, config: MkDocsConfig, env: jinja2.Environment, nav: Navigation, files: Files
    ) -> None:
        self.config = config
        self.env = env
        self.nav = nav
        self.files = files
        self._shells: dict[tuple[str, bool, bool], PageShell] = {}
        self._icons: dict[str, tuple[str, str]] = {}
        """Icons taken out of the shells, by symbol id: (view box, SVG content)."""
        self._scripts: dict[str, str] = {}
        """Inline scripts taken out of the shells, by the site path of their file."""

    def shell(self, uri: str, with_edit: bool) -> PageShell:
        """The shell for pages in the folder of `uri` (with or without an edit link)."""
        folder = posixpath.dirname(uri)
        # A folder's index page (`years/index.md`) sits one level up from its other pages
        # (`years/2024.md` is `years/2024/`), so its relative links differ: a shell of its own.
        index = posixpath.basename(uri) == "index.md"
        key = (folder, with_edit, index)
        shell = self._shells.get(key)
        if shell is None:
            shell = self._shells[key] = self._render_shell(folder, with_edit, index)
        return shell

    def fingerprint(self, uri: str, with_edit: bool) -> tuple[str, ...]:
        """What the shell of `uri` is made of: equal fingerprints give equal pages."""
        return self.shell(uri, with_edit).parts

    def render(self, page: GeneratedPage, edit_url: str | None) -> str:
        """The complete HTML of a generated page, as MkDocs would have written it."""
        stem = posixpath.basename(page.uri)[: -len(".md")]
        return self.shell(page.uri, edit_url is not None).fill(
            {
                STEM: stem,
                TITLE: html_text(page.title),
                DESCRIPTION: html_text(page.description),
                EDIT_URL: html_text(edit_url or ""),
                HEAD: page.head,
                CONTENT: page.html,
            }
        )

    def icon_sprite(self) -> str:
        """Every icon of the shells rendered so far, as one SVG file of symbols."""
        symbols = "".join(
            f'<symbol id="{key}" viewBox="{view_box}">{body}</symbol>'
            for key, (view_box, body) in sorted(self._icons.items())
        )
        return f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'

    def shared_files(self) -> dict[str, bytes]:
        """The files the shells rendered so far refer to, by site path: the icon sprite and
        the theme's scripts."""
        files = {ICON_SPRITE: self.icon_sprite().encode("utf-8")}
        files.update((path, body.encode("utf-8")) for path, body in self._scripts.items())
        return files

    def _script_file(self, body: str, page_url: str) -> str:
        """A `<script src>` loading `body` from a file named by its content."""
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:10]
        path = f"assets/javascripts/catalogue-{digest}.js"
        self._scripts[path] = body
        return f'<script src="{relative_url(path, page_url)}"></script>'

    def _load_scripts(self, text: str, page_url: str) -> str:
        """`text` with each long inline script loaded from a file of its own instead."""

        def load(body: str) -> str | None:
            if len(body.encode("utf-8")) < SCRIPT_MIN_BYTES:
                return None
            return self._script_file(body, page_url)

        return replace_inline_scripts(text, load)

    def _write_script_only_parts(self, text: str, page_url: str) -> str:
        """`text` with each part marked script-only replaced by a script that writes it."""
        # Two marked parts side by side are one: one file, one request.
        text = text.replace(SCRIPT_ONLY_END + SCRIPT_ONLY_START, "")
        text = _SCRIPT_ONLY_RE.sub(
            lambda m: self._script_file(_script_writing(m.group(1)), page_url), text
        )
        if SCRIPT_ONLY_START in text or SCRIPT_ONLY_END in text:
            raise PluginError(
                "generator/site/page_shell.py: a part of the theme marked script-only is not "
                "closed, or holds a page's own value (its title, its content)"
            )
        return text

    def _use_sprite(self, text: str, page_url: str) -> str:
        """`text` with each inline icon replaced by a reference into the sprite."""
        href = relative_url(ICON_SPRITE, page_url)

        def refer(view_box: str, body: str) -> str:
            key = "i" + hashlib.sha256(f"{view_box} {body}".encode()).hexdigest()[:10]
            self._icons[key] = (view_box, body)
            return f'<svg viewBox="{view_box}"><use href="{href}#{key}"/></svg>'

        return replace_icons(text, refer)

    def _render_shell(self, folder: str, with_edit: bool, index: bool = False) -> PageShell:
        uri = posixpath.join(folder, "index.md" if index else f"{STEM}.md")
        output = render_theme_page(
            self.config, self.env, self.nav, self.files,
            uri=uri,
            meta={"title": TITLE, "description": DESCRIPTION},
            content=CONTENT,
            edit_url=EDIT_URL if with_edit else None,
            # Each page's own head elements go here (already escaped, like CONTENT).
            context_extra={"catalogue_head": Markup(HEAD), "catalogue_script_only": True},
        )  # fmt: skip
        parts = _TOKEN_RE.split(output)
        found = parts[1::2]
        if found.count(CONTENT) != 1 or TITLE not in found:
            raise ThemeInternalsChanged(
                f"the theme's main.html must show a page's title and its content exactly once "
                f"(found {found.count(CONTENT)} content and {found.count(TITLE)} title places)"
            )
        page_url = File.generated(self.config, uri, content="").url
        # The theme's markup is made lighter; the body is left as rendered.
        literal = [
            self._load_scripts(
                self._write_script_only_parts(self._use_sprite(_lighter(part), page_url), page_url),
                page_url,
            )
            for part in parts[0::2]
        ]
        merged = [part for pair in zip(literal, [*found, ""], strict=True) for part in pair][:-1]
        return PageShell(tuple(merged))


def _lighter(theme: str) -> str:
    """Theme markup without what generated pages do not need: indentation, line breaks
    between tags, the content tabs' script, empty components, the navigation labels' spans,
    the tag naming the generator's versions, the boxes inside the empty table of contents."""
    # The indentation is a fifth of every page, and the line breaks between tags more; where a
    # space between two tags shows, the override writes it out (overrides/partials/source.html).
    # Generated pages have no content tabs, so Material's script opening one goes too.
    html = drop_newlines_between_tags(drop_indentation(theme))
    html = drop_generator_meta(drop_empty_components(drop_content_tabs_script(html)))
    return empty_toc_sidebar(unwrap_nav_labels(html))


def _script_writing(markup: str) -> str:
    """A script that writes `markup` (theme markup) where the script is, and runs the inline
    scripts `markup` holds at the same points, as the page would have run them."""
    lines = []
    for kind, text in inline_script_pieces(markup):
        if kind == "script":
            lines.append(text)
        elif "<script" in text:
            # Markup written by a script never runs the scripts in it.
            raise PluginError(
                "generator/site/page_shell.py: a part of the theme marked script-only loads a "
                "script"
            )
        else:
            lines.append(
                f'document.currentScript.insertAdjacentHTML("beforebegin", {json.dumps(text)});'
            )
    return "\n".join(lines) + "\n"
