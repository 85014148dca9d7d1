"""What to do about a YAML syntax error: PyYAML says what it found, this says why it usually
happens in an entry (a colon in a value, a tab, a quote never closed) and how to fix it."""

from __future__ import annotations

import re

import yaml

_KEY_RE = re.compile(r"\s*(?:-\s+)?[A-Za-z_][\w-]*:\s")


def syntax_error_message(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The line to point at and the message for a file PyYAML cannot parse."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    reason = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    column = mark.column if mark is not None else 0
    key = _KEY_RE.match(here)
    field = here[: here.index(":")].strip(" -") if key else "title"
    hint = None
    if "mapping values are not allowed" in reason:
        if key and column > here.index(":"):
            value = here[here.index(":") + 1 :].strip()
            hint = (
                f"a value that contains `: ` must be quoted, like {field}: '{value}' "
                "(a ' inside it is written '')"
            )
        else:
            hint = "this line is indented more than the field above it; line the fields up"
    elif "\t" in here[: column + 1] or "tab" in reason:
        hint = "YAML is indented with spaces; replace the tab at the start of the line"
    elif "quoted scalar" in context:
        opened = getattr(exc, "context_mark", None)
        if opened is not None:
            line = opened.line + 1
        hint = "the quote that starts here is never closed; end the value with the same quote"
    elif "cannot start any token" in reason and column < len(here):
        hint = (
            f"a value cannot start with {here[column]!r}; put the whole value in quotes, "
            f"like {field}: '{here[column:].strip()}'"
        )
    elif "undefined alias" in reason:
        hint = "a value that starts with * must be quoted, like title: '*-attention'"
    elif "flow sequence" in context or "flow mapping" in context:
        hint = (
            "a list in [brackets] must close on its line, and an item holding a comma, colon "
            "or bracket must be quoted"
        )
    elif "block mapping" in context and re.search(r":\s*[\"'].*[\"']\s*\S", here):
        hint = "text follows the closing quote; put the whole value inside the quotes"
    message = f"is not valid YAML: {reason}"
    return line, f"{message}; {hint}" if hint else message
