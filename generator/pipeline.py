"""The stages in order: load -> validate -> enrich -> render. Writing is MkDocs' job.

`load_catalogue` runs the checking stages and raises one `CatalogueError` with every problem;
`generate_pages` renders what MkDocs then builds. Nothing is written until both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .enrich import Catalogue, build_catalogue, check_tag_usage
from .errors import CatalogueError
from .load import load_entries
from .render import RenderSettings, render_pages
from .validate import validate_entries
from .vocabulary import load_vocabulary


@dataclass(frozen=True)
class CatalogueSources:
    """Where a catalogue's input lives."""

    root: Path
    """The repository root; paths in messages are relative to it."""
    papers_dir: str = "papers"
    """Folder of entry files, relative to `root`."""
    vocabulary_file: str = "tags.yaml"
    """The tag vocabulary, relative to `root`."""

    @property
    def papers_path(self) -> Path:
        return self.root / self.papers_dir

    @property
    def vocabulary_path(self) -> Path:
        return self.root / self.vocabulary_file


def load_catalogue(sources: CatalogueSources) -> Catalogue:
    """Load, validate and enrich every entry; raise `CatalogueError` listing every problem."""
    # Load: the vocabulary first, since checking tags needs it.
    vocabulary, problems = load_vocabulary(sources.vocabulary_path, sources.vocabulary_file)
    loaded, load_problems = load_entries(sources.papers_path, sources.root)
    problems += load_problems
    if vocabulary is None:
        raise CatalogueError(problems)
    # Validate: each entry alone, then entries against each other.
    papers, entry_problems = validate_entries(loaded, vocabulary)
    problems += entry_problems
    # Enrich: order and index. A tag with a single paper is a curation problem, counted only
    # once every entry is valid (an invalid entry's tags would make the counts wrong).
    catalogue = build_catalogue(papers, vocabulary)
    if not problems:
        problems += check_tag_usage(catalogue)
    if problems:
        raise CatalogueError(problems)
    return catalogue


def generate_pages(sources: CatalogueSources, settings: RenderSettings) -> dict[str, str]:
    """Every generated Markdown page, by its path under the docs folder."""
    return render_pages(load_catalogue(sources), settings)
