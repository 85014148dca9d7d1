"""The guides: one contributing text for GitHub and the site; templates that ask what matters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from tests.support import copy_catalogue, run_mkdocs_build


def guide(repo_root: Path) -> str:
    return (repo_root / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_guide_covers_what_a_contributor_needs(repo_root: Path) -> None:
    headings = re.findall(r"^#+ (.+)$", guide(repo_root), re.MULTILINE)
    for wanted in ("Add a paper in three steps", "Fix a paper", "Propose a tag", "What CI checks"):
        assert wanted in headings
    steps = re.findall(r"^\*\*(\d)\. ", guide(repo_root), re.MULTILINE)
    assert steps == ["1", "2", "3"]


def test_guide_names_only_commands_that_exist(repo_root: Path) -> None:
    text = guide(repo_root)
    # Commands as written in code: `catalogue check`, .venv/bin/catalogue add ...
    subcommands = set(re.findall(r"(?:bin/|`)catalogue ([a-z][\w-]*)", text))
    assert {"add", "check"} <= subcommands
    assert subcommands <= set(main.commands), subcommands - set(main.commands)
    makefile = (repo_root / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make (\w+)", text)) | set(
        re.findall(r"^make (\w+)", text, re.M)
    ):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"make {target}"


def test_site_page_is_the_guide_itself(repo_root: Path, seed_site: Path) -> None:
    # docs/contributing.md holds no prose of its own: the guide, then the model's field table.
    page = (repo_root / "docs" / "contributing.md").read_text(encoding="utf-8")
    assert page.index("<!-- catalogue:contributing -->") < page.index("<!-- catalogue:fields -->")
    assert re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL).split() == ["##", "The", "fields"]
    html = (seed_site / "contributing" / "index.html").read_text(encoding="utf-8")
    for heading in re.findall(r"^## (.+)$", guide(repo_root), re.MULTILINE):
        assert f">{heading}<" in html, heading
    assert "catalogue add 2312.11514" in html
    assert '<table class="catalogue-fields">' in html


@pytest.mark.slow
def test_build_fails_when_the_guide_is_missing(repo_root: Path, tmp_path: Path) -> None:
    root = copy_catalogue(
        repo_root, tmp_path / "repo" if (tmp_path / "repo").mkdir() is None else tmp_path
    )
    (root / "CONTRIBUTING.md").unlink()
    result = run_mkdocs_build(root / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "CONTRIBUTING.md cannot be read" in result.stderr


def test_pull_request_template_is_a_checklist(repo_root: Path) -> None:
    text = (repo_root / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, re.MULTILINE)
    assert len(items) >= 5
    assert any("make check" in item for item in items)
    assert any("tags" in item for item in items)


def test_issue_form_asks_for_the_arxiv_id(repo_root: Path) -> None:
    form = yaml.safe_load(
        (repo_root / ".github" / "ISSUE_TEMPLATE" / "suggest-paper.yml").read_text(encoding="utf-8")
    )
    assert form["name"] == "Suggest a paper"
    fields = {item.get("id"): item for item in form["body"]}
    assert fields["arxiv"]["type"] == "input"
    assert "arXiv" in fields["arxiv"]["attributes"]["label"]
    assert fields["arxiv"]["validations"]["required"] is True
