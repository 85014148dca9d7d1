"""A synthetic catalogue of 250 papers built by the real `mkdocs build --strict`: paginated
lists, paper pages written through the theme shell, sitemaps, the Pagefind index, progress."""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.benchmarks.synthetic import synthesize_catalogue
from tests.support import build_site, built_once, run_mkdocs_build

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`


PAPERS = 320
PAGE_SIZE = 10
HOSTILE_TITLE = 'Fast </title><script>alert("x")</script> & "quoted" <EASY> inference'


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    """The catalogue, written once for all workers: tests that change it change a copy."""
    return built_once(
        tmp_path_factory, "scale-catalogue", lambda root: write_catalogue(root, repo_root)
    )


def write_catalogue(root: Path, repo_root: Path) -> None:
    # The legacy corpus: its files are named paper-NNNNNN, which these tests address.
    synthesize_catalogue(root, PAPERS, seed=3, template_root=repo_root, corpus="legacy")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("edit_branch: main", f"edit_branch: main\n      list_page_size: {PAGE_SIZE}")
    )
    (root / "papers" / "hostile.yaml").write_text(
        f"title: '{HOSTILE_TITLE}'\n"
        'abstract: An abstract with <b>tags</b> & ampersands, "quotes" and $x^2$.\n'
        "date: '2014-02-03'\nvenue: Venue <i>X</i>\ntags:\n- topic-00\n- topic-01\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def built(catalogue: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The catalogue's site and the build's log, built once for all workers."""

    def build(folder: Path) -> None:
        result = build_site(catalogue / "mkdocs.yml", folder / "site")
        (folder / "build.log").write_text(result.stderr, encoding="utf-8")

    folder = built_once(tmp_path_factory, "scale-site", build)
    return folder / "site", (folder / "build.log").read_text(encoding="utf-8")


def test_every_paper_has_a_page_in_the_theme(built: tuple[Path, str]) -> None:
    site, _ = built
    pages = sorted((site / "papers").glob("paper-*/index.html"))
    assert len(pages) == PAPERS
    page = (site / "papers" / "paper-000007" / "index.html").read_text(encoding="utf-8")
    # The theme around it: header, stylesheet, the search box, the canonical address.
    assert 'class="md-header catalogue-header--no-menu"' in page
    assert 'href="../../assets/stylesheets/main.' in page
    # The search box, which only works with a script, is written by one of the theme's.
    scripts = re.findall(r'<script src="(\.\./\.\./assets/javascripts/catalogue-[^"]+)"', page)
    folder = site / "papers" / "paper-000007"
    assert any(
        "data-catalogue-search" in (folder / src).read_text(encoding="utf-8") for src in scripts
    )
    assert (
        '<link rel="canonical" href="https://paper-catalogue.github.io/efficient-inference/'
        'papers/paper-000007/">' in page
    )
    assert (
        'href="https://github.com/paper-catalogue/efficient-inference/edit/main/'
        'papers/paper-000007.yaml"' in page
    )
    # The placeholders of the shell are all filled.
    assert "xcatalogue" not in page
    assert page.count('<article class="catalogue-paper"') == 1
    assert page.count("<h1") == 1  # the theme adds none of its own


def test_hostile_text_is_escaped_in_the_theme_and_the_body(built: tuple[Path, str]) -> None:
    site, _ = built
    page = (site / "papers" / "hostile" / "index.html").read_text(encoding="utf-8")
    escaped = html.escape(HOSTILE_TITLE)
    assert f"<title>{escaped} - " in page
    assert "<script>alert" not in page
    assert "<b>tags</b>" not in page and "<i>X</i>" not in page
    assert page.count(escaped) >= 2  # <title> and the header's page title


def test_facets_and_search_body_are_marked(built: tuple[Path, str]) -> None:
    site, _ = built
    page = (site / "papers" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in page
    assert 'data-pagefind-filter="year:2014"' in page
    # The venue's name is the facet; its text links to the venue's page.
    venue = (
        r'data-pagefind-filter="venue\[data-venue\]" data-venue="Venue &lt;i&gt;X&lt;/i&gt;">'
        r'<a href="[^"]+" dir="auto">Venue &lt;i&gt;X&lt;/i&gt;</a></span>'
    )
    assert re.search(venue, page)
    assert re.search(r'data-pagefind-filter="tag">Topic 00</a>', page)


def _hrefs(page: str) -> list[str]:
    return re.findall(r'href="([^"#:]+)"', page)


def test_lists_are_paginated_and_every_link_resolves(built: tuple[Path, str]) -> None:
    site, _ = built
    first = (site / "papers" / "index.html").read_text(encoding="utf-8")
    assert first.count('<li><a dir="auto" href=') == PAGE_SIZE
    assert "page 1 of 33" in first
    last = (site / "papers" / "page" / "33" / "index.html").read_text(encoding="utf-8")
    assert last.count('<li><a dir="auto" href=') == PAPERS + 1 - 32 * PAGE_SIZE
    assert 'rel="prev" href="../32/"' in last
    assert '<span class="catalogue-pager__gap">' in last
    list_pages = [site / "papers" / "index.html", *site.glob("papers/page/*/index.html")]
    list_pages += list(site.glob("tags/**/index.html"))
    assert any("/page/" in str(p) and "tags" in str(p) for p in list_pages)
    for path in list_pages:
        text = path.read_text(encoding="utf-8")
        assert len(text.encode()) < 100_000, path
        base = "file://" + str(path.parent) + "/"
        for href in _hrefs(text):
            target = Path(urljoin(base, href)[len("file://") :])
            target = target / "index.html" if href.endswith("/") else target
            assert target.exists(), f"{path}: {href}"


def test_sitemap_index_lists_every_page(built: tuple[Path, str]) -> None:
    site, _ = built
    index = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in index
    generated = (site / "sitemap-generated-1.xml").read_text(encoding="utf-8")
    assert generated.count("<loc>") >= PAPERS + 1
    assert "/papers/hostile/</loc>" in generated
    assert "/papers/</loc>" in (site / "sitemap-pages.xml").read_text(encoding="utf-8")


def test_search_index_covers_papers_and_hand_written_pages(built: tuple[Path, str]) -> None:
    site, _ = built
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    # Every paper plus home, about and contributing; no list page.
    assert language["page_count"] == PAPERS + 1 + 3
    assert (site / "pagefind" / "pagefind.js").exists()
    assert list((site / "pagefind" / "filter").iterdir())


def test_progress_is_logged_per_stage_without_a_terminal(built: tuple[Path, str]) -> None:
    _, log = built
    for stage in ("load entries", "validate and index", "write generated pages",
                  "search index (Pagefind)"):  # fmt: skip
        assert re.search(rf"INFO +- +catalogue: {re.escape(stage)}: .*\d s", log), stage


@dataclass(frozen=True)
class Rebuilt:
    """The shared site copied, one abstract changed, and built again over it with `--quiet`."""

    site: Path
    before: dict[Path, tuple[int, int]]
    """Each HTML file's inode and modification time before the rebuild."""
    log: str


@pytest.fixture(scope="module")
def rebuilt(
    catalogue: Path, built: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Rebuilt:
    # The first build is the shared one, copied with what it keeps beside the site (other
    # tests read it); the second is this fixture's, quiet as a script would run it.
    work = tmp_path_factory.mktemp("rebuilt")
    changed, site = work / "cat", work / "published" / "site"
    shutil.copytree(catalogue, changed)
    shutil.copytree(built[0].parent, site.parent, symlinks=True)
    assert (site.parent / ".site.record").is_dir()
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.rglob("*.html")}
    entry = changed / "papers" / "paper-000042.yaml"
    original = entry.read_text(encoding="utf-8")
    entry.write_text(original.replace("abstract: ", "abstract: Changed. ", 1), encoding="utf-8")
    result = run_mkdocs_build(changed / "mkdocs.yml", site, "--quiet")
    assert result.returncode == 0, result.stderr
    return Rebuilt(site, before, result.stderr)


def test_quiet_silences_progress(built: tuple[Path, str], rebuilt: Rebuilt) -> None:
    assert "catalogue:" in built[1]  # the same catalogue, not quiet
    assert "catalogue:" not in rebuilt.log


def test_second_build_rewrites_only_the_changed_pages(rebuilt: Rebuilt) -> None:
    # Publishing (generator/site/publish.py) keeps every byte-identical file as it was.
    site, before = rebuilt.site, rebuilt.before
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.rglob("*.html")}
    assert after.keys() == before.keys()
    rewritten = {p.relative_to(site).as_posix() for p in after if after[p] != before[p]}
    # The paper's page, and the list pages that show its teaser (all papers, its tags).
    assert "papers/paper-000042/index.html" in rewritten
    assert all(not r.startswith("papers/paper-") or "000042" in r for r in rewritten), rewritten
    assert len(rewritten) <= 1 + 1 + 4 * 2, rewritten
