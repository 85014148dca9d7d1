"""Turn pydantic's validation errors into `file:line: field: message` problems."""

from __future__ import annotations

import difflib
from collections.abc import Collection
from typing import Any

from pydantic import ValidationError

from generator.model.entry import Entry
from generator.model.problems import Problem
from generator.read.yaml_source import SourceDocument, _field_name

ENTRY_FIELDS = tuple(Entry.model_fields)

# What a contributor should read instead of pydantic's wording, by pydantic's error type.
_MESSAGES = {
    "missing": "is required; add it",
    "extra_forbidden": "is not a field of an entry; check its spelling (see the list of fields)",
    "string_type": "must be text, not a list or a mapping",
    "list_type": "must be a list, one item per line starting with `- `",
    "dict_type": "must be a mapping of `label: value` lines",
    "model_type": "must be a mapping of `field: value` lines",
}
# An empty `field:` line reaches the model as None: say it is empty, not that it has a type.
_TYPE_ERRORS = {"string_type", "list_type", "dict_type", "model_type"}


def _message(error: Any, fields: Collection[str], owner: str) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _TYPE_ERRORS and error.get("input") is None:
        return "is empty; give a value or remove the line"
    if kind == "string_unicode":
        return (
            "contains a lone surrogate (an escape like \\ud800 without its pair), which is not "
            "text; remove it, or write the character itself"
        )
    if kind == "extra_forbidden":
        return _not_a_field(str(error["loc"][-1]), fields, owner)
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "string_too_short":
        return "is empty; give a value or remove the line"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"has too many items (at most {ctx.get('max_length')})"
    if kind == "string_pattern_mismatch":
        return "may contain only lowercase letters, digits and hyphens"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    return str(error["msg"])


def _not_a_field(name: str, fields: Collection[str], owner: str) -> str:
    close = difflib.get_close_matches(name.strip().lower(), fields, n=1, cutoff=0.75)
    if close:
        return f"is not a field of {owner} (did you mean {close[0]!r}?)"
    if owner != "an entry":
        return f"is not a field of {owner}; the fields are {', '.join(fields)}"
    return _MESSAGES["extra_forbidden"]


def problems_from_validation_error(
    exc: ValidationError,
    doc: SourceDocument,
    fields: Collection[str] = ENTRY_FIELDS,
    owner: str = "an entry",
) -> list[Problem]:
    """One problem per pydantic error, located at the line of the offending value; a field
    name not in `fields` (those of `owner`) gets the nearest one as a suggestion."""
    problems = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if part != "[key]")
        if error["type"] == "missing":
            line = doc.line_of(loc[:-1]) if len(loc) > 1 else 1
        else:
            line = doc.line_of(loc)
        message = _message(error, fields, owner)
        problems.append(Problem(doc.path, line, _field_name(loc) or "file", message))
    return problems
