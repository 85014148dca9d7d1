"""What readers see, compared with committed expected pages (regenerate: `make golden`)."""

from tests.golden import GOLDEN, fixture_pages


def test_generated_pages_match_golden_files() -> None:
    pages = fixture_pages()
    expected = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert set(pages) == expected, "pages added or removed: run `make golden` and review"
    for uri, content in pages.items():
        golden = (GOLDEN / uri).read_text(encoding="utf-8")
        assert content == golden, f"{uri} differs from tests/golden/{uri}: run `make golden`"


def test_unused_tag_gets_no_page() -> None:
    assert "tags/unused.md" not in fixture_pages()
