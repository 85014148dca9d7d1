"""The tag vocabulary (`tags.yaml`): the only tags an entry may carry."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from generator.model.entry import RESERVED_SLUGS, SLUG_RE, _no_control_characters


def _not_reserved(value: str) -> str:
    if value in RESERVED_SLUGS:
        raise ValueError(f"{value!r} is reserved for a generated page; choose another id")
    return value


def _one_line(value: str) -> str:
    if "\n" in value or "\t" in value:
        raise ValueError("must be on one line")
    return _no_control_characters(value)


OneLine = Annotated[str, AfterValidator(_one_line)]


class Tag(BaseModel):
    """One tag of the vocabulary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, AfterValidator(_not_reserved)] = Field(
        pattern=f"^{SLUG_RE.pattern}$", max_length=60, description="What entries write."
    )
    name: OneLine = Field(min_length=1, max_length=60, description="What readers see.")
    kind: Literal["method", "modality"] = Field(
        description="`method`: what a paper does; `modality`: what kind of model it is about."
    )
    description: OneLine = Field(min_length=1, max_length=200, description="One line for readers.")
    aliases: list[str] = Field(
        default_factory=list, description="Other spellings; `catalogue check` suggests the id."
    )


@dataclass(frozen=True)
class Vocabulary:
    """The tags in the order `tags.yaml` gives them, with lookup by id and by alias."""

    tags: tuple[Tag, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {t.id: t for t in self.tags})

    def __contains__(self, tag_id: object) -> bool:
        return tag_id in self._by_id  # type: ignore[attr-defined]

    def __getitem__(self, tag_id: str) -> Tag:
        tag: Tag = self._by_id[tag_id]  # type: ignore[attr-defined]
        return tag

    def suggestion(self, unknown: str) -> str | None:
        """The id a contributor most likely meant by `unknown` (an alias or a near spelling)."""
        wanted = unknown.strip().lower().replace("_", "-").replace(" ", "-")
        for tag in self.tags:
            if wanted == tag.id or wanted in (a.lower() for a in tag.aliases):
                return tag.id
        spellings = {tag.id: tag.id for tag in self.tags}
        spellings.update({a.lower(): tag.id for tag in self.tags for a in tag.aliases})
        close = difflib.get_close_matches(wanted, list(spellings), n=1, cutoff=0.75)
        return spellings[close[0]] if close else None
