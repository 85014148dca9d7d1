"""Problems as GitHub Actions workflow commands, so they show on the pull request's diff.

`::error file=papers/x.yaml,line=7,title=...::message` is read by the runner from the step's
output. Values are escaped as GitHub's own toolkit does (`@actions/core`, `command.ts`): `%`,
CR and LF everywhere, and also `:` and `,` inside properties, so an entry's text cannot end
the command early or add properties of its own.
"""

from __future__ import annotations

from typing import Literal

from generator.model.problems import Problem


def escape_data(value: str) -> str:
    """Escape the message part of a workflow command."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (file, title) of a workflow command."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_annotation(
    problem: Problem,
    *,
    level: Literal["error", "warning", "notice"] = "error",
    command: str = "catalogue check",
) -> str:
    """One `::error` (or `::warning`) command for a problem, pointing at its file and line."""
    properties = {
        "file": problem.path,
        "line": str(problem.line),
        "title": f"{command}: {problem.field}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {joined}::{escape_data(f'{problem.field}: {problem.message}')}"
