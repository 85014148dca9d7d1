"""The committed catalogue itself: it must always pass its own check."""

from pathlib import Path

from generator import CatalogueSources, load_catalogue

ROOT = Path(__file__).resolve().parent.parent


def test_committed_catalogue_is_valid() -> None:
    catalogue = load_catalogue(CatalogueSources(ROOT))
    assert len(catalogue.papers) == 124
    assert all(catalogue.tag_index.count(tag.id) >= 2 for tag in catalogue.used_tags)
