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
        description = description_html(info.description or "")
        rows.append(
            f"<tr><td><code>{name}</code></td><td>{required}</td><td>{description}</td></tr>"
        )
    head = "<thead><tr><th>field</th><th>required</th><th>what it holds</th></tr></thead>"
    return f'<table class="catalogue-fields">{head}<tbody>{"".join(rows)}</tbody></table>'


def description_html(text: str) -> str:
    """A field's description as HTML: escaped, each `backticked` part as code.

    The table is an HTML block, which Markdown leaves alone: the descriptions' backticks (the
    same text goes into the JSON Schema for editors) would show as they are."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: shown as written
        return html.escape(text)
    return "".join(
        f"<code>{html.escape(part)}</code>" if i % 2 else html.escape(part)
        for i, part in enumerate(parts)
    )
