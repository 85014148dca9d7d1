"""Render: `catalogue.json`, every entry as written, and its JSON Schema from the same model.

The schema is generated from `CatalogueExport`, whose items hold the one `Entry` model, so the
fields are declared once (in `generator/model.py`) for validation, editors and this export.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..model import Entry
from ..validate import Paper

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class CatalogueItem(BaseModel):
    """One paper: where it is on the site, how to cite it, and its entry exactly as written."""

    model_config = ConfigDict(extra="forbid")
    slug: str = Field(description="The entry's file name without `.yaml`: `papers/<slug>.yaml`.")
    url: str = Field(description="The paper's page on the site.")
    citation_key: str = Field(description="Its key in `catalogue.bib` and the citation files.")
    entry: Entry = Field(description="The entry's fields as its YAML file gives them.")


class CatalogueExport(BaseModel):
    """The whole catalogue: `catalogue.json`."""

    model_config = ConfigDict(extra="forbid", title="Paper catalogue export")
    catalogue: str = Field(description="The site's name.")
    count: int = Field(description="How many papers `papers` holds.")
    papers: list[CatalogueItem] = Field(description="Every paper, in catalogue order (by title).")


def catalogue_json(
    name: str, papers: Sequence[Paper], page_urls: dict[str, str], keys: dict[str, str]
) -> str:
    """The export as compact JSON (it is for programs; 100,000 entries stay one download)."""
    export = CatalogueExport(
        catalogue=name,
        count=len(papers),
        papers=[
            CatalogueItem(
                slug=p.slug, url=page_urls[p.slug], citation_key=keys[p.slug], entry=p.entry
            )
            for p in papers
        ],
    )
    return export.model_dump_json(exclude_none=True) + "\n"


def catalogue_schema() -> str:
    """The JSON Schema `catalogue.json` is valid against."""
    schema = CatalogueExport.model_json_schema(mode="serialization")
    return json.dumps({"$schema": DIALECT, **schema}, indent=2, ensure_ascii=False) + "\n"
