"""A download of a row per paper (the catalogue's JSON, CSV and BibTeX, each tag's BibTeX) is made
of members, gzip members when it is gzipped, and a build over the published site makes again
only the members whose papers changed: the bytes are those of a fresh build, and a published
file that is not what was recorded is never taken from."""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator import CatalogueSources, load_catalogue
from generator.enrich.catalogue import Catalogue
from generator.model.paper import Paper
from generator.model.stable_digest import StableDigests
from generator.render import urls
from generator.render.exports import SiteAddresses, export_files, export_plans, members
from generator.site.export_record import ExportRecord
from tests.support import copy_catalogue

ADDRESSES = SiteAddresses("https://example.org/catalogue/")


@pytest.fixture(autouse=True, params=["gzipped", "plain"])
def ending(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How the downloads' names end: the seed's papers gzipped (a large catalogue's), or not;
    in members of a few papers, so that each download has many."""
    monkeypatch.setattr(members, "MEMBER_PAPERS", 8)
    if request.param == "plain":
        return ""
    monkeypatch.setattr(urls, "GZIP_EXPORTS_FROM", 1)
    return ".gz"


ROWS = (".json", ".csv", ".bib", ".json.gz", ".csv.gz", ".bib.gz")
"""How the names of the downloads of a row per paper end (and the schema's)."""


def _rows(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.endswith(ROWS)}


def _members(data: bytes) -> Iterator[bytes]:
    """The decompressed text of each member of a gzip file."""
    while data:
        reader = zlib.decompressobj(wbits=31)
        yield reader.decompress(data)
        data = reader.unused_data


def _build(catalogue: Catalogue, record: Path, site: Path) -> tuple[dict[str, bytes], int]:
    """The downloads of a row per paper as a build over `site` publishes them (into a new
    `site`), and how many members it made."""
    made = 0
    member_bytes = members.RowsText.member_bytes

    def counted(rows: members.RowsText, member: members.Member, packed: bool) -> bytes:
        nonlocal made
        made += 1
        return member_bytes(rows, member, packed)

    exports = ExportRecord.load(record)
    plans = export_plans(catalogue, ADDRESSES, "Site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(members.RowsText, "member_bytes", counted)
        files = exports.to_make(
            plans, StableDigests(), ADDRESSES, "Site", catalogue.citation_keys, site
        )
        staging = site.with_name("staging")
        for path, data in files.items():
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).write_bytes(_bytes(data))
        exports.link_unchanged(site if site.is_dir() else None, staging)
    files = {p.relative_to(staging).as_posix(): p.read_bytes() for p in staging.rglob("*.*")
             if p.is_file()}  # fmt: skip
    if site.is_dir():
        for old in sorted(site.rglob("*"), reverse=True):
            old.unlink() if old.is_file() else old.rmdir()
        site.rmdir()
    staging.rename(site)
    return _rows(files), made


def _fresh(catalogue: Catalogue) -> dict[str, bytes]:
    files = export_files(catalogue, ADDRESSES, "Site")
    return _rows({path: _bytes(data) for path, data in files.items()})


def _bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


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


def test_a_rebuild_makes_only_the_members_of_the_changed_paper(
    root: Path, tmp_path: Path, ending: str
) -> None:
    record, site = tmp_path / "record", tmp_path / "site"
    catalogue = load_catalogue(CatalogueSources(root))
    first, made_first = _build(catalogue, record, site)
    assert first == _fresh(catalogue)
    csv = f"catalogue.csv{ending}"
    recorded = ExportRecord.load(record).last[csv][2]
    assert len(recorded) > 5  # papers in groups: many members
    if ending:
        texts = list(_members(first[csv]))
        assert len(texts) == len(recorded)
        assert b"".join(texts) == gzip.decompress(first[csv])

    # One abstract edited: its paper's member of each download that lists it is made again.
    tags = _edit_an_abstract(root)
    edited = load_catalogue(CatalogueSources(root))
    second, made_second = _build(edited, record, site)
    assert second == _fresh(edited)
    changed = {path for path in first if first[path] != second[path]}
    listing = {f"catalogue.{kind}{ending}" for kind in ("json", "csv", "bib")}
    listing |= {f"{urls.tag_bibtex(tag)}{ending}" for tag in tags}
    # The BibTeX has no abstract: its bytes stay, though its member is made again.
    assert {f"catalogue.json{ending}", csv} <= changed <= listing
    assert made_second == len(listing) < made_first / 10

    # Nothing changed: every download is linked, nothing made.
    third, made_third = _build(edited, record, site)
    assert (third, made_third) == (second, 0)


def test_a_published_file_not_as_recorded_is_not_taken_from(
    root: Path, tmp_path: Path, ending: str
) -> None:
    record, site = tmp_path / "record", tmp_path / "site"
    catalogue = load_catalogue(CatalogueSources(root))
    _build(catalogue, record, site)
    # Bytes of the published CSV's first and last members changed, its length kept: taking
    # members from it by the recorded lengths would publish them.
    published = site / f"catalogue.csv{ending}"
    data = bytearray(published.read_bytes())
    for start in (20, len(data) - 30):
        data[start : start + 10] = bytes(byte ^ 0xFF for byte in data[start : start + 10])
    published.write_bytes(bytes(data))
    _edit_an_abstract(root)
    edited = load_catalogue(CatalogueSources(root))
    second, _ = _build(edited, record, site)
    assert second == _fresh(edited)


def test_a_rebuild_digests_each_papers_row_once(root: Path, tmp_path: Path, ending: str) -> None:
    """A paper is listed by the downloads of all papers, their members, its tags' downloads
    and the feeds: what they are made from is worked out from one digest of its row, not
    from the paper written out again for each of them."""
    record, site = tmp_path / "record", tmp_path / "site"
    catalogue = load_catalogue(CatalogueSources(root))
    _build(catalogue, record, site)
    _edit_an_abstract(root)
    edited = load_catalogue(CatalogueSources(root))
    written: Counter[int] = Counter()
    write = StableDigests._write

    def counted(self: StableDigests, value: object, out: list[str]) -> None:
        if isinstance(value, Paper):
            written[id(value)] += 1
        write(self, value, out)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StableDigests, "_write", counted)
        second, made = _build(edited, record, site)
    assert second == _fresh(edited) and made > 0  # the edited paper's members made again
    assert set(written) == {id(paper) for paper in edited.papers}
    assert max(written.values()) == 1
