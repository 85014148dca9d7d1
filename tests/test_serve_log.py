"""`catalogue serve` (so `make serve`) builds with `--dirty` on purpose; MkDocs' warning before
every dirty build is replaced by one note at start, and no other message is hidden."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.plugin import DIRTY_SERVE_NOTE
from generator.site.theme_internals import DIRTY_BUILD_WARNING, quiet_dirty_build_warning
from tests.support import small_catalogue

ENTRIES: dict[str, dict[str, object]] = {
    slug: {"title": f"Paper {slug}", "abstract": "An abstract.", "tags": ["llm"]}
    for slug in ("alpha", "beta")
}


def _wait_for(url: str, text: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, log.read_text("utf-8")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except (urllib.error.HTTPError, OSError):
            pass
        assert time.monotonic() < deadline, log.read_text("utf-8")
        time.sleep(0.1)


@pytest.mark.slow  # a real build
def test_serve_says_once_what_dirty_builds_mean_instead_of_warning_on_every_build(
    repo_root: Path, tmp_path: Path
) -> None:
    root = small_catalogue(repo_root, tmp_path / "catalogue", ENTRIES)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).parent / "catalogue"), "serve"]
    command += ["--dev-addr", f"127.0.0.1:{port}"]
    log = tmp_path / "serve.log"
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)}
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=root, stdout=output, stderr=output, env=env)
    try:
        page = f"http://127.0.0.1:{port}/efficient-inference/papers/alpha/"
        _wait_for(page, "Paper alpha", server, log)
        entry = root / "papers" / "alpha.yaml"
        entry.write_text(entry.read_text("utf-8").replace("Paper alpha", "Paper zqedited"))
        _wait_for(page, "Paper zqedited", server, log)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text("utf-8")
    assert text.count("Building documentation...") >= 2, text  # the first build and the edit
    assert "dirty" not in text.lower(), text
    assert text.count(DIRTY_SERVE_NOTE) == 1, text
    assert "WARNING" not in text, text


def test_the_filter_drops_that_warning_alone(caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.commands import build

    with caplog.at_level(logging.INFO, logger="mkdocs"), quiet_dirty_build_warning():
        build.log.warning(f"{DIRTY_BUILD_WARNING}, this will likely lead to inaccurate links")
        build.log.warning("Another warning")
        build.log.info("Building documentation...")
    assert [r.getMessage() for r in caplog.records] == [
        "Another warning",
        "Building documentation...",
    ]
    build.log.warning(DIRTY_BUILD_WARNING)  # outside `catalogue serve`, MkDocs says it again
    assert caplog.records[-1].getMessage() == DIRTY_BUILD_WARNING
