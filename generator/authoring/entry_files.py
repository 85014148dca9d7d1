"""Write entry files the way a person would: fields in a fixed order, one value per line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from generator.model.entry import MAX_SLUG
from generator.model.text import to_plain

# The abstract goes last: it is one long line, and the short fields stay visible above it.
FIELD_ORDER = (
    "title", "authors", "arxiv", "date", "venue", "added", "tags", "links", "former_slugs",
    "abstract",
)  # fmt: skip
SCHEMA_COMMENT = "# yaml-language-server: $schema=../generator/schema/entry.schema.json\n"


def slug_for_title(title: str) -> str:
    """A file name for a paper: its plain title, lowercased and hyphenated, at most 80 chars."""
    return slugify(to_plain(title), max_length=MAX_SLUG, word_boundary=True, save_order=True)


def dump_entry(fields: dict[str, Any]) -> str:
    """An entry as YAML text, with the schema comment editors use, fields in model order."""
    ordered = {key: fields[key] for key in FIELD_ORDER if fields.get(key) not in (None, [], {})}
    unknown = set(fields) - set(FIELD_ORDER)
    if unknown:
        raise ValueError(f"not entry fields: {sorted(unknown)}")
    body = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=1_000_000)
    return SCHEMA_COMMENT + body


def write_entry(papers_dir: Path, slug: str, fields: dict[str, Any]) -> Path:
    """Write a new entry file; refuses to overwrite an existing one."""
    path = papers_dir / f"{slug}.yaml"
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(dump_entry(fields))
    return path
