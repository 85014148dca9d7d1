"""Stage 2, validate: every entry against the model and the vocabulary, then across entries.

Every problem in every file is collected before anything stops, so a contributor sees the
whole list at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from pydantic import TypeAdapter, ValidationError

from generator.model.arxiv_ids import ParsedArxivId, month_name, parse_arxiv_id
from generator.model.confusables import describe, differences
from generator.model.entry import ArxivId, Day, Entry, PartialDate
from generator.model.kept import KeptValues
from generator.model.names import lookalike_name, name_key
from generator.model.paper import Paper, arxiv_base, lookalike_title, normalised_title
from generator.model.problems import CatalogueError, Problem
from generator.model.vocabulary import Vocabulary
from generator.read.entries import LoadedEntry
from generator.read.entry_record import EntryRecord
from generator.read.messages import problems_from_validation_error
from generator.read.yaml_source import SourceDocument

TODAY_VARIABLE = "CATALOGUE_TODAY"
"""Sets the build day (`2026-12-03`) that dates are checked against, for reproducible tests."""


def build_day() -> dt.date:
    """The day dates are checked against: `$CATALOGUE_TODAY`, or today in UTC."""
    given = os.environ.get(TODAY_VARIABLE)
    if not given:
        return dt.datetime.now(dt.UTC).date()
    try:
        return dt.date.fromisoformat(given)
    except ValueError:
        message = f"{given!r} is not a day like 2026-12-03"
        raise CatalogueError([Problem(f"${TODAY_VARIABLE}", 1, "environment", message)]) from None


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
    today: dt.date | None = None
    """The build day the results hold for (a server running past midnight checks again)."""
    results: KeptValues[str, Checked] = dataclasses.field(default_factory=KeptValues)
    """Per entry file, made from the parsed document that was checked."""


def validate_entries(
    loaded: Iterable[LoadedEntry],
    vocabulary: Vocabulary,
    cache: ValidationCache | None = None,
    today: dt.date | None = None,
    record: EntryRecord | None = None,
) -> tuple[list[Paper], list[Problem]]:
    """Check each entry, then the rules that involve several entries.

    `today` is the build day dates must not be beyond (default: `build_day()`). `cache` (kept
    by `catalogue serve`) reuses the result for an entry whose parsed document is the very
    object checked last time, against an equal vocabulary on the same day. An entry loaded
    with its `recorded` paper is not checked alone again; `record` records each entry found
    valid alone now (`EntryRecord`, made for this vocabulary and day).
    """
    today = today if today is not None else build_day()
    papers: list[Paper] = []
    problems: list[Problem] = []
    if cache is not None and (cache.vocabulary, cache.today) != (vocabulary, today):
        cache.vocabulary, cache.today = vocabulary, today
        cache.results.clear()
    for item in loaded:
        if item.recorded is not None:
            papers.append(item.recorded)
            continue
        if cache is not None:
            check = partial(_validate_one, item, vocabulary, today)
            checked = cache.results.reuse(item.document.path, (item.document,), (), check)
        else:
            checked = _validate_one(item, vocabulary, today)
        problems.extend(checked.problems)
        if checked.paper is not None:
            papers.append(checked.paper)
            if record is not None:
                record.checked(checked.paper, item.raw)
    problems.extend(find_collisions(papers))
    return papers, problems


def _validate_one(item: LoadedEntry, vocabulary: Vocabulary, today: dt.date) -> Checked:
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
    # Dates are checked even when another field is wrong, as tags are.
    problems.extend(_beyond_the_horizon(doc, today))
    if entry is None or problems:
        return Checked(None, problems)
    lines = {
        key[0]: line for key, line in doc.lines.items() if len(key) == 1 and isinstance(key[0], str)
    }
    lines |= {f"authors[{i}]": doc.line_of(("authors", i)) for i in range(len(entry.authors))}
    return Checked(Paper(item.slug, doc.path, entry, lines), problems)


def _beyond_the_horizon(doc: SourceDocument, today: dt.date) -> Iterable[Problem]:
    """Dates no entry can have yet: they would keep it first in every feed and list forever.
    Values the model refuses for another reason are left to its message."""
    # A contributor's calendar can be one day ahead of UTC (UTC+14 at most).
    their_today = today + dt.timedelta(days=1)
    added, date, arxiv = (_valid(doc.data.get(name), check) for name, check in _DATED)
    if added and dt.date.fromisoformat(added) > their_today:
        yield Problem(
            doc.path,
            doc.line_of(("added",)),
            "added",
            f"'{added}' is after today ({today}); `added` is the day the entry joined "
            "the catalogue",
        )
    if date and _first_day(date) > _a_year_after(today):
        yield Problem(
            doc.path,
            doc.line_of(("date",)),
            "date",
            f"'{date}' is more than a year after today ({today}); give the date the "
            "paper was published",
        )
    parsed = parse_arxiv_id(arxiv) if arxiv else None
    if isinstance(parsed, ParsedArxivId) and (parsed.year, parsed.month) > (
        their_today.year,
        their_today.month,
    ):
        yield Problem(
            doc.path,
            doc.line_of(("arxiv",)),
            "arxiv",
            f"'{arxiv}' would be a paper of {month_name(parsed.year, parsed.month)}, "
            f"which has not begun (today is {today}); check the identifier",
        )


_DATED: tuple[tuple[str, TypeAdapter[str]], ...] = (
    ("added", TypeAdapter(Day)),
    ("date", TypeAdapter(PartialDate)),
    ("arxiv", TypeAdapter(ArxivId)),
)


def _valid(value: object, check: TypeAdapter[str]) -> str | None:
    """`value` as the model reads it, or None if the model refuses it (and says why)."""
    try:
        return check.validate_python(value)
    except ValidationError:
        return None


def _first_day(date: str) -> dt.date:
    """The earliest day a partial date (`2024`, `2024-05`, `2024-05-17`) can mean."""
    parts = [int(part) for part in date.split("-")]
    return dt.date(parts[0], *[*parts[1:], 1, 1][:2])


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


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
    """Two entries that are the same paper (same arXiv id in any version or spelling, same or
    look-alike title), that claim the same address, or that spell one author in look-alike
    characters."""
    papers = list(papers)
    yield from _same_paper(papers)
    yield from _same_address(papers)
    yield from _lookalike_authors(papers)


def _same_paper(papers: list[Paper]) -> Iterable[Problem]:
    keys: dict[tuple[str, str], list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.entry.arxiv:
            keys[("arxiv", arxiv_base(paper.entry.arxiv))].append(paper)
        keys[("title", lookalike_title(paper.entry.title))].append(paper)
    for (field, _), group in sorted(keys.items()):
        if len(group) < 2:
            continue
        first, *others = sorted(group, key=lambda p: p.source)
        for other in others:
            yield Problem(other.source, other.line_of(field), field, _same_as(field, first, other))


def _same_as(field: str, first: Paper, other: Paper) -> str:
    advice = "one paper gets one entry (edit that file instead)"
    if field == "arxiv":
        # Another version is plainly the same paper; another old-style spelling is named.
        written, own = (re.sub(r"v\d+$", "", p.entry.arxiv or "") for p in (first, other))
        how = "" if written == own else f" (written {written!r} there)"
        return f"same arXiv id as {first.source}{how}; {advice}"
    if normalised_title(first.entry.title) == normalised_title(other.entry.title):
        return f"same title as {first.source}; {advice}"
    return (
        f"looks the same as the title of {first.source} but is written with other characters: "
        f"{_characters(other.entry.title, first.entry.title)}; {advice}"
    )


def _characters(text: str, other: str) -> str:
    """The characters that make `text` differ from its look-alike `other`, named."""
    return ", ".join(describe(ch) for ch in differences(text, other)[:2])


def _lookalike_authors(papers: list[Paper]) -> Iterable[Problem]:
    """One author written in two spellings that look the same to a reader (a Cyrillic e,
    U+0435, in a Latin name): they would be two authors, with two pages, that nobody can tell
    apart."""
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    for paper in papers:
        for name in paper.entry.authors:
            uses[lookalike_name(name)][name_key(name)] += 1
    suspects = {look for look, keys in uses.items() if len(keys) > 1}
    if not suspects:
        return
    # The spelling most entries use is the reference; on a tie, that of the first file.
    ordered = sorted(papers, key=lambda p: p.source)
    first_use: dict[str, tuple[int, Paper, str]] = {}
    for position, paper in enumerate(ordered):
        for name in paper.entry.authors:
            first_use.setdefault(name_key(name), (position, paper, name))
    reference = {
        look: max(uses[look], key=lambda key: (uses[look][key], -first_use[key][0]))
        for look in suspects
    }
    for paper in ordered:
        for index, name in enumerate(paper.entry.authors):
            look = lookalike_name(name)
            if look not in suspects or name_key(name) == reference[look]:
                continue
            _, where, spelled = first_use[reference[look]]
            yield Problem(
                paper.source,
                paper.line_of(f"authors[{index}]"),
                f"authors[{index}]",
                f"{name!r} looks the same as {spelled!r} in {where.source} but is written with "
                f"other characters: {_characters(name, spelled)}; write it as there, or it "
                "becomes a second author nobody can tell apart",
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
