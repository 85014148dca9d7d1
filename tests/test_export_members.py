"""A gzipped download (a large catalogue's JSON, CSV and BibTeX files) is a file of gzip members,
and a build over the published site compresses again only the members whose papers changed:
the bytes are those of a fresh build, and a published file that is not what was recorded is
never taken from."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator import CatalogueSources, load_catalogue
from generator.enrich.catalogue import Catalogue
from generator.model.stable_digest import StableDigests
from generator.render import urls
from generator.render.exports import SiteAddresses, export_files, export_plans, gzip_members
from generator.site.export_record import ExportRecord
from tests.support import copy_catalogue

ADDRESSES = SiteAddresses("https://example.org/catalogue/")


@pytest.fixture(autouse=True)
def small_members(monkeypatch: pytest.MonkeyPatch) -> None:
    # The seed's papers gzipped, in members of a few papers: many members per download.
    monkeypatch.setattr(urls, "GZIP_EXPORTS_FROM", 1)
    monkeypatch.setattr(gzip_members, "MEMBER_PAPERS", 8)


def _members(data: bytes) -> Iterator[bytes]:
    """The decompressed text of each member of a gzip file."""
    while data:
        reader = zlib.decompressobj(wbits=31)
        yield reader.decompress(data)
        data = reader.unused_data


def _build(catalogue: Catalogue, record: Path, site: Path) -> tuple[dict[str, bytes], int]:
    """The downloads as a build over `site` publishes them (into a new `site`), and how many
    gzip members it compressed."""
    made = 0
    member_bytes = gzip_members.RowsText.member_bytes

    def counted(rows: gzip_members.RowsText, member: gzip_members.Member) -> bytes:
        nonlocal made
        made += 1
        return member_bytes(rows, member)

    exports = ExportRecord.load(record)
    plans = export_plans(catalogue, ADDRESSES, "Site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gzip_members.RowsText, "member_bytes", counted)
        files = exports.to_make(
            plans, StableDigests(), ADDRESSES, "Site", catalogue.citation_keys, site
        )
        staging = site.with_name("staging")
        for path, data in files.items():
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).write_bytes(data if isinstance(data, bytes) else data.encode())
        exports.link_unchanged(site if site.is_dir() else None, staging)
    published = {p.relative_to(staging).as_posix(): p.read_bytes() for p in staging.rglob("*.gz")}
    if site.is_dir():
        for old in sorted(site.rglob("*"), reverse=True):
            old.unlink() if old.is_file() else old.rmdir()
        site.rmdir()
    staging.rename(site)
    return published, made


def _fresh(catalogue: Catalogue) -> dict[str, bytes]:
    files = export_files(catalogue, ADDRESSES, "Site")
    return {
        path: data
        for path, data in files.items()
        if isinstance(data, bytes) and path.endswith(".gz")
    }


@pytest.fixture
def root(repo_root: Path, tmp_path: Path) -> Path:
    """A copy of the seed catalogue, and an empty record folder beside it."""
    (tmp_path / "record").mkdir()
    return copy_catalogue(repo_root, tmp_path / "cat")


def _edit_an_abstract(root: Path) -> list[str]:
    """Add a sentence to one entry's abstract; return the entry's tags."""
    entry = sorted((root / "papers").glob("*.yaml"))[40]
    data = yaml.safe_load(entry.read_text("utf-8"))
    data["abstract"] += " Edited."
    entry.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return list(data["tags"])


def test_a_rebuild_compresses_only_the_members_of_the_changed_paper(
    root: Path, tmp_path: Path
) -> None:
    record, site = tmp_path / "record", tmp_path / "site"
    catalogue = load_catalogue(CatalogueSources(root))
    first, made_first = _build(catalogue, record, site)
    assert first == _fresh(catalogue)
    csv = first["catalogue.csv.gz"]
    texts = list(_members(csv))
    assert len(texts) > 5  # papers in groups: many members
    assert b"".join(texts).decode("utf-8") == gzip.decompress(csv).decode("utf-8")

    # One abstract edited: its paper's member of each download that lists it is made again.
    tags = _edit_an_abstract(root)
    edited = load_catalogue(CatalogueSources(root))
    second, made_second = _build(edited, record, site)
    assert second == _fresh(edited)
    changed = {path for path in first if first[path] != second[path]}
    listing = {"catalogue.json.gz", "catalogue.csv.gz", "catalogue.bib.gz"}
    listing |= {f"{urls.tag_bibtex(tag)}.gz" for tag in tags}
    # The BibTeX has no abstract: its bytes stay, though its member is made again.
    assert {"catalogue.json.gz", "catalogue.csv.gz"} <= changed <= listing
    assert made_second == len(listing) < made_first / 10

    # Nothing changed: every download is linked, nothing compressed.
    third, made_third = _build(edited, record, site)
    assert (third, made_third) == (second, 0)


def test_a_published_file_not_as_recorded_is_not_taken_from(root: Path, tmp_path: Path) -> None:
    record, site = tmp_path / "record", tmp_path / "site"
    catalogue = load_catalogue(CatalogueSources(root))
    _build(catalogue, record, site)
    # The published CSV's members swapped for others (their texts upper-cased): taking members
    # from it by the recorded lengths would publish them.
    published = site / "catalogue.csv.gz"
    members = list(_members(published.read_bytes()))
    published.write_bytes(b"".join(gzip.compress(t.upper(), mtime=0) for t in members))
    _edit_an_abstract(root)
    edited = load_catalogue(CatalogueSources(root))
    second, _ = _build(edited, record, site)
    assert second == _fresh(edited)
