"""Hostile entries: each is built safely or rejected with a message naming its file and field.

The rendered half of the corpus is built once with the real `mkdocs build --strict`
(`hostile_site`); every file of that site is scanned for markup from the entries, and every
paper page must show its entry's text exactly as written. The rejected half must fail the
check with one problem per case, and a build of it must leave the previous site untouched.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from generator import CatalogueError, CatalogueSources, Entry, RenderSettings, load_catalogue
from generator.model.text import _MATH_RE, MARKUP_TAGS, teaser, to_plain
from generator.render.page import FRONT_MATTER_KEYS
from generator.render.pages import render_pages
from tests.hostile.corpus import BASE_ENTRIES, REJECTED, RENDERED, Case, counts, write_cases
from tests.hostile.output_scan import MARKER, scan_site
from tests.hostile.page_text import (
    PAPER_TEMPLATE_ELEMENTS,
    read_page,
    template_elements,
    visible,
)
from tests.reader_checks import check_reader_features
from tests.support import copy_catalogue, run_mkdocs_build

SITE_NAME = "Efficient Inference Papers"
SITE_URL = "https://paper-catalogue.github.io/efficient-inference/"
TEXT_CASES = [case for case in RENDERED if not _MATH_RE.search(case.content.decode("utf-8-sig"))]


def _entry(case: Case) -> Entry:
    return Entry.model_validate(case.fields)


def _page(site: Path, slug: str) -> str:
    return (site / "papers" / slug / "index.html").read_text(encoding="utf-8")


def test_corpus_covers_every_kind_of_attack() -> None:
    found = counts()
    assert found.rendered >= 60 and found.rejected >= 100, found
    wanted = {"script", "event", "breakout", "javascript", "template", "markdown"}
    wanted |= {"front-matter", "path", "size", "yaml", "link", "collision", "export"}
    assert wanted <= set(found.by_category), found.by_category
    assert all(MARKER in case.content.decode("utf-8", "replace").lower() for case in RENDERED[:20])


def test_no_markup_from_an_entry_reaches_any_output(hostile_site: Path) -> None:
    files = [path for path in hostile_site.rglob("*") if path.is_file()]
    assert len(files) > len(RENDERED)  # the scan below really reads a whole site
    findings = scan_site(hostile_site)
    assert findings == [], "\n".join(str(finding) for finding in findings)


@pytest.mark.parametrize("case", TEXT_CASES, ids=[case.name for case in TEXT_CASES])
def test_paper_page_shows_the_entry_text_exactly(hostile_site: Path, case: Case) -> None:
    entry = _entry(case)
    html = _page(hostile_site, case.name)
    article = read_page(html, "article.catalogue-paper")
    assert len(article.regions) == 1
    assert article.title == f"{to_plain(entry.title)} - {SITE_NAME}"
    assert article.meta["description"] == teaser(entry.abstract, 160)
    title = read_page(html, "h1.catalogue-paper__title").regions
    assert [region.visible_text for region in title] == [visible(to_plain(entry.title))]
    abstract = read_page(html, "p.catalogue-paper__abstract").regions
    assert [region.visible_text for region in abstract] == [visible(to_plain(entry.abstract))]
    authors = read_page(html, "p.catalogue-paper__authors").regions
    assert [region.visible_text for region in authors] == (
        [visible(", ".join(entry.authors))] if entry.authors else []
    )
    venue = read_page(html, "span.catalogue-paper__venue").regions
    assert [region.visible_text for region in venue] == (
        [visible(entry.venue)] if entry.venue else []
    )
    # The article holds only what the template writes: no element made from entry text.
    # Related papers show other entries' titles, whose formulas are (sanitised) MathML; this
    # entry's own title and abstract hold none.
    assert template_elements(html, article.regions[0]) <= PAPER_TEMPLATE_ELEMENTS | MARKUP_TAGS
    assert not set(title[0].elements) & MARKUP_TAGS
    assert not set(abstract[0].elements) & MARKUP_TAGS


def test_math_cases_render_only_mathml(hostile_site: Path) -> None:
    math_cases = [case for case in RENDERED if case not in TEXT_CASES]
    assert len(math_cases) >= 2
    for case in math_cases:
        html = _page(hostile_site, case.name)
        article = read_page(html, "article.catalogue-paper")
        assert template_elements(html, article.regions[0]) <= PAPER_TEMPLATE_ELEMENTS | MARKUP_TAGS


def test_lists_and_search_index_show_titles_as_text(hostile_site: Path) -> None:
    expected = sorted(visible(to_plain(_entry(case).title)) for case in RENDERED)
    listing = (hostile_site / "papers" / "index.html").read_text(encoding="utf-8")
    # A list entry's title is its link with `dir="auto"` and no class.
    links = read_page(listing, "a").regions
    titles = [r for r in links if "class" not in r.attrs and r.attrs.get("dir") == "auto"]
    plain_titles = [case for case in RENDERED if case in TEXT_CASES]
    shown = {region.visible_text for region in titles}
    assert len(titles) == len(RENDERED)
    assert {visible(to_plain(_entry(case).title)) for case in plain_titles} <= shown
    # Pagefind keeps each page's title as plain text, which the search box shows with
    # textContent: it must be the title exactly.
    records = {}
    for fragment in (hostile_site / "pagefind" / "fragment").iterdir():
        raw = gzip.decompress(fragment.read_bytes())
        record = json.loads(raw[len(b"pagefind_dcd") :])
        records[record["url"]] = record
    for case in plain_titles:
        title = records[f"/papers/{case.name}/"]["meta"]["title"]
        assert visible(title) == visible(to_plain(_entry(case).title)), case.name
    assert len(expected) == len(RENDERED)


def test_generated_pages_have_only_the_fixed_front_matter(hostile_catalogue: Path) -> None:
    catalogue = load_catalogue(CatalogueSources(hostile_catalogue))
    pages = render_pages(catalogue, RenderSettings())
    markdown_pages = {uri: page for uri, page in pages.items() if uri.endswith(".md")}
    assert len(markdown_pages) > len(RENDERED)
    for uri, page in markdown_pages.items():
        body, meta = get_data(page)
        assert tuple(meta) == FRONT_MATTER_KEYS, uri
        assert all(isinstance(value, str) for value in meta.values()), uri
        assert body.lstrip().startswith("<"), uri  # one raw HTML block, nothing before it
    for case in RENDERED:
        _, meta = get_data(pages[f"papers/{case.name}.md"])
        assert meta["title"] == to_plain(_entry(case).title)


def test_renamed_entry_in_the_corpus_redirects(hostile_site: Path) -> None:
    redirect = (hostile_site / "papers" / "old-hostile-address" / "index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../all-fields/">' in redirect
    assert (
        '<link rel="canonical" href="https://paper-catalogue.github.io/efficient-inference/'
        'papers/all-fields/">' in redirect
    )


# --- The rejected half -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rejected_catalogue(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    root = copy_catalogue(repo_root, tmp_path_factory.mktemp("rejected-catalogue"), papers=False)
    write_cases(root / "papers", BASE_ENTRIES + REJECTED)
    return root


@pytest.fixture(scope="module")
def rejection(rejected_catalogue: Path) -> CatalogueError:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(CatalogueSources(rejected_catalogue))
    return caught.value


@pytest.mark.parametrize("case", REJECTED, ids=[case.name for case in REJECTED])
def test_rejected_with_a_message_naming_file_and_field(
    rejection: CatalogueError, case: Case
) -> None:
    path = f"papers/{case.filename}"
    mine = [problem for problem in rejection.problems if problem.path == path]
    assert mine, f"{case.name}: no problem reported for {path!r}"
    assert case.message is not None
    assert any(
        problem.field == case.field and case.message in problem.message for problem in mine
    ), f"{case.name}: wanted {case.field}: ...{case.message}..., got:\n" + "\n".join(
        str(problem) for problem in mine
    )


def test_only_the_rejected_files_have_problems(rejection: CatalogueError) -> None:
    rejected_paths = {f"papers/{case.filename}" for case in REJECTED}
    assert {problem.path for problem in rejection.problems} == rejected_paths


@pytest.mark.slow
def test_report_is_one_line_per_problem(rejected_catalogue: Path) -> None:
    # File names and keys hold newlines and escapes: the report must not let them forge lines.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from generator.cli import main; main()",
            "check",
            "--root",
            str(rejected_catalogue),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("problems found.")
    assert all(line.startswith("papers/") for line in lines[:-1]), lines
    assert "\x1b" not in result.stderr
    assert "papers/newline\\n.yaml:1: file:" in result.stderr


@pytest.mark.slow
def test_failed_build_leaves_the_previous_site_untouched(rejected_catalogue: Path) -> None:
    site = rejected_catalogue / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    result = run_mkdocs_build(rejected_catalogue / "mkdocs.yml", site)
    assert result.returncode != 0
    assert "papers/zz-same-arxiv.yaml:1: arxiv: same arXiv id as papers/aaa-base-one.yaml" in (
        result.stderr
    )
    assert "problems found; the site was not built" in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not (rejected_catalogue / ".site.staging").exists()


def _is_citation_meta(values: dict[str, str | None]) -> bool:
    """Google Scholar and OpenGraph tags of a paper page (their values are tested as text in
    tests/test_reader_features.py; the scan above finds any markup in them)."""
    key = "name" if "name" in values else "property"
    label = values.get(key) or ""
    return set(values) == {key, "content"} and label.startswith(("citation_", "og:"))


def _skeleton_outside_article(html: str) -> list[str]:
    """Element names, attribute names and classes of everything outside the paper's article."""
    from html.parser import HTMLParser

    skeleton: list[str] = []

    class Skeleton(HTMLParser):
        depth_in_article = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            if self.depth_in_article or "catalogue-paper" in (values.get("class") or "").split():
                self.depth_in_article += tag not in ("br", "img", "input", "meta", "link")
                return
            if tag == "meta" and _is_citation_meta(values):
                return  # one per author, date, venue...: how many depends on the entry's fields
            skeleton.append(f"{tag}{sorted(values)}{values.get('class') or ''}")

        def handle_endtag(self, tag: str) -> None:
            if self.depth_in_article:
                self.depth_in_article -= 1

    parser = Skeleton()
    parser.feed(html)
    parser.close()
    return skeleton


def test_entry_text_changes_nothing_outside_its_article(hostile_site: Path) -> None:
    reference = _skeleton_outside_article(_page(hostile_site, "minimal"))
    # The head, header, tabs, sidebars' boxes and footer (the drawer is written by a script).
    assert len(reference) > 60
    for case in RENDERED:
        assert _skeleton_outside_article(_page(hostile_site, case.name)) == reference, case.name


def test_build_writes_nothing_outside_the_site_folder(hostile_catalogue: Path) -> None:
    site = hostile_catalogue / "site"
    written = {p.relative_to(hostile_catalogue).as_posix() for p in hostile_catalogue.rglob("*")}
    outside = {path for path in written if not path.startswith("site/") and path != "site"}
    inputs = {"mkdocs.yml", "tags.yaml", "CONTRIBUTING.md", "docs", "overrides", "papers"}
    # Beside the site: its lock, and what the build records for the next (page_record.py).
    inputs |= {".site.lock", ".site.record"}
    assert {path.split("/")[0] for path in outside} == inputs
    assert {p.name for p in (hostile_catalogue / "papers").iterdir()} == {
        case.filename for case in RENDERED
    }
    assert site.is_dir()


def test_citations_and_exports_read_back_exactly(
    hostile_site: Path, hostile_catalogue: Path
) -> None:
    # What tests/test_reader_features.py checks on the seed: every paper's BibTeX (pybtex and
    # bibtexparser), RIS (rispy) and CSL-JSON equal to its entry, the whole-catalogue
    # exports, the feeds. Real BibTeX and LaTeX: tests/test_latex_consumers.py.
    catalogue = load_catalogue(CatalogueSources(hostile_catalogue))
    check_reader_features(hostile_site, catalogue, SITE_URL)
