"""Render: CSL-JSON items (`cite.json`), what citeproc-based tools (Pandoc, Zotero) read."""

from __future__ import annotations

import json
from typing import Any

from generator.enrich.citations import PublicationKind, family_name, publication_kind
from generator.model.paper import Paper
from generator.model.text import to_plain
from generator.model.vocabulary import Vocabulary
from generator.render.links import primary_url

CSL_TYPES = {
    PublicationKind.JOURNAL_ARTICLE: "article-journal",
    PublicationKind.CONFERENCE_PAPER: "paper-conference",
    # CSL's `article` is the type for preprints and unpublished papers (RIS says `UNPB`).
    PublicationKind.PREPRINT: "article",
    PublicationKind.UNKNOWN: "article",
}


def csl_item(paper: Paper, key: str, vocabulary: Vocabulary) -> dict[str, Any]:
    """One paper as a CSL-JSON item (CSL 1.0.2 variables)."""
    entry = paper.entry
    kind = publication_kind(entry)
    item: dict[str, Any] = {"id": key, "type": CSL_TYPES[kind], "title": to_plain(entry.title)}
    if entry.authors:
        item["author"] = [csl_name(name) for name in entry.authors]
    if entry.date:
        item["issued"] = {"date-parts": [[int(part) for part in entry.date.split("-")]]}
    if entry.venue and kind is not PublicationKind.PREPRINT:
        item["container-title"] = entry.venue
    if entry.arxiv:
        # As Zotero writes preprints: the archive as publisher, the identifier as number.
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{entry.arxiv}"
    url = primary_url(entry)
    if url:
        item["URL"] = url
    item["keyword"] = ", ".join(vocabulary[tag].name for tag in entry.tags)
    return item


def csl_name(name: str) -> dict[str, str]:
    """A name as CSL's family and given parts; a one-word name as a literal."""
    family = family_name(name)
    if "," in name:
        given = name.split(",", 1)[1].strip()
    else:
        given = name[: name.rfind(family)].strip() if family != name.strip() else ""
    if not given:
        return {"literal": name}
    return {"family": family, "given": given}


def csl_json(items: list[dict[str, Any]]) -> str:
    """CSL-JSON text: an array of items, one variable per line (its value on that line, so
    that names and dates do not take a line per part), with non-ASCII kept."""
    blocks = []
    for item in items:
        fields = [
            f"    {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}"
            for name, value in item.items()
        ]
        blocks.append("  {\n" + ",\n".join(fields) + "\n  }")
    return "[\n" + ",\n".join(blocks) + "\n]\n"


def csl_file(paper: Paper, key: str, vocabulary: Vocabulary) -> str:
    """The `cite.json` of one paper: an array holding its one item."""
    return csl_json([csl_item(paper, key, vocabulary)])
