"""Plain text with inline TeX, as titles and abstracts are written, made safe for each output.

An entry's text is neither Markdown nor HTML: `<EASY>` is three words in angle brackets,
`Diff-Instruct*` keeps its asterisk. What TeX means is honoured: `$...$` is math (rendered
to MathML on the server, so no script or CDN is needed), `\\%` is a percent sign, `\\eg` is
"e.g.". Everything else is shown exactly as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import nh3
from markupsafe import Markup

from generator.model.escaping import html_text
from generator.model.mathml import MATHML_ATTRIBUTES, MATHML_TAGS, formula_mathml

# Backslash escapes that mean a literal character in TeX text mode.
_ESCAPED_CHARACTERS = {"%": "%", "$": "$", "&": "&", "_": "_", "#": "#", "{": "{", "}": "}"}
# Abbreviation macros common in arXiv abstracts; unknown macros are shown as written.
_TEXT_MACROS = {"eg": "e.g.", "ie": "i.e.", "etal": "et al.", "etc": "etc.", "vs": "vs."}
_MACRO_RE = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])")
_MATH_RE = re.compile(r"(?<!\\)\$([^$\n]{1,300}?)(?<!\\)\$")
_SIMPLE_SCRIPT_RE = re.compile(r"([_^])(?:\{([0-9a-z+\-=()]+)\}|([0-9a-z+\-=()]))")

_SUBSCRIPTS = str.maketrans("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ")
_SUPERSCRIPTS = str.maketrans("0123456789+-=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ")

_SCRIPT_ONLY_RE = re.compile(r"([_^])(?:\{([0-9+\-=()]{1,12})\}|([0-9]))")
"""A formula that is a subscript or superscript of digits alone, with nothing to attach to:
`H$_2$O`, `MoE$^2$`, `cm$^{-1}$`. It belongs to the word before it, in the text's own font."""
_SCRIPT_TAG = {"_": "sub", "^": "sup"}
_MATH_MINUS = str.maketrans({"-": "\u2212"})

_SANITISER_ATTRIBUTES = {
    "math": {"display", "xmlns"},
    "annotation": {"encoding"},
    "*": set(MATHML_ATTRIBUTES),
}
"""What nh3 lets through of a formula's MathML (`mathml.formula_mathml` checked the values)."""

MARKUP_TAGS = MATHML_TAGS | {"sub", "sup"}
"""Every element entry text can become: sanitised MathML, and the text scripts of `H$_2$O`."""
MARKUP_ATTRIBUTES = {**_SANITISER_ATTRIBUTES, "sub": {"class"}, "sup": {"class"}}
"""Every attribute, by element, that entry text can carry in HTML."""


@dataclass(frozen=True)
class Segment:
    """A run of an entry's text: either literal text or the TeX source of one formula."""

    text: str
    is_math: bool


def segments(value: str) -> Iterator[Segment]:
    """Split text into literal runs (TeX escapes and macros resolved) and `$...$` formulas."""
    position = 0
    for match in _MATH_RE.finditer(value):
        if match.start() > position:
            yield Segment(_resolve_text(value[position : match.start()]), False)
        yield Segment(match.group(1), True)
        position = match.end()
    if position < len(value):
        yield Segment(_resolve_text(value[position:]), False)


def _resolve_text(run: str) -> str:
    if "\\" not in run:
        return run  # nothing to resolve: most text has no backslash at all
    out = []
    i = 0
    while i < len(run):
        ch = run[i]
        if ch == "\\" and i + 1 < len(run):
            nxt = run[i + 1]
            if nxt in _ESCAPED_CHARACTERS:
                out.append(_ESCAPED_CHARACTERS[nxt])
                i += 2
                continue
            macro = _MACRO_RE.match(run, i)
            if macro and macro.group(1) in _TEXT_MACROS:
                out.append(_TEXT_MACROS[macro.group(1)])
                i = macro.end()
                # TeX eats the space after a macro unless it is escaped; keep the reader's.
                continue
        out.append(ch)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def math_to_html(tex: str) -> str:
    """One inline formula as HTML: a text script for `$_2$`, otherwise sanitised MathML whose
    sizes and spaces are bounded (`mathml`), or its escaped source if it will not convert."""
    script = _SCRIPT_ONLY_RE.fullmatch(tex.strip())
    if script:
        # MathML would set a base-less script in the math font, after an empty base and
        # before the space it adds after every script: "H₂ O". A text script fits its word.
        tag = _SCRIPT_TAG[script.group(1)]
        body = (script.group(2) or script.group(3)).translate(_MATH_MINUS)
        return f'<{tag} class="catalogue-script">{html_text(body)}</{tag}>'
    mathml = formula_mathml(tex)
    if mathml is None:
        return html_text(f"${tex}$")
    cleaned = nh3.clean(
        mathml,
        tags=set(MATHML_TAGS),
        attributes=_SANITISER_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
    if not cleaned.startswith("<math"):
        return html_text(f"${tex}$")
    return cleaned


@functools.lru_cache(maxsize=65_536)  # titles are shown in several lists per build
def to_html(value: str) -> Markup:
    """Text with inline TeX as HTML: every character escaped, formulas as MathML."""
    parts = []
    for seg in segments(value):
        parts.append(math_to_html(seg.text) if seg.is_math else html_text(seg.text))
    return Markup("".join(parts))


def to_plain(value: str) -> str:
    """Text with inline TeX as readable plain text (`H$_2$O` -> `H₂O`), for titles and feeds."""
    parts = []
    for seg in segments(value):
        parts.append(_math_to_plain(seg.text) if seg.is_math else seg.text)
    return "".join(parts)


def forget_texts() -> None:
    """Drop the cached HTML and teasers of texts (a one-off build is done with its entries:
    these caches hold titles and abstracts, and would keep them for the rest of the process,
    beside Pagefind's indexer)."""
    for cached in (to_html, teaser, math_to_html):
        cached.cache_clear()


def _math_to_plain(tex: str) -> str:
    def script(match: re.Match[str]) -> str:
        body = match.group(2) or match.group(3)
        table = _SUBSCRIPTS if match.group(1) == "_" else _SUPERSCRIPTS
        if not all(ord(ch) in table for ch in body):
            return match.group(0)  # a character without a Unicode script form: keep the TeX
        return body.translate(table)

    return _SIMPLE_SCRIPT_RE.sub(script, tex)


DESCRIPTION_LIMIT = 160
"""A paper page's meta description and `og:description` are its abstract's first words up to
this many characters (and "…"): about what a search engine shows of a description, and what
link previews show or cut further."""


def description(abstract: str) -> str:
    """A paper page's meta description and `og:description`, from its abstract."""
    return teaser(abstract, DESCRIPTION_LIMIT)


@functools.lru_cache(maxsize=65_536)  # a paper's teaser is shown in each list it is in
def teaser(value: str, limit: int = 200) -> str:
    """The first sentence or so of plain text, cut at a word boundary, for lists and meta tags."""
    plain = " ".join(to_plain(value).split())
    if len(plain) <= limit:
        return plain
    cut = plain[:limit].rsplit(" ", 1)[0].rstrip(",;:-")
    return cut + "…"
