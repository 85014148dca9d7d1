"""Dependencies with known security fixes, and no Markdown extension that reads files.

mkdocs-material 9.7.7 fixed an XSS in search results (GHSA-xvg9-69gf-fjrf); pymdown-extensions
11.0.1 is the floor the project accepts. `pymdownx.snippets` and `pymdownx.b64` read files
named in the text, so an entry could pull `/etc/passwd` or `mkdocs.yml` into a page.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MINIMUMS = {"mkdocs-material": "9.7.7", "pymdown-extensions": "11.0.1"}
FILE_READING_EXTENSIONS = {
    "pymdownx.snippets", "pymdownx.b64", "markdown_include.include", "mdx_include",
}  # fmt: skip
TEMPLATE_OR_FILE_PLUGINS = {"macros", "include-markdown", "include_markdown", "simple-hooks"}


def release(text: str) -> tuple[int, ...]:
    """The release numbers of a plain `X.Y.Z` version (all these packages use), comparable."""
    match = re.fullmatch(r"(\d+(?:\.\d+)*)", text)
    assert match, f"not a plain release version: {text!r}"
    return tuple(int(part) for part in match.group(1).split("."))


@pytest.mark.parametrize(("name", "minimum"), MINIMUMS.items())
def test_installed_version_has_the_security_fixes(name: str, minimum: str) -> None:
    assert release(metadata.version(name)) >= release(minimum)


@pytest.mark.parametrize(("name", "minimum"), MINIMUMS.items())
def test_every_pin_has_the_security_fixes(name: str, minimum: str) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pins = [line for line in project["dependencies"] if line.startswith(f"{name}==")]
    for lock in sorted((ROOT / "requirements").glob("*.txt")):
        pins += re.findall(rf"^{re.escape(name)}==\S+", lock.read_text("utf-8"), re.M)
    assert len(pins) >= 3, pins  # pyproject.toml, site.txt and dev.txt
    assert all(release(pin.split("==")[1]) >= release(minimum) for pin in pins), pins


def test_no_extension_or_plugin_reads_files_or_templates_from_entry_text() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    extensions = {
        next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]
    }
    plugins = {next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]}
    assert extensions.isdisjoint(FILE_READING_EXTENSIONS), extensions
    assert plugins.isdisjoint(TEMPLATE_OR_FILE_PLUGINS), plugins


def test_search_is_pagefind_alone() -> None:
    # One engine: the catalogue plugin runs Pagefind; neither MkDocs' nor Material's lunr
    # search plugin is loaded. Its results are shown as text (tests/browser/test_hostile_site).
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert "material/search" not in config.plugins
    assert "search" not in config.plugins
    assert config.plugins["catalogue"].config.search is True


def test_overridden_theme_config_names_no_file_of_materials() -> None:
    """`overrides/main.html` rewrites Material's `config` block without the address of
    Material's search worker (this site's search is Pagefind's): a path of Material's written
    there would go stale, unnoticed, at an upgrade that moves the file."""
    override = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    assert "{% block config %}" in override
    assert re.findall(r"assets/javascripts/[^\"' ]+", override) == []


def test_the_installer_is_the_uv_pinned_with_the_rest() -> None:
    # The Makefile installs uv from requirements/uv.txt before anything else, then uv installs
    # requirements/dev.txt: one version of uv, reviewed like every other pin.
    bootstrap = re.findall(r"^uv==\S+$", (ROOT / "requirements" / "uv.txt").read_text(), re.M)
    locked = re.findall(r"^uv==\S+$", (ROOT / "requirements" / "dev.txt").read_text(), re.M)
    assert len(bootstrap) == 1 and bootstrap == locked
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert bootstrap[0] in project["optional-dependencies"]["dev"]
