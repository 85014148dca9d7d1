"""Compiled templates are kept between builds (`generator/render/template_cache.py`), and kept
code is never taken for a template whose source changed, nor by an environment that reads
templates another way."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.render.template_cache import CACHE_FOLDER, use_compiled_template_cache


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, under this test's own temporary folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def _environment(templates: Path, **options: object) -> tuple[jinja2.Environment, list[str]]:
    """A cached environment over `templates`, and the names of the templates it compiled."""
    compiled: list[str] = []

    class Counting(jinja2.Environment):
        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def, override]
            compiled.append(name)
            return super().compile(source, name, filename, raw, defer_init)

    env = Counting(loader=jinja2.FileSystemLoader(templates), auto_reload=False, **options)  # type: ignore[arg-type]
    return use_compiled_template_cache(env), compiled


def test_a_second_build_takes_the_compiled_template_and_a_changed_one_is_compiled(
    tmp_path: Path,
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{% for x in xs %}<{{ x }}>{% endfor %}\n", "utf-8")
    first, compiled = _environment(templates)
    assert first.get_template("page.html").render(xs=[1, 2]) == "<1><2>"
    assert compiled == ["page.html"]

    again, compiled = _environment(templates)  # as the next build's environment
    assert again.get_template("page.html").render(xs=[3]) == "<3>"
    assert compiled == []

    (templates / "page.html").write_text("{{ xs | length }}\n", "utf-8")
    edited, compiled = _environment(templates)
    assert edited.get_template("page.html").render(xs=[1, 2]) == "2"
    assert compiled == ["page.html"]


def test_an_environment_that_reads_templates_another_way_compiles_its_own(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "list.html").write_text("{% if x %}\n  yes\n{% endif %}\n", "utf-8")
    plain, _ = _environment(templates)
    assert plain.get_template("list.html").render(x=True) == "\n  yes\n"
    trimmed, compiled = _environment(templates, trim_blocks=True, lstrip_blocks=True)
    assert trimmed.get_template("list.html").render(x=True) == "  yes\n"
    assert compiled == ["list.html"]


def test_an_environment_with_a_cache_of_its_own_keeps_it(tmp_path: Path) -> None:
    own = jinja2.FileSystemBytecodeCache(str(tmp_path))
    env = jinja2.Environment(bytecode_cache=own)
    assert use_compiled_template_cache(env).bytecode_cache is own


def test_a_cache_folder_others_may_write_in_is_not_used(cache_home: Path) -> None:
    env = use_compiled_template_cache(jinja2.Environment())
    assert env.bytecode_cache is not None
    shared = cache_home / CACHE_FOLDER
    shared.chmod(0o777)  # anyone could swap the compiled code under it
    env = use_compiled_template_cache(jinja2.Environment())
    assert env.bytecode_cache is None
    assert env.from_string("{{ 1 + 1 }}").render() == "2"
    shared.chmod(0o700)
    assert use_compiled_template_cache(jinja2.Environment()).bytecode_cache is not None


def test_without_a_folder_to_cache_in_templates_are_compiled_as_before(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home.write_text("", "utf-8")  # a file where the cache folder would be
    env = use_compiled_template_cache(jinja2.Environment())
    assert env.bytecode_cache is None
    assert env.from_string("{{ 1 + 1 }}").render() == "2"
