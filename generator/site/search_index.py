"""The site's search index: Pagefind reads the built pages and writes `/pagefind/`.

Pagefind splits the index into small shards, so a reader's browser downloads only what a
query needs, whatever the size of the catalogue. Paper pages mark what is indexed with
`data-pagefind-body` and their facets (tag, year, venue) with `data-pagefind-filter`.

Pagefind has no incremental mode: each run reads every page it is given. So each bundle of
the index records what it was made from: a digest of each page Pagefind read, in Pagefind's
order (`PAGES_RECORD`), and a digest of those, the Pagefind version and this module's format
(`SOURCE_DIGEST`). A build over an existing site takes a bundle whose digest is unchanged from
the previous index (hard links) instead of running Pagefind for it: a rebuild with no indexed
page changed runs no Pagefind.

A rebuild with a few pages changed, added or removed keeps every bundle of the previous index
as it was made (its *base*) and indexes only the pages that differ from the base into one
more bundle, the *delta* (`pagefind/delta/`, listed in `bundles.json` like the others). The
pages of kept bundles that the site no longer has as they were (changed or removed) are taken
out of those bundles' filters and marked `kind:superseded` (`search_index_rewrite.drop_pages`);
the search box leaves that kind out of every search, so it finds them only in the delta, as
they are now, and the facet counts are those of the site. (Papers have no `kind`, so that a
bundle of papers alone has no kind filter for a first search to fetch; the site's own pages
are `kind:page`.) The delta is always made against the base, so it
holds every page changed since the base was indexed; once that is more than `DELTA_SHARE` of
the pages (or `DELTA_LEAST`, whichever is larger; never more than a bundle), the build indexes
the changed bundles whole again and the delta goes (`plan_delta`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import gzip
import hashlib
import json
import logging
import math
import os
import posixpath
import re
import shutil
import tempfile
import threading
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError

from generator.model.entry import RESERVED_SLUGS
from generator.model.stable_digest import generator_version
from generator.processes import LatestJob
from generator.render import urls
from generator.site.pagefind_process import PagefindProcess
from generator.site.publish import published_site_of
from generator.site.search_index_rewrite import (
    SearchIndexFormatError,
    drop_pages,
    rewrite_index,
)

log = logging.getLogger("mkdocs.plugins.catalogue")

SEARCH_FOLDER = "pagefind"
"""Where the index is written, under the site folder (the search box loads it from there)."""

BUNDLE_PAGES = 20_000
"""Most paper pages one Pagefind run indexes. Pagefind holds its whole index in memory, growing
with every page it holds, so a larger catalogue is
indexed as several bundles, one run after the other: the first in `pagefind/`, the others in
`pagefind/more/<n>/`, listed in `pagefind/bundles.json` for the search box to merge
(Pagefind's `mergeIndex`). The size is chosen so that the largest catalogue we
measure stays within its memory target with the build's own memory beside it (figures in the
benchmark results); the first search fetches each bundle's metadata (a few bytes per page in
all, whatever the split) and one small word chunk per bundle."""

PAPERS_FOLDER = posixpath.dirname(urls.ALL_PAPERS_URI)
"""Where paper pages are, in the site (`papers/<slug>/index.html`)."""

BUNDLE_LIST = "bundles.json"
BUNDLE_FILES = ("pagefind-entry.json", "index", "fragment", "filter")
"""What a merged bundle needs (the search box runs the first bundle's script and wasm)."""
SOURCE_DIGEST = "catalogue-source.txt"
"""In each bundle's folder: the digest of what the bundle was made from."""
PAGES_RECORD = "catalogue-pages.json"
"""In each bundle's folder: `[[path, digest], ...]`, the pages Pagefind read, in the order it
numbered them, each with the digest of what it read of the page (`_page_digest`)."""
SERVED_RECORD = "catalogue-served.json"
"""In a kept bundle whose filters dropped pages: `{"entry": the entry file as the bundle was
made, "added": [the files dropping them]}`, so that the next build takes the bundle over as it
was made (`_take_over`)."""
DELTA_NAME = "delta"
"""The delta bundle's folder, under `pagefind/`."""
DELTA_SHARE = 0.05
"""The largest delta, as a share of the indexed pages. The pages it supersedes keep their
words in the kept bundles' word chunks and their place in the metadata every first search
downloads, and they weigh in the ranking's statistics (how many pages have a word, their
mean length): a twentieth of the catalogue moves these little, and re-indexing that many
pages on each rebuild is a twentieth of a full index."""
DELTA_LEAST = 100
"""A delta of this many pages is allowed whatever the catalogue's size: Pagefind indexes them
in a moment. One entry's change reaches more pages than its own (the papers that list it as
related, the home page), a removal more again, so a small catalogue's rebuilds after an edit
or two take a delta too."""
INDEX_FORMAT = "4"
"""Part of every digest: change it when this module or the rewrite changes what they write
from the same pages, so that no older bundle is taken over."""


@dataclass(frozen=True)
class SearchIndexReport:
    """What the indexer did."""

    pages: int
    """Pages indexed."""
    reused: int
    """Of those, pages of bundles taken over from the previous index unchanged."""
    files: int
    """Files written under `pagefind/`."""
    bytes: int
    """Their total size."""


def build_search_index(
    site_dir: Path,
    output: Path | None = None,
    bundle_pages: int = BUNDLE_PAGES,
    previous: Path | None = None,
) -> SearchIndexReport:
    """Index every HTML page under `site_dir` into `output` (default `site_dir/pagefind/`),
    taking over the bundles of the index `previous` whose pages did not change (default: the
    index of the published site, when `site_dir` is a build's staging folder)."""
    output = (output or site_dir / SEARCH_FOLDER).resolve()
    site_dir = site_dir.resolve()
    if previous is None:
        published = published_site_of(site_dir)
        previous = published / SEARCH_FOLDER if published is not None else None
    try:
        # Waiting for Pagefind's files is asyncio; its own thread and event loop keep it apart
        # from any loop the caller runs (MkDocs called from an async program or a browser test).
        with concurrent.futures.ThreadPoolExecutor(1) as worker:
            pages, reused = worker.submit(
                lambda: asyncio.run(_index(site_dir, output, bundle_pages, previous))
            ).result()
    except FileNotFoundError as exc:
        raise PluginError(f"Pagefind is not installed ({exc}): run `make setup`") from None
    written = [p for p in output.rglob("*") if p.is_file()]
    return SearchIndexReport(pages, reused, len(written), sum(p.stat().st_size for p in written))


@dataclass(frozen=True)
class DeltaPlan:
    """How a rebuild indexes the site over a previous index whose bundles it keeps."""

    pages: list[str]
    """The pages to index into the delta bundle (changed or added since the base), in the
    site's order."""
    superseded: dict[str, list[int]]
    """For each kept bundle (by name: "" or "more/<n>") with pages that the site no longer has
    as they were, those pages' numbers in the bundle."""


def plan_delta(
    base: list[tuple[str, list[tuple[str, str]]]],
    site: list[tuple[str, str]],
    bundle_pages: int = BUNDLE_PAGES,
    share: float = DELTA_SHARE,
    least: int = DELTA_LEAST,
) -> DeltaPlan | None:
    """The delta that makes the base bundles `base` (name, pages as `(path, digest)` in their
    order) the index of the site whose pages are `site` (`(path, digest)`, in the site's
    order); None if it holds more pages than the share `share` of the site's (at least
    `least`, at most a bundle's): then the site is indexed whole."""
    where: dict[str, tuple[str, int, str]] = {}
    for name, pages in base:
        for number, (path, digest) in enumerate(pages):
            where[path] = (name, number, digest)
    present = {path for path, _ in site}
    changed = [path for path, digest in site if path not in where or where[path][2] != digest]
    removed = [path for path in where if path not in present]
    bound = min(bundle_pages, max(least, int(share * len(site))))
    if len(changed) + len(removed) > bound:
        return None
    superseded: dict[str, list[int]] = {}
    for path in [*changed, *removed]:
        if path in where:
            name, number, _ = where[path]
            superseded.setdefault(name, []).append(number)
    return DeltaPlan(changed, {name: sorted(numbers) for name, numbers in superseded.items()})


class BackgroundIndex:
    """For `catalogue serve`: an edit must show in seconds, and indexing 10,000 pages takes
    longer. Each rebuilt site gets the last finished index at once (hard links), while a
    background job (`processes.LatestJob`) builds the new one over it (its bundles kept, the
    pages changed since them in a delta) and puts it in place when it is done; a rebuild
    stops the job indexing the site before it."""

    def __init__(self, bundle_pages: int = BUNDLE_PAGES) -> None:
        self.bundle_pages = bundle_pages
        self._store: Path | None = None
        """The last finished index (`current/`) and those being built (`next-*/`)."""
        self._lock = threading.Lock()
        self._job: LatestJob[SearchIndexReport] = LatestJob("search index")

    @property
    def has_index(self) -> bool:
        return self._store is not None and (self._store / "current").is_dir()

    def keep(self, site_dir: Path) -> None:
        """Remember the index just built into `site_dir`."""
        if self._store is None:
            self._store = Path(tempfile.mkdtemp(prefix="catalogue-search-"))
        with self._lock:
            shutil.rmtree(self._store / "current", ignore_errors=True)
            shutil.copytree(site_dir / SEARCH_FOLDER, self._store / "current")

    def site_changes(self) -> None:
        """The site is about to be rebuilt: stop indexing the one before."""
        self._job.stop()

    def refresh(self, site_dir: Path) -> None:
        """Keep the last index in `site_dir` for now, and start building a fresh one."""
        assert self._store is not None, "keep the first index first"
        if not (site_dir / SEARCH_FOLDER / "pagefind.js").exists():
            self._install(site_dir)
        with self._lock:
            for stopped in self._store.glob("next-*"):  # left by stopped jobs
                shutil.rmtree(stopped, ignore_errors=True)
        fresh = Path(tempfile.mkdtemp(prefix="next-", dir=self._store))
        finished = functools.partial(self._finished, site_dir, fresh)
        # Made over the last index, as a build over the last site is: after an edit or two,
        # Pagefind reads only the pages they changed (a delta) and the rest is linked.
        current = self._store / "current"
        self._job.request(finished, build_search_index, site_dir, fresh, self.bundle_pages, current)
        self._job.start()

    def close(self) -> None:
        """Stop the indexer, if one runs, and remove the stored index (serve has stopped)."""
        self._job.close()
        if self._store is not None:
            shutil.rmtree(self._store, ignore_errors=True)

    def _finished(self, site_dir: Path, fresh: Path, report: SearchIndexReport) -> None:
        assert self._store is not None
        with self._lock:
            shutil.rmtree(self._store / "current", ignore_errors=True)
            fresh.rename(self._store / "current")
        self._install(site_dir)
        log.info(f"catalogue: search index refreshed ({report.pages} pages)")

    def _install(self, site_dir: Path) -> None:
        assert self._store is not None
        with self._lock:
            shutil.rmtree(site_dir / SEARCH_FOLDER, ignore_errors=True)
            shutil.copytree(
                self._store / "current", site_dir / SEARCH_FOLDER, copy_function=os.link
            )


class StreamedIndex:
    """A fresh build's index, made while its pages are written (`write_pages` feeds it).

    Pagefind runs as a process of its own, so on two cores it can read each paper page as
    soon as the page is rendered, and write its index while the build renders the lists,
    instead of starting once every page is on disk. Only for a build with nothing to take
    over (no previous index) and one bundle: the index it makes is the one
    `build_search_index` would make of the finished site, which `result` checks (the same
    pages in the same order), falling back to indexing the site if not."""

    def __init__(self, site_dir: Path, output: Path) -> None:
        self.site_dir = site_dir.resolve()
        self.output = output.resolve()
        self.indexer = PagefindProcess(INDEX_CONFIG)
        self.sent: list[str] = []
        self.record: list[tuple[str, str]] = []
        self._writing: threading.Thread | None = None
        self._failed: BaseException | None = None
        self.pages = 0
        # The bundle's pages other than papers are hand-written: MkDocs has built them.
        for page in sorted(self.site_dir.rglob("*.html")):
            if not _is_paper_page(page, self.site_dir):
                data = page.read_bytes()
                if INDEXED_MARK in data:
                    self._add(page, data)

    @classmethod
    def start(
        cls, site_dir: Path, papers: int, bundle_pages: int = BUNDLE_PAGES
    ) -> StreamedIndex | None:
        """A streamed index of `site_dir`, or None where it would not be the site's index:
        a previous index to take bundles over from, or more papers than one bundle holds."""
        published = published_site_of(site_dir.resolve())
        if published is not None and (published / SEARCH_FOLDER).exists():
            return None
        if papers > bundle_pages:
            return None
        try:
            return cls(site_dir, site_dir / SEARCH_FOLDER)
        except FileNotFoundError as exc:
            raise PluginError(f"Pagefind is not installed ({exc}): run `make setup`") from None

    def takes(self, page: Path) -> bool:
        """Whether the written page `page` goes into the index as a paper."""
        return _is_paper_page(page, self.site_dir)

    def paper(self, page: Path, data: bytes) -> None:
        """The paper page `page`, as written (papers come in the order of their paths)."""
        self._add(page, _prepared(data) or data)

    def papers_written(self) -> None:
        """Every paper has been given: Pagefind writes the index in the background (once,
        however often this is called)."""
        if self._writing is None:
            self._writing = threading.Thread(target=self._write, name="search index")
            self._writing.start()

    def result(self, bundle_pages: int = BUNDLE_PAGES) -> SearchIndexReport | None:
        """Wait for the index; None, and no index, if the finished site is not indexed by the
        pages that were given, in that order."""
        self.papers_written()
        assert self._writing is not None
        self._writing.join()
        if self._failed is not None:
            raise self._failed
        bundles = bundles_of(self.site_dir, bundle_pages)
        paths = [page.relative_to(self.site_dir).as_posix() for page in bundles[0]]
        if len(bundles) != 1 or paths != self.sent:
            log.debug("catalogue: the streamed search index is not the site's; indexing again")
            shutil.rmtree(self.output, ignore_errors=True)
            return None
        written = [p for p in self.output.rglob("*") if p.is_file()]
        return SearchIndexReport(
            self.pages, 0, len(written), sum(p.stat().st_size for p in written)
        )

    def abandon(self) -> None:
        """Stop Pagefind (the build failed)."""
        if self._writing is None:
            self.indexer.stop()
        else:
            self._writing.join()

    def _add(self, page: Path, data: bytes) -> None:
        path = page.relative_to(self.site_dir).as_posix()
        self.record.append((path, _page_digest(data)))
        self.indexer.add(path, data)
        self.sent.append(path)

    def _write(self) -> None:
        try:
            with self.indexer:
                self.pages = self.indexer.write(self.output)
                asyncio.run(_until_written(self.output))
            rewrite_index(self.output)
            _write_records(self.output, self.record)
            (self.output / BUNDLE_LIST).write_text(json.dumps([]), encoding="utf-8")
        except SearchIndexFormatError as exc:
            self._failed = PluginError(f"search index: {exc}")
        except BaseException as exc:  # raised on the build's thread, by `result`
            self._failed = exc


def bundles_of(site_dir: Path, bundle_pages: int = BUNDLE_PAGES) -> list[list[Path]]:
    """The pages of `site_dir` that Pagefind indexes, split into bundles of at most
    `bundle_pages` papers.

    Papers are split in slug order; the first bundle also holds the other indexed pages (the
    hand-written ones). Pages without `data-pagefind-body` (the generated lists, which only
    repeat the papers) are left out: Pagefind would leave them out of the index anyway, but
    only after holding them in memory with the rest (the ~9,000 list pages of 100,000
    papers doubled the memory of the first bundle)."""
    papers, others = [], []
    for page in sorted(site_dir.rglob("*.html")):
        if _is_paper_page(page, site_dir):
            papers.append(page)
        elif INDEXED_MARK in page.read_bytes():
            others.append(page)
    count = max(1, math.ceil(len(papers) / max(1, bundle_pages)))
    size = max(1, math.ceil(len(papers) / count))
    bundles = [papers[n * size : (n + 1) * size] for n in range(count)]
    bundles[0] = others + bundles[0]
    return bundles


INDEXED_MARK = b"data-pagefind-body"
"""The attribute of what Pagefind indexes; once any page has it, pages without it are not
indexed (overrides/main.html puts it on hand-written pages, paper pages on their article)."""


def _is_paper_page(page: Path, site_dir: Path) -> bool:
    """`papers/<slug>/index.html`: a paper's page (not the list of all papers, nor its other
    orders, `papers/newest/` and `papers/published/`, whose names no entry may take)."""
    return page.parent.parent == site_dir / PAPERS_FOLDER and page.parent.name not in RESERVED_SLUGS


async def _index(
    site_dir: Path, output: Path, bundle_pages: int, previous: Path | None
) -> tuple[int, int]:
    """Index the site: (pages indexed, of those pages taken over)."""
    bundles = bundles_of(site_dir, bundle_pages)
    # What Pagefind reads of each page (a paper page's indexed article alone: the theme
    # around it is three quarters of its bytes, and Pagefind parses all of it), by path.
    # Read twice rather than held: a bundle's articles together are a large share of the
    # memory Pagefind's run beside this process may use.
    records = [
        [
            (file.relative_to(site_dir).as_posix(), _page_digest(_read(file, site_dir)))
            for file in files
        ]
        for files in bundles
    ]
    base = _base_of(previous) if previous is not None else None
    if base is not None and previous is not None:
        site = [page for record in records for page in record]
        plan = plan_delta(base, site, bundle_pages, DELTA_SHARE, DELTA_LEAST)
        if plan is not None:
            try:
                return await _index_delta(site_dir, output, previous, base, plan, len(site))
            except _NotTakenOver as exc:  # the old site changed under us: index it whole
                log.debug(f"catalogue: search bundle {exc} not taken over; indexing whole")
                shutil.rmtree(output, ignore_errors=True)
    return await _index_whole(site_dir, output, bundles, records, previous)


async def _index_whole(
    site_dir: Path,
    output: Path,
    bundles: list[list[Path]],
    records: list[list[tuple[str, str]]],
    previous: Path | None,
) -> tuple[int, int]:
    """Index the site bundle by bundle, taking over the previous index's bundles made from the
    same pages."""
    pages = reused = 0
    names = [""] + [f"more/{n}" for n in range(1, len(bundles))]
    for files, record, name in zip(bundles, records, names, strict=True):
        folder = output / name if name else output
        old = (previous / name if name else previous) if previous is not None else None
        if old is not None:
            try:
                _take_over(old, folder, _source(record), top=not name)
                pages += len(files)
                reused += len(files)
                continue
            except _NotTakenOver:
                shutil.rmtree(folder / "fragment", ignore_errors=True)
        pages += await _index_bundle(site_dir, files, folder, record, top=not name)
    listed = [f"{name}/" for name in names[1:]]
    (output / BUNDLE_LIST).write_text(json.dumps(listed), encoding="utf-8")
    return pages, reused


async def _index_delta(
    site_dir: Path,
    output: Path,
    previous: Path,
    base: list[tuple[str, list[tuple[str, str]]]],
    plan: DeltaPlan,
    total: int,
) -> tuple[int, int]:
    """Keep the base bundles of `previous`, their superseded pages dropped from their filters,
    and index the plan's pages into the delta bundle."""
    for name, record in base:
        folder = output / name if name else output
        _take_over(previous / name if name else previous, folder, _source(record), not name)
        if name in plan.superseded:
            entry = (folder / "pagefind-entry.json").read_text(encoding="utf-8")
            try:
                added = drop_pages(folder, set(plan.superseded[name]))
            except SearchIndexFormatError as exc:
                raise PluginError(f"search index: {exc}") from None
            served = {"entry": entry, "added": added}
            (folder / SERVED_RECORD).write_text(json.dumps(served), encoding="utf-8")
    listed = [f"{name}/" for name, _ in base[1:]]
    if plan.pages:
        folder = output / DELTA_NAME
        files = [site_dir / path for path in plan.pages]
        record = [
            (path, _page_digest(_read(file, site_dir)))
            for path, file in zip(plan.pages, files, strict=True)
        ]
        try:
            _take_over(previous / DELTA_NAME, folder, _source(record), top=False)
        except _NotTakenOver:
            shutil.rmtree(folder, ignore_errors=True)
            await _index_bundle(site_dir, files, folder, record, top=False)
        listed.append(f"{DELTA_NAME}/")
    (output / BUNDLE_LIST).write_text(json.dumps(listed), encoding="utf-8")
    return total, total - len(plan.pages)


async def _index_bundle(
    site_dir: Path, files: list[Path], folder: Path, record: list[tuple[str, str]], top: bool
) -> int:
    """Run Pagefind over `files` into `folder`, whose pages are `record`; pages indexed."""
    # Each page goes to Pagefind from memory under its path in the site (so Pagefind gives
    # the same URLs): a paper's article alone, any other page whole.
    with PagefindProcess(INDEX_CONFIG) as indexer:
        for file in files:
            indexer.add(file.relative_to(site_dir).as_posix(), _read(file, site_dir))
        pages = indexer.write(folder)
        # Closing the indexer stops it; wait until what it writes is whole.
        await _until_written(folder)
    try:
        rewrite_index(folder)
    except SearchIndexFormatError as exc:
        raise PluginError(f"search index: {exc}") from None
    if not top:
        for item in folder.iterdir():
            if item.name not in BUNDLE_FILES and not item.name.endswith(".pf_meta"):
                shutil.rmtree(item) if item.is_dir() else item.unlink()
    _write_records(folder, record)
    return pages


def _read(file: Path, site_dir: Path) -> bytes:
    """What Pagefind reads of the page `file`."""
    return _prepare(file, _is_paper_page(file, site_dir)) or file.read_bytes()


def _page_digest(data: bytes) -> str:
    """The digest of what Pagefind reads of one page."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _source(record: list[tuple[str, str]]) -> str:
    """The digest of a bundle made from the pages `record` (path, digest) in that order, by
    this Pagefind and this module's format. Keyed with `generator_version()`, and so with
    this user's record secret: a site that came with the sources (a pull request can force
    one past .gitignore) matches nothing, and its index, which the search box would show
    as results, is never taken over."""
    seed = f"{INDEX_FORMAT} {_pagefind_version()}".encode()
    digest = hashlib.blake2b(seed, key=generator_version().encode())
    for path, page in record:
        digest.update(f"\0{path}\0{page}".encode())
    return digest.hexdigest()


def _write_records(folder: Path, record: list[tuple[str, str]]) -> None:
    (folder / PAGES_RECORD).write_text(
        json.dumps([list(page) for page in record], separators=(",", ":")), encoding="utf-8"
    )
    (folder / SOURCE_DIGEST).write_text(_source(record) + "\n", encoding="utf-8")


BUNDLE_NAME = re.compile(r"more/[1-9][0-9]*")


def _base_of(previous: Path) -> list[tuple[str, list[tuple[str, str]]]] | None:
    """The bundles of the index `previous` as they were made (its delta aside): name and
    pages; None if it has none this build can keep (none, another format or Pagefind)."""
    try:
        listed = json.loads((previous / BUNDLE_LIST).read_text(encoding="utf-8"))
        names = [""] + [
            str(name).rstrip("/") for name in listed if str(name).rstrip("/") != DELTA_NAME
        ]
        base = []
        for name in names:
            if name and not BUNDLE_NAME.fullmatch(name):
                return None
            folder = previous / name if name else previous
            record = json.loads((folder / PAGES_RECORD).read_text(encoding="utf-8"))
            pages = [(str(path), str(digest)) for path, digest in record]
            if (folder / SOURCE_DIGEST).read_text(encoding="utf-8").strip() != _source(pages):
                return None
            base.append((name, pages))
    except (OSError, ValueError, TypeError, RecursionError):
        return None
    return base


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:  # pragma: no cover - installed by make setup
        return "?"


class _NotTakenOver(Exception):
    """A bundle of the previous index is not the one wanted, or could not be linked."""


def _take_over(old: Path, folder: Path, source: str, top: bool) -> None:
    """Hard-link the bundle `old` into `folder`, as it was made (without the files that
    dropped pages from its filters), if it was made from `source`; the first bundle's folder
    (`top`) without the other bundles and their list. Raise `_NotTakenOver` if not."""
    try:
        if (old / SOURCE_DIGEST).read_text(encoding="utf-8").strip() != source:
            raise _NotTakenOver(old)
    except OSError:
        raise _NotTakenOver(old) from None
    skip = {"more", DELTA_NAME, BUNDLE_LIST} if top else set()
    skip.add(SERVED_RECORD)
    made: str | None = None
    try:
        served = json.loads((old / SERVED_RECORD).read_text(encoding="utf-8"))
        made = str(served["entry"])
        skip.update({"pagefind-entry.json", *(str(name) for name in served["added"])})
    except FileNotFoundError:
        pass
    except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:
        raise _NotTakenOver(old) from exc

    def skipped(where: str, names: list[str]) -> list[str]:
        inside = Path(where).relative_to(old)
        return [name for name in names if (inside / name).as_posix() in skip]

    try:
        for item in old.iterdir():
            if item.name in skip:
                continue
            target = folder / item.name
            if item.is_dir():
                shutil.copytree(
                    item, target, copy_function=_link_or_copy, dirs_exist_ok=True, ignore=skipped
                )
            else:
                folder.mkdir(parents=True, exist_ok=True)
                _link_or_copy(item, target)
        if made is not None:
            (folder / "pagefind-entry.json").write_text(made, encoding="utf-8")
    except OSError as exc:  # the old site changed under us
        log.debug(f"catalogue: search bundle {old} not taken over ({exc})")
        raise _NotTakenOver(old) from exc


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


PAPER_BODY = '<article class="catalogue-paper" data-pagefind-body>'
"""How a paper page's indexed article starts (generator/render/templates/paper.html.j2)."""


def _prepare(page: Path, is_paper: bool) -> bytes:
    """What Pagefind must read of a paper page: its article in a page of its own; empty for
    any other page, which Pagefind reads whole."""
    if not is_paper:
        return b""
    return _prepared(page.read_bytes())


def _prepared(data: bytes) -> bytes:
    """A paper page's article in a page of its own; empty if `data` has none."""
    start = data.find(PAPER_BODY.encode())
    end = data.find(b"</article>", start)  # entry text is escaped: no tag of its own
    if start < 0 or end < 0:
        return b""
    return (
        b'<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>'
        + data[start : end + len("</article>")]
        + b"</body></html>"
    )


INDEX_CONFIG = {
    # One language for the whole site: no per-language split of the index.
    "force_language": "en",
    # The pilcrow links that Markdown adds to hand-written headings are not words.
    "exclude_selectors": [".headerlink"],
}
"""Pagefind's options (those of its command line's configuration)."""


async def _index_folder(folder: Path, output: Path) -> int:
    """Index the pages under `folder` as the build indexes one bundle (the same order, each
    page whole): the index of a folder of pages made by hand."""
    pages = sorted(folder.rglob("*.html"), key=lambda page: (_is_paper_page(page, folder), page))
    with PagefindProcess(INDEX_CONFIG) as indexer:
        for file in pages:
            indexer.add(file.relative_to(folder).as_posix(), file.read_bytes())
        indexed = indexer.write(output)
        await _until_written(output)
    return indexed


WRITE_TIMEOUT = 120.0
"""Seconds to wait for Pagefind's files to be whole after it answered "written"."""


async def _until_written(output: Path, timeout: float = WRITE_TIMEOUT) -> None:
    """Wait until every file Pagefind wrote into `output` is whole.

    Pagefind answers "files written" when it has handed the bytes to its async file writer,
    which writes them a moment later; stopping its process then can leave files empty (seen
    once at 10,000 papers: an empty `pagefind-entry.json`). A file is whole when its gzip
    stream ends with a valid checksum (index files), it parses (the entry JSON), or it is
    non-empty and its size held for one more look (scripts and styles)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    sizes: dict[Path, int] = {}
    while True:
        pending = _unfinished_files(output, sizes)
        if not pending:
            return
        if loop.time() > deadline:
            names = ", ".join(sorted(str(p.relative_to(output)) for p in pending)[:5])
            raise PluginError(f"search index: Pagefind left files unfinished: {names}")
        await asyncio.sleep(0.05)


GZIPPED = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")
"""Pagefind's files that are gzip streams."""


def _unfinished_files(output: Path, sizes: dict[Path, int]) -> list[Path]:
    """The files under `output` that are not whole yet (`sizes`: what the last look saw)."""
    pending: list[Path] = []
    for path in output.rglob("*"):
        if not path.is_file() or sizes.get(path) == -1:
            continue
        data = path.read_bytes()
        try:
            if path.suffix in GZIPPED:
                gzip.decompress(data)
            elif path.name == "pagefind-entry.json":
                json.loads(data)
            elif not data or sizes.get(path) != len(data):
                sizes[path] = len(data)
                pending.append(path)
                continue
        except (OSError, EOFError, ValueError, zlib.error):
            pending.append(path)
            continue
        sizes[path] = -1  # whole: not read again
    return pending
