"""Render: `catalogue.json`, every entry as written, and its JSON Schema from the same model.

The schema is generated from `CatalogueExport`, whose items hold the one `Entry` model, so the
fields are declared once (in `generator/model/entry.py`) for validation, editors and this export.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from generator.model.entry import Entry
from generator.model.paper import Paper
from generator.render.exports.members import RowsText

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


def json_item(paper: Paper, url: str, key: str) -> str:
    """One paper's item of `catalogue.json`, as compact JSON."""
    found = CatalogueItem(slug=paper.slug, url=url, citation_key=key, entry=paper.entry)
    return found.model_dump_json(exclude_none=True)


def catalogue_json(
    name: str,
    papers: Sequence[Paper],
    page_urls: dict[str, str],
    keys: dict[str, str],
    item: Callable[[Paper, str, str], str] = json_item,
) -> RowsText:
    """The export as compact JSON (it is for programs; 100,000 entries stay one download), as
    a head, an item per paper and a tail. `item` gives a paper's item (`json_item`, or the one
    `catalogue serve` kept); the items go into the export's own JSON where its empty list of
    papers is, so the text is the model's `model_dump_json` exactly."""
    empty = CatalogueExport(catalogue=name, count=len(papers), papers=[])
    head, tail = empty.model_dump_json(exclude_none=True).rsplit("[]", 1)
    return RowsText(
        f"{head}[", papers, lambda p: item(p, page_urls[p.slug], keys[p.slug]), ",", f"]{tail}\n"
    )


def catalogue_schema() -> str:
    """The JSON Schema `catalogue.json` is valid against."""
    schema = CatalogueExport.model_json_schema(mode="serialization")
    return json.dumps({"$schema": DIALECT, **schema}, indent=2, ensure_ascii=False) + "\n"
