"""Read `tags.yaml`, the tag vocabulary: the only tags an entry may carry."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.model.problems import Problem
from generator.model.vocabulary import Tag, Vocabulary
from generator.read.messages import problems_from_validation_error
from generator.read.yaml_source import MAX_SHARED_FILE_BYTES, read_yaml_file


class VocabularyFile(BaseModel):
    """The whole of `tags.yaml`."""

    model_config = ConfigDict(extra="forbid")
    tags: list[Tag] = Field(min_length=1)


def load_vocabulary(path: Path, shown_as: str) -> tuple[Vocabulary | None, list[Problem]]:
    """Read and check `tags.yaml`: valid tags, unique ids, aliases that name one tag only."""
    doc, problems = read_yaml_file(path, shown_as, MAX_SHARED_FILE_BYTES)
    if doc is None or problems:
        return None, problems
    try:
        parsed = VocabularyFile.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems_from_validation_error(exc, doc)
    problems = list(_duplicate_spellings(parsed.tags, shown_as, doc.lines))
    return (Vocabulary(tuple(parsed.tags)) if not problems else None), problems


def _duplicate_spellings(
    tags: Iterable[Tag], shown_as: str, lines: dict[tuple[str | int, ...], int]
) -> Iterable[Problem]:
    owner: dict[str, str] = {}
    for index, tag in enumerate(tags):
        for spelling in (tag.id, *tag.aliases):
            key = spelling.lower()
            if key in owner and owner[key] != tag.id:
                line = lines.get(("tags", index), 1)
                yield Problem(
                    shown_as, line, f"tags[{index}]", f"{spelling!r} already names {owner[key]!r}"
                )
            elif key in owner:
                line = lines.get(("tags", index), 1)
                yield Problem(shown_as, line, f"tags[{index}]", f"{spelling!r} is given twice")
            owner[key] = tag.id
