"""A one-off build over an existing site takes over the pages whose inputs the last build
recorded (`generator/site/page_record.py`) without rendering them, and still makes exactly the
site a fresh build makes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.enrich import map as catalogue_map
from generator.enrich.catalogue import Catalogue
from generator.enrich.map import build_map, map_beside
from generator.enrich.projection import sample_positions
from generator.enrich.related import compare_related, find_related, paper_vectors
from generator.model.stable_digest import StableDigests, tree_digest
from generator.pipeline import CatalogueSources, load_catalogue
from generator.render import urls
from generator.render.page import RenderSettings
from generator.render.pages import PageRenderer
from generator.site import page_record
from generator.site.export_record import RECORD_FILE as EXPORTS_FILE
from generator.site.page_record import (
    MAP_FILE,
    RECORD_FILE,
    RELATED_FILE,
    PageRecord,
    use_recorded_enrichment,
)
from generator.site.publish import SitePublisher, record_folder_of
from tests.support import build_site, copy_catalogue, keep_entries, texts_read

AUTHORS: tuple[list[str], ...] = (
    ["Ada Lovelace", "Alan Turing"],
    ["Alan Turing"],
    [],
    ["Grace Hopper", "Alan Turing"],
)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _taken_over(stderr: str) -> int:
    found = re.search(r"catalogue: (\d+) pages taken over unrendered", stderr)
    assert found, stderr
    return int(found.group(1))


def _downloads_taken_over(stderr: str) -> int:
    found = re.search(r"catalogue: (\d+) downloads taken over unmade", stderr)
    assert found, stderr
    return int(found.group(1))


def _recorded_downloads(site: Path) -> dict[str, object]:
    record = site.parent / f".{site.name}.record" / EXPORTS_FILE
    files: dict[str, object] = json.loads(record.read_text("utf-8"))["files"]
    return files


def _generated_pages(site: Path) -> int:
    record = site.parent / f".{site.name}.record" / RECORD_FILE
    return len(json.loads(record.read_text("utf-8"))["pages"])


def _edit(entry: Path, change: dict[str, object]) -> None:
    data = yaml.safe_load(entry.read_text("utf-8"))
    data.update(change)
    entry.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture
def catalogue(tmp_path: Path, repo_root: Path) -> Path:
    root = copy_catalogue(repo_root, tmp_path / "cat")
    # What the record keeps does not depend on how many papers there are: a part of the seed
    # builds sooner, and each test here builds many times.
    entries = keep_entries(root, 30)
    # The seed's entries have no authors; three of them get some (pages of their own from
    # two papers on).
    for entry, authors in zip(entries[:4:], AUTHORS, strict=True):
        if authors:
            _edit(entry, {"authors": authors})
    config = root / "mkdocs.yml"
    # Pagefind's index is not what the record keeps; without it each build is quicker.
    options = "edit_branch: main\n      search: false\n      list_page_size: 8"
    config.write_text(config.read_text("utf-8").replace("edit_branch: main", options))
    return root


@pytest.mark.slow
def test_rebuilds_after_edits_give_the_fresh_build_byte_for_byte(
    catalogue: Path, tmp_path: Path
) -> None:
    config, site = catalogue / "mkdocs.yml", tmp_path / "out" / "site"
    first = build_site(config, site, "--verbose")
    assert _taken_over(first.stderr) == 0  # nothing recorded yet
    pages = _generated_pages(site)
    before = _tree(site)

    again = build_site(config, site, "--verbose")
    assert _taken_over(again.stderr) == pages  # nothing changed: nothing rendered
    downloads = _recorded_downloads(site)
    assert _downloads_taken_over(again.stderr) == len(downloads) > 10  # nor made
    assert _tree(site) == before

    entries = sorted((catalogue / "papers").glob("*.yaml"))
    papers = {e: yaml.safe_load(e.read_text("utf-8")) for e in entries}
    # Paper one shares an author with two others; paper three gets an author of another
    # paper, who then has a page of their own, linked from that other paper's page.
    one, two, three = entries[1], entries[4], entries[2]
    counts = Counter(tag for data in papers.values() for tag in data.get("tags", []))
    added = next(t for t, n in counts.most_common() if t not in papers[two].get("tags", []))
    edits: list[dict[Path, dict[str, object]]] = [
        {one: {"title": "A title changed by the test"}},
        {
            two: {"tags": [*papers[two].get("tags", []), added]},  # into another tag's lists
            three: {"authors": ["Grace Hopper"]},
        },
    ]
    for round_number, edit in enumerate(edits):
        for entry, change in edit.items():
            _edit(entry, change)
        rebuilt = build_site(config, site, "--verbose")
        fresh = tmp_path / f"fresh-{round_number}" / "site"
        build_site(config, fresh)
        taken = _taken_over(rebuilt.stderr)
        assert 0 < taken < _generated_pages(site), rebuilt.stderr
        if round_number == 0:
            # One title changed: the downloads of all papers (not the schema) and those of
            # its tags are made again, every other tag's are linked.
            tags = papers[one].get("tags", [])
            remade = {"catalogue.json", "catalogue.csv", "catalogue.bib", "feed.xml"}
            remade |= {urls.tag_bibtex(tag) for tag in tags}
            remade |= {urls.tag_feed(tag) for tag in tags}
            assert remade <= downloads.keys()
            assert _downloads_taken_over(rebuilt.stderr) == len(downloads) - len(remade)
        got, wanted = _tree(site), _tree(fresh)
        assert got.keys() == wanted.keys()
        assert [path for path in got if got[path] != wanted[path]] == []


@pytest.mark.slow
def test_a_corrupted_or_foreign_record_renders_every_page(catalogue: Path, tmp_path: Path) -> None:
    config, site = catalogue / "mkdocs.yml", tmp_path / "site"
    build_site(config, site)
    before = _tree(site)
    record = tmp_path / ".site.record" / RECORD_FILE
    assert record.is_file()
    text = record.read_text("utf-8")
    recorded_map = tmp_path / ".site.record" / MAP_FILE
    map_text = recorded_map.read_text("utf-8")
    related = tmp_path / ".site.record" / RELATED_FILE
    related_text = related.read_text("utf-8")
    deep = "[" * 100_000  # deeper than the JSON parser goes
    broken_maps = (map_text[:-9], map_text.replace('"x":[', '"x":[-1,'), "[]", deep)
    broken_records = (text[:-9], text.replace('"generator":"', '"generator":"0'), "", deep)
    for broken, broken_map in zip(broken_records, broken_maps, strict=True):
        record.write_text(broken, "utf-8")
        recorded_map.write_text(broken_map, "utf-8")
        related.write_text(related_text.replace('",', '-gone",', 1), "utf-8")
        rebuilt = build_site(config, site, "--verbose")
        assert _taken_over(rebuilt.stderr) == 0
        assert _tree(site) == before
    # (A missing record is a first build's: test_rebuilds_after_edits_... starts with one.)
    # The record lives beside the site, never in it: nothing the site deploys names it.
    assert not [p for p in site.rglob("*") if "record" in p.name or p.name == RECORD_FILE]


def test_a_record_made_for_another_secret_renders_every_page(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A record and a site that came with the sources (a pull request can force both past
    # .gitignore) were made for a secret this user does not have: nothing is taken over.
    config, site = catalogue / "mkdocs.yml", tmp_path / "site"
    build_site(config, site)
    before = _tree(site)
    (site / "index.html").write_bytes(b"<script>alert(1)</script>")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    rebuilt = build_site(config, site, "--verbose")
    assert _taken_over(rebuilt.stderr) == 0
    assert _tree(site) == before


def _recorded_site(tmp_path: Path) -> tuple[SitePublisher, Path, PageRecord, bytes]:
    """A published site of one page, and the record of the build that made it."""
    site = tmp_path / "site"
    (site / "p").mkdir(parents=True)
    (site / "p" / "index.html").write_bytes(b"<p>page</p>")
    publisher = SitePublisher(site)
    staging = publisher.begin()
    folder = record_folder_of(staging)
    assert folder is not None and folder.parent == tmp_path
    record = PageRecord.load(folder)
    inputs = StableDigests().digest(("p.md", "context"))
    record.rendered("p.md", inputs, [("p/index.html", b"<p>page</p>")])
    record.save()
    return publisher, staging, PageRecord.load(folder), inputs


def test_a_recorded_page_is_linked_only_while_inputs_and_published_bytes_match(
    tmp_path: Path,
) -> None:
    publisher, staging, record, inputs = _recorded_site(tmp_path)
    site = publisher.site_dir
    other = StableDigests().digest(("p.md", "another context"))
    assert not record.linked("p.md", other, site, staging, "p/index.html")
    assert not record.linked("q.md", inputs, site, staging, "q/index.html")
    (site / "p" / "index.html").write_bytes(b"<p>PAGE</p>")  # edited by hand since
    assert not record.linked("p.md", inputs, site, staging, "p/index.html")
    assert not (staging / "p" / "index.html").exists()
    (site / "p" / "index.html").write_bytes(b"<p>page</p>")
    assert record.linked("p.md", inputs, site, staging, "p/index.html")
    assert os.path.samefile(staging / "p" / "index.html", site / "p" / "index.html")
    publisher.abandon()


@pytest.mark.parametrize(
    "pages",
    [
        {"p.md": ["00", [["../outside/index.html", "00"]]]},
        {"p.md": ["00", [["/etc/passwd", "00"]]]},
        {"p.md": ["00", [[1, "00"]]]},
        {"p.md": ["00"]},
        ["p.md"],
    ],
)
def test_a_record_that_names_paths_outside_the_site_or_is_malformed_is_ignored(
    tmp_path: Path, pages: object
) -> None:
    _, _, record, _ = _recorded_site(tmp_path)
    data = json.loads(record.path.read_text("utf-8"))
    data["pages"] = pages
    record.path.write_text(json.dumps(data), "utf-8")
    assert PageRecord.load(record.path.parent).last == {}


def test_digests_tell_values_apart_and_are_the_same_in_every_process() -> None:
    digest = StableDigests().digest
    values = [("ab", "c"), ("a", "bc"), (1,), (1.0,), (True,), ("1",), [("a", None)], {"a": 1},
              {"a": 2}, (), [], None, ("",)]  # fmt: skip
    digests = [digest(v) for v in values]
    assert len(set(digests)) == len(values)
    # Written out in full, not by `hash()`: another process (other string hashes) agrees.
    code = "from generator.model.stable_digest import StableDigests as S; "
    code += "print(S().digest(('papers/x.md', 3, None, {'k': 'v'})).hex())"
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }  # fmt: skip
    assert runs == {digest(("papers/x.md", 3, None, {"k": "v"})).hex()}
    with pytest.raises(TypeError):
        digest(({1, 2},))  # a set has no stable order: not digested, rendered instead


def test_a_changed_template_changes_the_generator_version(tmp_path: Path, repo_root: Path) -> None:
    package = tmp_path / "generator"
    template = package / "render" / "templates" / "paper.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text("{{ title }}", "utf-8")
    (package / "x.py").write_text("X = 1\n", "utf-8")
    before = tree_digest(package)
    template.write_text("{{ title }}!", "utf-8")
    assert tree_digest(package) != before


def test_every_page_of_the_seed_has_a_digest(repo_root: Path) -> None:
    # A page whose context holds a value the digest does not know is rendered on every
    # build; none of the seed's pages may be one.
    catalogue = load_catalogue(CatalogueSources(repo_root))
    digests = StableDigests()
    plans = list(PageRenderer(catalogue, RenderSettings()).page_plans())
    assert len({digests.digest(plan.context()) for plan in plans}) == len(plans) > 100


def _title(entry: Path) -> str:
    return str(yaml.safe_load(entry.read_text("utf-8"))["title"])


def _enriched(sources: CatalogueSources, record: Path) -> Catalogue:
    catalogue = load_catalogue(sources)
    use_recorded_enrichment(catalogue, record)
    return catalogue


def test_related_papers_and_map_are_taken_from_the_record_exactly_when_the_vectors_are_the_same(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, record = CatalogueSources(catalogue), tmp_path / "record"
    _enriched(sources, record)  # computed and recorded
    entries = sorted((catalogue / "papers").glob("*.yaml"))
    edited, other = entries[3], entries[7]
    computed: list[str] = []

    def counted(name: str, compute: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            computed.append(name)
            return compute(*args, **kwargs)

        return run

    monkeypatch.setattr(page_record, "compare_related", counted("related", compare_related))
    monkeypatch.setattr(page_record, "map_beside", counted("map", map_beside))
    read = texts_read(monkeypatch)

    # A word no other paper uses and a number: the vectorizer drops both, so the texts
    # differ and the vectors do not.
    _edit(edited, {"title": f"{_title(edited)} zqxwv 2031"})
    taken = _enriched(sources, record)
    assert computed == []
    # Only the edited text was read: the others' term counts are the recorded ones.
    assert [text.splitlines()[0] for text in read] == [_title(edited)]
    assert taken.related == find_related(taken.papers, taken.vocabulary)
    assert taken.map == build_map(taken.papers, taken.vocabulary)

    # A word of another paper's title: its weight changes in every paper that uses it.
    word = next(w for w in _title(other).split() if len(w) > 6 and w not in _title(edited))
    _edit(edited, {"title": f"{_title(edited)} {word}"})
    again = _enriched(sources, record)
    assert sorted(computed) == ["map", "related"]
    assert again.related == find_related(again.papers, again.vocabulary)
    assert again.map == build_map(again.papers, again.vocabulary)

    # Nothing changed since: taken by the texts' digest, without making vectors.
    monkeypatch.setattr(page_record, "_weighed_from_record", None)
    unchanged = _enriched(sources, record)
    assert sorted(computed) == ["map", "related"]
    assert unchanged.related == again.related and unchanged.map == again.map


def test_a_rebuild_takes_the_landmarks_layout_from_the_record_while_the_sample_is_the_same(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A sample and landmarks smaller than the catalogue, as in a large one.
    monkeypatch.setattr(catalogue_map, "SAMPLE_SIZE", 12)
    monkeypatch.setattr(catalogue_map, "LANDMARKS", 8)
    sources, record = CatalogueSources(catalogue), tmp_path / "record"
    first = _enriched(sources, record)  # computed and recorded
    slugs = [p.slug for p in first.papers]
    sample = {slugs[n] for n in sample_positions(slugs, 12)}
    vectors = paper_vectors(first.papers)
    assert vectors is not None
    laid_out: list[int] = []
    tsne = catalogue_map._tsne

    def counted(points: Any) -> Any:
        laid_out.append(len(points))
        return tsne(points)

    monkeypatch.setattr(catalogue_map, "_tsne", counted)
    beside: list[object] = []

    def started(*args: Any) -> Any:
        beside.append(args)
        return map_beside(*args)

    monkeypatch.setattr(page_record, "map_beside", started)
    for slug, expected in ((next(s for s in slugs if s not in sample), []), (min(sample), [8])):
        # A word the paper uses once more in its title: its vector changes, no other's.
        entry = catalogue / "papers" / f"{slug}.yaml"
        used = vectors[0][slugs.index(slug)].indices
        _edit(entry, {"title": f"{_title(entry)} {vectors[1][used[0]]}"})
        laid_out.clear()
        again = _enriched(sources, record)
        assert len(beside) == 1  # the vectors changed: the map was laid out again
        beside.clear()
        assert laid_out == expected  # t-SNE ran only for a sample paper's edit
        assert again.map == build_map(again.papers, again.vocabulary)
