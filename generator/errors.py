"""Problems found in the catalogue's input, reported together with their file and line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one input file, phrased so a contributor knows what to change."""

    path: str
    """The file, relative to the repository root (`papers/some-paper.yaml`)."""
    line: int
    """The 1-based line the mistake is on (1 when it concerns the whole file)."""
    field: str
    """The entry field (`tags`, `links.code`), or `file` for the file as a whole."""
    message: str
    """What is wrong and, where possible, how to fix it."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class CatalogueError(Exception):
    """Raised once, after every problem has been collected; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one per line, then a count."""
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.")
        return "\n".join(lines)
