"""What the catalogue uses of MkDocs' and Material's internals lives in one module,
generator/site/theme_internals.py; an upgrade that breaks any of it fails here, naming it.

Nothing else in `generator/` imports MkDocs beyond its plugin API, or Material at all.
"""

from __future__ import annotations

import ast
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from generator.site import theme_internals
from generator.site.theme_internals import (
    MODULE,
    change_events_from_the_system,
    material_templates,
    problems_with_installed,
)
from tests.support import run_mkdocs_build, small_catalogue

ROOT = Path(__file__).resolve().parent.parent

PLUGIN_API = {
    "mkdocs.config", "mkdocs.config.base", "mkdocs.config.config_options",
    "mkdocs.config.defaults", "mkdocs.exceptions", "mkdocs.livereload", "mkdocs.plugins",
    "mkdocs.structure.files", "mkdocs.structure.nav", "mkdocs.structure.pages",
    "mkdocs.utils.templates",
}  # fmt: skip
"""Modules of MkDocs' documented plugin API: its events' argument types, `File`, `Files`,
`Config` and its options, `PluginError`, `LiveReloadServer`, `TemplateContext`."""

ENTRIES: dict[str, dict[str, object]] = {
    slug: {"title": f"Paper {slug}", "abstract": "An abstract.", "tags": ["llm"]}
    for slug in ("alpha", "beta")
}


def test_installed_mkdocs_and_material_are_what_theme_internals_relies_on() -> None:
    problems = problems_with_installed()
    assert problems == [], "\n".join(problems)


def test_only_theme_internals_uses_more_of_mkdocs_than_its_plugin_api_or_material() -> None:
    internals = Path(theme_internals.__file__)
    outside = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if path == internals:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                if root == "material" or (root == "mkdocs" and name not in PLUGIN_API):
                    outside.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert outside == [], f"move these uses to {MODULE}: {outside}"


def test_a_changed_material_template_that_overrides_copies_is_named(tmp_path: Path) -> None:
    installed = material_templates()
    copied = [name.partition("#")[0] for name in theme_internals.MATERIAL_COPIES]
    for name in [*copied, ".icons/material/magnify.svg"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(installed / name, tmp_path / name)
    assert problems_with_installed(tmp_path) == []
    header = tmp_path / "partials" / "header.html"
    header.write_text(header.read_text("utf-8").replace("md-header__inner", "md-header__in"))
    problems = problems_with_installed(tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{MODULE}: Material's partials/header.html changed")


@pytest.mark.slow  # a real build
@pytest.mark.parametrize(
    ("template", "text", "complaint"),
    [
        # A theme whose page no longer shows the content where the plugin puts it.
        ("main.html", '{% extends "base.html" %}{% block content %}{% endblock %}',
         "must show a page's title and its content exactly once"),
        # An icon written in another form than Material's (here: with a class).
        ("partials/logo.html",
         '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" class="x"><path/></svg>',
         "writes an inline icon in a form not recognised"),
    ],
)  # fmt: skip
def test_a_theme_that_breaks_the_page_shell_fails_the_build_naming_the_module(
    repo_root: Path, tmp_path: Path, template: str, text: str, complaint: str
) -> None:
    root = small_catalogue(repo_root, tmp_path / "catalogue", ENTRIES)
    (root / "overrides" / template).write_text(text, encoding="utf-8")
    result = run_mkdocs_build(root / "mkdocs.yml", root / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"{MODULE}: " in output and complaint in output, output
    assert not (root / "site").exists()


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_serve_is_told_of_changes_by_the_system_and_not_of_files_only_read(
    tmp_path: Path,
) -> None:
    entry = tmp_path / "papers" / "alpha.yaml"
    entry.parent.mkdir()
    entry.write_text("title: Alpha\n", encoding="utf-8")
    with change_events_from_the_system():
        server = getattr(mkdocs_serve, "LiveReloadServer")(  # noqa: B009
            lambda: None, "127.0.0.1", 0, str(tmp_path)
        )
    assert getattr(mkdocs_serve, "LiveReloadServer") is LiveReloadServer  # noqa: B009
    assert not isinstance(server.observer, PollingObserver)
    server.watch(str(entry.parent))
    server.observer.start()
    try:
        entry.read_text(encoding="utf-8")  # as every rebuild does: no rebuild for that
        assert not _wait_for(lambda: server._want_rebuild, 0.5)
        entry.write_text("title: Alpha, edited\n", encoding="utf-8")
        assert _wait_for(lambda: server._want_rebuild, 5.0)
        server._want_rebuild = False
        saved = entry.with_name(".alpha.yaml.swp")  # an editor saving by renaming a copy
        saved.write_text("title: Alpha, edited again\n", encoding="utf-8")
        saved.replace(entry)
        assert _wait_for(lambda: server._want_rebuild, 5.0)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_without_it_mkdocs_polls_as_serve_poll_wants() -> None:
    server = getattr(mkdocs_serve, "LiveReloadServer")(lambda: None, "127.0.0.1", 0, ".")  # noqa: B009
    server.server_close()
    assert isinstance(server.observer, PollingObserver)
