"""While serving, related papers are computed in the background after an edit: the rebuild
gets the last ones at once (without papers that are gone), then the fresh ones once done."""

from __future__ import annotations

import multiprocessing
import signal
import time
from pathlib import Path

import pytest

from generator import CatalogueSources, load_catalogue
from generator.enrich.related import find_related
from generator.serve.background_related import BackgroundRelated

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`


def test_last_related_papers_now_and_fresh_ones_after(repo_root: Path) -> None:
    catalogue = load_catalogue(CatalogueSources(repo_root))
    papers, vocabulary = catalogue.papers, catalogue.vocabulary
    background = BackgroundRelated()
    first = background.related(papers, vocabulary)
    assert first == find_related(papers, vocabulary)  # the first build computes them in line
    stamp = background.trigger.stat().st_mtime_ns

    gone = first[papers[0].slug][0].slug  # a paper some other paper lists as related
    fewer = tuple(p for p in papers if p.slug != gone)
    interim = background.related(fewer, vocabulary)
    time.sleep(0.5)
    assert background.trigger.stat().st_mtime_ns == stamp  # waits for the rebuild to end
    background.start()
    assert gone not in interim
    assert all(r.slug != gone for items in interim.values() for r in items)
    assert interim[papers[0].slug] == first[papers[0].slug][1:]

    deadline = time.monotonic() + 60
    while background.trigger.stat().st_mtime_ns == stamp:
        assert time.monotonic() < deadline, "the background computation never finished"
        time.sleep(0.05)
    assert background.related(fewer, vocabulary) == find_related(fewer, vocabulary)


def test_a_computation_made_stale_by_another_edit_is_stopped(repo_root: Path) -> None:
    catalogue = load_catalogue(CatalogueSources(repo_root))
    papers, vocabulary = catalogue.papers, catalogue.vocabulary
    background = BackgroundRelated()
    background.related(papers, vocabulary)
    stamp = background.trigger.stat().st_mtime_ns

    background.related(papers[1:], vocabulary)
    background.start()
    deadline = time.monotonic() + 30
    while not multiprocessing.active_children():
        assert time.monotonic() < deadline, "the worker never started"
        time.sleep(0.01)
    (stale,) = multiprocessing.active_children()

    # Another edit before it finished: its worker is stopped, not left to run to the end.
    latest = papers[2:]
    background.related(latest, vocabulary)
    # (Not `stale.join()`: the thread that started it joins it too, and whichever reaps it
    # first sets the exit code the other then reads.)
    deadline = time.monotonic() + 10
    while stale.exitcode is None:
        assert time.monotonic() < deadline, "the stale worker was not stopped"
        time.sleep(0.01)
    assert stale.exitcode == -signal.SIGTERM
    background.start()
    deadline = time.monotonic() + 60
    while background.trigger.stat().st_mtime_ns == stamp:
        assert time.monotonic() < deadline, "the background computation never finished"
        time.sleep(0.05)
    assert background.related(latest, vocabulary) == find_related(latest, vocabulary)
