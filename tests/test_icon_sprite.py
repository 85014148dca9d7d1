"""Generated pages refer to the theme's icons in one sprite and load its scripts from files
instead of repeating them (issue 5: 3.6 KB and 1.3 KB of every one of 100,000 pages)."""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"


def test_every_icon_reference_resolves_to_a_symbol_of_the_sprite(seed_site: Path) -> None:
    sprite = ET.parse(seed_site / "assets" / "catalogue-icons.svg").getroot()
    symbols = {s.get("id"): s for s in sprite.iter(f"{SVG}symbol")}
    assert len(symbols) >= 6  # logo, menu, two palette toggles, search, close, repository...
    assert all(list(symbol) and symbol.get("viewBox") for symbol in symbols.values())
    pages = [p / "index.html" for p in sorted((seed_site / "papers").iterdir()) if p.is_dir()]
    pages += [seed_site / "tags" / "llm" / "index.html", seed_site / "papers" / "index.html"]
    checked = 0
    for page in pages:
        if not page.is_file():
            continue
        html = page.read_text(encoding="utf-8")
        relative = page.parent.relative_to(seed_site).as_posix()
        uses = re.findall(r'<use href="([^"#]+)#([^"]+)"', html)
        if "<svg xmlns=" in html:  # a page MkDocs rendered itself keeps Material's inline icons
            continue
        assert uses, page
        for href, key in uses:
            assert posixpath.normpath(posixpath.join(relative, href)) == (
                "assets/catalogue-icons.svg"
            )
            assert key in symbols, (page, key)
        checked += 1
    assert checked >= 124


def test_the_theme_s_scripts_load_from_files_beside_its_assets(seed_site: Path) -> None:
    from generator.site.page_shell import SCRIPT_MIN_BYTES

    pages = [p / "index.html" for p in sorted((seed_site / "papers").iterdir()) if p.is_dir()]
    pages += [seed_site / "tags" / "llm" / "index.html", seed_site / "papers" / "index.html"]
    loaded: set[str] = set()
    for page in filter(Path.is_file, pages):
        html = page.read_text(encoding="utf-8")
        if "<svg xmlns=" in html:  # a page MkDocs rendered itself keeps Material's inline parts
            continue
        inline = re.findall(r"<script>(.*?)</script>", html, re.S)
        assert all(len(body.encode()) < SCRIPT_MIN_BYTES for body in inline), page
        relative = page.parent.relative_to(seed_site).as_posix()
        for src in re.findall(r'<script src="([^"]*catalogue-[0-9a-f]{10}\.js)"></script>', html):
            path = posixpath.normpath(posixpath.join(relative, src))
            assert (seed_site / path).is_file(), (page, src)
            loaded.add(path)
    # Material's palette script (the scheme a reader chose last time, applied before the page
    # is drawn) and its storage helpers (one file per folder depth: they hold the relative
    # path to the site's root, which resolves against the page, as inline).
    bodies = [(seed_site / path).read_text(encoding="utf-8") for path in sorted(loaded)]
    assert sum('__md_get("__palette")' in body for body in bodies) == 1
    assert sum(body.startswith('__md_scope=new URL("../..",location)') for body in bodies) == 1


def test_generated_pages_leave_out_material_s_content_tabs_script(seed_site: Path) -> None:
    from generator.site.theme_internals import CONTENT_TABS_SCRIPT

    # MkDocs' own pages show the script as Material writes it: were it written otherwise, the
    # generated pages would keep it without this test noticing.
    assert CONTENT_TABS_SCRIPT in (seed_site / "about" / "index.html").read_text(encoding="utf-8")
    pages = [p / "index.html" for p in sorted((seed_site / "papers").iterdir()) if p.is_dir()]
    pages += [seed_site / "tags" / "llm" / "index.html", seed_site / "authors" / "index.html"]
    generated = [p.read_text(encoding="utf-8") for p in pages if p.is_file()]
    generated = [html for html in generated if "<svg xmlns=" not in html]
    assert len(generated) >= 100
    assert not any("__tabbed_" in html for html in generated)


def test_generated_pages_drop_the_theme_s_line_breaks_between_tags_but_not_its_spaces(
    seed_site: Path,
) -> None:
    pages = [p / "index.html" for p in sorted((seed_site / "papers").iterdir()) if p.is_dir()]
    pages += [seed_site / "tags" / "llm" / "index.html", seed_site / "authors" / "index.html"]
    theme, heads = [], []
    for page in pages:
        if page.is_file():
            html = page.read_text(encoding="utf-8")
            # The theme's markup around the content; the content is the page's own.
            body = html[html.index("<body") :]
            theme.append(body[: body.index('<div class="md-content"')])
            heads.append(html[: html.index("<body")])
    assert len(theme) >= 100
    assert not any(">\n<" in html for html in theme)
    # The repository link's icon and name are inline blocks: the space between them shows.
    assert all('</div> <div class="md-source__repository">' in html for html in theme)
    # Nor Material's empty components, nor a span around each navigation label.
    assert not any('data-md-component="skip"' in html for html in theme)
    # (The navigation drawer is written by a script: tests/browser/test_generated_shell.py.)
    assert all('class="md-tabs__link">' in html for html in theme)
    scripts = [p.read_text() for p in (seed_site / "assets" / "javascripts").glob("catalogue-*")]
    drawers = [body for body in scripts if "md-nav--primary" in body]
    assert drawers and all('class=\\"md-nav__link\\">Tags</a>' in d for d in drawers)
    # The empty table of contents' sidebar keeps its place, without the boxes inside it.
    from generator.site.theme_internals import EMPTY_SIDEBAR

    assert all(html.count(EMPTY_SIDEBAR) == 1 for html in theme)
    assert not any('data-md-type="toc"' in html for html in theme)
    # Nor the tag naming the generator's versions (MkDocs' own pages keep it).
    assert not any('<meta name="generator"' in html for html in heads)
    about = (seed_site / "about" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="generator" content="mkdocs-' in about


def test_material_s_configuration_leaves_out_what_the_site_does_not_use(seed_site: Path) -> None:
    for page in ("index.html", "papers/index.html", "tags/llm/index.html"):
        html = (seed_site / page).read_text(encoding="utf-8")
        (found,) = re.findall(
            r'<script id="__config" type="application/json">(.*?)</script>', html, re.S
        )
        config = json.loads(found)
        assert set(config) == {"base", "features", "translations"}, page
        assert "navigation.tabs" in config["features"]


def test_the_header_s_script_only_controls_are_written_by_a_script_in_generated_pages(
    seed_site: Path,
) -> None:
    from generator.site.page_shell import SCRIPT_ONLY_END, SCRIPT_ONLY_START

    about = (seed_site / "about" / "index.html").read_text(encoding="utf-8")
    # MkDocs' own pages keep the palette toggle and the search box as markup, unmarked.
    assert 'data-md-component="palette"' in about and "data-catalogue-search" in about
    assert SCRIPT_ONLY_START not in about and SCRIPT_ONLY_END not in about
    pages = [p / "index.html" for p in sorted((seed_site / "papers").iterdir()) if p.is_dir()]
    pages += [seed_site / "tags" / "llm" / "index.html"]
    pages += [seed_site / "papers" / "page" / "2" / "index.html"]
    writers: set[str] = set()
    for page in filter(Path.is_file, pages):
        html = page.read_text(encoding="utf-8")
        assert 'data-md-component="palette"' not in html, page
        assert "data-catalogue-search" not in html, page
        assert "script-only" not in html, page
        relative = page.parent.relative_to(seed_site).as_posix()
        for src in re.findall(r'<script src="([^"]*catalogue-[0-9a-f]{10}\.js)"></script>', html):
            body = (seed_site / posixpath.normpath(posixpath.join(relative, src))).read_text()
            if "insertAdjacentHTML" in body:
                writers.add(body)
    # Writers of three kinds, one of each per folder depth (the addresses are relative to
    # the page): the menu button, then the script that takes the header's no-menu class off;
    # the palette toggle, Material's palette script after it, then the search box; the
    # navigation drawer.
    kinds: dict[str, int] = {}
    for body in writers:
        lines = body.splitlines()
        if 'for=\\"__drawer\\"' in lines[0] and "md-header__button" in lines[0]:
            assert len(lines) == 2
            assert "catalogue-header--no-menu" in lines[1]
            kind = "menu"
        elif "md-nav--primary" in lines[0]:
            assert len(lines) == 1
            kind = "drawer"
        else:
            assert len(lines) == 3
            assert 'data-md-component=\\"palette\\"' in lines[0]
            assert lines[1].startswith('var palette=__md_get("__palette")')
            assert "data-catalogue-search" in lines[2]
            kind = "header"
        kinds[kind] = kinds.get(kind, 0) + 1
    assert set(kinds) == {"menu", "header", "drawer"} and min(kinds.values()) >= 2


def test_a_script_only_part_never_holds_a_page_s_own_values() -> None:
    import pytest
    from mkdocs.exceptions import PluginError

    from generator.site import page_shell

    with pytest.raises(PluginError, match="script-only"):
        page_shell._script_writing('<div></div><script src="x.js"></script>')
    # A page's title between the marks cuts the theme there: the mark is left unclosed.
    shells = page_shell.PageShells.__new__(page_shell.PageShells)
    shells._scripts = {}
    with pytest.raises(PluginError, match="not closed"):
        shells._write_script_only_parts(f"{page_shell.SCRIPT_ONLY_START}<span>", "a/")
