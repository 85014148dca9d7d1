"""`overrides/` is readable by a Jinja-compatible engine that cannot call Python (Zensical
renders Material's templates with MiniJinja, from plain data): no method calls, no Python-only
filters, no attribute chains that only MkDocs' Python objects have (`page.file.src_uri`,
`config.plugins.x.config`). Each template is parsed into Jinja's syntax tree and every call,
filter, test and attribute chain in it is checked against what such an engine offers.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

ROOT = Path(__file__).resolve().parent.parent

FILTERS = {
    "default", "d", "escape", "e", "first", "join", "last", "length", "list", "lower",
    "replace", "safe", "string", "tojson", "trim", "upper",
    "url",  # the theme's filter for site addresses: MkDocs, ProperDocs and Zensical have it
}  # fmt: skip
"""Built-in filters of MiniJinja as well as Jinja2, and `url`; not `attr`, `map`, `xmlattr`."""
TESTS = {"defined", "undefined", "none", "mapping", "string", "number", "sequence", "true"}
CALLABLE = {"super", "namespace", "range"}
"""Names a template may call: Jinja's own, not Python's."""
MACRO_MODULES = {"lang"}
"""Template modules whose macros a template may call: Material imports its translations
(`partials/language.html`) as `lang`, so `lang.t("...")` is a Jinja macro, not Python."""

DATA = {
    "config": None,  # the configuration: plain YAML data below it...
    "page": {"title", "meta", "url", "canonical_url", "edit_url", "content", "toc"},
    "nav": {"homepage"},
}
"""Roots of the context whose attributes are plain data: any key of `config` (from
`mkdocs.yml`) but `plugins`, the page's documented fields, the navigation's home page."""
NOT_DATA = {"config": {"plugins"}}
"""Attributes of `config` that are Python objects (each plugin and its settings)."""


def problems(source: str) -> list[str]:
    """Every construct of a template that needs Python objects, with its line."""
    tree = jinja2.Environment().parse(source)
    macros = {m.name for m in tree.find_all(nodes.Macro)}
    found = []
    for node in tree.find_all((nodes.Call, nodes.Filter, nodes.Test, nodes.Getattr)):
        where = f"line {node.lineno}"
        if isinstance(node, nodes.Call):
            callee = node.node
            if isinstance(callee, nodes.Name) and callee.name in CALLABLE | macros:
                continue
            if (
                isinstance(callee, nodes.Getattr)
                and isinstance(callee.node, nodes.Name)
                and callee.node.name in MACRO_MODULES
            ):
                continue
            found.append(f"{where}: calls {_dotted(callee)}")
        elif isinstance(node, nodes.Filter) and node.name not in FILTERS:
            found.append(f"{where}: filter {node.name}")
        elif isinstance(node, nodes.Test) and node.name not in TESTS:
            found.append(f"{where}: test {node.name}")
        elif isinstance(node, nodes.Getattr):
            chain = _dotted(node).split(".")
            root = chain[0]
            if root in DATA and len(chain) > 1:
                allowed = DATA[root]
                if chain[1] in NOT_DATA.get(root, set()):
                    found.append(f"{where}: {'.'.join(chain)} is a Python object")
                elif allowed is not None and chain[1] not in allowed:
                    found.append(f"{where}: {'.'.join(chain)} is not plain data")
    return sorted(set(found))


def _dotted(node: nodes.Node) -> str:
    """`a.b.c` for a chain of attributes (or item lookups by constant) on a name."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}.{node.arg.value}"
    return f"<{type(node).__name__.lower()}>"


TEMPLATES = sorted((ROOT / "overrides").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_override_needs_no_python_objects(template: Path) -> None:
    assert problems(template.read_text(encoding="utf-8")) == []


def test_every_override_is_checked() -> None:
    assert {p.relative_to(ROOT / "overrides").as_posix() for p in TEMPLATES} >= {
        "main.html", "partials/header.html", "partials/source.html",
        "partials/catalogue-search.html",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ('{% if page.file.src_uri.startswith("papers/") %}x{% endif %}',
         "line 1: calls page.file.src_uri.startswith"),
        ("{{ page.file.src_uri }}", "line 1: page.file.src_uri is not plain data"),
        ("{{ config.plugins.mike.config.version_selector }}",
         "line 1: config.plugins.mike.config is a Python object"),
        ('{{ config.plugins["material/search"] | attr("config") }}', "line 1: filter attr"),
        ("{{ page.meta.items() }}", "line 1: calls page.meta.items"),
        ("{{ nav.pages | map(attribute='title') | join }}", "line 1: filter map"),
        ("{% if x is divisibleby(3) %}{% endif %}", "line 1: test divisibleby"),
    ],
)  # fmt: skip
def test_constructs_that_need_python_are_refused(source: str, problem: str) -> None:
    assert problem in problems(source)


def test_what_material_s_templates_do_portably_is_accepted() -> None:
    source = (
        '{% import "partials/language.html" as lang with context %}'
        "{% set _ = namespace() %}{% set _.tags = config.extra.tags %}"
        '{{ lang.t("clipboard.copy") }}{{ config.theme.icon.repo or "x" }}'
        "{{ config.extra.homepage | d(nav.homepage.url, true) | url }}"
        "{% if page.meta and page.meta.title %}{{ page.meta.title }}{% endif %}"
        "{% if config.theme.palette is mapping %}{{ super() }}{% endif %}"
    )
    assert problems(source) == []
