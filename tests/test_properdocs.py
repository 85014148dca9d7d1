"""The seed site built by ProperDocs (the maintained fork of MkDocs 1.x) is the MkDocs build,
byte for byte, except the generator meta tag of each theme page: the way off MkDocs that
docs/maintainers/platform.md describes, checked on every run.

ProperDocs installs as its own package (`properdocs`) beside `mkdocs` in the same virtual
environment; run as `python -m properdocs`, it answers every `import mkdocs...` of the plugin
and the theme with its own modules, so nothing of the `mkdocs` package takes part.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from generator.site.search_index import PAGES_RECORD, SOURCE_DIGEST
from tests.support import build_site, small_catalogue, snapshot

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`

MKDOCS_TAG = (
    f'<meta name="generator" content="mkdocs-{metadata.version("mkdocs")}, '
    f'mkdocs-material-{metadata.version("mkdocs-material")}">'
)
"""What Material's `base.html` writes into every page it renders, under MkDocs..."""
PROPERDOCS_TAG = (
    f'<meta name="generator" content="mkdocs-ProperDocs {metadata.version("properdocs")}, '
    f'mkdocs-material-{metadata.version("mkdocs-material")}">'
)
"""...and under ProperDocs, which gives the theme "ProperDocs <version>" as `mkdocs_version`."""


def build_date(site: Path) -> str:
    """The build date in the site's sitemap index (MkDocs' `get_build_date`, in UTC)."""
    dates = set(re.findall(r"<lastmod>([0-9-]+)</lastmod>", (site / "sitemap.xml").read_text()))
    assert len(dates) == 1, dates
    return dates.pop()


def properdocs_build(
    config_file: Path, site_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`properdocs build --strict` in a subprocess, whatever its exit code."""
    command = [
        sys.executable, "-m", "properdocs", "build", "--strict",
        "--config-file", str(config_file), "--site-dir", str(site_dir),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=False, env=env)


@pytest.fixture(scope="session")
def properdocs_site(
    repo_root: Path, seed_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The committed catalogue built by `properdocs build --strict`, dated as the MkDocs build
    (SOURCE_DATE_EPOCH), so that a run across midnight still compares like with like."""
    site_dir = tmp_path_factory.mktemp("properdocs-site") / "site"
    day = dt.datetime.fromisoformat(build_date(seed_site)).replace(tzinfo=dt.UTC)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(day.timestamp()))}
    result = properdocs_build(repo_root / "mkdocs.yml", site_dir, env)
    assert result.returncode == 0, f"properdocs build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


def test_properdocs_builds_the_seed_site_byte_identical_but_for_the_generator_tag(
    seed_site: Path, properdocs_site: Path
) -> None:
    by_mkdocs, by_properdocs = snapshot(seed_site), snapshot(properdocs_site)
    assert sorted(by_mkdocs) == sorted(by_properdocs)
    differing = sorted(path for path, data in by_mkdocs.items() if by_properdocs[path] != data)
    themed = sorted(path for path, data in by_mkdocs.items() if MKDOCS_TAG.encode("utf-8") in data)
    # Every page MkDocs' theme rendered (hand-written, the lists in the navigation, 404)
    # differs, and nothing else: not the generated pages, whose shell leaves the tag out, nor
    # the generated downloads, the sitemaps, the Pagefind index or the theme's assets; but the
    # digests of the pages each search bundle was made from, which hold their tag.
    assert "404.html" in themed and "about/index.html" in themed
    papers = [path for path in by_mkdocs if re.fullmatch(r"papers/[^/]+/index\.html", path)]
    assert len(papers) > 100 and not set(papers) & set(differing)
    digests = sorted(
        path for path in by_mkdocs if path.endswith((f"/{SOURCE_DIGEST}", f"/{PAGES_RECORD}"))
    )
    assert digests
    assert differing == sorted(themed + digests)
    for path in themed:
        mkdocs_page = by_mkdocs[path].decode("utf-8")
        assert mkdocs_page.count(MKDOCS_TAG) == 1, path
        assert mkdocs_page.replace(MKDOCS_TAG, PROPERDOCS_TAG) == by_properdocs[path].decode(
            "utf-8"
        ), path


def test_a_properdocs_build_aborted_by_a_strict_warning_publishes_nothing(
    repo_root: Path, tmp_path: Path
) -> None:
    # ProperDocs logs its own warnings (a broken link here) under `properdocs`, not `mkdocs`:
    # publishing must count those too, or it would replace the site just before the abort.
    entries: dict[str, dict[str, object]] = {
        slug: {"title": f"Paper {slug}", "abstract": "An abstract.", "tags": ["llm"]}
        for slug in ("alpha", "beta")
    }
    root = small_catalogue(repo_root, tmp_path / "catalogue", entries)
    site = root / "site"
    # The site already published (built by MkDocs: ProperDocs' full build is the test above).
    build_site(root / "mkdocs.yml", site)
    before = snapshot(site)
    (root / "docs" / "about.md").write_text("[broken](missing-page.md)\n", "utf-8")
    result = properdocs_build(root / "mkdocs.yml", site)
    assert result.returncode != 0
    assert "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr
    assert snapshot(site) == before
    assert not (root / ".site.staging").exists()


def test_properdocs_is_pinned_beside_mkdocs(repo_root: Path) -> None:
    # Pinned like every dependency: a new ProperDocs release is a change someone reviews.
    pins = (repo_root / "requirements" / "dev.txt").read_text("utf-8")
    assert f"properdocs=={metadata.version('properdocs')}\n" in pins
