"""`catalogue serve` (the real command, on a free port) shows what a contributor edits: a
changed title in the paper's page, its citation files and its tag's list; a deleted entry's
page and citation files go away; a new entry appears. The rebuilds reuse what did not change
(generator/site/write_pages.py, list_entries.py, exports.CitationStore), so this checks that
nothing kept from an earlier build is shown stale."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.reader_checks import citation_record_of, cite_blocks
from tests.support import serving, small_catalogue

pytestmark = pytest.mark.slow  # real builds or processes: left out of `make test-quick`


TOPICS = {
    "speculative decoding with small draft models": ("alpha", "beta", "gamma"),
    "weight quantization to four bits saving memory": ("eta", "theta", "iota"),
}
ENTRIES: dict[str, dict[str, object]] = {
    slug: {
        "title": f"Paper {slug.upper()}",
        "abstract": f"Paper {slug} speeds up inference by {topic}.",
        "tags": ["llm", "quantization"],
    }
    for topic, slugs in TOPICS.items()
    for slug in slugs
}
"""Two topics of three papers: each paper's related papers are the other two of its topic."""


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def _until(url: str, shows: object, server: subprocess.Popen[bytes], log: Path) -> str:
    """The body of `url` once `shows(status, body)` holds (fails after 60 s)."""
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, log.read_text("utf-8")
        status, body = _get(url)
        if shows(status, body):  # type: ignore[operator]
            return body
        assert time.monotonic() < deadline, f"{url}: {status} {body[:300]!r}"
        time.sleep(0.1)


@pytest.fixture
def served(tmp_path: Path, repo_root: Path):  # type: ignore[no-untyped-def]
    root = small_catalogue(repo_root, tmp_path / "catalogue", ENTRIES)
    with serving(root, tmp_path) as server:
        yield server.root, server.base, server.process, server.log


def test_serve_shows_edits_deletions_and_new_entries(served) -> None:  # type: ignore[no-untyped-def]
    root, base, server, log = served
    papers = root / "papers"
    _until(base + "papers/gamma/", lambda s, b: "Paper GAMMA" in b, server, log)

    entry = papers / "alpha.yaml"
    entry.write_text(
        entry.read_text("utf-8").replace("Paper ALPHA", "Edited zqalpha"), encoding="utf-8"
    )
    _until(base + "papers/alpha/", lambda s, b: "Edited zqalpha" in b, server, log)
    assert "Edited zqalpha" in cite_blocks(_get(base + "papers/alpha/")[1])[0]  # BibTeX
    assert citation_record_of(_get(base + "papers/alpha/")[1])["title"] == "Edited zqalpha"
    assert "Edited zqalpha" in _get(base + "tags/quantization/")[1]
    assert "Edited zqalpha" in _get(base + "catalogue.bib")[1]
    # The whole-catalogue exports, whose unchanged rows the server keeps between builds.
    for export in ("catalogue.csv", "catalogue.json"):
        text = _get(base + export)[1]
        assert "Edited zqalpha" in text and "Paper ALPHA" not in text and "Paper BETA" in text
    # Pages kept from the first build that show the edited title, among their related
    # papers, are rendered again.
    assert "Edited zqalpha" in _get(base + "papers/beta/")[1]
    # An unchanged paper kept from the first build is still whole.
    assert "title = {Paper {BETA}}" in cite_blocks(_get(base + "papers/beta/")[1])[0]
    assert citation_record_of(_get(base + "papers/beta/")[1])["title"] == "Paper BETA"

    (papers / "gamma.yaml").unlink()
    _until(base + "papers/gamma/", lambda s, b: s == 404, server, log)
    assert "Paper GAMMA" not in _get(base + "tags/quantization/")[1]
    assert "Paper GAMMA" not in _get(base + "catalogue.csv")[1]

    (papers / "delta.yaml").write_text(
        "title: Paper zqdelta\nabstract: Paper delta speeds up inference by speculative "
        "decoding with small draft models.\ntags:\n- llm\n",
        encoding="utf-8",
    )
    _until(base + "papers/delta/", lambda s, b: "Paper zqdelta" in b, server, log)
    # Its related papers are computed in the background; the server rebuilds when they are.
    related = _until(
        base + "papers/delta/", lambda s, b: '<ul class="catalogue-related"' in b, server, log
    )
    assert "Paper ALPHA" not in related  # renamed above
    assert "Edited zqalpha" in related and "Paper BETA" in related
    assert citation_record_of(related)["title"] == "Paper zqdelta"
    assert "Paper zqdelta" in _get(base + "tags/llm/")[1]
    assert "Paper zqdelta" in _get(base + "catalogue.json")[1]
    # The search index is rebuilt in the background (a process of its own) after edits.
    deadline = time.monotonic() + 120
    while "search index refreshed" not in log.read_text("utf-8"):
        assert server.poll() is None and time.monotonic() < deadline, log.read_text("utf-8")
        time.sleep(0.2)
