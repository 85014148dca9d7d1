"""Benchmark: how soon `catalogue serve` shows an edited entry, on N synthetic papers.

    python -m tests.benchmarks.bench_serve --papers 10000

Starts `catalogue serve` on a free port, waits for the first build, then edits one entry's
title several times and measures, for each edit, the time from saving the file to the served
page showing the new title (polled every 50 ms over HTTP, as a browser's reload would fetch).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.benchmarks.synthetic import entry_files, synthesize_catalogue

REPO_ROOT = Path(__file__).resolve().parents[2]

STOP_TIMEOUT = 300.0
"""Seconds the server gets to stop (it removes its temporary site and stored index first)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(url: str, needle: str, timeout: float) -> float:
    """Seconds until the page at `url` contains `needle` (fails after `timeout`)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if needle in _fetch(url):
            return time.monotonic() - started
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {needle!r} within {timeout} s")


def bench_serve(
    papers: int, work: Path, edits: int, poll: bool = False
) -> tuple[float, list[float]]:
    """(seconds to the first served page, seconds per edit until it shows)."""
    root = synthesize_catalogue(work / "catalogue", papers, template_root=REPO_ROOT)
    port = _free_port()
    catalogue = str(Path(sys.executable).parent / "catalogue")
    command = [catalogue, "serve", "--dev-addr", f"127.0.0.1:{port}"] + (["--poll"] if poll else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = open(work / "serve.log", "w")  # noqa: SIM115 - closed below, after the server
    server = subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        entry = entry_files(root)[5]
        url = f"http://127.0.0.1:{port}/efficient-inference/papers/{entry.stem}/"
        started = time.monotonic()
        wait_for(url, "catalogue-paper__title", timeout=1800)
        first = time.monotonic() - started
        time.sleep(1.0)
        seconds = []
        original = entry.read_text(encoding="utf-8")
        for number in range(edits):
            marker = f"Edited title number {number} zq{number}"
            # Inside the quotes of a quoted title (the realistic corpus quotes every title).
            start = "title: '" if "title: '" in original else "title: "
            text = original.replace(start, f"{start}{marker} ", 1)
            saved = time.monotonic()
            entry.write_text(text, encoding="utf-8")
            wait_for(url, marker, timeout=600)
            seconds.append(time.monotonic() - saved)
            time.sleep(2.0)  # let the background search index settle, as a person reads
        return first, seconds
    finally:
        stopping = time.monotonic()
        server.terminate()
        try:
            server.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            print(f"catalogue serve did not stop within {STOP_TIMEOUT:.0f} s of SIGTERM: killed")
        else:
            print(f"catalogue serve stopped {time.monotonic() - stopping:.1f} s after SIGTERM")
        log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", "-n", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--work", type=Path)
    parser.add_argument(
        "--poll", action="store_true", help="serve with --poll (MkDocs' own file watcher)"
    )
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="catalogue-serve-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        first, seconds = bench_serve(args.papers, work, args.edits, args.poll)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    shown = ", ".join(f"{s:.2f} s" for s in seconds)
    print(
        f"N = {args.papers:,}{' (--poll)' if args.poll else ''}: first build served after "
        f"{first:.1f} s; an edited entry showed "
        f"after {shown} (median {statistics.median(seconds):.2f} s; "
        f"load average {os.getloadavg()[0]:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
