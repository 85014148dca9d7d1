"""While serving, a page kept from an earlier rebuild never links to an address that has
moved."""

from __future__ import annotations

from pathlib import Path

from tests.support import serving, small_catalogue

JOSE = "José García"
JOSE_PLAIN = "Jose Garcia"
"""Another person: the same address (`jose-garcia`) once transliterated, not the same name."""
WORKSHOP = "Ångström Workshop"
WORKSHOP_PLAIN = "Angstrom Workshop"


def _entry(title: str, words: str, author: str, venue: str, added: str, tag: str) -> dict:
    return {
        "title": title,
        "abstract": f"{title} {words}.",
        "authors": [author],
        "date": "2025-06-01",
        "venue": venue,
        "added": added,
        "tags": ["llm", tag],
    }


# Each pair shares words only with itself, so neither pair lists the other among its related
# papers (what is related is recomputed in the background, and would re-render pages).
JOSE_ENTRIES = {
    "sieve-one": _entry("Lattice sieving", "ciphers modular reduction", JOSE, WORKSHOP,
                        "2026-11-25", "pruning-sparsity"),
    "sieve-two": _entry("Faster lattice sieving", "ciphers modular", JOSE, WORKSHOP,
                        "2026-11-25", "pruning-sparsity"),
}  # fmt: skip
JOSE_PLAIN_ENTRIES = {
    "glacier-one": _entry("Glacier runoff", "meltwater hydrology basins", JOSE_PLAIN,
                          WORKSHOP_PLAIN, "2026-11-20", "quantization"),
    "glacier-two": _entry("Glacier runoff forecasts", "meltwater basins", JOSE_PLAIN,
                          WORKSHOP_PLAIN, "2026-11-20", "quantization"),
}  # fmt: skip


def test_a_kept_paper_page_links_its_authors_and_venues_new_addresses(
    tmp_path: Path, repo_root: Path
) -> None:
    """Jose Garcia's papers joined first, so he has `authors/jose-garcia/` and José García
    `authors/jose-garcia-2/`. When Jose Garcia's entries are deleted, José García's page
    moves to `authors/jose-garcia/`: his papers' pages, which did not change themselves, must
    link there (and to the venue's new address) rather than to the page that is gone."""
    root = small_catalogue(repo_root, tmp_path / "catalogue", JOSE_ENTRIES | JOSE_PLAIN_ENTRIES)
    with serving(root, tmp_path) as served:
        page = served.until("papers/sieve-one/", lambda s, t: "Lattice sieving" in t, 600)
        assert 'href="../../authors/jose-garcia-2/"' in page
        assert 'href="../../venues/angstrom-workshop-2/"' in page
        assert JOSE_PLAIN in served.get("authors/jose-garcia/")[1]

        for slug in JOSE_PLAIN_ENTRIES:
            (root / "papers" / f"{slug}.yaml").unlink()
        served.until("papers/glacier-one/", lambda s, t: s == 404)
        served.until("authors/jose-garcia-2/", lambda s, t: s == 404)
        assert "Lattice sieving" in served.get("authors/jose-garcia/")[1]
        assert "Lattice sieving" in served.get("venues/angstrom-workshop/")[1]
        for slug in JOSE_ENTRIES:
            page = served.get(f"papers/{slug}/")[1]
            assert 'href="../../authors/jose-garcia/"' in page, slug
            assert 'href="../../venues/angstrom-workshop/"' in page, slug
            assert "jose-garcia-2" not in page and "angstrom-workshop-2" not in page
