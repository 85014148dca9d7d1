"""Fixtures shared by the whole suite: the real catalogue built once with the real MkDocs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import build_site, copy_catalogue

ROOT = Path(__file__).resolve().parent.parent

BUILT_FIXTURES = frozenset(
    {"seed_site", "hostile_catalogue", "hostile_site", "synthetic", "reader_site"}
)
"""Fixtures that build a site or a large catalogue: a test using one is `slow`."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` every test that needs a built site, so `make test-quick` (the edit loop)
    runs only what needs no build, no browser and no other process."""
    for item in items:
        if BUILT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (holding mkdocs.yml, papers/ and tags.yaml)."""
    return ROOT


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The committed catalogue built by `mkdocs build --strict` into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("seed-site")
    build_site(ROOT / "mkdocs.yml", site_dir)
    yield site_dir
    shutil.rmtree(site_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def hostile_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue of the committed site settings and every hostile entry that must build."""
    from tests.hostile.corpus import RENDERED, write_cases

    root = copy_catalogue(ROOT, tmp_path_factory.mktemp("hostile-catalogue"), papers=False)
    write_cases(root / "papers", RENDERED)
    return root


@pytest.fixture(scope="session")
def hostile_site(hostile_catalogue: Path) -> Path:
    """The hostile catalogue built by `mkdocs build --strict`."""
    site_dir = hostile_catalogue / "site"
    build_site(hostile_catalogue / "mkdocs.yml", site_dir)
    return site_dir
