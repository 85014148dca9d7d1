"""What `catalogue serve` keeps from one rebuild to the next (issue 5: an edit must show within
5 s at 10,000 papers): one rule for reusing a kept value, the rows of catalogue.json and
catalogue.csv, assembled from one row per paper, and the whole catalogue when no entry
changed. tests/test_serve_edits.py and tests/test_stable_addresses.py check the served pages
after real edits."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import yaml

from generator import CatalogueSources, load_catalogue
from generator.enrich.catalogue import Catalogue
from generator.model.kept import KeptValues
from generator.pipeline import LoadCaches
from generator.render import urls
from generator.render.exports import CitationStore, export_files
from generator.render.exports.catalogue_csv import catalogue_csv, csv_row
from generator.render.exports.catalogue_json import (
    CatalogueExport,
    CatalogueItem,
    catalogue_json,
    json_item,
)
from generator.render.page import RenderSettings
from generator.render.pages import PageRenderer
from generator.serve.state import ServeState
from tests.support import copy_catalogue


def test_a_kept_value_is_reused_only_for_the_same_objects_and_equal_inputs() -> None:
    kept: KeptValues[str, str] = KeptValues()
    paper, twin = ["an entry"], ["an entry"]  # equal, but not the same object
    made: list[str] = []

    def make(value: str):  # type: ignore[no-untyped-def]
        return lambda: made.append(value) or value

    assert kept.reuse("a", (paper,), ("key", 1), make("first")) == "first"
    assert kept.reuse("a", (paper,), ("key", 1), make("again")) == "first"
    assert kept.reuse("a", (twin,), ("key", 1), make("twin")) == "twin"
    assert kept.reuse("a", (twin,), ("key", 2), make("inputs")) == "inputs"
    assert kept.reuse("b", (twin,), ("key", 2), make("other key")) == "other key"
    assert made == ["first", "twin", "inputs", "other key"]
    kept.keep_only(["b"])
    assert list(kept) == ["b"] and kept.last("a") is None


def test_the_json_assembled_from_items_is_the_models_own_text(repo_root: Path) -> None:
    papers = load_catalogue(CatalogueSources(repo_root)).papers
    urls = {p.slug: f"https://example.org/papers/{p.slug}/" for p in papers}
    keys = {p.slug: f"key-{p.slug}" for p in papers}
    # A name with the list's own brackets, quotes and characters JSON escapes.
    name = 'Papers [] "x" \u2028 é ]}'
    whole = CatalogueExport(
        catalogue=name,
        count=len(papers),
        papers=[
            CatalogueItem(slug=p.slug, url=urls[p.slug], citation_key=keys[p.slug], entry=p.entry)
            for p in papers
        ],
    ).model_dump_json(exclude_none=True)
    assert catalogue_json(name, papers, urls, keys).text() == whole + "\n"
    assert json.loads(catalogue_json(name, papers[:0], urls, keys).text())["papers"] == []


def test_kept_rows_are_reused_for_the_same_entry_and_made_again_when_it_changed(
    repo_root: Path,
) -> None:
    catalogue = load_catalogue(CatalogueSources(repo_root))
    papers = catalogue.papers
    urls = {p.slug: f"/papers/{p.slug}/" for p in papers}
    # A one-off build keeps no rows (at 100,000 papers they held 450 MB through the build).
    assert CitationStore().row_maker("csv", csv_row) is csv_row
    store = CitationStore(keep_rows=True)
    made: list[str] = []

    def counted(paper, url, key):  # type: ignore[no-untyped-def]
        made.append(paper.slug)
        return csv_row(paper, url, key)

    row = store.row_maker("csv", counted)
    first = catalogue_csv(papers, urls, catalogue.citation_keys, row).text()
    assert first == catalogue_csv(papers, urls, catalogue.citation_keys).text()
    assert len(made) == len(papers)

    # The same Paper objects again: nothing is made.
    made.clear()
    assert catalogue_csv(papers, urls, catalogue.citation_keys, row).text() == first
    assert made == []

    # An edited entry is a new Paper; a changed address or key makes the row again too.
    edited = dataclasses.replace(
        papers[0], entry=papers[0].entry.model_copy(update={"title": "Edited zqrow"})
    )
    keys = {**catalogue.citation_keys, papers[1].slug: "changed-key"}
    again = [edited, *papers[1:]]
    text = catalogue_csv(again, urls, keys, row).text()
    assert made == [papers[0].slug, papers[1].slug]
    assert "Edited zqrow" in text and "changed-key" in text
    assert text == catalogue_csv(again, urls, keys).text()

    # Rows of papers no longer in the catalogue are forgotten.
    store.keep_only(dataclasses.replace(catalogue, papers=tuple(papers[1:])))
    made.clear()
    catalogue_csv(again, urls, keys, row).text()
    assert made == [papers[0].slug]


def test_json_items_come_from_the_same_kept_rows(repo_root: Path) -> None:
    catalogue = load_catalogue(CatalogueSources(repo_root))
    papers, keys = catalogue.papers, catalogue.citation_keys
    urls = {p.slug: f"/papers/{p.slug}/" for p in papers}
    row = CitationStore(keep_rows=True).row_maker("json", json_item)
    assert (
        catalogue_json("Site", papers, urls, keys, row).text()
        == catalogue_json("Site", papers, urls, keys).text()
    )


def test_the_catalogue_is_kept_while_no_entry_vocabulary_or_alias_changed(
    tmp_path: Path,
) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(Path(__file__).parent / "fixtures" / "reader", root)
    sources, kept = CatalogueSources(root), LoadCaches()

    def load():  # type: ignore[no-untyped-def]
        return load_catalogue(sources, None, kept)

    first = load()
    assert load() is first
    entry = sorted((root / "papers").iterdir())[0]
    data = yaml.safe_load(entry.read_text("utf-8"))
    data["title"] = "Edited zqkept " + data["title"]
    entry.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    edited = load()
    assert edited is not first
    assert any("Edited zqkept" in p.entry.title for p in edited.papers)
    assert load() is edited
    author = next(p.entry.authors[0] for p in edited.papers if p.entry.authors)
    (root / "authors.yaml").write_text(
        f"people:\n- name: Someone Else\n  spellings: [{json.dumps(author)}]\n", encoding="utf-8"
    )
    assert load() is not edited


def test_an_edit_remakes_the_downloads_of_all_papers_and_of_its_tags_only(
    repo_root: Path, tmp_path: Path
) -> None:
    root = copy_catalogue(repo_root, tmp_path / "cat")
    sources, state = CatalogueSources(root), ServeState(in_place=False)
    settings = RenderSettings(site_url="https://example.org/catalogue/")  # with feeds
    try:

        def downloads() -> tuple[Catalogue, dict[str, str | bytes]]:
            catalogue = load_catalogue(sources, None, state.loading)
            return catalogue, state.export_files(PageRenderer(catalogue, settings, state.rendering))

        _, before = downloads()
        entry = sorted((root / "papers").glob("*.yaml"))[5]
        data = yaml.safe_load(entry.read_text("utf-8"))
        data["title"] = "A title changed while serving"
        entry.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        catalogue, after = downloads()
    finally:
        state.close()
    assert after == export_files(catalogue, settings.addresses, settings.site_name)
    remade = {path for path, value in after.items() if value is not before[path]}
    tags = data["tags"]
    expected = {"catalogue.json", "catalogue.csv", "catalogue.bib", "feed.xml"}
    expected |= {urls.tag_bibtex(tag) for tag in tags} | {urls.tag_feed(tag) for tag in tags}
    assert remade == expected and len(after) > len(expected) + 10
