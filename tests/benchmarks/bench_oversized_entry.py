"""Benchmark: refusing a 2 GiB entry file, ours (size checked before reading) against the naive
baseline (read the whole file, then compare its length with the limit, as the reader once did).

    .venv/bin/python -m tests.benchmarks.bench_oversized_entry [--gib 2]

The file is sparse, so the benchmark needs no disk space. Each side runs in its own process;
the figures are the seconds the reading stage takes and how much its peak memory grows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

_OURS = """
import json, resource, sys, time
from pathlib import Path
from typing import Any
from generator.read.entries import load_entries

root = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
loaded, problems = load_entries(root / "papers", root)
seconds = time.perf_counter() - start
growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
shown = [str(p) for p in problems]
print(json.dumps({"seconds": seconds, "growth_kib": growth, "problems": shown}))
"""

_NAIVE = """
import json, resource, sys, time
from pathlib import Path
from typing import Any

LIMIT = 64 * 1024
root = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
problems = []
for file in sorted((root / "papers").iterdir()):
    raw = file.read_bytes()
    if len(raw) > LIMIT:
        problems.append(f"{file.name}: is {len(raw):,} bytes")
seconds = time.perf_counter() - start
growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"seconds": seconds, "growth_kib": growth, "problems": problems}))
"""


def _run(script: str, root: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gib", type=int, default=2, help="size of the sparse entry file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "papers").mkdir()
        (root / "papers" / "small.yaml").write_text(
            "title: Small\nabstract: Text.\ntags: [llm]\n", encoding="utf-8"
        )
        with (root / "papers" / "huge.yaml").open("wb") as handle:
            handle.truncate(args.gib * 1024**3)
        ours, naive = _run(_OURS, root), _run(_NAIVE, root)
    print(f"refusing a {args.gib} GiB sparse entry file")
    print(f"  ours:  {ours['seconds']:.4f} s, peak memory +{ours['growth_kib']:,} KiB")
    print(f"  naive: {naive['seconds']:.4f} s, peak memory +{naive['growth_kib']:,} KiB")
    ratio = naive["seconds"] / max(ours["seconds"], 1e-9)
    print(f"  naive / ours time: {ratio:,.0f}x")
    print(f"  ours reported: {ours['problems']}")


if __name__ == "__main__":
    main()
