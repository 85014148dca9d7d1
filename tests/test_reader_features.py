"""Reader features on real builds: citations, exports, feeds, meta tags, related papers.

The seed catalogue, a fixture catalogue of awkward entries (authors, venues, dates, hostile
text) and a synthetic catalogue are each built by the real `mkdocs build --strict`, then read
back with real parsers (see `tests.reader_checks`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import CatalogueSources, RenderSettings, load_catalogue
from generator.enrich.catalogue import Catalogue
from generator.enrich.citations import PublicationKind
from generator.model import text
from generator.model.escaping import csv_cell
from generator.render import urls
from generator.render.exports.csl_json import CSL_TYPES
from generator.render.exports.ris import RIS_TYPES
from generator.render.pages import PageRenderer
from tests.benchmarks.synthetic import synthesize_catalogue
from tests.parsed_output import (
    parse_anchors,
    parse_bibtex,
    parse_csv,
    parse_feed,
    parse_head,
    resolve,
)
from tests.reader_checks import RIS_AND_CSL_TYPES, check_reader_features, cite_bib
from tests.support import assemble_catalogue, build_site, built_once

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "reader"
SITE_URL = "https://paper-catalogue.github.io/efficient-inference/"


@pytest.fixture(scope="session")
def seed_catalogue() -> Catalogue:
    return load_catalogue(CatalogueSources(ROOT))


@pytest.fixture(scope="session")
def reader_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Catalogue]]:
    """The fixture catalogue built into a temporary folder, and the catalogue it was built from."""

    def build(folder: Path) -> None:
        root = assemble_catalogue(ROOT, FIXTURE, folder / "repo")
        build_site(root / "mkdocs.yml", root / "site")

    root = built_once(tmp_path_factory, "reader-site", build) / "repo"
    yield root / "site", load_catalogue(CatalogueSources(root))


@pytest.fixture(scope="session")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Catalogue]:
    def build(folder: Path) -> None:
        root = synthesize_catalogue(folder / "repo", 150, seed=3, template_root=ROOT)
        build_site(root / "mkdocs.yml", root / "site")

    root = built_once(tmp_path_factory, "synthetic-reader-site", build) / "repo"
    return root / "site", load_catalogue(CatalogueSources(root))


@pytest.mark.slow
def test_seed_site_reader_features(seed_site: Path, seed_catalogue: Catalogue) -> None:
    check_reader_features(seed_site, seed_catalogue, SITE_URL)


@pytest.mark.slow
def test_fixture_site_reader_features(reader_site: tuple[Path, Catalogue]) -> None:
    check_reader_features(*reader_site, SITE_URL)


@pytest.mark.slow
def test_synthetic_site_reader_features(synthetic_site: tuple[Path, Catalogue]) -> None:
    check_reader_features(*synthetic_site, SITE_URL)


def _listed_slugs(site: Path, path: str) -> list[str]:
    """Paper slugs linked from the paper list of the page at `path`, in order."""
    page = site / path / "index.html"
    anchors = parse_anchors(page.read_text(encoding="utf-8"))
    return [
        resolve(site, page, a["href"]).parent.name
        for a in anchors
        # A list entry's title is its link with `dir="auto"` and no class.
        if "class" not in a and a.get("dir") == "auto"
    ]


def _index_rows(site: Path, path: str) -> dict[str, Path]:
    """Names and targets listed on a browse index page."""
    page = site / path / "index.html"
    html = page.read_text(encoding="utf-8")
    body = html.split('class="catalogue-browse-index"', 1)[1].split("</ul>", 1)[0]
    return {a["text"]: resolve(site, page, a["href"]) for a in parse_anchors(body)}


def test_every_seed_paper_has_five_related_papers(seed_catalogue: Catalogue) -> None:
    related = seed_catalogue.related
    assert all(len(related[p.slug]) == 5 for p in seed_catalogue.papers)


def test_author_pages_merge_only_equal_names(reader_site: tuple[Path, Catalogue]) -> None:
    site, _ = reader_site
    authors = _index_rows(site, "authors/letters/l")
    # "Y. LeCun" is not assumed to be Yann LeCun; "Yann Le Cun" is joined to him by
    # authors.yaml, so his page lists both spellings' papers.
    assert set(authors) == {"Yann LeCun", "Y. LeCun"}
    assert _listed_slugs(site, "authors/yann-lecun") == [
        "le-cun-spelling",  # catalogue order: by title
        "gradient-based-learning",
    ]
    # One paper: no page of his own; the index leads to the paper, which names him unlinked.
    assert authors["Y. LeCun"] == site / "papers" / "initials-only" / "index.html"
    assert not (site / "authors" / "y-lecun").exists()
    initials = (site / "papers" / "initials-only" / "index.html").read_text(encoding="utf-8")
    assert "Y. LeCun" in initials
    assert "Y. LeCun" not in {a["text"] for a in parse_anchors(initials)}
    assert len(_listed_slugs(site, "authors/ana-zhang")) == 5
    letters = _index_rows(site, "authors")
    # By family name: "Ben and Jerry" under J, "@Mention" under M, "José Núñez-García" under N.
    assert list(letters) == ["B", "C", "J", "L", "M", "N", "O", "Z"]
    paper = site / "papers" / "le-cun-spelling" / "index.html"
    anchors = parse_anchors(paper.read_text(encoding="utf-8"))
    by_text = {a["text"]: resolve(site, paper, a["href"]) for a in anchors if "href" in a}
    # The entry's spelling is shown, and links to the joined page.
    assert by_text["Yann Le Cun"] == site / "authors" / "yann-lecun" / "index.html"


def test_every_author_gets_a_page_when_the_setting_says_so(
    reader_site: tuple[Path, Catalogue],
) -> None:
    _, catalogue = reader_site
    for least, expected in ((2, False), (1, True)):
        renderer = PageRenderer(catalogue, RenderSettings(author_page_min_papers=least))
        uris = set(renderer.page_uris())
        assert (urls.author_uri("y-lecun") in uris) is expected
        assert urls.author_uri("yann-lecun") in uris  # two papers: a page either way
        paper = renderer.paper_page(catalogue.paper("initials-only")).html
        linked = re.search(r'<a href="[^"]*/authors/y-lecun/"[^>]*>Y\. LeCun</a>', paper)
        assert (linked is not None) is expected
        assert "Y. LeCun" in paper


def test_year_and_venue_pages(reader_site: tuple[Path, Catalogue]) -> None:
    site, _ = reader_site
    years = _index_rows(site, "years")
    assert list(years) == ["2024", "2023", "1998"]
    assert _listed_slugs(site, "years/2024") == [
        "math-title",  # 2024-05-17
        "le-cun-spelling",  # 2024-03-05
        "efficient-two",  # 2024-02
        "efficient-one",  # 2024-01
        "initials-only",  # 2024: the year only, so after the dated ones
    ]
    venues = _index_rows(site, "venues")
    assert venues["NeurIPS"] == site / "venues" / "neurips" / "index.html"
    assert _listed_slugs(site, "venues/neurips") == ["math-title", "le-cun-spelling"]
    assert _listed_slugs(site, "venues/icml") == ["initials-only"]


def test_citation_keys_are_readable_and_unique(reader_site: tuple[Path, Catalogue]) -> None:
    _, catalogue = reader_site
    assert catalogue.citation_keys == {
        "gradient-based-learning": "lecun1998gradient",
        "initials-only": "lecun2024paper",
        "le-cun-spelling": "cun2024efficient",
        "hostile-title": "jerry2023hyperlink",
        "math-title": "zhang2024h2o",
        # Same first author, year and first word: a and b in slug order.
        "efficient-one": "zhang2024efficienta",
        "efficient-two": "zhang2024efficientb",
    }


def test_hostile_text_stays_text_in_every_format(reader_site: tuple[Path, Catalogue]) -> None:
    site, catalogue = reader_site
    paper = catalogue.paper("hostile-title")
    (bib,) = parse_bibtex(cite_bib(site, paper))
    # The formula is not math LaTeX knows: it is printed, not run.
    assert r"\input{" not in bib.raw["title"]
    assert bib.entry_type == "inproceedings"
    assert bib.authors[0] == "Ben and Jerry"  # one author, not two
    head = parse_head((site / "papers/hostile-title/index.html").read_text(encoding="utf-8"))
    assert head.named("citation_title") == [text.to_plain(paper.entry.title)]
    assert head.named("citation_conference_title") == [paper.entry.venue]
    (row,) = [r for r in parse_csv((site / "catalogue.csv").read_text()) if r["slug"] == paper.slug]
    assert row["title"] == csv_cell(paper.entry.title) and row["title"].startswith("'=")
    assert row["authors"] == "Ben and Jerry; José Núñez-García; Zoë O'Neil; '@Mention"
    feed = parse_feed((site / "feed.xml").read_bytes())
    (item,) = [e for e in feed.entries if e.id.endswith(":papers/hostile-title")]
    assert item.title == text.to_plain(paper.entry.title)
    assert item.id == "tag:paper-catalogue.github.io,2026-12-02:papers/hostile-title"


def test_entries_without_added_are_left_out_of_feeds(reader_site: tuple[Path, Catalogue]) -> None:
    site, catalogue = reader_site
    feed = parse_feed((site / "feed.xml").read_bytes())
    assert [e.id.rsplit("/", 1)[1] for e in feed.entries] == [
        "hostile-title",  # 2026-12-02
        "initials-only",  # 2026-12-01; one day's entries in catalogue order (by title)
        "le-cun-spelling",
        "gradient-based-learning",  # 2026-11-30
        "efficient-one",  # 2026-11-29
        "math-title",
    ]
    assert catalogue.paper("efficient-two").entry.added is None


def test_arxiv_id_alone_gives_abstract_and_pdf_buttons(reader_site: tuple[Path, Catalogue]) -> None:
    site, _ = reader_site
    page = site / "papers" / "math-title" / "index.html"
    html = page.read_text(encoding="utf-8")
    buttons = [a for a in parse_anchors(html) if "catalogue-links__button" in a.get("class", "")]
    assert [(a["text"], a["href"]) for a in buttons] == [
        ("arXiv", "https://arxiv.org/abs/hep-th/9901001"),
        ("PDF", "https://arxiv.org/pdf/hep-th/9901001"),
    ]
    head = parse_head(html)
    assert head.named("citation_pdf_url") == ["https://arxiv.org/pdf/hep-th/9901001"]
    assert head.named("citation_publication_date") == ["2024/05/17"]
    assert head.named("citation_author") == ["Ana Zhang"]


def test_journal_venues_are_cited_as_journals(reader_site: tuple[Path, Catalogue]) -> None:
    site, catalogue = reader_site
    page = site / "papers" / "efficient-two" / "index.html"
    head = parse_head(page.read_text(encoding="utf-8"))
    assert head.named("citation_journal_title") == ["Transactions on Machine Learning Research"]
    assert head.named("citation_conference_title") == []
    (bib,) = parse_bibtex(cite_bib(site, catalogue.paper("efficient-two")))
    assert (bib.entry_type, bib.fields["journal"]) == (
        "article",
        "Transactions on Machine Learning Research",
    )


def test_ris_and_csl_json_give_one_paper_one_type() -> None:
    # Each kind of paper maps to types that mean the same thing in RIS and in CSL-JSON.
    for kind in PublicationKind:
        assert RIS_AND_CSL_TYPES[RIS_TYPES[kind]] == CSL_TYPES[kind], kind
