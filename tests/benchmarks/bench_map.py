"""Benchmark of the map of the catalogue: time, data size and quality at N papers.

    python -m tests.benchmarks.bench_map -n 10000 -n 100000 [--compare-opentsne]

For each N: the synthetic catalogue (`synthetic.synthesize_catalogue`, the same as
`bench_related`), then `build_map` (what the build runs) and `map_files` (the data the map
page fetches), each timed (wall and CPU seconds); the size of `map/points.json` (what the map
page loads) raw and gzipped, and of the largest file of titles; and the layout's quality:
over a sample of papers, the share of each paper's 5 nearest points on the map that share a
tag with it (synthetic papers that share a tag share vocabulary; a random pair shares a tag
about a fifth of the time); the same for the first two LSA dimensions (no t-SNE, the cheapest
map). With `--compare-opentsne` (openTSNE installed, not a dependency of
the project), the same for openTSNE's t-SNE of every paper from the same LSA vectors.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.neighbors import NearestNeighbors

from generator.enrich.catalogue import build_catalogue
from generator.enrich.map import build_map
from generator.model.paper import Paper
from generator.read.vocabulary_file import load_vocabulary
from generator.render.map_page import POINTS_FILE, map_files
from tests.benchmarks.bench_related import REPO_ROOT, load_papers
from tests.benchmarks.synthetic import synthesize_catalogue

SAMPLE = 2000


def neighbour_tag_share(points: np.ndarray, papers: Sequence[Paper], k: int = 5) -> float:
    """Over a sample of papers, the share of their `k` nearest points that share a tag."""
    sample = np.arange(0, len(papers), max(1, len(papers) // SAMPLE))
    _, nearest = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(points[sample])
    tags = [set(p.entry.tags) for p in papers]
    shared = [
        bool(tags[i] & tags[j]) for i, row in zip(sample, nearest, strict=True) for j in row[1:]
    ]
    return float(np.mean(shared))


def neighbour_recall(points: np.ndarray, matrix: Any, k: int = 5, near: int = 20) -> float:
    """Over a sample of papers, the share of their `k` nearest points on the map that are
    among their `near` most similar papers (cosine of the vectors the map is laid out from,
    `matrix`, unit rows): finer than the tag share, which the synthetic tags hold near 1."""
    count = len(points)
    sample = np.arange(0, count, max(1, count // SAMPLE))
    _, nearest = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(points[sample])
    found = []
    for start in range(0, len(sample), 100):
        rows = sample[start : start + 100]
        similarity = np.asarray((matrix[rows] @ matrix.T).todense())
        similarity[np.arange(len(rows)), rows] = -np.inf  # not itself
        similar = np.argpartition(-similarity, near, axis=1)[:, :near]
        for row, mine, close in zip(rows, nearest[start : start + 100], similar, strict=True):
            found.extend(j in set(close.tolist()) for j in mine if j != row)
    return float(np.mean(found))


def _timed(work: Any) -> tuple[Any, float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - started, time.process_time() - cpu


def bench(n: int, work: Path, opentsne: bool) -> dict[str, Any]:
    root = work / f"catalogue-{n}"
    if not (root / "papers").is_dir():
        print(f"[{n:,}] writing the synthetic catalogue ...", flush=True)
        synthesize_catalogue(root, n, seed=0, template_root=REPO_ROOT)
    papers = load_papers(root)
    vocabulary, _ = load_vocabulary(root / "tags.yaml", "tags.yaml")
    assert vocabulary is not None
    catalogue = build_catalogue(papers, vocabulary)
    print(f"[{n:,}] build_map ...", flush=True)
    layout, seconds, cpu = _timed(lambda: build_map(catalogue.papers, vocabulary))
    catalogue.use_map(layout)
    files, file_seconds, _ = _timed(lambda: map_files(catalogue))
    points_json = files[POINTS_FILE].encode("ascii")
    largest = max((v for k, v in files.items() if k != POINTS_FILE), key=len).encode("ascii")
    grid = np.column_stack([layout.x, layout.y]).astype(np.float64)
    report: dict[str, Any] = {
        "n": n,
        "cores": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "map_seconds": seconds,
        "map_cpu_seconds": cpu,
        "files_seconds": file_seconds,
        "points_bytes": len(points_json),
        "points_gzipped_bytes": len(gzip.compress(points_json, 9)),
        "titles_file_bytes": len(largest),
        "titles_file_gzipped_bytes": len(gzip.compress(largest, 9)),
        "files": len(files),
        "quality": neighbour_tag_share(grid, catalogue.papers),
        "recall": neighbour_recall(grid, _joined(catalogue.papers, vocabulary)),
    }
    report["pca"] = _pca(catalogue.papers, vocabulary)
    if opentsne:
        report["opentsne"] = _opentsne(catalogue.papers, vocabulary)
    return report


def _joined(papers: Sequence[Paper], vocabulary: Any) -> Any:
    """The vectors `build_map` lays out from: TF-IDF joined with the weighted tags."""
    from generator.enrich.related import (
        TAG_SHARE,
        paper_key,
        paper_vectors,
        tag_features,
        tag_weights,
    )
    from generator.enrich.similarity import joined

    vectors = paper_vectors(papers)
    assert vectors is not None
    tags = tag_features([paper_key(p) for p in papers], tag_weights(vocabulary))
    return joined(vectors[0], tags, TAG_SHARE)


def _lsa(papers: Sequence[Paper], vocabulary: Any) -> np.ndarray:
    """The LSA vectors `build_map` starts from."""
    from generator.enrich import map as catalogue_map

    return catalogue_map._reduce(_joined(papers, vocabulary), [p.slug for p in papers])


def _pca(papers: Sequence[Paper], vocabulary: Any) -> dict[str, float]:
    """The cheapest map: the first two LSA dimensions (PCA-like), no t-SNE."""
    points, seconds, cpu = _timed(lambda: _lsa(papers, vocabulary)[:, :2])
    return {"seconds": seconds, "cpu_seconds": cpu, "quality": neighbour_tag_share(points, papers)}


def _opentsne(papers: Sequence[Paper], vocabulary: Any) -> dict[str, float]:
    """openTSNE's t-SNE of every paper, from the same LSA vectors as `build_map`."""
    from openTSNE import TSNE  # not a dependency: installed by hand to compare

    def run() -> np.ndarray:
        reduced = _lsa(papers, vocabulary)
        tsne = TSNE(n_components=2, metric="cosine", random_state=0, n_jobs=os.cpu_count() or 1)
        return np.asarray(tsne.fit(reduced))

    points, seconds, cpu = _timed(run)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "quality": neighbour_tag_share(points, papers),
    }


def print_report(report: dict[str, Any]) -> None:
    print(
        f"\n== map of {report['n']:,} papers ({report['cores']} cores, load "
        f"{report['load_average']:.1f}) ==\n"
        f"build_map: {report['map_seconds']:.1f} s ({report['map_cpu_seconds']:.1f} CPU s); "
        f"data files: {report['files_seconds']:.1f} s, {report['files']} files\n"
        f"map/points.json: {report['points_bytes'] / 1024:,.0f} KB, "
        f"{report['points_gzipped_bytes'] / 1024:,.0f} KB gzipped; largest titles file "
        f"{report['titles_file_bytes'] / 1024:,.0f} KB "
        f"({report['titles_file_gzipped_bytes'] / 1024:,.0f} KB gzipped)\n"
        f"5 nearest points sharing a tag: {report['quality']:.3f}; among the 20 most "
        f"similar papers: {report['recall']:.3f}"
    )
    pca = report["pca"]
    print(
        f"first two LSA dimensions, no t-SNE: {pca['seconds']:.1f} s, 5 nearest sharing a tag: "
        f"{pca['quality']:.3f}"
    )
    if "opentsne" in report:
        other = report["opentsne"]
        print(
            f"openTSNE of every paper: {other['seconds']:.1f} s ({other['cpu_seconds']:.1f} CPU s),"
            f" 5 nearest sharing a tag: {other['quality']:.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, action="append", help="papers (repeatable)")
    parser.add_argument("--work", type=Path, help="folder for catalogues (default: temporary)")
    parser.add_argument("--compare-opentsne", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    reports = []
    with tempfile.TemporaryDirectory(prefix="bench-map-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        for n in args.n or [10_000]:
            report = bench(n, work, args.compare_opentsne)
            print_report(report)
            reports.append(report)
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
