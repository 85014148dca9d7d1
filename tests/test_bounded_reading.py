"""A file is never read past its size limit: a 2 GiB entry, tags.yaml or authors.yaml is refused
from its size alone, without its bytes ever being held in memory.

The files are sparse (`truncate`), so the test costs no disk. Memory is measured in a child
process with `resource.getrusage`: the growth of its peak resident size across the whole
check, which reading the file would raise by 2 GiB. (How long the refusal takes is measured by
`tests/benchmarks/bench_oversized_entry.py`, not asserted here.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_entry_errors import PARTNER, VOCABULARY

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`

TWO_GIB = 2 * 1024**3
MAX_GROWTH_KIB = 100 * 1024

_CHILD = """
import json, resource, sys
from pathlib import Path
from generator import CatalogueError, CatalogueSources, load_catalogue

before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    load_catalogue(CatalogueSources(Path(sys.argv[1])))
    problems = []
except CatalogueError as exc:
    problems = [str(p) for p in exc.problems]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"problems": problems, "growth_kib": after - before}))
"""


def _catalogue(root: Path) -> None:
    (root / "tags.yaml").write_text(VOCABULARY, encoding="utf-8")
    (root / "papers").mkdir()
    (root / "papers" / "partner.yaml").write_text(PARTNER, encoding="utf-8")
    (root / "papers" / "other.yaml").write_text(
        PARTNER.replace("Partner paper", "Other paper"), encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("huge", "expected"),
    [
        (
            "papers/huge.yaml",
            "papers/huge.yaml:1: file: is 2.0 GiB; an entry may be at most 64 KiB",
        ),
        ("tags.yaml", "tags.yaml:1: file: is 2.0 GiB; this file may be at most 4,096 KiB"),
        ("authors.yaml", "authors.yaml:1: file: is 2.0 GiB; this file may be at most 4,096 KiB"),
    ],
)
def test_a_2_gib_file_is_refused_without_being_read(
    tmp_path: Path, huge: str, expected: str
) -> None:
    _catalogue(tmp_path)
    with (tmp_path / huge).open("wb") as handle:
        handle.truncate(TWO_GIB)
    assert (tmp_path / huge).stat().st_size == TWO_GIB
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "CATALOGUE_TODAY": "2026-12-03"},
    )
    report = json.loads(result.stdout)
    assert report["problems"] == [expected]
    assert report["growth_kib"] < MAX_GROWTH_KIB, report


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    _catalogue(tmp_path)
    head = PARTNER.replace("Partner paper", "Padded paper") + "# "
    for size, wanted in ((64 * 1024, []), (64 * 1024 + 1, ["is 65,537 bytes"])):
        body = head + "x" * (size - len(head) - 1) + "\n"
        (tmp_path / "papers" / "padded.yaml").write_text(body, encoding="ascii")
        assert (tmp_path / "papers" / "padded.yaml").stat().st_size == size
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
        )
        problems = json.loads(result.stdout)["problems"]
        assert [p.split(": ", 2)[-1].split(";")[0] for p in problems] == wanted, problems
