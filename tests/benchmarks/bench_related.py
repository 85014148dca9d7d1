"""Benchmark of related papers: topic agreement on the seed, and our chunked top-k against
the naive dense n x n cosine matrix at scale.

    python -m tests.benchmarks.bench_related -n 10000 -n 100000

First, on the seed catalogue (124 papers), the topic agreement of the related papers with
topic labels written by reading every abstract (`../shared/eval/seed-topics-dev.json`, kept
outside the repository and never used by tests): over every labelled paper and each of its
related papers that is labelled too, the share of pairs that have a topic in common, the
modality topics (`MODALITY_TOPICS`) not counting. It is printed for what the build runs and
for words alone (TF-IDF of title and abstract, no tags: what the build ran before tags
counted), so the gain is measured, not assumed.

Then, for each N: a synthetic catalogue of N papers (`synthetic.synthesize_catalogue`), then,
each in a fresh process so that peak memory is its own, `find_related` (what the build runs)
and the naive baseline (every pair's score of the same vectors as one dense matrix, then the
top 5 of each row). The baseline runs only when its n x n matrix fits comfortably in the
memory available; otherwise it is reported as skipped, with the memory it would need.
Prints seconds, peak memory and ratios, and how many of the baseline's top 5 ours found.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import pickle
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from generator import CatalogueSources, load_catalogue
from generator.enrich.related import (
    RELATED_LIMIT,
    TAG_SHARE,
    RelatedMap,
    find_related,
    paper_key,
    paper_text,
    tag_features,
    tag_weights,
)
from generator.enrich.similarity import joined, vectorize
from generator.model.entry import Entry
from generator.model.paper import Paper, normalised_title
from generator.model.vocabulary import Vocabulary
from generator.read.vocabulary_file import load_vocabulary
from tests.benchmarks.synthetic import synthesize_catalogue

REPO_ROOT = Path(__file__).resolve().parents[2]
DEV_LABELS = next(
    (
        folder / "shared" / "eval" / "seed-topics-dev.json"
        for folder in REPO_ROOT.parents
        if (folder / "shared" / "eval" / "seed-topics-dev.json").is_file()
    ),
    REPO_ROOT.parent / "shared" / "eval" / "seed-topics-dev.json",
)
"""`../shared/eval/` beside the clone (or beside the folder of a git worktree)."""
MODALITY_TOPICS = frozenset(
    ("llm", "vision-language", "image-generation", "video", "speech", "code",
     "multimodal-other", "other")
)  # fmt: skip
"""Topics of the labels that say what kind of model a paper is about, not what it does."""


@dataclass
class Measurement:
    """One method on one catalogue."""

    method: str
    seconds: float
    """Wall-clock time."""
    cpu_seconds: float
    """CPU time of all the process's threads: what the work costs, whatever else runs."""
    load_average: float
    """The machine's 1-minute load average when the method finished (2 cores: 2.0 is full)."""
    peak_rss_mb: float
    """Highest resident memory of the process while it ran."""
    added_rss_mb: float
    """Peak minus the resident memory before the method started (papers already loaded)."""


def load_papers(root: Path) -> list[Paper]:
    """The synthetic entries as validated papers, in catalogue order (title, then slug).

    The benchmark measures related papers, not loading: entries are parsed with libyaml and
    validated by the model, skipping the line-number bookkeeping of `generator.read.entries`.
    """
    papers = []
    for file in sorted((root / "papers").glob("*.yaml")):
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        entry = Entry.model_validate(data)
        papers.append(Paper(file.stem, f"papers/{file.name}", entry, {}))
    papers.sort(key=lambda p: (normalised_title(p.entry.title), p.slug))
    return papers


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def topic_agreement(
    papers: Sequence[Paper], related: RelatedMap, labels: dict[str, list[str]]
) -> tuple[float, int]:
    """The share of (labelled paper, labelled related paper) pairs with a topic in common,
    and how many pairs there were. Labels are keyed by the entry's title as written."""
    slug_of = {p.entry.title: p.slug for p in papers}
    unknown = [title for title in labels if title not in slug_of]
    if unknown:
        raise SystemExit(f"labelled titles not in the catalogue: {unknown[:3]}")
    topics = {slug_of[t]: set(found) - MODALITY_TOPICS for t, found in labels.items()}
    pairs = agreeing = 0
    for slug, mine in topics.items():
        for item in related[slug]:
            if item.slug in topics:
                pairs += 1
                agreeing += bool(mine & topics[item.slug])
    return agreeing / max(pairs, 1), pairs


def seed_agreement(labels_file: Path) -> dict[str, Any] | None:
    """Topic agreement on the seed: what the build runs, and words alone."""
    if not labels_file.is_file():
        print(f"no topic labels at {labels_file}: agreement not measured")
        return None
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    catalogue = load_catalogue(CatalogueSources(REPO_ROOT))
    ours = topic_agreement(catalogue.papers, catalogue.related, labels)
    words = find_related(catalogue.papers, catalogue.vocabulary, tag_share=0.0)
    words_only = topic_agreement(catalogue.papers, words, labels)
    report = {
        "labels": str(labels_file),
        "labelled_papers": len(labels),
        "ours": {"agreement": ours[0], "pairs": ours[1]},
        "words_only": {"agreement": words_only[0], "pairs": words_only[1]},
    }
    print(
        f"\n== topic agreement on the seed ({len(labels)} labelled papers, {labels_file.name}) =="
        f"\nours (words and tags): {ours[0]:.3f} over {ours[1]} pairs"
        f"\nwords alone:           {words_only[0]:.3f} over {words_only[1]} pairs"
    )
    return report


def _ours(papers: list[Paper], vocabulary: Vocabulary) -> np.ndarray:
    related = find_related(papers, vocabulary)
    index = {p.slug: i for i, p in enumerate(papers)}
    result = np.full((len(papers), RELATED_LIMIT), -1, dtype=np.int64)
    for row, paper in enumerate(papers):
        for rank, item in enumerate(related[paper.slug]):
            result[row, rank] = index[item.slug]
    return result


def _naive(papers: list[Paper], vocabulary: Vocabulary) -> np.ndarray:
    """The same vectors as ours (words and tags), every pair's score as one dense matrix."""
    vectors = vectorize([paper_text(p) for p in papers])
    assert vectors is not None
    tags = tag_features([paper_key(p) for p in papers], tag_weights(vocabulary))
    matrix = joined(vectors[0], tags, TAG_SHARE)
    scores = (matrix @ matrix.T).toarray()  # the whole n x n matrix
    np.fill_diagonal(scores, -np.inf)
    top = np.argpartition(scores, -RELATED_LIMIT, axis=1)[:, -RELATED_LIMIT:]
    return np.asarray(top, dtype=np.int64)


def _run_child(method: str, papers_file: str, result_file: str, queue: Any) -> None:
    with open(papers_file, "rb") as handle:
        papers, vocabulary = pickle.load(handle)
    before = _rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    top = _ours(papers, vocabulary) if method == "ours" else _naive(papers, vocabulary)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = _peak_mb()
    np.save(result_file, top)
    queue.put(Measurement(method, seconds, cpu, os.getloadavg()[0], peak, peak - before))


def measure(method: str, papers_file: Path, work: Path) -> tuple[Measurement, np.ndarray]:
    """Run one method in a fresh process; its time, memory and top-5 indices."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    result_file = work / f"{method}.npy"
    process = context.Process(
        target=_run_child, args=(method, str(papers_file), str(result_file), queue)
    )
    process.start()
    measurement = queue.get()
    process.join()
    return measurement, np.load(result_file)


def available_mb() -> float:
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return 0.0


def naive_need_mb(n: int) -> float:
    # The float32 score matrix, plus argpartition's int64 index matrix of the same shape.
    return n * n * (4 + 8) / 2**20


def recall(ours: np.ndarray, naive: np.ndarray) -> float:
    """Share of the naive exact top 5 that ours found too."""
    hits = sum(len(set(a[a >= 0]) & set(b)) for a, b in zip(ours, naive, strict=True))
    return hits / naive.size


def bench(n: int, work: Path, naive: str) -> dict[str, Any]:
    root = work / f"catalogue-{n}"
    if not (root / "papers").is_dir():
        print(f"[{n:,}] writing the synthetic catalogue ...", flush=True)
        synthesize_catalogue(root, n, seed=0, template_root=REPO_ROOT)
    print(f"[{n:,}] loading {n:,} entries ...", flush=True)
    papers = load_papers(root)
    vocabulary, _ = load_vocabulary(root / "tags.yaml", "tags.yaml")
    papers_file = work / f"papers-{n}.pickle"
    papers_file.write_bytes(pickle.dumps((papers, vocabulary)))
    print(f"[{n:,}] ours ...", flush=True)
    ours, ours_top = measure("ours", papers_file, work)
    report: dict[str, Any] = {"n": n, "cores": os.cpu_count(), "ours": asdict(ours)}
    need, free = naive_need_mb(n), available_mb()
    if naive == "always" or (naive == "auto" and need < 0.5 * free):
        print(f"[{n:,}] naive dense baseline ...", flush=True)
        base, base_top = measure("naive", papers_file, work)
        report["naive"] = asdict(base)
        report["time_ratio_naive_over_ours"] = base.seconds / ours.seconds
        report["memory_ratio_naive_over_ours"] = base.added_rss_mb / max(ours.added_rss_mb, 1)
        report["recall_of_naive_top5"] = recall(ours_top, base_top)
    else:
        report["naive"] = None
        report["naive_skipped"] = (
            f"needs about {need:,.0f} MB for its n x n matrices; {free:,.0f} MB available"
        )
    return report


def print_report(report: dict[str, Any]) -> None:
    n = report["n"]
    print(f"\n== {n:,} papers ({report['cores']} cores) ==")
    print(f"{'method':<8} {'seconds':>9} {'cpu s':>9} {'load':>6} {'peak MB':>9} {'added MB':>9}")
    for name in ("ours", "naive"):
        row = report[name]
        if row is None:
            print(f"{name:<8} skipped: {report['naive_skipped']}")
            return
        print(
            f"{name:<8} {row['seconds']:>9.1f} {row['cpu_seconds']:>9.1f} "
            f"{row['load_average']:>6.1f} {row['peak_rss_mb']:>9.0f} {row['added_rss_mb']:>9.0f}"
        )
    print(
        f"naive / ours: time x{report['time_ratio_naive_over_ours']:.2f}, added memory "
        f"x{report['memory_ratio_naive_over_ours']:.1f}; ours found "
        f"{100 * report['recall_of_naive_top5']:.2f}% of the exact top 5"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, action="append", help="papers (repeatable)")
    parser.add_argument("--work", type=Path, help="folder for catalogues (default: temporary)")
    parser.add_argument("--naive", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--labels", type=Path, default=DEV_LABELS, help="topic labels of seed papers (JSON)"
    )
    args = parser.parse_args(argv)
    sizes = [n for n in args.n or [10_000] if n > 0]  # -n 0: agreement only
    reports: list[Any] = [seed_agreement(args.labels)]
    with tempfile.TemporaryDirectory(prefix="bench-related-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            report = bench(n, work, args.naive)
            print_report(report)
            reports.append(report)
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
