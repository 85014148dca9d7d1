"""Render: `catalogue.csv`, one row per paper, for spreadsheets.

Quoting is the `csv` module's. Values are the entries' text as written (TeX included); lists
are joined with `; ` and links written as `label=url` separated by spaces (URLs have no
spaces). A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula (CSV injection), so such a cell gets a `'` in front, as OWASP advises;
remove that first character to get the value back. `catalogue.json` is the lossless export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from generator.model.paper import Paper

COLUMNS = (
    "slug", "citation_key", "title", "authors", "date", "venue", "arxiv", "added", "tags",
    "links", "url", "abstract",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


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
    return _line(defuse(row[column]) for column in COLUMNS)


def _line(cells: Iterable[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def catalogue_csv(
    papers: Sequence[Paper],
    page_urls: dict[str, str],
    keys: dict[str, str],
    row: Callable[[Paper, str, str], str] = csv_row,
) -> str:
    """Every paper as a CSV row under a header row; CR LF line ends, as RFC 4180 has them.
    `row` gives a paper's row (`csv_row`, or the one `catalogue serve` kept)."""
    rows = (row(paper, page_urls[paper.slug], keys[paper.slug]) for paper in papers)
    return _line(COLUMNS) + "".join(rows)
