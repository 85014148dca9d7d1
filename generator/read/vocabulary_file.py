"""Read `tags.yaml`, the tag vocabulary: the only tags an entry may carry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.model.problems import Problem
from generator.model.vocabulary import Tag, Vocabulary
from generator.read.messages import problems_from_validation_error
from generator.read.yaml_source import MAX_SHARED_FILE_BYTES, read_yaml_file

MAX_TAGS = 1000
"""A vocabulary is dozens of tags; a thousand is already more than a reader can browse."""


class VocabularyFile(BaseModel):
    """The whole of `tags.yaml`."""

    model_config = ConfigDict(extra="forbid")
    tags: list[Tag] = Field(min_length=1, max_length=MAX_TAGS)


TAG_FIELDS = ("tags", *Tag.model_fields)


def load_vocabulary(path: Path, shown_as: str) -> tuple[Vocabulary | None, list[Problem]]:
    """Read and check `tags.yaml`: valid tags, unique ids, aliases that name one tag only."""
    doc, problems = read_yaml_file(path, shown_as, MAX_SHARED_FILE_BYTES)
    if doc is None or problems:
        return None, problems
    try:
        parsed = VocabularyFile.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems_from_validation_error(exc, doc, TAG_FIELDS, owner="a tag")
    problems = list(_duplicate_spellings(parsed.tags, shown_as, doc.line_of))
    return (Vocabulary(tuple(parsed.tags)) if not problems else None), problems


def _duplicate_spellings(
    tags: Iterable[Tag], shown_as: str, line_of: Callable[[tuple[str | int, ...]], int]
) -> Iterable[Problem]:
    """Every id and alias names one tag: an id given twice, an alias that is a tag's id or
    another tag's alias, or an alias given twice would make `tags:` mean two things."""
    tags = list(tags)
    ids: dict[str, int] = {}
    for index, tag in enumerate(tags):
        if tag.id in ids:
            first = line_of(("tags", ids[tag.id], "id"))
            yield Problem(
                shown_as,
                line_of(("tags", index, "id")),
                f"tags[{index}].id",
                f"{tag.id!r} is already the id of the tag on line {first}; "
                "give each tag its own id",
            )
        ids.setdefault(tag.id, index)
    owners: dict[str, str] = {}
    for index, tag in enumerate(tags):
        for number, alias in enumerate(tag.aliases):
            where = ("tags", index, "aliases", number)
            if alias == tag.id:
                message = f"{alias!r} is this tag's id; remove the alias"
            elif alias in ids:
                message = f"{alias!r} is the id of another tag; an alias names one tag only"
            elif owners.get(alias) == tag.id:
                message = f"{alias!r} is given twice; keep one"
            elif alias in owners:
                owner = owners[alias]
                message = f"{alias!r} is already an alias of {owner!r}; an alias names one tag only"
            else:
                owners[alias] = tag.id
                continue
            yield Problem(shown_as, line_of(where), f"tags[{index}].aliases[{number}]", message)
