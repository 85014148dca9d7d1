"""Stage 1, load: read every `papers/*.yaml` file into a YAML document with line numbers."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.model.entry import slug_problem
from generator.model.kept import KeptValues
from generator.model.paper import Paper
from generator.model.problems import Problem
from generator.read.entry_record import EntryRecord
from generator.read.yaml_source import SourceDocument, read_bounded, read_yaml_mapping

ENTRY_SUFFIX = ".yaml"


@dataclass(frozen=True)
class LoadedEntry:
    """The raw YAML of one entry file, before validation."""

    slug: str
    """The file name without `.yaml`: the paper's URL path."""
    document: SourceDocument
    recorded: Paper | None = None
    """The paper the last build checked from these very bytes (`EntryRecord`); the document
    is then not parsed (empty) and the entry not checked again."""
    raw: bytes = b""
    """The file's bytes, when a record is kept (to record the paper checked from them)."""


@dataclass(frozen=True)
class ParsedFile:
    """What parsing one entry file gave, and the digest of the bytes it was parsed from."""

    digest: bytes
    document: SourceDocument | None
    problems: list[Problem]


@dataclass
class ParsedFileCache:
    """Parsed entry files, kept across the rebuilds of `catalogue serve`.

    Reading 10,000 small files takes a fraction of a second; parsing their YAML takes
    seconds. An edit changes one file, so a rebuild parses one file.
    """

    files: KeptValues[str, ParsedFile] = field(default_factory=KeptValues)
    """By shown path, made from the file's (mtime, size, inode)."""

    def read(self, file: Path, shown: str) -> tuple[SourceDocument | None, list[Problem]]:
        """`read_yaml_mapping` of the file, reusing the last result if the file is unchanged.

        An unchanged modification time, size and inode skip even reading the file; otherwise
        equal bytes (by digest) still skip parsing (a `touch` or a checkout changes no entry).
        A file over the size limit is never read.
        """
        last = self.files.last(shown)
        try:
            stat = file.stat()
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            if last is not None and last.made_from((), key):
                return last.value.document, last.value.problems
        except OSError as exc:
            return None, [Problem(shown, 1, "file", f"cannot be read: {exc.strerror}")]
        raw = read_bounded(file, shown)
        if isinstance(raw, Problem):
            return None, [raw]
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        if last is not None and last.value.digest == digest:
            parsed = ParsedFile(digest, last.value.document, last.value.problems)
        else:
            parsed = ParsedFile(digest, *read_yaml_mapping(raw, shown))
        self.files.keep(shown, (), key, parsed)
        return parsed.document, parsed.problems


def load_entries(
    papers_dir: Path,
    root: Path,
    cache: ParsedFileCache | None = None,
    advance: Callable[[int], None] | None = None,
    record: EntryRecord | None = None,
) -> tuple[list[LoadedEntry], list[Problem]]:
    """Read every entry file, sorted by name so the result never depends on the file system.

    `cache` reuses earlier parses of unchanged files; `record` (a one-off build's) gives the
    paper of each file whose bytes the last build checked; `advance(1)` is called per file.
    """
    cache = cache if cache is not None else ParsedFileCache()
    loaded: list[LoadedEntry] = []
    problems: list[Problem] = []
    if not papers_dir.is_dir():
        shown = _shown(papers_dir, root)
        return [], [Problem(shown, 1, "file", "the papers folder does not exist")]
    # scandir: the file type comes with the name, so 100,000 entries cost one stat each.
    with os.scandir(papers_dir) as scan:
        found = sorted(scan, key=lambda e: e.name)
    for item in found:
        file = Path(item.path)
        shown = _shown(file, root)
        if not item.name.endswith(ENTRY_SUFFIX):
            if item.name.startswith(".") or item.is_dir(follow_symlinks=False):
                continue  # `.gitkeep`, editor files, sub-folders: not entries
            problems.append(
                Problem(shown, 1, "file", "only `.yaml` entry files belong in papers/; rename it")
            )
            continue
        # A `.yaml` name that is not a plain file is reported, never skipped silently.
        if item.is_symlink():
            problems.append(Problem(shown, 1, "file", "is a symbolic link; commit a plain file"))
            continue
        if not item.is_file(follow_symlinks=False):
            message = "is a folder or a special file, not an entry file"
            problems.append(Problem(shown, 1, "file", message))
            continue
        slug = item.name[: -len(ENTRY_SUFFIX)]
        slug_problem = check_slug(slug)
        if slug_problem:
            problems.append(Problem(shown, 1, "file", slug_problem))
            continue
        if advance is not None:
            advance(1)
        if record is not None:
            raw = read_bounded(file, shown)
            if isinstance(raw, Problem):
                problems.append(raw)
                continue
            paper = record.paper(shown, slug, raw)
            if paper is not None:
                loaded.append(LoadedEntry(slug, SourceDocument(shown, {}), paper))
                continue
            document, file_problems = read_yaml_mapping(raw, shown)
        else:
            raw = b""
            document, file_problems = cache.read(file, shown)
        problems.extend(file_problems)
        # A file whose YAML itself is wrong is not validated further: its fields would only
        # repeat the same mistake in other words.
        if document is not None and not file_problems:
            loaded.append(LoadedEntry(slug, document, raw=raw))
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
