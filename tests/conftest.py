"""Fixtures shared by the whole suite: the real catalogue built once with the real MkDocs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import build_site, built_once, copy_catalogue

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
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed catalogue built by `mkdocs build --strict` into a temporary folder
    (once for all workers: tests only read it)."""
    return built_once(
        tmp_path_factory, "seed-site", lambda site: build_site(ROOT / "mkdocs.yml", site)
    )


def _build_hostile_catalogue(root: Path) -> None:
    from tests.hostile.corpus import RENDERED, write_cases

    copy_catalogue(ROOT, root, papers=False)
    write_cases(root / "papers", RENDERED)
    build_site(root / "mkdocs.yml", root / "site")


@pytest.fixture(scope="session")
def hostile_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue of the committed site settings and every hostile entry that must build,
    built by `mkdocs build --strict` into its `site/` (once for all workers)."""
    return built_once(tmp_path_factory, "hostile-catalogue", _build_hostile_catalogue)


@pytest.fixture(scope="session")
def hostile_site(hostile_catalogue: Path) -> Path:
    """The site of the hostile catalogue."""
    return hostile_catalogue / "site"
