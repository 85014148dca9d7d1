"""`catalogue check` on GitHub Actions: problems as `::error` annotations on the right line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.model.annotations import escape_data, escape_property, github_annotation
from generator.model.problems import Problem
from tests.support import copy_catalogue

FLASH = "papers/llm-in-a-flash-efficient-large-language-model-inference-with-limited-memory.yaml"
H2O = "papers/h2o-heavy-hitter-oracle-for-efficient-generative-inference-of-large-language.yaml"


@pytest.fixture
def broken(repo_root: Path, tmp_path: Path) -> Path:
    """A catalogue copy with two broken entries: a misspelt tag and a duplicated title."""
    root = copy_catalogue(repo_root, tmp_path)
    flash = root / FLASH
    flash.write_text(
        flash.read_text(encoding="utf-8").replace("- hardware\n", "- quantisation\n"), "utf-8"
    )
    copy = root / "papers" / "h2o-copy.yaml"
    copy.write_text((root / H2O).read_text(encoding="utf-8"), encoding="utf-8")
    return root


def run_check(root: Path, *args: str, github: bool = False) -> Result:
    env = {"GITHUB_ACTIONS": "true" if github else ""}
    return CliRunner().invoke(main, ["check", "--root", str(root), *args], env=env)


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("50% of\r\nlines: a, b") == "50%25 of%0D%0Alines: a, b"
    assert escape_property("50% of\r\nlines: a, b") == "50%25 of%0D%0Alines%3A a%2C b"
    # A value cannot close the command early or smuggle another one in.
    hostile = "x::error file=evil.py::pwned\n::warning::more"
    line = github_annotation(Problem("papers/a,b:c.yaml", 3, "title", hostile))
    assert line == (
        "::error file=papers/a%2Cb%3Ac.yaml,line=3,title=catalogue check%3A title::"
        "title: x::error file=evil.py::pwned%0A::warning::more"
    )
    assert "\n" not in line


def test_under_github_actions_problems_become_annotations(broken: Path) -> None:
    result = run_check(broken, github=True)

    assert result.exit_code == 1
    annotations = result.stdout.splitlines()
    assert (
        f"::error file={FLASH},line=5,title=catalogue check%3A tags::tags: unknown tag "
        "'quantisation' (did you mean 'quantization'?)"
    ) in annotations
    assert (
        f"::error file={H2O},line=2,title=catalogue check%3A title::title: same title as "
        "papers/h2o-copy.yaml; one paper gets one entry (edit that file instead)"
    ) in annotations
    assert all(line.startswith("::error file=papers/") for line in annotations)
    # The log still shows the plain report, one line per problem, on stderr.
    assert f"{FLASH}:5: tags: unknown tag 'quantisation' (did you mean 'quantization'?)" in (
        result.stderr.splitlines()
    )
    assert "::error" not in result.stderr
    assert len(result.stderr.splitlines()) == len(annotations) + 1


def test_format_option_overrides_the_environment(broken: Path) -> None:
    text = run_check(broken, "--format", "text", github=True)
    assert text.exit_code == 1
    assert "::error" not in text.output
    assert f"{FLASH}:5: tags: unknown tag 'quantisation'" in text.stderr

    github = run_check(broken, "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.startswith("::error file=")


def test_paths_limit_the_report_to_those_files(broken: Path) -> None:
    only_flash = run_check(broken, str(broken / FLASH))
    assert only_flash.exit_code == 1
    assert "quantisation" in only_flash.stderr
    assert "same title" not in only_flash.stderr

    # The duplicate is reported on the other file but names this one: it is shown too.
    copy = run_check(broken, str(broken / "papers" / "h2o-copy.yaml"))
    assert copy.exit_code == 1
    assert "same title as papers/h2o-copy.yaml" in copy.stderr

    clean = run_check(
        broken, str(broken / "papers" / "a-global-context-mechanism-for-sequence-labeling.yaml")
    )
    assert clean.exit_code == 0
    assert clean.stdout.startswith(
        "No problems in the 1 given file(s); the catalogue has 2 elsewhere"
    )

    vocabulary = run_check(broken, str(broken / "tags.yaml"))
    assert vocabulary.exit_code == 1
    assert "quantisation" in vocabulary.stderr and "same title" in vocabulary.stderr


def test_a_clean_catalogue_passes_in_both_formats(repo_root: Path) -> None:
    for github in (False, True):
        result = run_check(repo_root, github=github)
        assert result.exit_code == 0, result.output
        assert result.stdout == "124 entries and 27 tags: no problems found.\n"
