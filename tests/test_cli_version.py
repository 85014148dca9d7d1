"""`catalogue --version` names the catalogue's release from the installed package's metadata,
and the MkDocs and Material releases that build the site (what a bug report needs)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`


def test_version_names_the_release_in_pyproject_and_the_site_builders(repo_root: Path) -> None:
    catalogue = Path(sys.executable).parent / "catalogue"
    result = subprocess.run(
        [str(catalogue), "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    release = tomllib.loads((repo_root / "pyproject.toml").read_text("utf-8"))["project"]
    assert release["version"] == metadata.version("paper-catalogue")
    line = result.stdout.strip()
    assert line.startswith(f"catalogue {release['version']} (MkDocs {metadata.version('mkdocs')}, ")
    assert f"Material for MkDocs {metadata.version('mkdocs-material')}, Python 3." in line
    assert result.stdout.count("\n") == 1 and result.stderr == ""
