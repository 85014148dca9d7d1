"""Benchmark: the catalogue's build against the naive baseline, on the same N synthetic papers.

    python -m tests.benchmarks.bench_build --papers 1000        (or: make bench N=1000)

Each build runs as its own `mkdocs build` process; wall time and peak memory are measured
from outside: the largest resident set of one process (the build or Pagefind's indexer, from
`wait4`) and the largest resident memory of all of them at once (sampled every 0.2 s).
Site size is the sum of file sizes (what a static host counts) and the disk
usage. The first search is typed in headless Chromium against the built site served on
127.0.0.1: the bytes of every search file fetched (Pagefind's files, or Material's
`search_index.json` and search worker) and the time from the last keystroke to the first
result painted, taken on the page's own clock (and, for comparison, as the test driver sees
it, with Playwright's round trips to the browser). The naive baseline repeats the whole
navigation on every page, so its cost grows with the square of N: above `--baseline-max`
papers it is reported as not run. Each fresh build of ours is followed by two builds over the
site it made: one with no entry changed, one with one entry's title changed (`--no-rebuilds`
skips them); MkDocs builds the naive site whole every time, so its rebuild is its build.
`--corpus legacy` uses the synthetic entries of the benchmark tables before issue 19.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.progress import SHOW_FROM
from generator.site.publish import SitePublisher
from tests.benchmarks.naive_site import write_naive_site
from tests.benchmarks.synthetic import CORPORA, entry_files, synthesize_catalogue

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class BuildResult:
    """What one build cost and produced."""

    seconds: list[float] = field(default_factory=list)
    """Wall time of each repetition."""
    cpu_seconds: list[float] = field(default_factory=list)
    """CPU time (user and system) of each repetition."""
    peak_mb: list[float] = field(default_factory=list)
    """Largest resident set of one process (the build or a process it ran), per build."""
    all_peak_mb: list[float] = field(default_factory=list)
    """Largest resident memory of all the build's processes at once, per build (sampled)."""
    site_bytes: int = 0
    disk_bytes: int = 0
    files: int = 0
    largest_list_page_bytes: int = 0
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Bytes and files of each kind of file in the site (`site_part`)."""
    search_bytes: int | None = None
    search_gzip_bytes: int | None = None
    search_ms: float | None = None
    """Median of the probes' times from the last key to the first result."""
    search_ms_runs: list[float] = field(default_factory=list)
    """Each probe's time, each in a browser of its own."""
    search_ms_outside: float | None = None
    """Median of the probes' times as the test driver saw them."""
    search_ms_outside_runs: list[float] = field(default_factory=list)
    """Each probe's time as the test driver saw it (with Playwright's round trips)."""
    search_requests: int | None = None
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, from the catalogue's own progress log (ours only)."""
    rebuild_seconds: list[float] = field(default_factory=list)
    """Wall time of each build over the site of the build before, no entry changed (ours)."""
    rebuild_cpu_seconds: list[float] = field(default_factory=list)
    rebuild_stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage of the last such rebuild."""
    one_change_seconds: list[float] = field(default_factory=list)
    """Wall time of each build over the site of the build before, one entry's title changed."""
    one_change_cpu_seconds: list[float] = field(default_factory=list)
    one_change_stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage of the last such rebuild."""
    word_change_seconds: list[float] = field(default_factory=list)
    """Wall time of each build over the site of the build before, one entry's title given a
    word other papers use (`add_a_shared_word`)."""
    word_change_cpu_seconds: list[float] = field(default_factory=list)
    word_change_stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage of the last such rebuild."""

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_peak_mb(self) -> float:
        return statistics.median(self.peak_mb)

    @property
    def median_all_peak_mb(self) -> float:
        return statistics.median(self.all_peak_mb)


@dataclass(frozen=True)
class Run:
    """One `mkdocs build` as seen from outside."""

    seconds: float
    """Wall time."""
    cpu_seconds: float
    """User and system time of the build and the processes it waited for (Pagefind): on a
    machine shared with other work, steadier than the wall time."""
    peak_mb: float
    """Largest resident set of one process."""
    all_peak_mb: float
    """Largest resident memory of all its processes at once (sampled)."""
    log: str


def run_build(config_file: Path, site_dir: Path, fresh: bool = True, verbose: bool = False) -> Run:
    """Run `mkdocs build` in a child process. `fresh`: into an empty folder; else over the
    site already there (a rebuild). `verbose`: with MkDocs' debug messages."""
    if fresh:
        # What a build records beside the site for the next (the page record, the map's
        # layout and the related papers, the checked entries) and the last site's folders
        # kept for it go too: a fresh build computes and makes everything.
        publisher = SitePublisher(site_dir)
        for folder in (site_dir, publisher.record, publisher.spare):
            if folder.exists():
                shutil.rmtree(folder)
    # The deletion of the last site (and its writing) is not this build's work: flushed to
    # disk before the clock starts, or the repeats slow down one after the other.
    os.sync()
    command = [
        sys.executable, "-m", "mkdocs", "build", "--config-file", str(config_file),
        "--site-dir", str(site_dir), *(["--verbose"] if verbose else []),
    ]  # fmt: skip
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile(mode="w+") as log:
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        sampler = TreeMemory(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        sampler.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if child.returncode != 0:
        raise RuntimeError(f"build of {config_file} failed:\n{output[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, sampler.peak_bytes / 1e6, output)


class TreeMemory(threading.Thread):
    """Samples the resident memory of a process and all its descendants together, every
    `interval` seconds (`wait4` gives only the largest single process: the build's Python
    and Pagefind's indexer are alive at the same time)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_bytes = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.peak_bytes = max(self.peak_bytes, tree_rss(self.pid))

    def stop(self) -> None:
        self._done.set()
        self.join()


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Resident bytes of process `root` and its descendants (0 once it has ended)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The name in parentheses may hold spaces; the parent pid follows it.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure_site(site_dir: Path, result: BuildResult) -> None:
    """Size, disk usage and file count of a built site; the largest list page."""
    total = disk = files = 0
    largest_list = 0
    for path in site_dir.rglob("*"):
        if path.is_file():
            stat = path.stat()
            total += stat.st_size
            disk += stat.st_blocks * 512
            files += 1
            rel = path.relative_to(site_dir).as_posix()
            part = site_part(rel)
            size, count = result.parts.get(part, (0, 0))
            result.parts[part] = (size + stat.st_size, count + 1)
            is_list = rel.startswith("tags/") or rel.startswith("papers/page/") or rel in (
                "papers/index.html", "tags.html", "tags/index.html",
            )  # fmt: skip
            if is_list and rel.endswith(".html"):
                largest_list = max(largest_list, stat.st_size)
    tags_page = site_dir / "tags" / "index.html"
    if tags_page.exists():
        largest_list = max(largest_list, tags_page.stat().st_size)
    result.site_bytes, result.disk_bytes, result.files = total, disk, files
    result.largest_list_page_bytes = largest_list


def site_part(rel: str) -> str:
    """What kind of file the site path `rel` is, for the site's breakdown by kind."""
    top, _, rest = rel.partition("/")
    if top == "papers":
        # The list of all papers, oldest first and in its other orders (`newest`, `published`).
        if rest.split("/", 1)[0] in ("page", "newest", "published") or rest == "index.html":
            return "lists: all papers"
        return "paper pages" if rest.endswith("/index.html") else "paper citation files"
    if top == "authors":
        return "author pages" if rest.count("/") == 1 else "lists: authors' index"
    if top in ("tags", "years", "venues"):
        return f"lists: {top}" if rel.endswith(".html") else f"exports: {top}"
    if top == "pagefind":
        return "search index"
    if top in ("assets", "javascripts", "stylesheets"):
        return "theme and scripts"
    if "/" not in rel and not rel.endswith(".html"):
        return "exports, feeds, sitemaps"
    return "other pages"


def parse_stages(log: str) -> dict[str, float]:
    """Seconds per stage from the `catalogue: <stage>: ... <s> s` lines of a build log."""
    stages = {}
    for line in log.splitlines():
        if "catalogue: " in line and line.rstrip().endswith(" s"):
            name, _, rest = line.split("catalogue: ", 1)[1].partition(": ")
            try:
                stages[name] = float(rest.rsplit(" ", 2)[-2])
            except (ValueError, IndexError):
                continue
    return stages


# In the page: the time of the last key pressed, and of the paint that first shows results
# that entered the page after that key, both on the page's own clock. The paint is taken as
# web-vitals takes "next paint": an animation frame callback (which runs before that frame's
# layout and paint), then a task queued from it, which runs once the frame is painted.
# Material's search shows results for the prefixes typed on the way, so only results that
# arrive after the last key count.
_TIMING_SCRIPT = """selector => {
  window.__lastKey = null;
  window.__shown = null;
  let armed = false;
  document.addEventListener("keydown", event => {
    window.__lastKey = event.timeStamp;
    window.__shown = null;
    armed = true;
  }, true);
  new MutationObserver(() => {
    if (!armed || !document.querySelector(selector)) return;
    armed = false;
    const key = window.__lastKey;
    requestAnimationFrame(() => setTimeout(() => {
      if (window.__lastKey === key) window.__shown = performance.now();
    }));
  }).observe(document.body, {childList: true, subtree: true});
}"""


def probe_search(site_dir: Path, query: str, engine: str) -> tuple[int, int, float, int, float]:
    """Type `query` into the header search of the built site in headless Chromium.

    Returns (bytes of search files fetched, their gzip size, ms from the last keystroke to the
    first result painted, number of search requests, the same time as seen from the test
    driver). The time is taken in the page: from the last `keydown` event to the paint that
    shows the first results (see `_TIMING_SCRIPT`). Seen from outside it also holds Playwright's
    round trips to the browser (sending the key, polling the page), about 50 ms that no
    reader waits for.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch_chromium
    from tests.support import serve_directory

    if engine == "pagefind":
        is_search = lambda url: "/pagefind/" in url  # noqa: E731
        box, result = ".catalogue-search__input", ".catalogue-search__result"
    else:
        is_search = lambda url: "search_index.json" in url or "/workers/search" in url  # noqa: E731
        box, result = ".md-search__input", ".md-search-result__item"
    with serve_directory(site_dir) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            fetched: list[tuple[str, int, int]] = []

            def on_finished(request) -> None:  # type: ignore[no-untyped-def]
                if not is_search(request.url):
                    return
                response = request.response()
                body = response.body() if response else b""
                fetched.append((request.url, len(body), len(gzip.compress(body))))

            page.on("requestfinished", on_finished)
            busy = {"open": 0, "last": time.monotonic()}

            def on_event(opened: int) -> None:
                busy["open"] += opened
                busy["last"] = time.monotonic()

            page.on("request", lambda request: on_event(1))
            page.on("requestfinished", lambda request: on_event(-1))
            page.on("requestfailed", lambda request: on_event(-1))
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.evaluate(_TIMING_SCRIPT, result)
            page.click(box)
            page.keyboard.type(query, delay=30)
            typed = time.monotonic()
            page.wait_for_function("() => window.__shown !== null", timeout=120_000)
            outside_ms = (time.monotonic() - typed) * 1000
            elapsed_ms = page.evaluate("() => window.__shown - window.__lastKey")
            # Every file the search asked for (the later results' fragments too): wait until
            # no request has been open for half a second.
            while busy["open"] > 0 or time.monotonic() - busy["last"] < 0.5:
                page.wait_for_timeout(100)
            raw = sum(size for _, size, _ in fetched)
            packed = sum(size for _, _, size in fetched)
            return raw, packed, elapsed_ms, len(fetched), outside_ms
        finally:
            browser.close()


def probe_searches(
    site_dir: Path, query: str, engine: str, times: int, result: BuildResult
) -> None:
    """Probe the first search `times` times; the bytes of the first probe, the median time."""
    for _ in range(max(1, times)):
        raw, packed, ms, requests, outside_ms = probe_search(site_dir, query, engine)
        if not result.search_ms_runs:
            result.search_bytes, result.search_gzip_bytes = raw, packed
            result.search_requests = requests
        result.search_ms_runs.append(ms)
        result.search_ms_outside_runs.append(outside_ms)
    result.search_ms = statistics.median(result.search_ms_runs)
    result.search_ms_outside = statistics.median(result.search_ms_outside_runs)


def title_word(catalogue_root: Path) -> str:
    """A distinctive word of the first paper's title, as a reader would type it."""
    first = entry_files(catalogue_root)[0].read_text(encoding="utf-8")
    title = first.split("title: ", 1)[1].split("\n", 1)[0].strip("'")
    # A word of letters and digits: a formula (`$2\\times$`) is not what a reader types.
    words = [
        w for w in title.split() if w.isalnum() and any(ch.isdigit() for ch in w) and len(w) > 4
    ]
    return (words or title.split())[0].lower()


def _title_of(entry: Path) -> str:
    """The title as the entry file writes it (quotes and all)."""
    return entry.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0]


def change_one_entry(catalogue_root: Path, round: int) -> Path:
    """Edit the title of one entry in the middle of the catalogue, as a contributor would;
    return its file."""
    edited = f" (edit {round})"
    return _retitle(catalogue_root, lambda title: title.rsplit(" (edit ", 1)[0] + edited)


def add_a_shared_word(catalogue_root: Path) -> Path:
    """Add to the title of the entry `change_one_entry` edits a word of another paper's
    title: unlike that edit's own word, it changes the TF-IDF vectors (the edited paper's,
    and those of the papers using a word whose rounded frequency moved), so the related
    papers are worked out again where the edit reached and the map is laid out again;
    return the file."""
    files = entry_files(catalogue_root)

    def with_a_shared_word(title: str) -> str:
        word = next(
            w
            for other in files[len(files) // 3 :]
            for w in _title_of(other).split()
            if w.isalpha() and len(w) > 6 and w not in title
        )
        return f"{title} {word}"

    return _retitle(catalogue_root, with_a_shared_word)


def _retitle(catalogue_root: Path, retitled: Callable[[str], str]) -> Path:
    """Give the entry in the middle of the catalogue the title `retitled(its title)`, quoted
    as it was; return its file."""
    files = entry_files(catalogue_root)
    entry = files[len(files) // 2]
    text = entry.read_text(encoding="utf-8")
    head, _, rest = text.partition("title: ")
    title, _, tail = rest.partition("\n")
    quote = "'" if title.startswith("'") else ""
    title = retitled(title.strip("'"))
    entry.write_text(f"{head}title: {quote}{title}{quote}\n{tail}", encoding="utf-8")
    return entry


def bench(
    papers: int,
    work: Path,
    repeat: int,
    baseline_max: int,
    search: bool,
    search_repeat: int = 3,
    corpus: str = CORPORA[0],
    rebuilds: bool = True,
) -> dict[str, object]:
    """Build both sites on the same synthetic catalogue; return every measurement (the first
    search probed `search_repeat` times on each, each in a new browser; median time). With
    `rebuilds`, each fresh build of ours is followed by a build over its site with no entry
    changed, then one with one entry's title changed by a word no other paper uses, then one
    with a word other papers use added to that title."""
    catalogue = synthesize_catalogue(
        work / "catalogue", papers, template_root=REPO_ROOT, corpus=corpus
    )
    query = title_word(catalogue)
    ours = BuildResult()
    config, site = catalogue / "mkdocs.yml", work / "site-ours"
    # A catalogue smaller than SHOW_FROM logs its stages as debug messages only (progress
    # of a small build is noise to a person); the benchmark reads them all the same.
    verbose = papers < SHOW_FROM
    for round in range(repeat):
        run = run_build(config, site, verbose=verbose)
        ours.seconds.append(run.seconds)
        ours.cpu_seconds.append(run.cpu_seconds)
        ours.peak_mb.append(run.peak_mb)
        ours.all_peak_mb.append(run.all_peak_mb)
        ours.stages = parse_stages(run.log)
        if rebuilds:
            run = run_build(config, site, fresh=False, verbose=verbose)
            ours.rebuild_seconds.append(run.seconds)
            ours.rebuild_cpu_seconds.append(run.cpu_seconds)
            ours.rebuild_stages = parse_stages(run.log)
            change_one_entry(catalogue, round)
            run = run_build(config, site, fresh=False, verbose=verbose)
            ours.one_change_seconds.append(run.seconds)
            ours.one_change_cpu_seconds.append(run.cpu_seconds)
            ours.one_change_stages = parse_stages(run.log)
            add_a_shared_word(catalogue)
            run = run_build(config, site, fresh=False, verbose=verbose)
            ours.word_change_seconds.append(run.seconds)
            ours.word_change_cpu_seconds.append(run.cpu_seconds)
            ours.word_change_stages = parse_stages(run.log)
            if round + 1 < repeat:
                # The title as the kind edit left it (the shared word gone), so that the next
                # round's title edit is again a word no other paper uses, not its removal.
                change_one_entry(catalogue, round)
    measure_site(work / "site-ours", ours)
    if search:
        probe_searches(work / "site-ours", query, "pagefind", search_repeat, ours)
    naive: BuildResult | None = None
    if papers <= baseline_max:
        naive = BuildResult()
        config = write_naive_site(catalogue, work / "naive")
        run = run_build(config, work / "site-naive")
        naive.seconds.append(run.seconds)
        naive.cpu_seconds.append(run.cpu_seconds)
        naive.peak_mb.append(run.peak_mb)
        naive.all_peak_mb.append(run.all_peak_mb)
        measure_site(work / "site-naive", naive)
        if search:
            probe_searches(work / "site-naive", query, "lunr", search_repeat, naive)
    return {
        "papers": papers,
        "corpus": corpus,
        "query": query,
        "repeat": repeat,
        "load": os.getloadavg()[0],
        "ours": {**asdict(ours), "median_seconds": ours.median_seconds,
                 "median_cpu_seconds": _median(ours.cpu_seconds),
                 "median_rebuild_cpu_seconds": _median(ours.rebuild_cpu_seconds),
                 "median_one_change_cpu_seconds": _median(ours.one_change_cpu_seconds),
                 "median_rebuild_seconds": _median(ours.rebuild_seconds),
                 "median_one_change_seconds": _median(ours.one_change_seconds),
                 "median_word_change_cpu_seconds": _median(ours.word_change_cpu_seconds),
                 "median_word_change_seconds": _median(ours.word_change_seconds),
                 "median_peak_mb": ours.median_peak_mb,
                 "median_all_peak_mb": ours.median_all_peak_mb},
        "naive": None if naive is None else {**asdict(naive),
                 "median_seconds": naive.median_seconds, "median_peak_mb": naive.median_peak_mb,
                 "median_cpu_seconds": _median(naive.cpu_seconds),
                 "median_all_peak_mb": naive.median_all_peak_mb},
        "baseline_max": baseline_max,
    }  # fmt: skip


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _mb(value: float) -> str:
    return f"{value / 1e6:,.1f} MB" if value >= 1e6 else f"{value / 1e3:,.0f} KB"


def table(report: dict[str, object]) -> str:
    """The measurements as a Markdown table with ratios (naive / ours)."""
    ours = report["ours"]
    naive = report["naive"]
    assert isinstance(ours, dict)
    rows = [
        ("build wall time (median)", ours["median_seconds"], naive and naive["median_seconds"],
         lambda v: f"{v:,.1f} s"),
        ("build CPU time, user and system (median)", ours.get("median_cpu_seconds"),
         naive and naive.get("median_cpu_seconds"), lambda v: f"{v:,.1f} s"),
        # MkDocs builds the naive site whole every time: its rebuild is its build.
        ("rebuild over the site, no entry changed (median)",
         ours.get("median_rebuild_seconds"), naive and naive["median_seconds"],
         lambda v: f"{v:,.1f} s"),
        ("rebuild over the site, one title changed (median)",
         ours.get("median_one_change_seconds"), naive and naive["median_seconds"],
         lambda v: f"{v:,.1f} s"),
        ("rebuild over the site, a shared word added to that title (median)",
         ours.get("median_word_change_seconds"), naive and naive["median_seconds"],
         lambda v: f"{v:,.1f} s"),
        ("rebuild CPU time, no entry changed (median)",
         ours.get("median_rebuild_cpu_seconds"), None, lambda v: f"{v:,.1f} s"),
        ("rebuild CPU time, one title changed (median)",
         ours.get("median_one_change_cpu_seconds"), None, lambda v: f"{v:,.1f} s"),
        ("rebuild CPU time, a shared word added (median)",
         ours.get("median_word_change_cpu_seconds"), None, lambda v: f"{v:,.1f} s"),
        ("peak memory, all processes at once", ours["median_all_peak_mb"] * 1e6,
         naive and naive["median_all_peak_mb"] * 1e6, _mb),
        ("peak memory, largest process", ours["median_peak_mb"] * 1e6,
         naive and naive["median_peak_mb"] * 1e6, _mb),
        ("site size (sum of files)", ours["site_bytes"], naive and naive["site_bytes"], _mb),
        ("disk usage", ours["disk_bytes"], naive and naive["disk_bytes"], _mb),
        ("files", ours["files"], naive and naive["files"], lambda v: f"{v:,}"),
        ("largest list page", ours["largest_list_page_bytes"],
         naive and naive["largest_list_page_bytes"], _mb),
        ("first search: bytes fetched", ours["search_bytes"], naive and naive["search_bytes"], _mb),
        ("first search: same, gzipped", ours["search_gzip_bytes"],
         naive and naive["search_gzip_bytes"], _mb),
        ("first search: last key to results painted (median)", ours["search_ms"],
         naive and naive["search_ms"], lambda v: f"{v:,.0f} ms"),
        ("first search: same, seen from the test driver", ours["search_ms_outside"],
         naive and naive["search_ms_outside"], lambda v: f"{v:,.0f} ms"),
    ]  # fmt: skip
    not_run = f"not run (N > {report['baseline_max']:,}: quadratic)"
    lines = [
        f"N = {report['papers']:,} papers, {report.get('corpus', 'legacy')} corpus "
        f"(query {report['query']!r}, "
        f"load average {report['load']:.2f}, {report['repeat']} run(s) of ours)",
        "",
        "| measure | ours | naive baseline | naive / ours |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, mine, theirs, shown in rows:
        if mine is None:
            continue
        other = not_run if naive is None else ("n/a" if theirs is None else shown(theirs))
        ratio = f"{theirs / mine:,.1f} x" if naive is not None and theirs and mine else "-"
        lines.append(f"| {name} | {shown(mine)} | {other} | {ratio} |")
    parts = ours.get("parts") or {}
    if parts:
        papers = report["papers"]
        assert isinstance(papers, int)
        lines += ["", "| our site, by kind | bytes | files | bytes per paper |",
                  "| --- | ---: | ---: | ---: |"]  # fmt: skip
        for part, (size, count) in sorted(parts.items(), key=lambda item: -item[1][0]):
            lines.append(f"| {part} | {_mb(size)} | {count:,} | {size / papers:,.0f} B |")
    for key, what in (("stages", "Our build"), ("rebuild_stages", "No-change rebuild"),
                      ("one_change_stages", "One-change rebuild"),
                      ("word_change_stages", "Shared-word rebuild")):  # fmt: skip
        stages = ours.get(key) or {}
        if stages:
            shown_stages = ", ".join(f"{k} {v:.1f} s" for k, v in stages.items())
            lines += ["", f"{what} by stage: {shown_stages}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", "-n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="builds of ours (median shown)")
    parser.add_argument("--baseline-max", type=int, default=2000,
                        help="largest N for which the naive baseline is built")  # fmt: skip
    parser.add_argument("--no-search", action="store_true", help="skip the browser probe")
    parser.add_argument(
        "--corpus",
        choices=CORPORA,
        default=CORPORA[0],
        help="synthetic entries: realistic (default) or legacy (before issue 19)",
    )
    parser.add_argument("--no-rebuilds", action="store_true",
                        help="skip the rebuilds over an existing site")  # fmt: skip
    parser.add_argument("--search-repeat", type=int, default=3,
                        help="first-search probes per site (median time shown)")  # fmt: skip
    parser.add_argument("--work", type=Path, help="folder to keep (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument(
        "--probe-site",
        type=Path,
        help="only probe the first search of this built site (with --query)",
    )
    parser.add_argument("--query", help="the word typed by --probe-site")  # fmt: skip
    args = parser.parse_args(argv)
    if args.probe_site:
        raw, packed, ms, requests, outside = probe_search(args.probe_site, args.query, "pagefind")
        print(f"{args.probe_site}: {raw:,} bytes ({packed:,} gzipped) in {requests} requests, "
              f"results {ms:,.0f} ms after the last key ({outside:,.0f} ms seen from the "
              f"test driver)")  # fmt: skip
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="catalogue-bench-"))
    try:
        report = bench(
            args.papers, work, args.repeat, args.baseline_max, not args.no_search,
            args.search_repeat, args.corpus, not args.no_rebuilds,
        )  # fmt: skip
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
