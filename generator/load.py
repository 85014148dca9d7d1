"""Stage 1, load: read every `papers/*.yaml` file into a YAML document with line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .model import slug_problem
from .yaml_source import SourceDocument, read_yaml_file

ENTRY_SUFFIX = ".yaml"


@dataclass(frozen=True)
class LoadedEntry:
    """The raw YAML of one entry file, before validation."""

    slug: str
    """The file name without `.yaml`: the paper's URL path."""
    document: SourceDocument


def load_entries(papers_dir: Path, root: Path) -> tuple[list[LoadedEntry], list[Problem]]:
    """Read every entry file, sorted by name so the result never depends on the file system."""
    loaded: list[LoadedEntry] = []
    problems: list[Problem] = []
    if not papers_dir.is_dir():
        shown = _shown(papers_dir, root)
        return [], [Problem(shown, 1, "file", "the papers folder does not exist")]
    for file in sorted(papers_dir.iterdir(), key=lambda p: p.name):
        shown = _shown(file, root)
        if not file.name.endswith(ENTRY_SUFFIX):
            if file.name.startswith(".") or (file.is_dir() and not file.is_symlink()):
                continue  # `.gitkeep`, editor files, sub-folders: not entries
            problems.append(
                Problem(shown, 1, "file", "only `.yaml` entry files belong in papers/; rename it")
            )
            continue
        # A `.yaml` name that is not a plain file is reported, never skipped silently.
        if file.is_symlink():
            problems.append(Problem(shown, 1, "file", "is a symbolic link; commit a plain file"))
            continue
        if not file.is_file():
            message = "is a folder or a special file, not an entry file"
            problems.append(Problem(shown, 1, "file", message))
            continue
        slug = file.name[: -len(ENTRY_SUFFIX)]
        slug_problem = check_slug(slug)
        if slug_problem:
            problems.append(Problem(shown, 1, "file", slug_problem))
            continue
        document, file_problems = read_yaml_file(file, shown)
        problems.extend(file_problems)
        # A file whose YAML itself is wrong is not validated further: its fields would only
        # repeat the same mistake in other words.
        if document is not None and not file_problems:
            loaded.append(LoadedEntry(slug, document))
    return loaded, problems


def check_slug(slug: str) -> str | None:
    """Why `slug` cannot name an entry file, or None when it can."""
    problem = slug_problem(slug, example="llm-in-a-flash.yaml")
    return f"the file name {problem}" if problem else None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
