"""Atomic, stale-free output: a build that fails or is killed leaves the previous site whole;
deleted entries disappear, renamed ones redirect, unchanged files are not rewritten.

Every build here is the real `mkdocs build --strict` in a subprocess; the kill test adds a
MkDocs hook that pauses the build after a few pages are written, so the kill lands mid-write.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from generator.site import publish
from generator.site.publish import SitePublisher
from generator.site.search_index_rewrite import read_index_file
from tests.support import (
    answers_ctrl_c,
    build_site,
    built_once,
    run_mkdocs_build,
    small_catalogue,
    snapshot,
)

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`

ENTRIES: dict[str, dict[str, object]] = {
    slug: {
        "title": f"Paper {slug.upper()}",
        "abstract": f"The abstract of paper {slug}.",
        "tags": ["llm", "quantization"],
    }
    for slug in ("alpha", "beta", "gamma")
}

SLOW_HOOK = """
import os, time
from pathlib import Path


_pages = 0


def on_post_page(output, page, config, **kwargs):
    # Pause once a few pages are written, and say so, so that the test kills mid-write.
    global _pages
    _pages += 1
    if _pages == 3:
        Path(os.environ["CATALOGUE_TEST_HALFWAY"]).write_text("halfway")
        time.sleep(300)
    return output
"""


@pytest.fixture
def catalogue(tmp_path: Path, repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small catalogue and its published site, for the test to change: a copy of one
    catalogue built once for all tests (the first build is the same in each)."""

    def build(root: Path) -> None:
        small_catalogue(repo_root, root, ENTRIES)
        build_site(root / "mkdocs.yml", root / "site")

    shared = built_once(tmp_path_factory, "publish-catalogue", build)
    return Path(shutil.copytree(shared, tmp_path / "catalogue", symlinks=True))


def _page(site: Path, slug: str) -> Path:
    return site / "papers" / slug / "index.html"


def _search_page_count(site: Path) -> int:
    """The pages the search box finds: those of every bundle not of kind `superseded` (a
    rebuild keeps a bundle whose pages changed, marking them so: search_index.py)."""
    index = site / "pagefind"
    listed = json.loads((index / "bundles.json").read_text("utf-8"))
    count = 0
    for bundle in [index, *(index / name for name in listed)]:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        for language in entry["languages"].values():
            meta = read_index_file(bundle / f"pagefind.{language['hash']}.pf_meta")
            count += len(meta[1])
            kind = dict(meta[3]).get("kind")
            if kind is not None:
                values = dict(read_index_file(bundle / "filter" / f"{kind}.pf_filter")[1])
                count -= len(values.get("superseded", []))
    return count


def test_killed_build_leaves_the_previous_site_whole(catalogue: Path) -> None:
    site = catalogue / "site"
    before = snapshot(site)
    (catalogue / "papers" / "alpha.yaml").write_text(
        "title: Paper ALPHA renamed\nabstract: Changed.\ntags: [llm, quantization]\n", "utf-8"
    )
    (catalogue / "slow_hook.py").write_text(SLOW_HOOK, encoding="utf-8")
    config = catalogue / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nhooks:\n  - slow_hook.py\n", "utf-8")
    marker = catalogue / "halfway"
    env = {**os.environ, "CATALOGUE_TEST_HALFWAY": str(marker)}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)]
    command += ["--site-dir", str(site)]
    log = catalogue / "build.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, log.read_text("utf-8")
            assert time.monotonic() < deadline, "the build never reached its third page"
            time.sleep(0.05)
        staged_pages = list((catalogue / ".site.staging").rglob("*.html"))
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert len(staged_pages) >= 2  # the kill landed while pages were being written
    assert snapshot(site) == before

    # The next build removes the leftover staging folder and publishes the change.
    config.write_text(config.read_text("utf-8").replace("hooks:\n  - slow_hook.py\n", ""), "utf-8")
    build_site(config, site)
    assert not (catalogue / ".site.staging").exists()
    assert "Paper ALPHA renamed" in _page(site, "alpha").read_text("utf-8")


def test_build_aborted_by_a_strict_warning_publishes_nothing(catalogue: Path) -> None:
    site = catalogue / "site"
    before = snapshot(site)
    # A broken link is only a warning; `--strict` aborts *after* every page is written.
    (catalogue / "docs" / "about.md").write_text("[broken](missing-page.md)\n", "utf-8")
    result = run_mkdocs_build(catalogue / "mkdocs.yml", site)
    assert result.returncode != 0
    assert "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr
    assert snapshot(site) == before
    assert not (catalogue / ".site.staging").exists()


def test_deleted_entry_disappears_and_unchanged_pages_are_not_rewritten(catalogue: Path) -> None:
    site = catalogue / "site"
    before = {path: (path.read_bytes(), path.stat()) for path in site.rglob("*") if path.is_file()}
    listing = (site / "papers" / "index.html").read_bytes()
    indexed = _search_page_count(site)
    (catalogue / "papers" / "alpha.yaml").unlink()
    build_site(catalogue / "mkdocs.yml", site)
    assert not (site / "papers" / "alpha").exists()
    assert "papers/alpha/" not in (site / "sitemap-generated-1.xml").read_text("utf-8")
    assert _search_page_count(site) == indexed - 1
    assert (site / "papers" / "index.html").read_bytes() != listing
    # beta listed alpha among its related papers, so its page changes; a file whose bytes
    # are the same must be the very same file, not a rewritten copy.
    assert "../alpha/" not in _page(site, "beta").read_text("utf-8")
    kept = [
        path for path, (data, stat) in before.items() if path.exists() and path.read_bytes() == data
    ]
    assert {site / "about" / "index.html", site / "contributing" / "index.html"} <= set(kept)
    for path in kept:
        after, earlier = path.stat(), before[path][1]
        assert (after.st_ino, after.st_mtime_ns) == (earlier.st_ino, earlier.st_mtime_ns), path
    leftovers = [p.name for p in catalogue.iterdir() if p.name.startswith(".site.")]
    # The lock, what this build recorded for the next (`page_record`) and the last site's
    # folders for it to fill, without a file: no staging folder.
    assert sorted(leftovers) == [".site.lock", ".site.record", ".site.spare"]
    spare = catalogue / ".site.spare"
    assert [p for p in spare.rglob("*") if not p.is_dir() or p.is_symlink()] == []
    assert (spare / "papers" / "alpha").is_dir()  # the deleted entry's folder, emptied


def test_renamed_entry_keeps_its_old_address_as_a_redirect(catalogue: Path) -> None:
    site = catalogue / "site"
    papers = catalogue / "papers"
    old = (papers / "beta.yaml").read_text("utf-8")
    (papers / "beta.yaml").unlink()
    (papers / "beta-renamed.yaml").write_text(old + "former_slugs: [beta]\n", "utf-8")
    build_site(catalogue / "mkdocs.yml", site)
    assert "Paper BETA" in _page(site, "beta-renamed").read_text("utf-8")
    redirect = _page(site, "beta").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../beta-renamed/">' in redirect
    assert '<a href="../beta-renamed/">Paper BETA</a>' in redirect
    canonical = "https://paper-catalogue.github.io/efficient-inference/papers/beta-renamed/"
    assert f'<link rel="canonical" href="{canonical}">' in redirect
    assert "papers/beta/" not in (site / "sitemap.xml").read_text("utf-8")


def test_hidden_entries_of_the_site_survive_a_build(catalogue: Path) -> None:
    # MkDocs' own clean step spares them: a deploy checkout's `.git`, a `.nojekyll`.
    site = catalogue / "site"
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", "utf-8")
    (site / ".nojekyll").write_text("", "utf-8")
    build_site(catalogue / "mkdocs.yml", site)
    assert (site / ".git" / "HEAD").read_text("utf-8") == "ref: refs/heads/gh-pages\n"
    assert (site / ".nojekyll").exists()


def test_gh_deploy_pushes_the_published_folder(catalogue: Path) -> None:
    # `gh-deploy` builds, then pushes `config.site_dir`: it must be the real site again.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = catalogue / "site"
    config = load_config(str(catalogue / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="gh-deploy", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    assert Path(config.site_dir) == site
    assert _page(site, "gamma").is_file()


@pytest.mark.parametrize("clean", [False, True], ids=["serve", "serve-clean"])
def test_serve_still_works(catalogue: Path, clean: bool) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(catalogue / "mkdocs.yml")]
    command += ["--dev-addr", f"127.0.0.1:{port}", "--no-livereload"]
    command += ["--clean"] if clean else []
    log = catalogue / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, preexec_fn=answers_ctrl_c
        )
    url = f"http://127.0.0.1:{port}/efficient-inference/papers/gamma/"
    try:
        body = _fetch_when_up(url, server, log)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert "Paper GAMMA" in body
    assert "Shutting down" in log.read_text("utf-8")  # stopped by Ctrl-C, not killed


def _fetch_when_up(url: str, server: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + 120
    while True:
        assert server.poll() is None, log.read_text("utf-8")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            assert time.monotonic() < deadline, f"{url} never answered"
            time.sleep(0.2)


# --- The publisher on its own: fallbacks and recovery --------------------------------------------


def _site_with(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _stage(publisher: SitePublisher, files: dict[str, str]) -> None:
    _site_with(publisher.begin(), files)


def _texts(directory: Path) -> dict[str, str]:
    return {rel: data.decode() for rel, data in snapshot(directory).items()}


NEW = {"index.html": "new home", "papers/a/index.html": "same", "papers/c/index.html": "new"}
OLD = {"index.html": "old home", "papers/a/index.html": "same", "papers/b/index.html": "gone"}


@pytest.mark.parametrize(
    ("failure", "method"),
    [
        (None, "exchange"),
        (errno.ENOSYS, "renames"),
        (errno.EINVAL, "renames"),
        (errno.EXDEV, "files"),
    ],
)
def test_every_way_of_replacing_gives_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: int | None, method: str
) -> None:
    site = _site_with(tmp_path / "site", {**OLD, ".nojekyll": ""})
    kept = (site / "papers" / "a" / "index.html").stat()
    if failure is not None:  # a kernel or file system without the exchange, a mount point

        def unavailable(a: Path, b: Path) -> None:
            raise OSError(failure, os.strerror(failure))

        monkeypatch.setattr(publish, "exchange", unavailable)
    publisher = SitePublisher(site)
    _stage(publisher, NEW)
    report = publisher.publish()
    assert report.method == method
    assert (report.files, report.unchanged, report.removed) == (3, 1, 1)
    assert _texts(site) == {**NEW, ".nojekyll": ""}
    after = (site / "papers" / "a" / "index.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)
    # The old site's folders are kept for the next build, without a file in them.
    beside = sorted(p.name for p in tmp_path.iterdir())
    if method == "files":
        assert beside == [".site.lock", "site"]
    else:
        assert beside == [".site.lock", ".site.spare", "site"]
        spare = tmp_path / ".site.spare"
        assert [p for p in spare.rglob("*") if not p.is_dir() or p.is_symlink()] == []
        assert {p.relative_to(spare).as_posix() for p in spare.rglob("*")} == {
            "papers",
            "papers/a",
            "papers/b",
        }


def test_the_next_build_fills_the_last_sites_folders_and_publishes_nothing_stale(
    tmp_path: Path,
) -> None:
    site = _site_with(tmp_path / "site", OLD)
    first = SitePublisher(site)
    _stage(first, NEW)
    first.publish()
    folder = (tmp_path / ".site.spare" / "papers" / "b").stat().st_ino
    # Something left in the spare (a killed build, a person) is never published.
    (tmp_path / ".site.spare" / "papers" / "b" / "stale.html").write_text("stale", "utf-8")
    (tmp_path / ".site.spare" / "papers" / "c" / "sub").mkdir(parents=True)
    second = SitePublisher(site)
    staging = second.begin()
    assert [p.name for p in staging.iterdir()] == [publish.SPARE_INSIDE]  # hidden from MkDocs
    (staging / "papers").mkdir()
    (staging / "papers" / "index.html").write_text("the list", "utf-8")  # as MkDocs writes
    second.adopt_spare()
    # Folders the staging site lacked are the spare's; nothing in them.
    assert (staging / "papers" / "b").stat().st_ino == folder
    assert [p for p in staging.rglob("*") if p.is_file()] == [staging / "papers" / "index.html"]
    wanted = {"index.html": "newer", "papers/index.html": "the list", "papers/b/index.html": "b"}
    _site_with(staging, wanted)
    report = second.publish()
    assert _texts(site) == wanted
    # The spare folders written into are the site's; those left empty are gone.
    assert (site / "papers" / "b").stat().st_ino == folder
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()) == [
        "papers",
        "papers/b",
    ]
    assert (report.files, report.removed) == (3, 2)


def test_first_publication_renames_the_staging_folder(tmp_path: Path) -> None:
    publisher = SitePublisher(tmp_path / "new" / "site")
    _stage(publisher, NEW)
    assert publisher.publish().method == "first"
    assert _texts(tmp_path / "new" / "site") == NEW


def test_site_left_aside_by_a_killed_build_is_restored(tmp_path: Path) -> None:
    # Killed between the two renames of the fallback: the site is only at `.site.previous`.
    _site_with(tmp_path / ".site.previous", OLD)
    publisher = SitePublisher(tmp_path / "site")
    publisher.begin()
    assert _texts(tmp_path / "site") == OLD
    publisher.abandon()
    assert _texts(tmp_path / "site") == OLD
    assert not (tmp_path / ".site.previous").exists()
    assert not (tmp_path / ".site.staging").exists()


def test_leftover_staging_folder_is_replaced(tmp_path: Path) -> None:
    _site_with(tmp_path / ".site.staging", {"half/written.html": "junk"})
    publisher = SitePublisher(tmp_path / "site")
    assert list(publisher.begin().iterdir()) == []
    publisher.abandon()


def test_symlinked_site_is_published_where_it_points(tmp_path: Path) -> None:
    target = _site_with(tmp_path / "www" / "html", OLD)
    (tmp_path / "site").symlink_to(target)
    publisher = SitePublisher(tmp_path / "site")
    _stage(publisher, NEW)
    publisher.publish()
    assert (tmp_path / "site").is_symlink()
    assert _texts(tmp_path / "site") == NEW


def test_two_builds_of_one_site_take_turns(tmp_path: Path) -> None:
    first, second = SitePublisher(tmp_path / "site"), SitePublisher(tmp_path / "site")
    first.begin()
    started = threading.Event()
    thread = threading.Thread(target=lambda: (second.begin(), started.set()), daemon=True)
    thread.start()
    assert not started.wait(0.3)  # blocked on the lock while the first build runs
    first.abandon()
    assert started.wait(30)
    second.abandon()
    thread.join(30)


def test_staging_and_lock_stay_next_to_the_site(tmp_path: Path) -> None:
    publisher = SitePublisher(tmp_path / "out" / "site")
    assert publisher.staging == tmp_path / "out" / ".site.staging"
    assert publisher.lock_file.parent == publisher.staging.parent
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
