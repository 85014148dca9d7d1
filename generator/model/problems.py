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
        # File names and keys come from a contributor: a newline or a terminal escape in them
        # must not forge extra lines or colours in the report.
        path, field, message = _visible(self.path), _visible(self.field), _visible(self.message)
        return f"{path}:{self.line}: {field}: {message}"


def _visible(text: str) -> str:
    """Text with every unprintable character written as an escape (`\\n`, `\\x1b`, `\\u202e`)."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class CatalogueError(Exception):
    """Raised once, after every problem has been collected; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self, outcome: str = "") -> str:
        """All problems, one per line, then a count and, when the command would have written
        something, what it did not do (`nothing was written`): `catalogue check` writes
        nothing, so it says nothing of the kind."""
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        found = f"{count} problem{'s' if count != 1 else ''} found"
        lines.append(f"{found}; {outcome}." if outcome else f"{found}.")
        return "\n".join(lines)
