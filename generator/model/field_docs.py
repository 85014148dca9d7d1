"""The table of entry fields shown to contributors, made from the model's own descriptions."""

from __future__ import annotations

import html

from generator.model.entry import Entry

FIELDS_MARKER = "<!-- catalogue:fields -->"
"""Where a hand-written page (docs/contributing.md) shows the table of fields."""


def render_field_table() -> str:
    """An HTML table: field, required or not, and its description from `generator.model.entry`."""
    rows = []
    for name, info in Entry.model_fields.items():
        required = "yes" if info.is_required() else "no"
        description = html.escape(info.description or "")
        rows.append(
            f"<tr><td><code>{name}</code></td><td>{required}</td><td>{description}</td></tr>"
        )
    head = "<thead><tr><th>field</th><th>required</th><th>what it holds</th></tr></thead>"
    return f'<table class="catalogue-fields">{head}<tbody>{"".join(rows)}</tbody></table>'
