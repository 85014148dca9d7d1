"""The stages in order: load -> validate -> enrich -> render. Writing is MkDocs' job.

`load_catalogue` runs the checking stages and raises one `CatalogueError` with every problem;
`generate_pages` renders what MkDocs then builds. Nothing is written until both succeed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from generator.enrich.catalogue import Catalogue, build_catalogue, check_tag_usage
from generator.enrich.people import check_alias_usage
from generator.model.kept import Kept
from generator.model.problems import CatalogueError
from generator.progress import BuildProgress
from generator.read.authors_file import load_author_aliases
from generator.read.entries import ENTRY_SUFFIX, ParsedFileCache, load_entries
from generator.read.entry_record import EntryRecord
from generator.read.validate import ValidationCache, build_day, validate_entries
from generator.read.vocabulary_file import load_vocabulary
from generator.render.page import RenderSettings
from generator.render.pages import render_pages


@dataclass(frozen=True)
class CatalogueSources:
    """Where a catalogue's input lives."""

    root: Path
    """The repository root; paths in messages are relative to it."""
    papers_dir: str = "papers"
    """Folder of entry files, relative to `root`."""
    vocabulary_file: str = "tags.yaml"
    """The tag vocabulary, relative to `root`."""
    authors_file: str = "authors.yaml"
    """Spellings of one person joined (optional), relative to `root`."""

    @property
    def papers_path(self) -> Path:
        return self.root / self.papers_dir

    @property
    def vocabulary_path(self) -> Path:
        return self.root / self.vocabulary_file

    @property
    def authors_path(self) -> Path:
        return self.root / self.authors_file


@dataclass
class LoadCaches:
    """What `catalogue serve` keeps of loading from one rebuild to the next: an edit changes
    one file, so a rebuild parses and checks one entry."""

    parsed: ParsedFileCache = field(default_factory=ParsedFileCache)
    checked: ValidationCache = field(default_factory=ValidationCache)
    catalogue: Kept[Catalogue] | None = None
    """The last catalogue, made from its papers (the same `Paper` objects), vocabulary and
    aliases. When nothing changed (the rebuild that shows newly computed related papers) it is
    used again instead of indexed again, which at 10,000 papers was most of a second of that
    rebuild, during which an edit would wait."""


def count_entry_files(sources: CatalogueSources) -> int:
    """How many entry files there are (cheap: names only), to size progress displays."""
    try:
        return sum(1 for p in sources.papers_path.iterdir() if p.name.endswith(ENTRY_SUFFIX))
    except OSError:
        return 0


def load_catalogue(
    sources: CatalogueSources,
    progress: BuildProgress | None = None,
    kept: LoadCaches | None = None,
    record_folder: Path | None = None,
) -> Catalogue:
    """Load, validate and enrich every entry; raise `CatalogueError` listing every problem.

    `progress` reports each stage; `kept` (by `catalogue serve`) reuses the parse and the
    check of unchanged files, and the whole catalogue when no file changed. `record_folder`
    (a one-off build's, beside its site) holds the papers checked by the last build there
    (`EntryRecord`): a file whose bytes are unchanged is neither parsed nor checked alone.
    """
    if progress is None:
        progress = BuildProgress(logging.getLogger(__name__), 0)
    today = build_day()
    record = None
    # Load: the vocabulary first, since checking tags needs it.
    with progress.stage("load entries", progress.size, "entries") as stage:
        vocabulary, problems = load_vocabulary(sources.vocabulary_path, sources.vocabulary_file)
        if record_folder is not None and vocabulary is not None and kept is None:
            record = EntryRecord.load(record_folder, vocabulary, today)
        loaded, load_problems = load_entries(
            sources.papers_path,
            sources.root,
            kept.parsed if kept else None,
            stage.advance,
            record,
        )
    problems += load_problems
    aliases, alias_problems = load_author_aliases(sources.authors_path, sources.authors_file)
    problems += alias_problems
    if vocabulary is None:
        raise CatalogueError(problems)
    with progress.stage("validate and index", len(loaded), "entries") as stage:
        # Validate: each entry alone, then entries against each other.
        papers, entry_problems = validate_entries(
            loaded, vocabulary, kept.checked if kept else None, today, record
        )
        if record is not None:
            record.save()  # what was valid alone, even if the catalogue has problems
        problems += entry_problems
        given = tuple(papers)
        last = kept.catalogue if kept is not None else None
        if last is not None and not problems and last.made_from(given, (vocabulary, aliases)):
            stage.advance(len(loaded))
            return last.value
        # Enrich: order and index. A tag with a single paper, or an author spelling no entry
        # uses, is a curation problem, counted only once every entry is valid (an invalid
        # entry's tags and authors would make the counts wrong).
        catalogue = build_catalogue(papers, vocabulary, aliases)
        if not problems:
            problems += check_tag_usage(catalogue)
            problems += check_alias_usage(catalogue.authors)
        stage.advance(len(loaded))
    if problems:
        raise CatalogueError(problems)
    if kept is not None:
        kept.catalogue = Kept(given, (vocabulary, aliases), catalogue)
    return catalogue


def generate_pages(sources: CatalogueSources, settings: RenderSettings) -> dict[str, str]:
    """Every generated Markdown page, by its path under the docs folder."""
    return render_pages(load_catalogue(sources), settings)
