"""The tag vocabulary (`tags.yaml`): the only tags an entry may carry."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from generator.model.entry import RESERVED_SLUGS, SLUG_RE, OneLineText

MAX_TAG_ID = 60
MAX_ALIASES = 20


def _not_reserved(value: str) -> str:
    if value in RESERVED_SLUGS:
        raise ValueError(f"{value!r} is reserved for a generated page; choose another id")
    return value


TagSpelling = Annotated[
    str, Field(pattern=f"^{SLUG_RE.pattern}$", min_length=1, max_length=MAX_TAG_ID)
]
"""An id or an alias: what a contributor types in `tags:` (lowercase words and hyphens)."""


class Tag(BaseModel):
    """One tag of the vocabulary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[TagSpelling, AfterValidator(_not_reserved)] = Field(
        description="What entries write."
    )
    name: OneLineText = Field(min_length=1, max_length=60, description="What readers see.")
    kind: Literal["method", "modality"] = Field(
        description="`method`: what a paper does; `modality`: what kind of model it is about."
    )
    description: OneLineText = Field(
        min_length=1, max_length=200, description="One line for readers."
    )
    aliases: list[TagSpelling] = Field(
        default_factory=list,
        max_length=MAX_ALIASES,
        description="Other spellings (lowercase words and hyphens, like the id); "
        "`catalogue check` suggests the id for them.",
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
