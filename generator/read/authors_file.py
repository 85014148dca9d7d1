"""Read `authors.yaml`: the spellings of one person joined, where a person (not a program) says so.

people:
  - name: Yann LeCun
    spellings: [Y. LeCun, Yann Le Cun]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.model.entry import Name
from generator.model.names import name_key
from generator.model.problems import Problem
from generator.read.messages import problems_from_validation_error
from generator.read.yaml_source import MAX_SHARED_FILE_BYTES, read_yaml_file

MAX_SPELLINGS = 50
"""Even a name transliterated many ways has a handful of spellings."""


class Person(BaseModel):
    """One person who appears under more than one spelling."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name = Field(description="The name shown on the author's page.")
    spellings: list[Name] = Field(
        min_length=1,
        max_length=MAX_SPELLINGS,
        description="Other spellings entries use for the same person.",
    )


class AuthorsFile(BaseModel):
    """The whole of `authors.yaml`."""

    model_config = ConfigDict(extra="forbid")
    people: list[Person] = Field(default_factory=list)


@dataclass(frozen=True)
class AuthorAliases:
    """Spellings joined by `authors.yaml`: the key of a spelling -> the person's name."""

    canonical: dict[str, str] = field(default_factory=dict)
    lines: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Where each key is written: line and field name, for messages."""
    path: str = "authors.yaml"

    def name_for(self, spelling: str) -> str | None:
        """The person's name when `spelling` is joined to one, else None."""
        return self.canonical.get(name_key(spelling))


def load_author_aliases(path: Path, shown_as: str) -> tuple[AuthorAliases, list[Problem]]:
    """Read `authors.yaml` (a missing file means no aliases); every problem with its line."""
    if not path.exists():
        return AuthorAliases(path=shown_as), []
    doc, problems = read_yaml_file(path, shown_as, MAX_SHARED_FILE_BYTES)
    if doc is None or problems:
        return AuthorAliases(path=shown_as), problems
    try:
        parsed = AuthorsFile.model_validate(doc.data)
    except ValidationError as exc:
        fields = ("people", *Person.model_fields)
        return AuthorAliases(path=shown_as), problems_from_validation_error(
            exc, doc, fields, owner="a person"
        )
    canonical: dict[str, str] = {}
    lines: dict[str, tuple[int, str]] = {}
    for index, person in enumerate(parsed.people):
        spellings: list[tuple[str, tuple[str | int, ...]]] = [
            (person.name, ("people", index, "name"))
        ]
        spellings += [
            (spelling, ("people", index, "spellings", i))
            for i, spelling in enumerate(person.spellings)
        ]
        for spelling, loc in spellings:
            key = name_key(spelling)
            line = doc.line_of(loc)
            where = _field(loc)
            if key in canonical:
                first_line, _ = lines[key]
                problems.append(
                    Problem(
                        shown_as,
                        line,
                        where,
                        f"{spelling!r} is already listed on line {first_line}; "
                        "a spelling belongs to one person only",
                    )
                )
                continue
            canonical[key] = person.name
            lines[key] = (line, where)
    return AuthorAliases(canonical, lines, shown_as), problems


def _field(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
