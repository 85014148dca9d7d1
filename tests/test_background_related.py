"""While serving, related papers are computed in the background after an edit: the rebuild
gets the last ones at once (without papers that are gone), then the fresh ones once done."""

from __future__ import annotations

import time
from pathlib import Path

from generator import CatalogueSources, load_catalogue
from generator.background_related import BackgroundRelated
from generator.related import find_related


def test_last_related_papers_now_and_fresh_ones_after(repo_root: Path) -> None:
    papers = load_catalogue(CatalogueSources(repo_root)).papers
    background = BackgroundRelated()
    first = background.related(papers)
    assert first == find_related(papers)  # the first build computes them in line
    stamp = background.trigger.stat().st_mtime_ns

    gone = first[papers[0].slug][0].slug  # a paper some other paper lists as related
    fewer = tuple(p for p in papers if p.slug != gone)
    interim = background.related(fewer)
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
    assert background.related(fewer) == find_related(fewer)
