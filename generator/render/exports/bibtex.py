"""Render: BibTeX entries, one per paper, for its page (which its download saves), the tag
files and `catalogue.bib`."""

from __future__ import annotations

import re

from generator.enrich.citations import PublicationKind, publication_kind
from generator.model.escaping import bibtex_key, bibtex_url, bibtex_value, tex_text
from generator.model.paper import Paper
from generator.model.vocabulary import Vocabulary
from generator.render.exports.tex import to_tex
from generator.render.links import primary_url

ENTRY_TYPES = {
    PublicationKind.JOURNAL_ARTICLE: "article",
    PublicationKind.CONFERENCE_PAPER: "inproceedings",
    PublicationKind.PREPRINT: "misc",
    PublicationKind.UNKNOWN: "misc",
}
VENUE_FIELDS = {
    PublicationKind.JOURNAL_ARTICLE: "journal",
    PublicationKind.CONFERENCE_PAPER: "booktitle",
}
_AND_RE = re.compile(r"\band\b", re.IGNORECASE)


def bibtex_entry(paper: Paper, key: str, vocabulary: Vocabulary) -> str:
    """One paper as a BibTeX entry. What TeX each field may hold is decided here: the title
    and venue are text with safe formulas (`to_tex`), names and keywords text only, the
    rest (year, date, arXiv id, URL) validated values; every value is one balanced line."""
    return bibtex_text(bibtex_fields(paper, vocabulary), key, publication_kind(paper.entry))


def bibtex_fields(paper: Paper, vocabulary: Vocabulary) -> dict[str, str]:
    """The entry's fields as the TeX each holds, in the order they are written."""
    entry = paper.entry
    kind = publication_kind(entry)
    fields = {"title": protect_capitals(to_tex(entry.title))}
    if entry.authors:
        fields["author"] = " and ".join(_author(name) for name in entry.authors)
    if entry.venue and kind in VENUE_FIELDS:
        fields[VENUE_FIELDS[kind]] = to_tex(entry.venue)
    if entry.year:
        fields["year"] = entry.year
    if entry.date and len(entry.date) > 4:
        fields["date"] = entry.date  # biblatex reads the full date; BibTeX ignores it
    if entry.arxiv:
        fields |= {"eprint": entry.arxiv, "archiveprefix": "arXiv"}
    url = primary_url(entry)
    if url:
        fields["url"] = bibtex_url(url)
    keywords = ", ".join(vocabulary[tag].name for tag in entry.tags)
    fields["keywords"] = " ".join(tex_text(keywords).split())
    return fields


def bibtex_text(fields: dict[str, str], key: str, kind: PublicationKind) -> str:
    """An entry's text from its fields' TeX (`bibtex_fields`)."""
    body = ",\n".join(f"  {name} = {bibtex_value(value)}" for name, value in fields.items())
    return f"@{ENTRY_TYPES[kind]}{{{bibtex_key(key)},\n{body}\n}}\n"


def _author(name: str) -> str:
    tex = to_tex(name, math=False)
    # BibTeX splits the author list at the word "and", and reads one comma as "Family,
    # Given", two as "von Last, Jr, First" and more as an error: such a name is kept whole.
    return f"{{{tex}}}" if _AND_RE.search(tex) or tex.count(",") > 1 else tex


def protect_capitals(tex: str) -> str:
    """Brace each word with a capital after its first letter (`{LLM}`, `{FlashAttention}`), so
    bibliography styles that lowercase titles keep them."""
    return "".join(f"{{{word}}}" if _has_inner_capital(word) else word for word in _words(tex))


def _words(tex: str) -> list[str]:
    """Split at spaces outside math, keeping the spaces as their own items."""
    words: list[str] = []
    current: list[str] = []
    in_math = False
    position = 0
    while position < len(tex):
        ch = tex[position]
        if ch == "\\" and position + 1 < len(tex):
            current.append(tex[position : position + 2])
            position += 2
            continue
        if ch == "$":
            in_math = not in_math
        if ch == " " and not in_math:
            words += ["".join(current), " "]
            current = []
        else:
            current.append(ch)
        position += 1
    words.append("".join(current))
    return [w for w in words if w]


def _has_inner_capital(word: str) -> bool:
    if word == " ":
        return False
    visible = re.sub(r"\$[^$]*\$|\\[A-Za-z]+|\\.", "", word)
    letters = [ch for ch in visible if ch.isalpha()]
    return any(ch.isupper() for ch in letters[1:])
