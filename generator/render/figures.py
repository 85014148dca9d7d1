"""The catalogue in figures: papers per publication year, papers added per month, papers per
tag, drawn as static SVG when the page is generated.

A figure is an inline `<svg>` inside a `<figure>`: it needs no script and no request, and
takes its colours from the theme's CSS variables (`currentColor` for text, the accent colour
for bars), so it follows the light and the dark scheme. Its text alternative is the same
numbers as a table, in a `<details>` under it. The figures are drawn in a narrow coordinate
box (`WIDTH`) that scales with the page, so their text stays readable on a 375 px phone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.enrich.catalogue import Catalogue
from generator.model.paper import Paper
from generator.render.page import render_template

WIDTH = 320
"""Width of every figure's coordinate box (SVG user units; about CSS pixels on a phone)."""
COLUMN_HEIGHT = 120
"""Height of the bars' area of a column chart."""
MOST_AXIS_LABELS = 6
"""A column chart labels at most this many of its columns (the table has every value)."""
WIDEST_COLUMN = 40
"""A chart of a few columns keeps them this narrow, at its left, rather than filling the width."""


@dataclass(frozen=True)
class Bar:
    """One value of a figure."""

    label: str
    value: int


@dataclass(frozen=True)
class Figure:
    """What a figure shows: a title, one bar per label, in order."""

    key: str
    """Names its elements (`catalogue-figure--years`) and ids (`figure-years`)."""
    title: str
    unit: str
    """What the values count, for the table's header ("papers")."""
    label_heading: str
    """The table's header of the labels ("year")."""
    bars: tuple[Bar, ...]
    columns: bool = True
    """Columns along a time axis; else one row per bar (tags), labelled in full."""


def papers_per_year(papers: Sequence[Paper]) -> Figure | None:
    """Papers by year of publication, every year from the first to the last (None if no
    paper has a date)."""
    counts = Counter(p.entry.year for p in papers if p.entry.year)
    if not counts:
        return None
    first, last = int(min(counts)), int(max(counts))
    bars = tuple(Bar(str(y), counts.get(str(y), 0)) for y in range(first, last + 1))
    return Figure("years", "Papers per year of publication", "papers", "year", bars)


def papers_added_per_month(papers: Sequence[Paper]) -> Figure | None:
    """Papers by the month they joined the catalogue (`added`), every month from the first
    to the last (None if no entry has `added`)."""
    counts = Counter(p.entry.added[:7] for p in papers if p.entry.added)
    if not counts:
        return None
    bars = tuple(Bar(month, counts.get(month, 0)) for month in _months(min(counts), max(counts)))
    return Figure("added", "Papers added per month", "papers", "month", bars)


def papers_per_tag(catalogue: Catalogue) -> Figure | None:
    """Papers by tag, largest first (ties in vocabulary order)."""
    tags = sorted(catalogue.used_tags, key=lambda t: -catalogue.tag_index.count(t.id))
    if not tags:
        return None
    bars = tuple(Bar(t.name, catalogue.tag_index.count(t.id)) for t in tags)
    return Figure("tags", "Papers per tag", "papers", "tag", bars, columns=False)


def _months(first: str, last: str) -> list[str]:
    """`2025-11`, `2025-12`, `2026-01`, ... from `first` to `last` (both `YYYY-MM`)."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while (stamp := f"{year:04d}-{month:02d}") <= last:
        months.append(stamp)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def render_figures(figures: Sequence[Figure | None], id_prefix: str = "figure") -> Markup:
    """The figures that have values, each an SVG with its table, in one block."""
    shown = [_drawn(f, id_prefix) for f in figures if f is not None]
    if not shown:
        return Markup("")
    return Markup(render_template("figures.html.j2", figures=shown))


def _drawn(figure: Figure, id_prefix: str) -> dict[str, object]:
    """A figure with the geometry of its SVG."""
    drawing = _columns(figure) if figure.columns else _rows(figure)
    return {"figure": figure, "id": f"{id_prefix}-{figure.key}", **drawing}


LABEL_SPACE = 18
"""Room under a column chart for its axis labels."""
VALUE_SPACE = 14
"""Room above the tallest column for its value."""


def _columns(figure: Figure) -> dict[str, object]:
    """A column per bar, along the width; a value on top of each column while they fit."""
    count = len(figure.bars)
    most = max(b.value for b in figure.bars) or 1
    step = min(WIDTH / count, WIDEST_COLUMN)
    gap = min(step * 0.2, 4)
    every = -(-count // MOST_AXIS_LABELS)  # label one column in `every`
    top = VALUE_SPACE
    columns = []
    for n, bar in enumerate(figure.bars):
        height = COLUMN_HEIGHT * bar.value / most
        x = n * step + gap / 2
        columns.append(
            {
                "bar": bar,
                "x": _num(x),
                "y": _num(top + COLUMN_HEIGHT - height),
                "width": _num(step - gap),
                "height": _num(height),
                "middle": _num(x + (step - gap) / 2),
                "axis_label": bar.label if n % every == 0 or n == count - 1 else None,
                # The first and last labels end at the chart's edges, not past them.
                "anchor": "start" if n == 0 else "end" if n == count - 1 else "middle",
                "label_x": _num(
                    x if n == 0 else x + step - gap if n == count - 1 else x + (step - gap) / 2
                ),
                "show_value": count <= 16 and bar.value > 0,
            }
        )
    # The last column's label is always shown; drop the one before it if they would touch.
    labelled = [c for c in columns if c["axis_label"]]
    if len(labelled) > 1 and columns.index(labelled[-1]) - columns.index(labelled[-2]) < every:
        labelled[-2]["axis_label"] = None
    return {
        "columns": columns,
        "height": top + COLUMN_HEIGHT + LABEL_SPACE,
        "baseline": top + COLUMN_HEIGHT,
        "axis_end": _num(count * step),
        "value_offset": 3,
        "label_y": top + COLUMN_HEIGHT + LABEL_SPACE - 4,
    }


ROW_HEIGHT = 30
"""A row chart's row: the label on a line of its own, the bar under it."""
BAR_HEIGHT = 10
VALUE_ROOM = 36
"""Room right of the longest bar for its value."""


def _rows(figure: Figure) -> dict[str, object]:
    """A row per bar: its label above it, its value at its end."""
    most = max(b.value for b in figure.bars) or 1
    rows = []
    for n, bar in enumerate(figure.bars):
        length = (WIDTH - VALUE_ROOM) * bar.value / most
        y = n * ROW_HEIGHT
        rows.append(
            {
                "bar": bar,
                "label_y": _num(y + 12),
                "bar_y": _num(y + 16),
                "length": _num(max(length, 1)),
                "value_x": _num(length + 4),
                "value_y": _num(y + 16 + BAR_HEIGHT - 1),
            }
        )
    return {"rows": rows, "height": len(rows) * ROW_HEIGHT, "bar_height": BAR_HEIGHT}


def _num(value: float) -> str:
    """A coordinate with at most two decimals: short, and the same on every build."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
