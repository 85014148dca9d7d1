"""Read BibTeX (one entry or a whole file) into entry fields, with bibtexparser and pylatexenc.

TeX accents and escapes become the characters they stand for (`R{\\'e}` -> `Ré`, `\\%` -> `%`);
`$...$` math is kept as TeX, which the catalogue renders. Only fields the BibTeX gives are used.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.middlewares import MergeNameParts, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from generator.authoring.arxiv_source import parse_arxiv_reference
from generator.model.entry import DATE_RE
from generator.model.problems import Problem

# bibtexparser logs a warning for each broken block; those become problems with a line instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
# "Venues" that are really the preprint server: the arXiv id says that already.
_PREPRINT_VENUE_RE = re.compile(r"^(arxiv\b.*|corr|preprint.*)$", re.IGNORECASE)
_ARXIV_IN_TEXT_RE = re.compile(r"arxiv:\s*(\S+)", re.IGNORECASE)


@dataclass
class BibtexPaper:
    """One BibTeX entry, read into entry fields."""

    key: str
    """The citation key, to name the entry in messages."""
    line: int
    """The 1-based line of `@type{key,` in the BibTeX text."""
    fields: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    """What a person should know about what was left out."""


def _decoder() -> LatexNodes2Text:
    """TeX to text, keeping `$...$` as written; `\\url{x}` is `x` (not pylatexenc's `<x>`)."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "catalogue", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")]
    )
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", keep_braced_groups=False)


def parse_bibtex(text: str, shown_as: str) -> tuple[list[BibtexPaper], list[Problem]]:
    """Every entry of a BibTeX text, or a problem (with its line) for each that cannot be read."""
    library = parse_string(
        text,
        append_middleware=[SeparateCoAuthors(), SplitNameParts(), MergeNameParts(style="first")],
    )
    problems = [_failed_block_problem(block, shown_as) for block in library.failed_blocks]
    papers = []
    decode = _decoder().latex_to_text
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        values = {f.key.lower(): f.value for f in entry.fields}
        paper = BibtexPaper(entry.key, line, {})
        try:
            _read_fields(values, paper, decode)
        except Exception as exc:  # pylatexenc may fail on broken TeX; the entry says where
            problems.append(Problem(shown_as, line, entry.key, f"cannot read its TeX: {exc}"))
            continue
        papers.append(paper)
    if not papers and not problems:
        problems.append(Problem(shown_as, 1, "file", "holds no BibTeX entry (like @article{...})"))
    return papers, problems


def _failed_block_problem(block: ParsingFailedBlock, shown_as: str) -> Problem:
    line = (block.start_line or 0) + 1
    error = block.error
    if isinstance(block, DuplicateBlockKeyBlock):
        message = f"the key {block.key!r} is used twice; give each entry its own key"
    elif isinstance(error, BlockAbortedException):
        message = f"is not valid BibTeX: {error.abort_reason}"
    else:
        message = f"is not valid BibTeX: {error}"
    return Problem(shown_as, line, "bibtex", " ".join(message.split()))


def _text(value: Any, decode: Any) -> str:
    return " ".join(str(decode(str(value))).split())


def _read_fields(values: dict[str, Any], paper: BibtexPaper, decode: Any) -> None:
    fields = paper.fields
    if "title" in values:
        fields["title"] = _text(values["title"], decode)
    authors = values.get("author") or []
    if isinstance(authors, str):
        authors = [authors]
    names = [_text(name, decode) for name in authors]
    if "others" in names:
        paper.notes.append("the BibTeX ends its author list with 'and others'; add the rest")
    fields["authors"] = [name for name in names if name and name != "others"]
    if "abstract" in values:
        fields["abstract"] = _text(values["abstract"], decode)
    arxiv = _arxiv_id(values)
    if arxiv:
        fields["arxiv"] = arxiv
    date = _date(values)
    if date:
        fields["date"] = date
    venue = _text(values.get("booktitle") or values.get("journal") or "", decode)
    if venue and not _PREPRINT_VENUE_RE.match(venue):
        fields["venue"] = venue
    fields["links"] = _links(values, arxiv)


def _arxiv_id(values: dict[str, Any]) -> str | None:
    """The arXiv id, only where the BibTeX says it is one (eprint with archivePrefix arXiv...)."""
    prefix = str(values.get("archiveprefix") or values.get("eprinttype") or "").lower()
    eprint = str(values.get("eprint") or "").strip()
    if eprint and prefix == "arxiv":
        found = parse_arxiv_reference(eprint)
        if found:
            return found
    for key in ("url", "doi"):
        found = parse_arxiv_reference(str(values.get(key) or ""))
        if found:
            return found
    for key in ("journal", "note", "howpublished"):
        match = _ARXIV_IN_TEXT_RE.search(str(values.get(key) or ""))
        if match:
            found = parse_arxiv_reference(match.group(1).rstrip(".,;"))
            if found:
                return found
    return None


def _date(values: dict[str, Any]) -> str | None:
    """`date` (biblatex) if it is a date; else `year` with `month` when both are clear."""
    date = str(values.get("date") or "").strip()
    if DATE_RE.fullmatch(date):
        return date
    year = str(values.get("year") or "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return None
    month = str(values.get("month") or "").strip().lower().rstrip(".")
    number = _MONTHS.get(month) or (int(month) if month.isdigit() else None)
    if number and 1 <= number <= 12:
        return f"{year}-{number:02d}"
    return year


def _links(values: dict[str, Any], arxiv: str | None) -> dict[str, str]:
    links: dict[str, str] = {}
    doi = str(values.get("doi") or "").strip()
    if doi and not parse_arxiv_reference(doi):
        doi = re.sub(r"^https?://(dx\.)?doi\.org/", "", doi)
        links["doi"] = f"https://doi.org/{doi}"
    url = str(values.get("url") or "").strip()
    if url and not parse_arxiv_reference(url):
        links["pdf" if url.lower().endswith(".pdf") else "paper"] = url
    if arxiv:
        links["arxiv"] = f"https://arxiv.org/abs/{arxiv}"
    return links
