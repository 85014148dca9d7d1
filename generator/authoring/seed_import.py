"""Import a Hugging Face "Daily Papers" text capture: one entry per paper, text kept exactly.

The capture has a few header lines, then each paper as a title line and an abstract line,
separated by blank lines. It carries no authors, ids or dates, so none are written.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.problems import Problem

HEADER_LINES = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
)


@dataclass(frozen=True)
class CapturedPaper:
    """One paper as the capture shows it."""

    title: str
    abstract: str
    line: int
    """Line of the title in the capture."""


def parse_daily_papers(text: str, path: str) -> tuple[list[CapturedPaper], list[Problem]]:
    """Titles and abstracts from a capture, in order; problems for anything that does not fit."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    # Header: the known banner lines, then the listing's date line (e.g. "Sep 1").
    position = 0
    while position < len(lines) and lines[position][1].strip() in HEADER_LINES:
        position += 1
    if position and position < len(lines) and len(lines[position][1].split()) <= 3:
        position += 1
    body = lines[position:]
    papers: list[CapturedPaper] = []
    problems: list[Problem] = []
    if len(body) % 2:
        number, line = body[-1]
        problems.append(
            Problem(path, number, "file", f"a title without an abstract: {line[:60]!r}")
        )
        body = body[:-1]
    for (title_line, title), (_, abstract) in zip(body[::2], body[1::2], strict=True):
        papers.append(CapturedPaper(title, abstract, title_line))
    return papers, problems
