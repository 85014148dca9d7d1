"""Real MkDocs builds: the fixture catalogue, the committed catalogue, and a failing check."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import CatalogueSources, load_catalogue
from tests.golden import FIXTURE
from tests.support import build_site, built_once, copy_catalogue, run_mkdocs_build

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`


ROOT = Path(__file__).resolve().parent.parent


class LinkCollector(HTMLParser):
    """Collects the hrefs of links whose attributes `wanted` accepts."""

    def __init__(self, wanted: Callable[[dict[str, str | None]], bool]) -> None:
        super().__init__()
        self.wanted = wanted
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and self.wanted(values):
            self.hrefs.append(values.get("href") or "")


def links(html_file: Path, wanted: Callable[[dict[str, str | None]], bool]) -> list[str]:
    parser = LinkCollector(wanted)
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.hrefs


def is_tag_chip(attrs: dict[str, str | None]) -> bool:
    """A chip of a paper's page: a facet of its search (chips have no class of their own)."""
    return attrs.get("data-pagefind-filter") == "tag"


def is_list_title(attrs: dict[str, str | None]) -> bool:
    """A list entry's title: its link with `dir="auto"` and no class."""
    return attrs.get("dir") == "auto" and "class" not in attrs


@pytest.fixture
def built_fixture(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the fixture catalogue (`repo`) and of its built site, with what the build
    keeps beside it, for a test to change: one build for all the tests here."""

    def build(folder: Path) -> None:
        build_site(copy_catalogue(FIXTURE, folder / "repo") / "mkdocs.yml", folder / "site")

    shutil.copytree(built_once(tmp_path_factory, "fixture-site", build), tmp_path / "built")
    return tmp_path / "built" / "repo", tmp_path / "built" / "site"


def test_fixture_catalogue_builds_with_real_mkdocs(built_fixture: tuple[Path, Path]) -> None:
    _, site = built_fixture
    page = (site / "papers" / "autol2s-easy-token" / "index.html").read_text(encoding="utf-8")
    assert "a special &lt;EASY&gt; token" in page
    assert "Diff-Instruct*" in page and "<em>" not in page.split("catalogue-paper")[1]
    assert (site / "tags" / "kv-cache" / "index.html").is_file()
    assert not (site / "tags" / "unused").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"holds <strong>3</strong> papers under <strong>3</strong> tags", home)


def test_every_seed_paper_has_its_page_and_every_tag_page_lists_the_right_papers(
    seed_site: Path,
) -> None:
    catalogue = load_catalogue(CatalogueSources(ROOT))
    for paper in catalogue.papers:
        page = seed_site / "papers" / paper.slug / "index.html"
        assert page.is_file(), f"no page for {paper.source}"
        chips = links(page, is_tag_chip)
        assert [href.split("/")[-2] for href in chips] == list(paper.entry.tags)
    for tag in catalogue.vocabulary.tags:
        expected = {p.slug for p in catalogue.tag_index.papers(tag.id)}
        page = seed_site / "tags" / tag.id / "index.html"
        if not expected:
            assert not page.exists()
            continue
        listed = {href.split("/")[-2] for href in links(page, is_list_title)}
        assert listed == expected, f"tags/{tag.id}/ lists the wrong papers"


def test_paper_pages_are_not_in_the_navigation(seed_site: Path) -> None:
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert "papers/llm-in-a-flash" not in home.split('class="md-content"')[0]


def test_edit_link_points_to_the_entry_file(seed_site: Path) -> None:
    page = (
        seed_site
        / "papers"
        / "autol2s-auto-long-short-reasoning-for-efficient-large-language-models"
        / "index.html"
    )
    html = page.read_text(encoding="utf-8")
    assert (
        'href="https://github.com/paper-catalogue/efficient-inference/edit/main/papers/'
        'autol2s-auto-long-short-reasoning-for-efficient-large-language-models.yaml"'
    ) in html
    assert "a special &lt;EASY&gt; token" in html


def test_a_failing_check_stops_the_build_before_anything_is_written(
    built_fixture: tuple[Path, Path],
) -> None:
    repo, site = built_fixture
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (repo / "papers" / "broken.yaml").write_text("title: X\nabstract: Y\ntags: [kv-cach]\n")
    result = run_mkdocs_build(repo / "mkdocs.yml", site)
    assert result.returncode == 1
    assert (
        "papers/broken.yaml:3: tags: unknown tag 'kv-cach' (did you mean 'kv-cache'?)"
        in result.stderr
    )
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before


def test_deleting_an_entry_removes_its_page(built_fixture: tuple[Path, Path]) -> None:
    repo, site = built_fixture
    assert (site / "papers" / "autol2s-easy-token" / "index.html").exists()
    (repo / "papers" / "autol2s-easy-token.yaml").unlink()
    shutil.copy2(repo / "papers" / "moe2-edge-inference.yaml", repo / "papers" / "moe2-copy.yaml")
    (repo / "papers" / "moe2-copy.yaml").write_text(
        "title: Another quantized paper\nabstract: Text.\ntags: [quantization, llm]\n"
    )
    build_site(repo / "mkdocs.yml", site)
    assert not (site / "papers" / "autol2s-easy-token").exists()
