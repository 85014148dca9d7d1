"""The Markdown texts of the scheduled upkeep: the pull request of `enrich`, the issue of
`check-links`.

Entry text and arXiv's text are input from strangers. Here they appear only inside code
spans, with backticks and line breaks taken out, so they cannot add headings, links, images
or `@mentions` that notify people.
"""

from __future__ import annotations

from generator.authoring.enrich import EnrichResult
from generator.authoring.link_check import LinkReport
from generator.model.problems import Problem

MAX_SHOWN = 200
"""Lines of one list in an issue or pull request; the rest are counted (GitHub caps a body)."""


def code(text: str, limit: int = 300) -> str:
    """`text` as an inline code span that nothing in it can end early."""
    flat = " ".join(text.replace("`", "'").split())
    if len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    return f"`{flat}`" if flat else "` `"


def _problem_line(problem: Problem) -> str:
    where = code(f"{problem.path}:{problem.line}")
    return f"- {where} {code(problem.field)}: {code(problem.message, 600)}"


def _listed(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_SHOWN:
        return lines
    return [*lines[:MAX_SHOWN], f"- ... and {len(lines) - MAX_SHOWN} more (see the workflow's log)"]


def enrich_markdown(result: EnrichResult, written: bool) -> str:
    """The pull request text: what was filled, and what a person should decide."""
    lines = [
        "Entries completed from arXiv by `catalogue enrich` (the scheduled upkeep workflow).",
        "",
        "Each value was taken from the arXiv paper whose title is the entry's title (case, "
        "punctuation, spacing and TeX aside); nothing a person wrote was changed. Please check "
        "a few against arXiv before merging. Pull requests opened by a workflow do not start "
        "the checks: close and reopen this one to run them.",
        "",
        f"## Filled ({len(result.plans)} entries)" if written else "## Nothing written",
        "",
    ]
    lines += _listed(
        [
            f"- {code(plan.entry.shown)}: {', '.join(plan.filled)} from arXiv "
            f"{code(plan.paper.arxiv_id)}"
            for plan in result.plans
        ]
    )
    if result.near_misses:
        lines += ["", f"## Close titles, not filled ({len(result.near_misses)})", ""]
        lines += ["If one of these is the same paper, write its `arxiv:` id in the entry.", ""]
        lines += _listed([_problem_line(p) for p in result.near_misses])
    if result.problems:
        lines += ["", f"## Problems ({len(result.problems)})", ""]
        lines += _listed([_problem_line(p) for p in result.problems])
    lines += ["", f"{result.not_found} entries have no paper of the same title on arXiv."]
    if result.stopped:
        lines += ["", f"Asking arXiv stopped early: {code(result.stopped)}; the next run goes on."]
    return "\n".join(lines) + "\n"


def links_markdown(report: LinkReport) -> str:
    """The issue text: dead links first, then moved ones and those that could not be checked."""
    lines = [
        "Links of the catalogue's entries checked by `catalogue check-links` (the scheduled "
        "upkeep workflow). Fix an entry's link, or remove it, in a pull request; this issue "
        "is updated by the next run.",
        "",
        f"## Dead links ({len(report.dead)})",
        "",
    ]
    lines += _listed([_problem_line(p) for p in report.dead]) or ["None."]
    if report.moved:
        lines += ["", f"## Moved permanently: write the new address ({len(report.moved)})", ""]
        lines += _listed([_problem_line(p) for p in report.moved])
    if report.unchecked:
        lines += ["", f"## Could not be checked this time ({len(report.unchecked)})", ""]
        lines += ["Busy, slow or refusing servers; they are checked again next run.", ""]
        lines += _listed([_problem_line(p) for p in report.unchecked])
    lines += ["", f"{report.checked} addresses checked, {report.cached} of them from the cache."]
    return "\n".join(lines) + "\n"
