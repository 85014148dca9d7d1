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
    theme = []
    for page in pages:
        if page.is_file():
            html = page.read_text(encoding="utf-8")
            # The theme's markup around the content; the content is the page's own.
            body = html[html.index("<body") :]
            theme.append(body[: body.index('<div class="md-content"')])
    assert len(theme) >= 100
    assert not any(">\n<" in html for html in theme)
    # The repository link's icon and name are inline blocks: the space between them shows.
    assert all('</div> <div class="md-source__repository">' in html for html in theme)
    # Nor Material's empty components, nor a span around each navigation label.
    assert not any('data-md-component="skip"' in html for html in theme)
    assert all('class="md-nav__link">Tags</a>' in html for html in theme)


def test_material_s_configuration_leaves_out_what_the_site_does_not_use(seed_site: Path) -> None:
    for page in ("index.html", "papers/index.html", "tags/llm/index.html"):
        html = (seed_site / page).read_text(encoding="utf-8")
        (found,) = re.findall(
            r'<script id="__config" type="application/json">(.*?)</script>', html, re.S
        )
        config = json.loads(found)
        assert set(config) == {"base", "features", "translations"}, page
        assert "navigation.tabs" in config["features"]
