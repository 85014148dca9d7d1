"""A one-off build over an existing site links each generated file whose bytes the published
site already holds, instead of writing it; the published site is never written through."""

from __future__ import annotations

import os
from pathlib import Path

from generator.site.publish import SitePublisher
from generator.site.write_pages import PageWriter, WrittenFile


def _write(staging: Path, files: dict[str, bytes]) -> PageWriter:
    writer = PageWriter()
    writer.begin_over(staging)
    writer._write_files(
        [WrittenFile(staging / rel, data, b"") for rel, data in files.items()], {}, {}
    )
    return writer


def test_unchanged_files_are_linked_to_the_published_ones(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for rel, data in {"papers/a/index.html": b"same", "papers/b/index.html": b"old",
                      "papers/d/index.html": b"four"}.items():  # fmt: skip
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    publisher = SitePublisher(site)
    staging = publisher.begin()
    writer = _write(staging, {
        "papers/a/index.html": b"same",  # unchanged: linked
        "papers/b/index.html": b"new",  # same size, other bytes: written
        "papers/c/index.html": b"added",  # no twin: written
        "papers/d/index.html": b"four!",  # other size: written
    })  # fmt: skip
    assert writer.linked == 1
    same = os.stat(staging / "papers/a/index.html"), os.stat(site / "papers/a/index.html")
    assert same[0].st_ino == same[1].st_ino
    for rel in ("papers/b/index.html", "papers/d/index.html"):
        assert os.stat(staging / rel).st_ino != os.stat(site / rel).st_ino
    assert (site / "papers/b/index.html").read_bytes() == b"old"  # not written through
    assert (site / "papers/d/index.html").read_bytes() == b"four"
    before = os.stat(site / "papers/a/index.html")
    report = publisher.publish()
    assert report.unchanged == 1 and report.files == 4
    assert (site / "papers/b/index.html").read_bytes() == b"new"
    assert (site / "papers/c/index.html").read_bytes() == b"added"
    after = os.stat(site / "papers/a/index.html")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_without_a_published_site_every_file_is_written(tmp_path: Path) -> None:
    publisher = SitePublisher(tmp_path / "site")
    staging = publisher.begin()
    writer = _write(staging, {"papers/a/index.html": b"page"})
    assert writer.linked == 0
    assert (staging / "papers/a/index.html").read_bytes() == b"page"
    publisher.abandon()


def test_a_folder_that_is_not_a_staging_folder_links_nothing(tmp_path: Path) -> None:
    # `catalogue serve` and plain `mkdocs build` without the publisher write in place.
    (tmp_path / "site" / "p").mkdir(parents=True)
    (tmp_path / "site" / "p" / "index.html").write_bytes(b"page")
    writer = _write(tmp_path / "other", {"p/index.html": b"page"})
    assert writer.linked == 0


def test_files_in_new_folders_are_written_each_folder_made_once(tmp_path: Path) -> None:
    files = {"papers/a/index.html": b"page", "papers/a/cite.ris": b"ris",
             "papers/a/deeper/x.json": b"{}", "tags/t/page/2/index.html": b"list"}  # fmt: skip
    writer = _write(tmp_path / "site", files)
    for rel, data in files.items():
        assert (tmp_path / "site" / rel).read_bytes() == data
    assert writer.folders == {(tmp_path / "site" / rel).parent for rel in files}
