"""Render: RIS records (`cite.ris`), the format EndNote, Zotero and Mendeley import."""

from __future__ import annotations

from generator.enrich.citations import PublicationKind, publication_kind
from generator.model.escaping import ris_value
from generator.model.paper import Paper
from generator.model.text import to_plain
from generator.model.vocabulary import Vocabulary
from generator.render.links import pdf_url, primary_url

RIS_TYPES = {
    PublicationKind.JOURNAL_ARTICLE: "JOUR",
    PublicationKind.CONFERENCE_PAPER: "CPAPER",
    PublicationKind.PREPRINT: "UNPB",
    # As CSL-JSON's `article`: a paper not known to be in a journal or proceedings.
    PublicationKind.UNKNOWN: "UNPB",
}
NEWLINE = "\r\n"
"""RIS lines end with CR LF."""


def ris_record(paper: Paper, key: str, vocabulary: Vocabulary) -> str:
    """One paper as a RIS record, `TY` first and `ER` last; every value on one line."""
    entry = paper.entry
    kind = publication_kind(entry)
    lines = [("TY", RIS_TYPES[kind]), ("ID", key), ("TI", to_plain(entry.title))]
    lines += [("AU", name) for name in entry.authors]
    if entry.year:
        lines.append(("PY", entry.year))
    if entry.date:
        parts = entry.date.split("-")
        lines.append(("DA", "/".join(parts + [""] * (3 - len(parts))) + "/"))
    if entry.venue:
        if kind is PublicationKind.JOURNAL_ARTICLE:
            lines.append(("JO", entry.venue))
        lines.append(("T2", entry.venue))
    if entry.arxiv:
        lines.append(("AN", f"arXiv:{entry.arxiv}"))
    url = primary_url(entry)
    if url:
        lines.append(("UR", url))
    pdf = pdf_url(entry)
    if pdf:
        lines.append(("L1", pdf))
    lines += [("KW", vocabulary[tag].name) for tag in entry.tags]
    lines.append(("ER", ""))
    # One line each: a line break inside a value would start a line RIS reads as a tag.
    return "".join(f"{tag}  - {ris_value(value)}{NEWLINE}" for tag, value in lines)
