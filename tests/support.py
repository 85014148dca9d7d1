"""Helpers for tests: real MkDocs builds and a static file server on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from tests import prewarmed


def build_site(config_file: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build --strict` in a subprocess; fail the test on a non-zero exit."""
    result = run_mkdocs_build(config_file, site_dir, *extra)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return result


def answers_ctrl_c() -> None:
    """`preexec_fn` for a child that a test stops with SIGINT, as a person's Ctrl-C would. A
    shell without job control starts background jobs with SIGINT ignored, and children inherit
    that: a test run started that way would otherwise wait out its timeout and kill the child,
    never reaching the shutdown it means to test."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The folder `name`, filled by `build` once per test run and shared by every pytest-xdist
    worker (a session fixture is made once per worker; without this each worker would build
    the same site). Follows pytest-xdist's recipe: the workers' common temporary folder, a
    file lock, a mark written when the build finished. Tests must only read the folder."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run only
    folder, done = base / f"shared-{name}", base / f"shared-{name}.done"
    with FileLock(base / f"shared-{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


def run_mkdocs_build(
    config_file: Path, site_dir: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` in a process of its own (started with the imports done,
    `tests/prewarmed.py`) and return the completed process, whatever its exit code."""
    options = ["--config-file", str(config_file), "--site-dir", str(site_dir), *extra]
    return prewarmed.run_module("mkdocs", "build", "--strict", *options)


def copy_catalogue(source_root: Path, target: Path, *, papers: bool = True) -> Path:
    """A copy of a catalogue repository (config, guide, docs, overrides, papers, tags) to modify;
    `papers=False` leaves out the entries."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "tags.yaml"):
        shutil.copy2(source_root / name, target / name)
    if (source_root / "CONTRIBUTING.md").exists():
        shutil.copy2(source_root / "CONTRIBUTING.md", target / "CONTRIBUTING.md")
    for name in ("docs", "overrides", "papers") if papers else ("docs", "overrides"):
        if (source_root / name).exists():
            shutil.copytree(source_root / name, target / name)
    return target


def keep_entries(root: Path, count: int) -> list[Path]:
    """Leave at most `count` entries in the catalogue at `root` (the first, by file name), fewer
    where needed so that every tag still used is carried by two papers (the build refuses a tag
    of one paper). For tests of how a build works rather than of the seed's content: a smaller
    catalogue builds sooner. Returns the entries left."""
    import yaml

    entries = sorted((root / "papers").glob("*.yaml"))
    kept = entries[:count]
    while True:
        tags = {entry: yaml.safe_load(entry.read_text("utf-8")).get("tags", []) for entry in kept}
        carried = Counter(tag for entry_tags in tags.values() for tag in entry_tags)
        lonely = next((e for e in kept if any(carried[tag] == 1 for tag in tags[e])), None)
        if lonely is None:
            break
        kept.remove(lonely)
    for entry in set(entries) - set(kept):
        entry.unlink()
    return kept


class LoopbackServer(http.server.ThreadingHTTPServer):
    """A test server on 127.0.0.1 that does not print a client leaving mid-answer (a browser
    navigating on, a checker giving up on a slow server) as an error: the base class prints
    such tracebacks from its thread into the middle of pytest's output. Any other error of
    a request is printed as before."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve `directory` over HTTP on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = LoopbackServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def small_catalogue(source_root: Path, target: Path, entries: dict[str, dict[str, object]]) -> Path:
    """The committed site settings with only `entries` (slug -> fields) in `papers/`."""
    import yaml

    copy_catalogue(source_root, target, papers=False)
    (target / "papers").mkdir()
    for slug, fields in entries.items():
        text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        (target / "papers" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return target


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` by relative path, with its bytes."""
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def assemble_catalogue(site_template: Path, content: Path, target: Path) -> Path:
    """A catalogue in `target`: the site files of `site_template` (mkdocs.yml, the contributing
    guide, docs, overrides) with the entries, vocabulary and author spellings of `content`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy2(site_template / name, target / name)
    for name in ("docs", "overrides"):
        shutil.copytree(site_template / name, target / name)
    shutil.copytree(content / "papers", target / "papers")
    for name in ("tags.yaml", "authors.yaml"):
        if (content / name).exists():
            shutil.copy2(content / name, target / name)
    return target


def date_entries(root: Path) -> Path:
    """Give the entries of the catalogue at `root` publication dates and `added` days of
    their own (the seed's have no dates and all joined on one day), so that lists have
    orders and the figures years and months to show. Deterministic, from each file's place
    in name order; every ninth entry keeps no date (undated papers sort last), dates are of
    every precision (`2024`, `2024-05`, `2024-05-17`), and some days repeat (ties)."""
    import datetime as dt

    for n, path in enumerate(sorted((root / "papers").glob("*.yaml"))):
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith(("added:", "date:"))
        ]
        added = dt.date(2025, 9, 1) + dt.timedelta(days=(n * 37) % 400)
        lines.append(f"added: '{added.isoformat()}'")
        if n % 9:
            year, month, day = 2018 + n % 8, 1 + (n * 5) % 12, 1 + (n * 7) % 28
            date = [f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"][n % 3]
            lines.append(f"date: '{date}'")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@dataclass(frozen=True)
class Served:
    """A running `catalogue serve`: its catalogue folder, the site's address, the process."""

    root: Path
    base: str
    """`http://127.0.0.1:<port>/<site path>/`, ending in a slash."""
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str) -> tuple[int, str]:
        """Status and text of the served `path` (0 when nothing answers)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except OSError:
            return 0, ""

    def until(self, path: str, shows: Callable[[int, str], bool], timeout: float = 120) -> str:
        """The text of `path` once `shows(status, text)` holds (fails after `timeout` s)."""
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, self.log.read_text("utf-8")
            status, text = self.get(path)
            if shows(status, text):
                return text
            assert time.monotonic() < deadline, f"{path}: {status} {text[:300]!r}"
            time.sleep(0.1)


@contextmanager
def serving(root: Path, work: Path, site_path: str = "efficient-inference/") -> Iterator[Served]:
    """Run the real `catalogue serve` on the catalogue `root`, on a free port, until the block
    ends; its temporary files go to `work/tmp`, which must be empty once it stopped."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).parent / "catalogue"), "serve"]
    command += ["--dev-addr", f"127.0.0.1:{port}"]
    log = work / "serve.log"
    temp = work / "tmp"  # the server's temporary files (its site, its search index...)
    temp.mkdir(parents=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)}
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=root, stdout=output, stderr=output, env=env)
    try:
        yield Served(root, f"http://127.0.0.1:{port}/{site_path}", server, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    # Stopped by SIGTERM, the server leaves no temporary folder behind.
    assert sorted(p.name for p in temp.iterdir()) == []


def texts_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the term counter reads from now on (`term_counts`), in order."""
    from generator.enrich import term_counts

    analyze = term_counts._analyzer()
    read: list[str] = []

    def reading(text: str) -> list[str]:
        read.append(text)
        return analyze(text)

    monkeypatch.setattr(term_counts, "_analyzer", lambda: reading)
    return read
