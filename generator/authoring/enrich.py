"""`catalogue enrich`: complete entries from arXiv: its id, the authors, the first version's date.

The steps: read the entry files -> choose those missing `arxiv`, `authors` or `date` -> ask
arXiv about each (by id when the entry has one, else by its title), one request at a time ->
accept a paper only when its title is the entry's title (`normalised_title`: TeX, case,
punctuation and spacing aside) -> plan each file's new text, adding lines and changing nothing
a person wrote -> print the plans as a diff (`--dry-run`), or write each file whole -> check
the catalogue, and take back any file the check refuses.

A title that is close but not the same is never filled: it is reported for a person to decide.
The arXiv and PDF buttons of a paper's page come from `arxiv` (render/links.py), so they are
not written as links; a DOI that arXiv knows for the published version is.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from generator.authoring.arxiv_answers import Answer, AnswerStore, PoliteArxiv, Question
from generator.authoring.arxiv_source import ArxivError, ArxivPaper, title_query
from generator.authoring.entry_edit import (
    EditRefused,
    EntryFile,
    edit_entry_text,
    write_atomically,
)
from generator.model.entry import Entry
from generator.model.paper import arxiv_base, normalised_title
from generator.model.problems import CatalogueError, Problem
from generator.pipeline import CatalogueSources, load_catalogue
from generator.progress import command_progress
from generator.read.messages import problems_from_validation_error
from generator.read.yaml_source import read_yaml_mapping

FILLED_FIELDS = ("arxiv", "authors", "date")
"""What `enrich` fills when an entry lacks it."""
_ARXIV_DOI_PREFIX = "10.48550/"
_NEAR_MISSES_SHOWN = 3


@dataclass
class Plan:
    """The new text of one entry file, and what it adds."""

    entry: EntryFile
    new_text: str
    filled: list[str]
    paper: ArxivPaper
    notes: list[str] = field(default_factory=list)

    def diff(self) -> str:
        """The change as a unified diff, as `git diff` would show it."""
        lines = difflib.unified_diff(
            self.entry.text.splitlines(keepends=True),
            self.new_text.splitlines(keepends=True),
            fromfile=f"a/{self.entry.shown}",
            tofile=f"b/{self.entry.shown}",
        )
        return "".join(lines)


@dataclass
class EnrichResult:
    """Everything one run found: plans to write, and what a person should look at."""

    plans: list[Plan] = field(default_factory=list)
    near_misses: list[Problem] = field(default_factory=list)
    """Titles arXiv has that are close to the entry's but not the same."""
    problems: list[Problem] = field(default_factory=list)
    """Wrong ids, several papers with one title, answers that could not be used."""
    not_found: int = 0
    asked: int = 0
    remembered: int = 0
    stopped: str | None = None
    """Why asking stopped early (arXiv unreachable); the next run continues from the state."""


def known_arxiv_ids(entries: Iterable[EntryFile]) -> dict[str, str]:
    """Base arXiv id -> the file that already names it."""
    known: dict[str, str] = {}
    for entry in entries:
        arxiv = entry.data.get("arxiv")
        if isinstance(arxiv, str) and arxiv.strip():
            known.setdefault(arxiv_base(arxiv.strip()), entry.shown)
    return known


def question_for(entry: EntryFile, abstracts: bool) -> Question | None:
    """What to ask arXiv about `entry`, or None when it lacks nothing `enrich` fills."""
    arxiv = entry.data.get("arxiv")
    if isinstance(arxiv, str) and arxiv.strip():
        # A person wrote the id: ask for that paper (to check an abstract, or fill the rest).
        return Question("id", arxiv.strip()) if entry.missing(FILLED_FIELDS) or abstracts else None
    if not entry.missing(FILLED_FIELDS):
        return None
    query = title_query(entry.data["title"])
    return Question("title", query) if query else None


def enrich_entries(
    entries: list[EntryFile],
    arxiv: PoliteArxiv,
    store: AnswerStore,
    *,
    abstracts: bool,
    known_ids: dict[str, str],
) -> EnrichResult:
    """Ask arXiv about every entry that needs it and plan the changes; stops at the first
    request that cannot be answered now (the answers so far are in `store`)."""
    result = EnrichResult()
    asking = []
    for entry in entries:
        question = question_for(entry, abstracts)
        if question is not None:
            asking.append((entry, question))
        elif entry.missing(FILLED_FIELDS) and not entry.data.get("arxiv"):
            result.problems.append(
                entry.problem(
                    "title",
                    "has no word arXiv's title search can use (only TeX or common words); "
                    "write `arxiv:` by hand and run enrich again",
                )
            )
    with command_progress("asking arXiv", len(asking), "entries") as progress:
        for entry, question in asking:
            answer = store.get(question)
            if answer is None:
                try:
                    answer = arxiv.ask(question)
                except ArxivError as exc:
                    result.stopped = str(exc)
                    break
                store.put(question, answer)
                result.asked += 1
            else:
                result.remembered += 1
            _judge(entry, question, answer, result, abstracts, known_ids)
            progress.advance()
    return result


def _judge(
    entry: EntryFile,
    question: Question,
    answer: Answer,
    result: EnrichResult,
    abstracts: bool,
    known_ids: dict[str, str],
) -> None:
    """Sort one answer into a plan, a near miss, a problem or "not found"."""
    title = normalised_title(entry.data["title"])
    if answer.refused:
        where = "arxiv" if question.kind == "id" else "title"
        result.problems.append(entry.problem(where, f"arXiv: {answer.refused}"))
        return
    same = {arxiv_base(p.arxiv_id): p for p in answer.papers if normalised_title(p.title) == title}
    if question.kind == "id" and not same:
        paper = answer.papers[0]
        result.problems.append(
            entry.problem(
                "arxiv",
                f"arXiv {question.text} is titled {paper.title!r}, not as this entry; check "
                "`arxiv:` (nothing was filled)",
            )
        )
    elif len(same) > 1:
        ids = ", ".join(sorted(same))
        result.problems.append(
            entry.problem(
                "title",
                f"arXiv has {len(same)} papers with this title ({ids}); write the right "
                "`arxiv:` by hand (nothing was filled)",
            )
        )
    elif same:
        paper = next(iter(same.values()))
        outcome = plan_fill(entry, paper, abstracts=abstracts, known_ids=known_ids)
        if isinstance(outcome, Plan):
            result.plans.append(outcome)
            if "arxiv" in outcome.filled:
                known_ids[arxiv_base(paper.arxiv_id)] = entry.shown
        elif outcome is not None:
            result.problems.append(outcome)
    elif answer.papers:
        result.near_misses.append(_near_miss(entry, answer.papers))
    else:
        result.not_found += 1


def _near_miss(entry: EntryFile, papers: list[ArxivPaper]) -> Problem:
    title = normalised_title(entry.data["title"])

    def likeness(paper: ArxivPaper) -> float:
        return difflib.SequenceMatcher(None, title, normalised_title(paper.title)).ratio()

    closest = sorted(papers, key=likeness, reverse=True)[:_NEAR_MISSES_SHOWN]
    named = "; ".join(f"{p.title!r} (arXiv {p.arxiv_id}{p.version})" for p in closest)
    return entry.problem(
        "title",
        f"no arXiv title is the same; closest: {named}. If one is this paper (renamed in a "
        "later version, perhaps), write its `arxiv:` id by hand and run enrich again",
    )


def plan_fill(
    entry: EntryFile, paper: ArxivPaper, *, abstracts: bool, known_ids: dict[str, str]
) -> Plan | Problem | None:
    """The entry with what it lacks filled from `paper`, checked like any entry; a problem if it
    cannot be written; None if arXiv has nothing it lacks."""
    data = entry.data
    values: dict[str, Any] = {
        "arxiv": arxiv_base(paper.arxiv_id),
        "authors": paper.authors,
        "date": paper.published,
    }
    added: dict[str, Any] = {}
    replaced: dict[str, Any] = {}
    for name in entry.missing(FILLED_FIELDS):
        if values[name]:
            # An empty `authors: []` or `date:` line is rewritten in place; an absent one added.
            (replaced if name in data else added)[name] = values[name]
    if "arxiv" in added or "arxiv" in replaced:
        owner = known_ids.get(values["arxiv"])
        if owner and owner != entry.shown:
            return entry.problem(
                "title",
                f"matches arXiv {values['arxiv']}, which is already {owner}; one of the two "
                "files is a duplicate (nothing was filled)",
            )
    links = data.get("links")
    links = links if isinstance(links, dict) else {}
    new_links = {}
    if paper.doi and not paper.doi.lower().startswith(_ARXIV_DOI_PREFIX) and "doi" not in links:
        new_links["doi"] = f"https://doi.org/{paper.doi}"
    if abstracts and lost_in_capture(str(data.get("abstract", "")), paper.abstract):
        replaced["abstract"] = paper.abstract
    if not (added or replaced or new_links):
        return None
    filled = [name for name in (*FILLED_FIELDS, "abstract") if name in added or name in replaced]
    filled += [f"links.{label}" for label in new_links]
    try:
        new_text = edit_entry_text(entry.text, added, replaced, new_links)
    except EditRefused as exc:
        return entry.problem(
            "file",
            f"{exc}; fill {', '.join(filled)} by hand from arXiv {values['arxiv']}",
        )
    refusal = _model_problem(entry, new_text)
    if refusal:
        return refusal
    return Plan(entry, new_text, filled, paper, _notes(entry, paper))


def _model_problem(entry: EntryFile, new_text: str) -> Problem | None:
    """The first problem of the edited entry against the model (arXiv's text is input too)."""
    document, problems = read_yaml_mapping(new_text.encode("utf-8"), entry.shown)
    if document is not None and not problems:
        try:
            Entry.model_validate(document.data)
            return None
        except ValidationError as exc:
            problems = problems_from_validation_error(exc, document)
    first = problems[0] if problems else Problem(entry.shown, 1, "file", "is unreadable")
    # The value is not in the file: point at the title the paper was found by.
    return Problem(
        entry.shown,
        entry.document.line_of(("title",)),
        first.field,
        f"arXiv's value is not usable: {first.message} (nothing was filled)",
    )


def _notes(entry: EntryFile, paper: ArxivPaper) -> list[str]:
    notes = list(paper.notes)
    if not entry.data.get("venue") and (paper.journal_ref or paper.comment):
        said = paper.journal_ref or paper.comment
        notes.append(
            f"arXiv says {said!r}; if it names where the paper appeared, write it as `venue`"
        )
    return notes


def lost_in_capture(captured: str, original: str) -> bool:
    """True when `captured` is `original` with only what a copy from a web page loses: the
    backslashes of TeX commands, `$` signs and spaces (`29times` for `29$\\times$`)."""
    have, full = " ".join(captured.split()), " ".join(original.split())
    if have == full:
        return False  # spacing alone: nothing a reader would see
    # Walk the original; every character it has beyond the captured text must be a lost one.
    # Matching greedily is enough: a skipped character could always be matched instead.
    position = 0
    for char in full:
        if position < len(have) and char == have[position]:
            position += 1
        elif char not in "\\$ ":
            return False
    return position == len(have)


def write_plans(
    sources: CatalogueSources, plans: list[Plan]
) -> tuple[list[Plan], list[Problem], int]:
    """Write each planned file whole, then check the catalogue; a file with problems gets its
    old text back. Returns the plans kept, the problems of those taken back, and how many
    problems the catalogue has elsewhere."""
    for plan in plans:
        write_atomically(plan.entry.path, plan.new_text)
    try:
        load_catalogue(sources)
    except CatalogueError as exc:
        by_file = {plan.entry.shown: plan for plan in plans}
        mine = [problem for problem in exc.problems if problem.path in by_file]
        for shown in {problem.path for problem in mine}:
            write_atomically(by_file[shown].entry.path, by_file[shown].entry.text)
        refused = {problem.path for problem in mine}
        kept = [plan for plan in plans if plan.entry.shown not in refused]
        return kept, mine, len(exc.problems) - len(mine)
    return plans, [], 0
