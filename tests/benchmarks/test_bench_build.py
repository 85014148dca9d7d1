"""The benchmark itself works: a small run of `bench_build` builds both sites, rebuilds ours,
probes both searches in Chromium and prints the table (CI runs this; the README's numbers come
from `make bench N=...`). The run is as small as still exercises every step: what it proves is
that the benchmark's code paths work, not how fast a build is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.benchmarks import bench_build
from tests.benchmarks.synthetic import entry_files
from tests.browser.chromium import ChromiumMissing, chromium_path

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`

PAPERS = 150
"""The fewest papers of the realistic corpus that give every tag two papers or more (fewer
leave a tag with one paper, which the build refuses); enough for the stages to show in the log."""


@pytest.mark.browser
def test_bench_runs_both_builds_and_prints_ratios(tmp_path: Path) -> None:
    try:
        chromium_path()  # the probe launches its own chromium
    except ChromiumMissing as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI: {exc}", pytrace=False)
        pytest.skip(f"not in CI, so skipped rather than failed: {exc}")
    report = bench_build.bench(
        PAPERS, tmp_path, repeat=1, baseline_max=PAPERS, search=True, search_repeat=1
    )
    ours, naive = report["ours"], report["naive"]
    assert isinstance(ours, dict) and isinstance(naive, dict)
    for result in (ours, naive):
        assert result["median_seconds"] > 0
        assert result["median_peak_mb"] > 10
        # All processes at once hold at least what the largest of them held (sampled: a
        # build lasts seconds, so several samples land in it).
        assert result["median_all_peak_mb"] > 10
        assert result["files"] > PAPERS and result["site_bytes"] > PAPERS * 5_000
        assert result["search_bytes"] > 0 and result["search_requests"] > 0
        # Timed in the page (last key to the result painted) and by the test driver.
        assert result["search_ms_runs"] == [result["search_ms"]] and result["search_ms"] > 0
        assert result["search_ms_outside_runs"] == [result["search_ms_outside"]]
        assert result["search_ms_outside"] > 0
    # Ours indexes with Pagefind, the baseline with Material's lunr: different files fetched.
    assert (tmp_path / "site-ours" / "pagefind" / "pagefind.js").exists()
    assert (tmp_path / "site-naive" / "search" / "search_index.json").exists()
    # Every paper sits in the baseline's navigation: its pages grow with N, ours do not.
    paper = f"papers/{entry_files(tmp_path / 'catalogue')[1].stem}/index.html"
    naive_page = (tmp_path / "site-naive" / paper).stat().st_size
    our_page = (tmp_path / "site-ours" / paper).stat().st_size
    assert naive_page > our_page
    assert set(ours["stages"]) >= {
        "load entries",
        "write generated pages",
        "search index (Pagefind)",
    }
    # The site's breakdown by kind adds up to the site (no paper has a citation file now).
    parts = ours["parts"]
    assert {"paper pages", "author pages", "search index"} <= set(parts)
    assert sum(size for size, _ in parts.values()) == ours["site_bytes"]
    assert sum(count for _, count in parts.values()) == ours["files"]
    # Each fresh build was followed by a rebuild with no change and one with a title changed.
    assert report["corpus"] == "realistic"
    assert len(ours["rebuild_seconds"]) == len(ours["one_change_seconds"]) == 1
    assert len(ours["word_change_seconds"]) == 1
    assert ours["median_rebuild_seconds"] > 0 and ours["median_one_change_seconds"] > 0
    page = (tmp_path / "site-ours" / paper_of_edit(tmp_path)).read_text()
    # The last rebuild added to the edited title a word of another paper's title.
    files = entry_files(tmp_path / "catalogue")
    title = str(yaml.safe_load(files[len(files) // 2].read_text("utf-8"))["title"])
    before, _, word = title.rpartition(" ")
    assert before.endswith("(edit 0)") and "(edit 0)" in page and f" {word}" in page
    others = [f for f in files if f != files[len(files) // 2]]
    assert any(word in f.read_text("utf-8").split("abstract:")[0] for f in others)
    table = bench_build.table(report)
    assert "| build wall time (median) |" in table and " x |" in table
    assert "not run" not in table


def test_the_time_shown_is_the_median_of_the_probes_and_the_bytes_the_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Each probe is a browser of its own (a cold cache, as a reader's first search); here
    # they are stood in for, so that what is kept of several runs is checked without them.
    probes = iter([(900, 300, 40.0, 5, 90.0), (800, 200, 10.0, 4, 60.0), (700, 100, 20.0, 3, 70.0)])
    monkeypatch.setattr(bench_build, "probe_search", lambda *args: next(probes))
    result = bench_build.BuildResult()
    bench_build.probe_searches(tmp_path, "word", "pagefind", 3, result)
    assert result.search_ms_runs == [40.0, 10.0, 20.0] and result.search_ms == 20.0
    assert result.search_ms_outside_runs == [90.0, 60.0, 70.0]
    assert result.search_ms_outside == 70.0
    assert (result.search_bytes, result.search_gzip_bytes, result.search_requests) == (900, 300, 5)


def paper_of_edit(work: Path) -> str:
    """The page of the entry that `change_one_entry` edits."""
    files = entry_files(work / "catalogue")
    return f"papers/{files[len(files) // 2].stem}/index.html"


def test_baseline_above_the_cap_is_reported_as_not_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # What is checked is which builds the benchmark asks for, so the builds are stood in for
    # (the test above runs real ones, the baseline's among them): each leaves a one-file site.
    built: list[Path] = []

    def stand_in(config_file: Path, site_dir: Path, **_: object) -> bench_build.Run:
        built.append(site_dir)
        site_dir.mkdir(parents=True, exist_ok=True)
        (site_dir / "index.html").write_text("<p>stand-in</p>", "utf-8")
        return bench_build.Run(1.0, 1.0, 50.0, 60.0, "")

    monkeypatch.setattr(bench_build, "run_build", stand_in)
    report = bench_build.bench(
        120, tmp_path, repeat=1, baseline_max=100, search=False, corpus="legacy", rebuilds=False
    )
    assert built == [tmp_path / "site-ours"]  # ours only: the baseline is left out above 100
    assert report["naive"] is None
    assert "not run (N > 100: quadratic)" in bench_build.table(report)


def test_each_rounds_title_edit_is_the_only_change_since_its_fresh_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # With repeats, a round's one-change rebuild must measure the kind edit again, not the
    # removal of the word the round before added: the builds are stood in for, and each
    # notes the edited entry's title as the build saw it.
    titles: list[str] = []

    def stand_in(config_file: Path, site_dir: Path, **_: object) -> bench_build.Run:
        files = entry_files(config_file.parent)
        titles.append(str(yaml.safe_load(files[len(files) // 2].read_text("utf-8"))["title"]))
        site_dir.mkdir(parents=True, exist_ok=True)
        (site_dir / "index.html").write_text("<p>stand-in</p>", "utf-8")
        return bench_build.Run(1.0, 1.0, 50.0, 60.0, "")

    monkeypatch.setattr(bench_build, "run_build", stand_in)
    bench_build.bench(120, tmp_path, repeat=3, baseline_max=0, search=False)
    assert len(titles) == 12  # fresh, no change, one change, shared word; three times
    for round in range(3):
        fresh, unchanged, kind, shared = titles[4 * round : 4 * round + 4]
        assert unchanged == fresh
        assert kind == fresh.rsplit(" (edit ", 1)[0] + f" (edit {round})"
        assert shared.startswith(f"{kind} ") and len(shared.split()) == len(kind.split()) + 1
    assert titles[4] == titles[2] and titles[8] == titles[6]  # each round from the last edit


def test_tree_memory_adds_up_a_process_and_its_children() -> None:
    # A parent holding ~60 MB that starts a child holding ~120 MB: the sum is seen.
    child_code = "b = bytearray(120_000_000); b[::4096] = b'y' * len(b[::4096]); time.sleep(2)"
    script = (
        "import subprocess, sys, time\n"
        "a = bytearray(60_000_000); a[::4096] = b'x' * len(a[::4096])\n"
        f"subprocess.run([sys.executable, '-c', 'import time; ' + {child_code!r}])\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script])
    sampler = bench_build.TreeMemory(child.pid, interval=0.05)
    sampler.start()
    child.wait()
    sampler.stop()
    assert sampler.peak_bytes > 170_000_000


def test_site_parts_count_every_order_of_the_list_of_all_papers_as_a_list() -> None:
    part = bench_build.site_part
    for rel in ("papers/index.html", "papers/page/3/index.html",
                "papers/newest/index.html", "papers/published/page/2/index.html"):  # fmt: skip
        assert part(rel) == "lists: all papers", rel
    assert part("papers/a-title-made-slug/index.html") == "paper pages"
    assert part("papers/a-title-made-slug/cite.ris") == "paper citation files"


def test_the_query_is_a_word_a_reader_types_not_a_formula(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "a.yaml").write_text("title: '$2\\times$ telozu3 of attention'\n", encoding="utf-8")
    assert bench_build.title_word(tmp_path) == "telozu3"
