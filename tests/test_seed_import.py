"""The Hugging Face Daily Papers import: 124 entries, text byte-identical to the capture."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.authoring.entry_files import slug_for_title
from generator.authoring.seed_import import parse_daily_papers
from generator.read.yaml_source import read_yaml_file

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`


ROOT = Path(__file__).resolve().parent.parent
SEED_IN_SHARED = Path("shared") / "seed" / "hf-daily-papers.txt"


def _find_seed() -> Path:
    """The capture lives in `shared/` beside the repository (CI's layout) or above a worktree."""
    for folder in ROOT.parents:
        if (folder / SEED_IN_SHARED).is_file():
            return folder / SEED_IN_SHARED
    return ROOT.parent / SEED_IN_SHARED


SEED = _find_seed()


def seed_papers() -> list[tuple[str, str]]:
    assert SEED.is_file(), f"the seed capture is missing at {SEED}"
    papers, problems = parse_daily_papers(SEED.read_text(encoding="utf-8"), str(SEED))
    assert problems == []
    return [(p.title, p.abstract) for p in papers]


def seed_lines() -> list[str]:
    """The capture's non-empty lines after its header, as the file holds them."""
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[6:]


def test_parser_finds_124_papers_in_order() -> None:
    papers = seed_papers()
    assert len(papers) == 124
    assert [part for paper in papers for part in paper] == seed_lines()
    assert papers[0][0].startswith("LLM in a flash")


def test_import_writes_124_entries_with_byte_identical_text(tmp_path: Path) -> None:
    shutil.copy2(ROOT / "tags.yaml", tmp_path / "tags.yaml")
    (tmp_path / "papers").mkdir()
    command = [
        sys.executable,
        "-m",
        "generator.cli",
        "import-daily-papers",
        "--root",
        str(tmp_path),
        str(SEED),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "124 entries created" in result.stdout
    files = sorted((tmp_path / "papers").glob("*.yaml"))
    assert len(files) == 124
    for title, abstract in seed_papers():
        document, problems = read_yaml_file(
            tmp_path / "papers" / f"{slug_for_title(title)}.yaml", "x"
        )
        assert problems == [] and document is not None
        assert document.data["title"] == title
        assert document.data["abstract"] == abstract
        assert set(document.data) <= {"title", "abstract", "tags"}, "nothing invented"
    # Running it again changes nothing: existing entries are never overwritten.
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert "0 entries created, 124 already present" in again.stdout


def test_committed_entries_keep_the_seed_text_exactly() -> None:
    for title, abstract in seed_papers():
        path = ROOT / "papers" / f"{slug_for_title(title)}.yaml"
        document, problems = read_yaml_file(path, path.name)
        assert problems == [] and document is not None, path
        assert document.data["title"] == title
        assert document.data["abstract"] == abstract
        for invented in ("authors", "arxiv", "date", "venue"):
            assert invented not in document.data, f"{path.name}: {invented} is not in the seed"
