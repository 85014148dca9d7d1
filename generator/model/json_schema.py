"""The JSON Schema editors use for entry files, generated from `Entry` and the tag vocabulary.

Every entry starts with `# yaml-language-server: $schema=../generator/schema/entry.schema.json`,
so editors with the YAML language server complete field names and tag ids and flag mistakes
while typing. `catalogue schema` regenerates the file; a test fails when it is stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.model.entry import Entry
from generator.model.vocabulary import Vocabulary

SCHEMA_FILE = Path("generator") / "schema" / "entry.schema.json"
"""Where the schema lives, relative to the repository root (entries point here)."""
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def entry_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    """The entry model's JSON Schema, with the vocabulary's tag ids as the allowed tags."""
    schema = Entry.model_json_schema()
    tag_items = schema["properties"]["tags"]["items"]
    tag_items["enum"] = [tag.id for tag in vocabulary.tags]
    # Shown beside each id on completion and hover (a keyword of VS Code and the YAML language
    # server; validators ignore keywords they do not know).
    tag_items["enumDescriptions"] = [f"{tag.name}: {tag.description}" for tag in vocabulary.tags]
    return {"$schema": DIALECT, **schema, "title": "Paper catalogue entry"}


def render_entry_schema(vocabulary: Vocabulary) -> str:
    """The schema file's exact text: stable key order, two-space indents, final newline."""
    return json.dumps(entry_schema(vocabulary), indent=2, ensure_ascii=False) + "\n"
