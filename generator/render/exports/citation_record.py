"""Render: a paper's citation record, from which its page makes the RIS and CSL-JSON.

A paper page carries this one record (JSON in the page); `docs/javascripts/catalogue-cite.js`
writes from it, byte for byte, what `ris.ris_record` and `csl_json.csl_file` write (tests in
`tests/browser/test_copy_citation.py` compare them for every paper of the seed and of the
hostile corpus). So no paper needs a `cite.ris` and a `cite.json` beside its page. Whatever
takes judgement (the kind of publication, the plain title, how a name splits into family and
given names, the addresses) is worked out here, by the exporters' own functions; the script
only lays the values out in each format.
"""

from __future__ import annotations

from typing import Any

from generator.enrich.citations import publication_kind
from generator.model.paper import Paper
from generator.model.text import to_plain
from generator.model.vocabulary import Vocabulary
from generator.render.exports.csl_json import CSL_TYPES, csl_name
from generator.render.exports.ris import RIS_TYPES
from generator.render.links import pdf_url, primary_url


def citation_record(paper: Paper, key: str, vocabulary: Vocabulary) -> dict[str, Any]:
    """The values of `paper`'s RIS record and CSL-JSON item, each once. Optional values are
    left out when the entry has none; `type` is the RIS type, then the CSL type."""
    entry = paper.entry
    kind = publication_kind(entry)
    record: dict[str, Any] = {
        "id": key,
        "type": [RIS_TYPES[kind], CSL_TYPES[kind]],
        "title": to_plain(entry.title),
    }
    if entry.authors:
        record["author"] = [_person(name) for name in entry.authors]
    optional = {
        "date": entry.date,  # the year (RIS `PY`) is its first four digits, as `Entry.year`
        "venue": entry.venue,
        "arxiv": entry.arxiv,
        "url": primary_url(entry),
        "pdf": pdf_url(entry),
    }
    record.update((name, value) for name, value in optional.items() if value)
    record["tags"] = [vocabulary[tag].name for tag in entry.tags]
    return record


def _person(name: str) -> str | list[str]:
    """A name as the record holds it: the name alone when CSL takes it as a literal, else
    `[family, given]` when the name is `given family`, else `[family, given, name]`."""
    parts = csl_name(name)
    if "literal" in parts:
        return name
    family, given = parts["family"], parts["given"]
    return [family, given] if name == f"{given} {family}" else [family, given, name]
