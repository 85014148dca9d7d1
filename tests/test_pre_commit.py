"""The pre-commit hook, run by the real pre-commit in a scratch Git repository (offline: the
hook is local and uses the project's own environment)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import copy_catalogue

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`


BIN = Path(sys.executable).parent


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(repo_root: Path, tmp_path: Path) -> Path:
    """A Git repository holding the catalogue, the hook configuration and a `.venv` link."""
    if shutil.which("git") is None:
        pytest.fail("git is needed for the pre-commit test")
    root = tmp_path / "repo"
    root.mkdir()
    copy_catalogue(repo_root, root)
    shutil.copy2(repo_root / ".pre-commit-config.yaml", root / ".pre-commit-config.yaml")
    # The hook runs `.venv/bin/catalogue`, as in a checkout after `make setup`.
    (root / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    git(root, "init", "-q")
    git(root, "add", "-A")
    return root


def run_hook(repo: Path, tmp_path: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GITHUB_ACTIONS": "",
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--color", "never", "--files", *files],
        cwd=repo, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip


def test_configuration_is_valid(repo_root: Path) -> None:
    result = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", str(repo_root / ".pre-commit-config.yaml")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_fails_on_a_broken_entry_and_passes_once_fixed(repo: Path, tmp_path: Path) -> None:
    entry = "papers/a-global-context-mechanism-for-sequence-labeling.yaml"
    path = repo / entry
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("tags:\n", "tags:\n- quantisation\n", 1), encoding="utf-8")
    git(repo, "add", entry)

    failed = run_hook(repo, tmp_path, entry)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "catalogue check" in failed.stdout and "Failed" in failed.stdout
    assert f"{entry}:5: tags: unknown tag 'quantisation' (did you mean 'quantization'?)" in (
        failed.stdout
    )

    path.write_text(original, encoding="utf-8")
    git(repo, "add", entry)
    passed = run_hook(repo, tmp_path, entry)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_hook_ignores_files_that_are_not_entries(repo: Path, tmp_path: Path) -> None:
    result = run_hook(repo, tmp_path, "mkdocs.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(no files to check)Skipped" in result.stdout
