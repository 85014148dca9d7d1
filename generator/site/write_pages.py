"""Write the generated pages into the built site, each inside its theme shell.

A one-off build renders every page and writes it. `catalogue serve` keeps what it wrote
(`WrittenPages`, part of its serve state): a rebuild after one edit works out what each page
shows (`PagePlan.context`, cheap) and renders only the pages whose context or theme shell
changed, writes only files whose bytes changed, and removes the pages of deleted entries.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from generator.model.kept import KeptValues
from generator.model.stable_digest import NotDigestible, StableDigests, generator_version
from generator.progress import Stage
from generator.render import urls
from generator.render.page import GeneratedPage, PagePlan, RenderSettings
from generator.render.pages import PageRenderer
from generator.site.page_record import PageRecord
from generator.site.page_shell import PageShells
from generator.site.publish import published_site_of, record_folder_of


class WrittenFile(NamedTuple):
    """A file of a page (the page, a paper's citation files) as written."""

    path: Path
    data: bytes
    digest: bytes
    """Of `data`; empty when nothing is kept for the next build."""


@dataclass
class WrittenPages:
    """What `catalogue serve` keeps of the pages it wrote, for its next rebuild."""

    in_place: bool = True
    """The site folder is kept between builds (serve's `--dirty`), so a file whose bytes the
    last build wrote is left alone; otherwise MkDocs empties it before each build."""
    pages: KeptValues[str, list[WrittenFile]] = field(default_factory=KeptValues)
    """Each page's files by source path, made from its context and its theme shell."""
    on_disk: dict[Path, bytes] = field(default_factory=dict)
    """Digest of every file the last build wrote (when `in_place`)."""
    made_with: object = None
    """The tag vocabulary, settings and site folder the kept pages were rendered for."""


class PaperFeed(Protocol):
    """What takes each paper page as it is written (`search_index.StreamedIndex`)."""

    def takes(self, page: Path) -> bool:
        """Whether the page written at `page` is one the feed takes."""

    def paper(self, page: Path, data: bytes) -> None:
        """One page it takes, as written; given in the order of their paths."""

    def papers_written(self) -> None:
        """Every page it takes has been given (said again at the end of writing)."""


@dataclass
class PageWriter:
    """Writes one build's generated pages; with `kept` (serve), only what changed."""

    kept: WrittenPages | None = None
    reused: int = 0
    """Pages taken from `kept` instead of rendered."""
    unchanged: int = 0
    """Files left alone because their bytes were already on disk."""
    linked: int = 0
    """Files of a one-off build over an existing site linked to their published twin."""
    recorded: int = 0
    """Pages of a one-off build linked from the published site, unrendered, because their
    inputs are those the last build recorded (`page_record`)."""
    published: Path | None = None
    site_dir: Path | None = None
    record: PageRecord | None = None
    digests: StableDigests = field(default_factory=StableDigests)
    shell_digests: dict[int, tuple[object, str]] = field(default_factory=dict)
    """The digest of each theme shell (by the identity of its parts, which it holds)."""
    made_with: str = ""
    folders: set[Path] = field(default_factory=set)
    """Folders this writer has made or found (the site folder is the same throughout)."""
    feed: PaperFeed | None = None
    """Given each paper page as it is written; the papers are then written first."""
    to_feed: int = 0
    """Pages still to give to `feed`."""

    def write(
        self,
        renderer: PageRenderer,
        shells: PageShells,
        site_dir: Path,
        skip: tuple[str, ...],
        stage: Stage,
    ) -> list[str]:
        """Write every generated page except `skip` (built by MkDocs); return their URLs."""
        settings = renderer.settings
        kept = self.kept
        if kept is not None and kept.made_with != (*renderer.kit.made_with, site_dir):
            # Tag names, settings or the folder changed: every kept page may be stale.
            kept.pages.clear()
            kept.made_with = (*renderer.kit.made_with, site_dir)
        uris: list[str] = []  # in the renderer's order, whatever the order of writing
        previous = kept.on_disk if kept is not None and kept.in_place else {}
        on_disk: dict[Path, bytes] = {}
        if kept is None:
            self.begin_over(site_dir)
            self.made_with = self.digests.digest(
                (generator_version(), renderer.kit.made_with)
            ).hex()
        plans: Iterator[PagePlan[Any]] = (p for p in renderer.page_plans() if p.uri not in skip)
        order: Iterable[tuple[PagePlan[Any], Path | None]]
        if self.feed is not None:
            listed = list(plans)  # to be put in the feed's order (a feed is for one bundle)
            uris = [plan.uri for plan in listed]
            order = self._in_feed_order(self.feed, listed, site_dir, settings)
        else:
            order = ((plan, None) for plan in plans)  # one at a time
        for plan, target in order:
            files = self._files(plan, shells, site_dir, settings)
            self._write_files(files, previous, on_disk)
            if target is not None:
                self._feed(target, files)
            stage.advance()
            if self.feed is None:
                uris.append(plan.uri)
        if self.feed is not None:
            self.feed.papers_written()  # if no page was one it takes
        written = [urls.page_url(uri, settings.use_directory_urls) for uri in uris]
        if kept is not None:
            kept.pages.keep_only(uris)  # not the pages that are gone
            if kept.in_place:
                for gone in previous.keys() - on_disk.keys():
                    gone.unlink(missing_ok=True)  # the page of a deleted entry
                kept.on_disk = on_disk
        if self.record is not None:
            self.record.save()
        for site_path, data in shells.shared_files().items():
            shared = site_dir / site_path
            if not shared.is_file() or shared.read_bytes() != data:
                shared.parent.mkdir(parents=True, exist_ok=True)
                shared.write_bytes(data)
        return written

    def _feed(self, target: Path, files: list[WrittenFile]) -> None:
        """Give the page written at `target` to the feed; the last one it takes, and the
        feed writes its index."""
        assert self.feed is not None
        # A page linked from the published site instead of rendered is read back.
        data = next((f.data for f in files if f.path == target), None)
        self.feed.paper(target, target.read_bytes() if data is None else data)
        self.to_feed -= 1
        if not self.to_feed:
            self.feed.papers_written()

    def _in_feed_order(
        self, feed: PaperFeed, plans: list[PagePlan[Any]], site_dir: Path, settings: RenderSettings
    ) -> list[tuple[PagePlan[Any], Path | None]]:
        """The plans in the order of writing, each with its page file if `feed` takes it: the
        pages it takes first, in the order of their paths, and its `papers_written` as soon
        as they are written."""
        targets = [site_dir / urls.page_file(p.uri, settings.use_directory_urls) for p in plans]
        taken = sorted(
            ((plan, target) for plan, target in zip(plans, targets, strict=True)
             if feed.takes(target)),
            key=lambda pair: pair[1],
        )  # fmt: skip
        self.to_feed = len(taken)
        ids = {id(plan) for plan, _ in taken}
        rest: list[tuple[PagePlan[Any], Path | None]] = [
            (plan, None) for plan in plans if id(plan) not in ids
        ]
        return [*taken, *rest]

    def begin_over(self, site_dir: Path) -> None:
        """Write into `site_dir`, a one-off build's folder: if it is the staging folder of a
        published site, files that site already holds are linked to it (`_link_published`)."""
        self.published, self.site_dir = published_site_of(site_dir), site_dir
        folder = record_folder_of(site_dir)
        if folder is not None:
            self.record = PageRecord.load(folder)

    def _files(
        self, plan: PagePlan[Any], shells: PageShells, site_dir: Path, settings: RenderSettings
    ) -> list[WrittenFile]:
        """The files of the page `plan`: rendered, or, when serving, kept from the last
        build if the page shows what it showed then in the same theme shell."""
        edit_base = settings.edit_url_base
        edit_url = f"{edit_base}{plan.edit_source}" if edit_base and plan.edit_source else None
        if self.kept is None:
            if self.record is not None:
                return self._recorded_files(plan, shells, edit_url, site_dir, settings)
            page = plan.page()
            return [WrittenFile(path, _encoded(text), b"") for path, text in
                    _page_files(page, shells, edit_url, site_dir, settings)]  # fmt: skip
        context = plan.context()
        inputs = (context, shells.fingerprint(plan.uri, edit_url is not None))
        found = self.kept.pages.get(plan.uri, (), inputs)
        if found is not None:
            self.reused += 1
            return found.value
        page = plan.render(context)
        files = []
        for path, text in _page_files(page, shells, edit_url, site_dir, settings):
            data = _encoded(text)
            files.append(WrittenFile(path, data, _digest(data)))
        return self.kept.pages.keep(plan.uri, (), inputs, files)

    def _recorded_files(
        self,
        plan: PagePlan[Any],
        shells: PageShells,
        edit_url: str | None,
        site_dir: Path,
        settings: RenderSettings,
    ) -> list[WrittenFile]:
        """The files of the page `plan` in a one-off build that records its pages: none if
        the page's inputs are those recorded by the last build and its published files were
        linked (`PageRecord.linked`); else rendered, and recorded."""
        assert self.record is not None
        context = plan.context()
        shell = shells.fingerprint(plan.uri, edit_url is not None)
        try:
            inputs = self.digests.digest(
                (plan.uri, self.made_with, self._shell_digest(shell), edit_url, context)
            )
        except NotDigestible:
            inputs = b""  # not recorded: rendered every time
        page_file = urls.page_file(plan.uri, settings.use_directory_urls)
        if (
            inputs
            and self.published is not None
            and self.record.linked(plan.uri, inputs, self.published, site_dir, page_file)
        ):
            self.recorded += 1
            return []
        page = plan.render(context)
        files = [
            WrittenFile(path, _encoded(text), b"")
            for path, text in _page_files(page, shells, edit_url, site_dir, settings)
        ]
        if inputs:
            self.record.rendered(
                plan.uri, inputs, [(f.path.relative_to(site_dir).as_posix(), f.data) for f in files]
            )
        return files

    def _shell_digest(self, parts: tuple[str, ...]) -> str:
        found = self.shell_digests.get(id(parts))
        if found is None:
            found = (parts, self.digests.digest(parts).hex())
            self.shell_digests[id(parts)] = found
        return found[1]

    def _write_files(
        self, files: list[WrittenFile], previous: dict[Path, bytes], on_disk: dict[Path, bytes]
    ) -> None:
        """Write each file, but leave alone those the last build wrote the same (serve)."""
        for target, data, digest in files:
            if digest:
                on_disk[target] = digest
                if previous.get(target) == digest:
                    # Written by the last build into this same folder, which serve keeps.
                    self.unchanged += 1
                    continue
            if target.parent not in self.folders:
                # Once per folder: `mkdir(exist_ok=True)` on a folder that exists raises and
                # catches an error and looks again, for each of a paper's four files.
                target.parent.mkdir(parents=True, exist_ok=True)
                self.folders.add(target.parent)
            if self.published is not None and self._link_published(target, data):
                continue
            target.write_bytes(data)

    def _link_published(self, target: Path, data: bytes) -> bool:
        """Link `target` to its twin in the published site if that twin holds `data`.

        A build over an existing site writes into a staging folder that publishing then
        compares with the site, file by file (`publish.compare_with_published`). Most pages of a
        rebuild are unchanged: comparing the bytes in memory with the published file and
        linking it spares writing the page, reading it back to compare it, and replacing it
        by a link; publishing sees the same file and keeps it. Nothing writes into a
        generated page's file after this, so the published file is never written through
        the link.
        """
        assert self.published is not None and self.site_dir is not None
        old = self.published / target.relative_to(self.site_dir)
        try:
            found = os.lstat(old)
            if not stat_module.S_ISREG(found.st_mode) or found.st_size != len(data):
                return False
            if old.read_bytes() != data:
                return False
            os.link(old, target)
        except OSError:
            return False
        self.linked += 1
        return True


def _page_files(
    page: GeneratedPage,
    shells: PageShells,
    edit_url: str | None,
    site_dir: Path,
    settings: RenderSettings,
) -> list[tuple[Path, str]]:
    """A page in its theme shell, and the files written with it."""
    target = site_dir / urls.page_file(page.uri, settings.use_directory_urls)
    files = [(target, shells.render(page, edit_url))]
    return files + [(site_dir / path, text) for path, text in page.files]


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "xmlcharrefreplace")


def _digest(html: bytes) -> bytes:
    return hashlib.blake2b(html, digest_size=16).digest()
