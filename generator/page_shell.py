"""The theme's page around generated content: rendered once per folder, filled per page.

Rendering Material's `main.html` for each of 100,000 paper pages costs minutes, yet every
page in one folder gets the same theme HTML except for its title, description, address, edit
link and body (pages outside the navigation highlight nothing in it). So the theme renders
one stand-in page per folder, with placeholder tokens where those values go, and each
generated page is that shell with the tokens replaced. Values are HTML-escaped here, because
Material prints titles and meta values unescaped.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from typing import Any, cast

import jinja2
from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from .render import GeneratedPage

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
_INDENT_RE = re.compile(r"\n\s+")


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
                TITLE: html.escape(page.title),
                DESCRIPTION: html.escape(page.description),
                EDIT_URL: html.escape(edit_url or ""),
                HEAD: page.head,
                CONTENT: page.html,
            }
        )

    def _render_shell(self, folder: str, with_edit: bool, index: bool = False) -> PageShell:
        config = self.config
        uri = posixpath.join(folder, "index.md" if index else f"{STEM}.md")
        stand_in = Page(None, File.generated(config, uri, content=""), config)
        stand_in.markdown = ""
        stand_in.meta = {"title": TITLE, "description": DESCRIPTION}
        stand_in.content = CONTENT
        stand_in.toc = TableOfContents([])
        stand_in.edit_url = EDIT_URL if with_edit else None
        stand_in.active = True
        try:
            context = get_context(self.nav, self.files, config, stand_in)
            context = config.plugins.on_page_context(
                context, page=stand_in, config=config, nav=self.nav
            )
            # Each page's own head elements go here (already escaped, like CONTENT).
            cast(dict[str, Any], context)["catalogue_head"] = Markup(HEAD)
            template = self.env.get_template("main.html")
            output = config.plugins.on_post_page(
                template.render(context), page=stand_in, config=config
            )
        finally:
            stand_in.active = False
        parts = _TOKEN_RE.split(output)
        found = parts[1::2]
        if found.count(CONTENT) != 1 or TITLE not in found:
            raise PluginError(
                f"the theme's main.html must show a page's title and its content exactly once "
                f"(found {found.count(CONTENT)} content and {found.count(TITLE)} title places)"
            )
        # The theme's indentation is a fifth of every page; the body is left as rendered.
        literal = [_INDENT_RE.sub("\n", part) for part in parts[0::2]]
        merged = [part for pair in zip(literal, [*found, ""], strict=True) for part in pair][:-1]
        return PageShell(tuple(merged))
