"""Published addresses stay put (docs/maintainers/addresses.md): adding an entry never moves
another author's or venue's page, even when the two names make the same address; and while
serving, a page kept from an earlier rebuild never links to an address that has moved."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.enrich.addresses import Claim, claim_addresses
from generator.enrich.people import build_author_index
from generator.enrich.venues_and_years import group_by_venue, venue_series
from generator.model.entry import Entry
from generator.model.names import name_key
from generator.model.paper import Paper
from generator.read.authors_file import AuthorAliases
from tests.support import build_site, serving, small_catalogue

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
JOSE_PLAIN_LATER = {
    slug: {**fields, "added": "2026-11-28"} for slug, fields in JOSE_PLAIN_ENTRIES.items()
}
"""Jose Garcia's entries, joining after José García's."""


def _write(root: Path, entries: dict[str, dict]) -> None:
    for slug, fields in entries.items():
        text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        (root / "papers" / f"{slug}.yaml").write_text(text, encoding="utf-8")


# --- The rule --------------------------------------------------------------------------------


def test_the_name_that_joined_first_keeps_the_address() -> None:
    claims = [
        Claim("jose garcia", "jose-garcia", "2026-11-28"),
        Claim("josé garcía", "jose-garcia", "2026-11-25"),
        Claim("jose garcia 2", "jose-garcia-2", "2026-11-20"),  # a name that is an address
        Claim("jose-garcia", "jose-garcia", None),  # no `added`: after every dated name
        Claim("index", "index", "2026-01-01"),
    ]
    assert claim_addresses(claims, reserved={"index", "letters"}) == {
        "index": "index-2",
        "jose garcia 2": "jose-garcia-2",
        "josé garcía": "jose-garcia",
        "jose garcia": "jose-garcia-3",
        "jose-garcia": "jose-garcia-4",
    }


def test_names_that_joined_on_the_same_day_go_in_key_order() -> None:
    same_day = [Claim("josé garcía", "jose-garcia", "2026-11-25"),
                Claim("jose garcia", "jose-garcia", "2026-11-25")]  # fmt: skip
    assert claim_addresses(same_day) == {
        "jose garcia": "jose-garcia",
        "josé garcía": "jose-garcia-2",
    }


def _paper(number: int, author: str, venue: str, added: str | None) -> Paper:
    fields = {"title": f"Paper {number}", "abstract": "A.", "tags": ["llm"], "authors": [author],
              "venue": venue} | ({"added": added} if added else {})  # fmt: skip
    return Paper(f"paper-{number}", f"papers/paper-{number}.yaml", Entry.model_validate(fields), {})


def _addresses(papers: list[Paper]) -> tuple[dict[str, str], dict[str, str]]:
    """Each author's and each venue's address, by key."""
    authors = build_author_index(papers, AuthorAliases())
    return {a.key: a.slug for a in authors.authors}, {v.key: v.slug for v in group_by_venue(papers)}


NAMES = ["José García", "Jose Garcia", "JOSE  GARCIA", "Jose Garcia 2", "Jose-Garcia",
         "José Garcia", "Index", "Letters"]  # fmt: skip
"""Names that make one address, or each other's numbered addresses, or reserved ones."""
VENUES = ["Ångström Workshop", "Angstrom Workshop 2024", "ANGSTROM  workshop",
          "Angstrom Workshop 2", "Index", "Ångström Workshop 2025"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(VENUES), st.booleans()),
                min_size=1, max_size=12))  # fmt: skip
def test_no_addition_moves_an_address(additions: list[tuple[str, str, bool]]) -> None:
    """Entries join one a day, some without `added`: every author and venue with a dated
    paper keeps the address it had, whatever joins after it. (A name with no dated paper
    has no seniority: it goes after every dated name.)"""
    papers: list[Paper] = []
    held: tuple[dict[str, str], dict[str, str]] = ({}, {})
    for number, (author, venue, dated) in enumerate(additions):
        added = (dt.date(2026, 1, 1) + dt.timedelta(days=number)).isoformat()
        papers.append(_paper(number, author, venue, added if dated else None))
        now = _addresses(papers)
        for had, has in zip(held, now, strict=True):
            assert {key: has[key] for key in had} == had
        dated = [p.entry for p in papers if p.entry.added]
        held = (
            {key: now[0][key] for key in {name_key(e.authors[0]) for e in dated}},
            {key: now[1][key] for key in {name_key(venue_series(e.venue or "")) for e in dated}},
        )


# --- Real builds and a real server -----------------------------------------------------------


def _shown_at(site: Path) -> dict[str, str]:
    """The heading of every author, venue, tag and paper page of a built site, by address."""
    shown = {}
    for folder in ("authors", "venues", "tags", "papers"):
        for page in (site / folder).glob("*/index.html"):
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text("utf-8"), re.S)
            assert heading is not None, page
            shown[page.parent.relative_to(site).as_posix()] = heading.group(1).strip()
    return shown


@pytest.mark.slow  # a real build or server: left out of `make test-quick`
def test_a_namesake_added_between_builds_takes_no_address(tmp_path: Path, repo_root: Path) -> None:
    root = small_catalogue(repo_root, tmp_path / "catalogue", JOSE_ENTRIES)
    build_site(root / "mkdocs.yml", tmp_path / "before")
    before = _shown_at(tmp_path / "before")
    assert before["authors/jose-garcia"] == JOSE
    assert before["venues/angstrom-workshop"] == WORKSHOP

    _write(root, JOSE_PLAIN_LATER)
    build_site(root / "mkdocs.yml", tmp_path / "after")
    after = _shown_at(tmp_path / "after")
    assert {address: after.get(address) for address in before} == before
    assert after["authors/jose-garcia-2"] == JOSE_PLAIN
    assert after["venues/angstrom-workshop-2"] == WORKSHOP_PLAIN


@pytest.mark.slow  # a real build or server: left out of `make test-quick`
def test_a_namesake_added_while_serving_takes_no_address(tmp_path: Path, repo_root: Path) -> None:
    """José García had `authors/jose-garcia/` (and his workshop `venues/angstrom-workshop/`);
    two entries by Jose Garcia at Angstrom Workshop, added later, get the `-2` addresses."""
    root = small_catalogue(repo_root, tmp_path / "catalogue", JOSE_ENTRIES)
    with serving(root, tmp_path) as served:
        served.until("authors/jose-garcia/", lambda s, t: "Lattice sieving" in t, 600)
        _write(root, JOSE_PLAIN_LATER)
        served.until("authors/jose-garcia-2/", lambda s, t: "Glacier runoff" in t)
        for address, shows, not_shows in (
            ("authors/jose-garcia/", "Lattice sieving", "Glacier runoff"),
            ("venues/angstrom-workshop/", "Lattice sieving", "Glacier runoff"),
            ("venues/angstrom-workshop-2/", "Glacier runoff", "Lattice sieving"),
        ):
            text = served.get(address)[1]
            assert shows in text and not_shows not in text, address
        assert 'href="../../authors/jose-garcia/"' in served.get("papers/sieve-one/")[1]
        assert 'href="../../authors/jose-garcia-2/"' in served.get("papers/glacier-one/")[1]


@pytest.mark.slow  # a real build or server: left out of `make test-quick`
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
