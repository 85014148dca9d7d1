"""Entry text written into each output language safely: one function per context.

Entry text is plain text (with the inline TeX `text` interprets). Whatever writes it into an
output calls the function for that output's syntax, never string formatting or a generic
"escape". Each function is exact for its context and nothing more; pick by where the value
lands, not by the file type:

| where the value lands | function |
| --- | --- |
| HTML text, or a quoted HTML attribute value | `html_text` |
| XML 1.0 text or a quoted attribute value (Atom, RSS, sitemaps) | `xml_text` |
| JSON inside an HTML `<script>` element (JSON-LD) | `json_for_script` |
| Markdown that Python-Markdown will read, within one line | `markdown_inline` |
| A YAML document (front matter) | `yaml_document` |
| A BibTeX field value / a citation key | `bibtex_value` / `bibtex_key` |
| An RIS field value (one `XX  - value` line) | `ris_value` |
| A CSV cell that a spreadsheet may open | `csv_cell` |

An HTML attribute that holds a URL needs more than escaping: only `http(s)` URLs validated by
the model (`links`) or built by `urls` belong there.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import yaml
from markupsafe import Markup

# XML 1.0 allows only these characters; anything else makes the whole document unreadable.
_XML_INVALID_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# C0/C1 controls other than tab and newline: invisible, and they corrupt line-based formats.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Line breaks and the white space around them; other spaces (NBSP, thin space) are text.
_WHITESPACE_RE = re.compile("[ \t\n\r\f\v\u2028\u2029]+")

_SCRIPT_JSON = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}

BIBTEX_SPECIALS = {
    # TeX's special characters as text-mode commands; exports.tex adds two more for prose.
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_BIBTEX_RE = re.compile("[" + re.escape("".join(BIBTEX_SPECIALS)) + "]")
_BIBTEX_KEY_RE = re.compile(r"[^A-Za-z0-9_:-]+")

_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def html_text(value: str) -> Markup:
    """Text for HTML: `&`, `<`, `>`, `"` and `'` escaped, so it is safe in element content and
    in a quoted attribute value alike."""
    return Markup(html.escape(value, quote=True))


def html_element_text(value: str) -> Markup:
    """Text for HTML element content only (never an attribute): `&`, `<` and `>` escaped.
    Quotes mean nothing there, and JSON shown in a `<pre>` is full of them."""
    return Markup(html.escape(value, quote=False))


def xml_text(value: str) -> str:
    """Text for XML 1.0 element content or a quoted attribute value: characters XML forbids
    become U+FFFD, and `&`, `<`, `>`, `"`, `'` are escaped (`>` too, so no `]]>` survives)."""
    cleaned = _XML_INVALID_RE.sub("\ufffd", value)
    escaped = html.escape(cleaned, quote=True)
    # Line breaks in attribute values are normalised to spaces by XML parsers; keep them.
    return escaped.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")


def json_for_script(value: Any) -> Markup:
    """`value` as JSON that can sit inside `<script type="application/ld+json">`: no `</script>`,
    `<!--` or line separator in it can end the element or the string early."""
    dumped = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_JSON[m.group()], dumped))


def markdown_inline(value: str) -> str:
    """Text that Python-Markdown shows exactly as written, on one line of a paragraph.

    Every ASCII punctuation character becomes a numeric character reference (`*` is `&#42;`),
    so no emphasis, link, heading, list, table, HTML, attribute list or `[TOC]` can start;
    runs of whitespace become one space, so the text cannot start a new block.
    """
    one_line = _WHITESPACE_RE.sub(" ", _CONTROL_RE.sub("", value)).strip()
    return "".join(
        f"&#{ord(ch)};" if ch.isascii() and not ch.isalnum() and ch != " " else ch
        for ch in one_line
    )


class _DoubleQuoted(str):
    """A string PyYAML must write in double quotes, where every line break is an escape."""


class _FrontMatterDumper(yaml.SafeDumper):
    """PyYAML's safe emitter, plus `_DoubleQuoted` strings."""


_FrontMatterDumper.add_representer(
    _DoubleQuoted,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"'),
)
# Line breaks YAML folds into a space when they stand unescaped in a single-quoted scalar.
_YAML_FOLDED_BREAKS = re.compile("[\x85\u2028\u2029]")


def yaml_document(values: dict[str, str]) -> str:
    """A YAML mapping written by PyYAML's emitter: each value is one scalar that reads back
    exactly, so nothing in a value can add a key, a tag (`!ENV`) or a document separator."""
    quoted = {
        key: _DoubleQuoted(value) if _YAML_FOLDED_BREAKS.search(value) else value
        for key, value in values.items()
    }
    return yaml.dump(
        quoted, Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False, width=1_000_000
    )


def bibtex_value(value: str) -> str:
    """A braced BibTeX field value showing `value` literally: TeX specials escaped (so no
    `\\input` runs and no `}` closes the field early), whitespace on one line."""
    one_line = _WHITESPACE_RE.sub(" ", _CONTROL_RE.sub("", value)).strip()
    return "{" + _BIBTEX_RE.sub(lambda m: BIBTEX_SPECIALS[m.group()], one_line) + "}"


def bibtex_key(value: str) -> str:
    """A citation key from a slug or id: letters, digits, `_`, `:` and `-` only."""
    return _BIBTEX_KEY_RE.sub("", value) or "entry"


def ris_value(value: str) -> str:
    """An RIS value on one line, so no text can start a tag line such as `ER  - `."""
    return _WHITESPACE_RE.sub(" ", _CONTROL_RE.sub("", value)).strip()


def csv_cell(value: str) -> str:
    """A CSV cell value that spreadsheets show as text: one that would start a formula
    (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`. Quoting is left to the `csv` module."""
    return "'" + value if value.startswith(_CSV_FORMULA_START) else value
