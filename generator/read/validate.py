"""Stage 2, validate: every entry against the model and the vocabulary, then across entries.

Every problem in every file is collected before anything stops, so a contributor sees the
whole list at once.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from pydantic import ValidationError

from generator.model.entry import Entry
from generator.model.kept import KeptValues
from generator.model.paper import Paper, arxiv_base, normalised_title
from generator.model.problems import Problem
from generator.model.vocabulary import Vocabulary
from generator.read.entries import LoadedEntry
from generator.read.messages import problems_from_validation_error


@dataclass(frozen=True)
class Checked:
    """What checking one entry alone gave: its paper (None when it has problems), problems."""

    paper: Paper | None
    problems: list[Problem]


@dataclass
class ValidationCache:
    """Results of checking each entry alone, kept by `catalogue serve` between rebuilds."""

    vocabulary: Vocabulary | None = None
    """The vocabulary the results hold for; another one empties the cache."""
    results: KeptValues[str, Checked] = dataclasses.field(default_factory=KeptValues)
    """Per entry file, made from the parsed document that was checked."""


def validate_entries(
    loaded: Iterable[LoadedEntry], vocabulary: Vocabulary, cache: ValidationCache | None = None
) -> tuple[list[Paper], list[Problem]]:
    """Check each entry, then the rules that involve several entries.

    `cache` (kept by `catalogue serve`) reuses the result for an entry whose parsed document
    is the very object checked last time, against an equal vocabulary.
    """
    papers: list[Paper] = []
    problems: list[Problem] = []
    if cache is not None and cache.vocabulary != vocabulary:
        cache.vocabulary = vocabulary
        cache.results.clear()
    for item in loaded:
        if cache is not None:
            check = partial(_validate_one, item, vocabulary)
            checked = cache.results.reuse(item.document.path, (item.document,), (), check)
        else:
            checked = _validate_one(item, vocabulary)
        problems.extend(checked.problems)
        if checked.paper is not None:
            papers.append(checked.paper)
    problems.extend(find_collisions(papers))
    return papers, problems


def _validate_one(item: LoadedEntry, vocabulary: Vocabulary) -> Checked:
    doc = item.document
    problems: list[Problem] = []
    if doc.resolved.get(("arxiv",)) in ("float", "int"):
        problems.append(
            Problem(
                doc.path,
                doc.line_of(("arxiv",)),
                "arxiv",
                f"put the identifier in quotes: arxiv: '{doc.data.get('arxiv')}' "
                "(unquoted, YAML reads it as a number and drops trailing zeros)",
            )
        )
    try:
        entry = Entry.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from_validation_error(exc, doc))
        entry = None
    # Tags are checked even when another field is wrong, so every mistake shows at once.
    tags = entry.tags if entry is not None else doc.data.get("tags")
    if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
        problems.extend(_check_tags(tags, doc.path, doc.line_of, vocabulary))
    if entry is None or problems:
        return Checked(None, problems)
    lines = {
        key[0]: line for key, line in doc.lines.items() if len(key) == 1 and isinstance(key[0], str)
    }
    return Checked(Paper(item.slug, doc.path, entry, lines), problems)


def _check_tags(
    tags: list[str],
    path: str,
    line_of: Callable[[tuple[str | int, ...]], int],
    vocabulary: Vocabulary,
) -> Iterable[Problem]:
    seen: set[str] = set()
    for index, tag in enumerate(tags):
        line = line_of(("tags", index))
        if tag in seen:
            yield Problem(path, line, "tags", f"tag {tag!r} is given twice; keep one")
        seen.add(tag)
        if tag not in vocabulary:
            hint = vocabulary.suggestion(tag)
            advice = f" (did you mean {hint!r}?)" if hint else " (see tags.yaml for the list)"
            yield Problem(path, line, "tags", f"unknown tag {tag!r}{advice}")


def find_collisions(papers: Iterable[Paper]) -> Iterable[Problem]:
    """Two entries that are the same paper (same arXiv id in any version, same title) or that
    claim the same address."""
    papers = list(papers)
    yield from _same_paper(papers)
    yield from _same_address(papers)


def _same_paper(papers: list[Paper]) -> Iterable[Problem]:
    keys: dict[tuple[str, str], list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.entry.arxiv:
            keys[("arxiv", arxiv_base(paper.entry.arxiv))].append(paper)
        keys[("title", normalised_title(paper.entry.title))].append(paper)
    for (field, _), group in sorted(keys.items()):
        if len(group) < 2:
            continue
        first, *others = sorted(group, key=lambda p: p.source)
        for other in others:
            what = "arXiv id" if field == "arxiv" else "title"
            yield Problem(
                other.source,
                other.line_of(field),
                field,
                f"same {what} as {first.source}; one paper gets one entry (edit that file instead)",
            )


def _same_address(papers: list[Paper]) -> Iterable[Problem]:
    """A former slug redirects one old address: it may not be a current page or another's."""
    current = {paper.slug: paper for paper in papers}
    claimed: dict[str, Paper] = {}
    for paper in sorted(papers, key=lambda p: p.source):
        line = paper.line_of("former_slugs")
        for former in paper.entry.former_slugs:
            owner = claimed.get(former)
            if former == paper.slug:
                message = f"{former!r} is this entry's own file name; remove it from the list"
            elif former in current:
                message = (
                    f"{former!r} is the address of {current[former].source}; one address "
                    "cannot show one paper and redirect to another"
                )
            elif owner is paper:
                message = f"{former!r} is listed twice; keep one"
            elif owner is not None:
                message = (
                    f"{former!r} is already a former slug of {owner.source}; an old address "
                    "can redirect to one paper only"
                )
            else:
                claimed[former] = paper
                continue
            yield Problem(paper.source, line, "former_slugs", message)
