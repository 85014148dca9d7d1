"""Render: `catalogue.csv`, one row per paper, for spreadsheets.

Every cell is quoted (the `csv` module's `QUOTE_ALL`). Values are the entries' text as written
(TeX included); lists are joined with `; ` and links written as `label=url` separated by
spaces (URLs have no spaces). A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`,
a tab or a carriage return as a formula (CSV injection), and one whose locale separates
cells with `;` (or that splits at tabs) sees a cell start after every `;` inside our values:
`escaping.csv_cell` puts a `'` wherever a cell could start before such a character, as
OWASP advises. `catalogue.json` is the exact export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from generator.model.escaping import csv_cell
from generator.model.paper import Paper
from generator.render.exports.members import RowsText

COLUMNS = (
    "slug", "citation_key", "title", "authors", "date", "venue", "arxiv", "added", "tags",
    "links", "url", "abstract",
)  # fmt: skip


def csv_row(paper: Paper, url: str, key: str) -> str:
    """One paper's line of `catalogue.csv`, its line end included."""
    entry = paper.entry
    row = {
        "slug": paper.slug,
        "citation_key": key,
        "title": entry.title,
        "authors": "; ".join(entry.authors),
        "date": entry.date or "",
        "venue": entry.venue or "",
        "arxiv": entry.arxiv or "",
        "added": entry.added or "",
        "tags": "; ".join(entry.tags),
        "links": " ".join(f"{label}={href}" for label, href in entry.links.items()),
        "url": url,
        "abstract": entry.abstract,
    }
    return _line(csv_cell(row[column]) for column in COLUMNS)


def _line(cells: Iterable[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerow(cells)
    return out.getvalue()


def catalogue_csv(
    papers: Sequence[Paper],
    page_urls: dict[str, str],
    keys: dict[str, str],
    row: Callable[[Paper, str, str], str] = csv_row,
) -> RowsText:
    """Every paper as a CSV row under a header row; CR LF line ends, as RFC 4180 has them.
    `row` gives a paper's row (`csv_row`, or the one `catalogue serve` kept)."""
    return RowsText(_line(COLUMNS), papers, lambda p: row(p, page_urls[p.slug], keys[p.slug]))
