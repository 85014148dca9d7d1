"""`catalogue add`: new entry files from arXiv ids or BibTeX, each checked before any is written.

The steps: read what the contributor gave (ids, URLs, BibTeX) -> fetch arXiv's records ->
refuse papers the catalogue already has -> choose tags -> validate against the model ->
write every file, or none -> run the whole catalogue check on the result.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.authoring.arxiv_source import fetch_arxiv_papers, parse_arxiv_reference
from generator.authoring.bibtex_source import parse_bibtex
from generator.authoring.entry_files import slug_for_title, write_entry
from generator.authoring.suggest import suggest_tags
from generator.model.entry import MAX_SLUG, Entry
from generator.model.paper import arxiv_base, normalised_title
from generator.model.problems import CatalogueError, Problem
from generator.model.vocabulary import Vocabulary
from generator.pipeline import CatalogueSources, load_catalogue
from generator.read.entries import check_slug, load_entries
from generator.read.messages import problems_from_validation_error
from generator.read.yaml_source import SourceDocument

MAX_BIBTEX_BYTES = 5 * 1024 * 1024


@dataclass
class Candidate:
    """A paper to add, with where it came from (for messages) and what it provides."""

    path: str
    """What messages name: `arXiv:2312.11514`, `refs.bib` or `<stdin>`."""
    line: int
    key: str
    """A short name for the paper in messages: the arXiv id or the BibTeX key."""
    fields: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def problem(self, fieldname: str, message: str) -> Problem:
        # A BibTeX file holds many papers: name the entry. `arXiv:<id>` names itself.
        named = message if self.path == f"arXiv:{self.key}" else f"{self.key}: {message}"
        return Problem(self.path, self.line, fieldname, named)


@dataclass(frozen=True)
class NewEntry:
    """An entry ready to be written as `papers/<slug>.yaml`."""

    slug: str
    fields: dict[str, Any]
    origin: str
    tags_suggested: bool
    notes: list[str]


@dataclass
class Inputs:
    """What the contributor typed, sorted into arXiv ids and BibTeX texts."""

    arxiv_ids: list[str] = field(default_factory=list)
    bibtex: list[tuple[str, str]] = field(default_factory=list)
    """(text, name shown in messages)."""
    problems: list[Problem] = field(default_factory=list)


def read_inputs(arguments: Iterable[str], stdin_text: str | None = None) -> Inputs:
    """Sort each argument: `-` (BibTeX on stdin), `@...` (BibTeX), a file, or an arXiv id/URL."""
    inputs = Inputs()
    seen: set[str] = set()
    for argument in arguments:
        text = argument.strip()
        path = Path(text)
        if text == "-":
            inputs.bibtex.append((stdin_text or "", "<stdin>"))
        elif text.startswith("@"):
            inputs.bibtex.append((text, "<bibtex>"))
        elif text.lower().endswith(".bib") or (path.is_file() and not parse_arxiv_reference(text)):
            inputs.bibtex.extend(_read_bibtex_file(path, inputs.problems))
        elif (arxiv_id := parse_arxiv_reference(text)) is not None:
            if arxiv_base(arxiv_id) not in seen:
                seen.add(arxiv_base(arxiv_id))
                inputs.arxiv_ids.append(arxiv_id)
        else:
            inputs.problems.append(
                Problem(
                    argument[:80],
                    1,
                    "input",
                    "is not an arXiv id or URL (like 2312.11514), a BibTeX file, or a BibTeX "
                    "entry starting with @",
                )
            )
    return inputs


def _read_bibtex_file(path: Path, problems: list[Problem]) -> list[tuple[str, str]]:
    shown = path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 1, "file", f"cannot be read: {exc.strerror or exc}"))
        return []
    if len(raw) > MAX_BIBTEX_BYTES:
        problems.append(Problem(shown, 1, "file", "is larger than 5 MiB; split it"))
        return []
    try:
        return [(raw.decode("utf-8-sig"), shown)]
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(shown, line, "file", "is not UTF-8; save it as UTF-8"))
        return []


def drop_known_ids(inputs: Inputs, index: CatalogueIndex) -> list[Problem]:
    """Refuse ids the catalogue has (any version) before asking arXiv about them."""
    problems = []
    for arxiv_id in list(inputs.arxiv_ids):
        where = index.by_arxiv.get(arxiv_base(arxiv_id))
        if where:
            inputs.arxiv_ids.remove(arxiv_id)
            problems.append(
                Problem(
                    f"arXiv:{arxiv_id}",
                    1,
                    "arxiv",
                    f"{arxiv_id}: arXiv {arxiv_base(arxiv_id)} is already {where}; edit that "
                    "entry instead",
                )
            )
    return problems


def gather_candidates(inputs: Inputs, *, timeout: float) -> tuple[list[Candidate], list[Problem]]:
    """Every paper the inputs describe; arXiv is asked once for all ids (raises `ArxivError`)."""
    candidates: list[Candidate] = []
    problems = list(inputs.problems)
    for paper in fetch_arxiv_papers(inputs.arxiv_ids, timeout=timeout):
        notes = list(paper.notes)
        if paper.comment:
            notes.append(
                f"arXiv comment: {paper.comment!r} (if it names where the paper appeared, "
                "write that as `venue`)"
            )
        where = f"arXiv:{paper.arxiv_id}"
        candidates.append(Candidate(where, 1, paper.arxiv_id, paper.entry_fields(), notes))
    for text, shown in inputs.bibtex:
        papers, bibtex_problems = parse_bibtex(text, shown)
        problems += bibtex_problems
        for item in papers:
            candidates.append(Candidate(shown, item.line, item.key, item.fields, item.notes))
    return candidates, problems


@dataclass
class CatalogueIndex:
    """What the catalogue already holds, read leniently: a broken entry still counts."""

    by_arxiv: dict[str, str] = field(default_factory=dict)
    """Base arXiv id -> where that paper already is (`in the catalogue: papers/x.yaml`)."""
    by_title: dict[str, str] = field(default_factory=dict)
    """Normalised title -> where that paper already is."""
    slugs: set[str] = field(default_factory=set)
    tag_counts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def read(cls, sources: CatalogueSources) -> CatalogueIndex:
        index = cls()
        loaded, _ = load_entries(sources.papers_path, sources.root)
        if sources.papers_path.is_dir():
            index.slugs = {p.stem for p in sources.papers_path.iterdir()}
        for item in loaded:
            data, path = item.document.data, item.document.path
            where = f"in the catalogue: {path}"
            if isinstance(data.get("arxiv"), str):
                index.by_arxiv.setdefault(arxiv_base(data["arxiv"].strip()), where)
            if isinstance(data.get("title"), str):
                index.by_title.setdefault(normalised_title(data["title"]), where)
            tags = data.get("tags")
            if isinstance(tags, list):
                index.tag_counts.update(t for t in tags if isinstance(t, str))
        return index


def plan_entries(
    candidates: list[Candidate],
    index: CatalogueIndex,
    vocabulary: Vocabulary,
    given_tags: list[str],
    today: dt.date,
) -> tuple[list[NewEntry], list[Problem]]:
    """Check every candidate (duplicates, tags, model, file name); plan the files to write."""
    planned: list[NewEntry] = []
    problems: list[Problem] = []
    for candidate in candidates:
        entry, entry_problems = _plan_one(candidate, index, vocabulary, given_tags, today)
        problems += entry_problems
        if entry is not None:
            planned.append(entry)
            # Later candidates in the same run must not repeat this one either.
            index.slugs.add(entry.slug)
            earlier = f"given earlier in this run: {entry.origin}"
            index.by_title.setdefault(normalised_title(entry.fields["title"]), earlier)
            if entry.fields.get("arxiv"):
                index.by_arxiv.setdefault(arxiv_base(entry.fields["arxiv"]), earlier)
    return planned, problems


def _plan_one(
    candidate: Candidate,
    index: CatalogueIndex,
    vocabulary: Vocabulary,
    given_tags: list[str],
    today: dt.date,
) -> tuple[NewEntry | None, list[Problem]]:
    fields = dict(candidate.fields)
    title, abstract = fields.get("title"), fields.get("abstract")
    if not title:
        return None, [candidate.problem("title", "has no title; an entry needs one")]
    duplicate = _duplicate_of(fields, index)
    if duplicate:
        return None, [candidate.problem(*duplicate)]
    problems = []
    if not abstract:
        hint = (
            f" or run `catalogue add {fields['arxiv']}` to take it from arXiv"
            if fields.get("arxiv")
            else ""
        )
        problems.append(
            candidate.problem(
                "abstract", f"has no abstract; add `abstract = {{...}}` to the BibTeX{hint}"
            )
        )
    tags = list(given_tags) or _suggested_tags(title, abstract or "", vocabulary, index)
    if not tags:
        problems.append(
            candidate.problem(
                "tags",
                "no tag of tags.yaml matches its title or abstract; choose one or more with "
                "--tag ID",
            )
        )
    fields["tags"] = tags
    if "added" in Entry.model_fields:  # the date a paper joined the catalogue, when modelled
        fields["added"] = today.isoformat()
    # The model's "is required" would repeat what was just said, less helpfully.
    said = {problem.field for problem in problems}
    problems += [p for p in _model_problems(candidate, fields) if p.field not in said]
    slug = _free_slug(slug_for_title(title), index.slugs)
    reason = check_slug(slug)
    if reason:
        problems.append(candidate.problem("title", f"gives no usable file name: {reason}"))
    if problems:
        return None, problems
    origin = f"{candidate.path}:{candidate.line}" if candidate.line > 1 else candidate.path
    if candidate.path != f"arXiv:{candidate.key}":
        origin = f"{origin} ({candidate.key})"
    return NewEntry(slug, fields, origin, not given_tags, candidate.notes), []


def _duplicate_of(fields: dict[str, Any], index: CatalogueIndex) -> tuple[str, str] | None:
    arxiv = fields.get("arxiv")
    if arxiv and arxiv_base(arxiv) in index.by_arxiv:
        where = index.by_arxiv[arxiv_base(arxiv)]
        return "arxiv", f"arXiv {arxiv_base(arxiv)} is already {where}; edit that entry instead"
    title_key = normalised_title(fields["title"])
    if title_key in index.by_title:
        where = index.by_title[title_key]
        return "title", f"a paper with this title is already {where}; edit that entry instead"
    return None


def _suggested_tags(
    title: str, abstract: str, vocabulary: Vocabulary, index: CatalogueIndex
) -> list[str]:
    # A tag no paper carries yet would fail the check (a tag needs two papers): leave it out.
    suggested = suggest_tags(title, abstract, vocabulary, limit=8)
    return [tag for tag in suggested if index.tag_counts[tag] > 0][:5]


def _model_problems(candidate: Candidate, fields: dict[str, Any]) -> list[Problem]:
    tag_problems = []
    try:
        Entry.model_validate(fields)
    except ValidationError as exc:
        document = SourceDocument(candidate.path, fields)
        for problem in problems_from_validation_error(exc, document):
            tag_problems.append(candidate.problem(problem.field, problem.message))
    return tag_problems


def _free_slug(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`... when another file already has that name."""
    if slug not in taken:
        return slug
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = f"{slug[: MAX_SLUG - len(suffix)].rstrip('-')}{suffix}"
        if candidate not in taken:
            return candidate
        number += 1


def check_tags(tags: Iterable[str], vocabulary: Vocabulary) -> list[Problem]:
    """Problems for `--tag` values that are not tag ids of the vocabulary."""
    problems = []
    for tag in tags:
        if tag not in vocabulary:
            hint = vocabulary.suggestion(tag)
            advice = f" (did you mean {hint!r}?)" if hint else " (see tags.yaml for the list)"
            problems.append(Problem("--tag", 1, "tags", f"unknown tag {tag!r}{advice}"))
    return problems


def write_planned(sources: CatalogueSources, planned: list[NewEntry]) -> list[Path]:
    """Write every planned file, or none: a failure part-way removes what was written."""
    written: list[Path] = []
    try:
        for entry in planned:
            written.append(write_entry(sources.papers_path, entry.slug, entry.fields))
    except OSError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def check_written(sources: CatalogueSources, written: list[Path]) -> tuple[list[Problem], int]:
    """Run the whole catalogue check; the problems in the new files, and how many elsewhere."""
    try:
        load_catalogue(sources)
    except CatalogueError as exc:
        shown = {path.relative_to(sources.root).as_posix() for path in written}
        mine = [p for p in exc.problems if p.path in shown]
        return mine, len(exc.problems) - len(mine)
    return [], 0


def remove(paths: Iterable[Path]) -> None:
    """Take back files this run wrote."""
    for path in paths:
        path.unlink(missing_ok=True)
