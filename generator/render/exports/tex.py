"""Entry text as TeX for BibTeX fields: what is already TeX is kept, everything else escaped.

Entries are plain text with inline TeX (see `generator.model.text`): `$...$` is math, `\\%` a
percent sign, `\\eg` "e.g.". In a BibTeX field a math formula stays a formula and an escape
stays an escape; every other character means itself, so TeX's special characters are escaped
(`%` -> `\\%`, `{` -> `\\{`) and accented letters become TeX accents (`é` -> `{\\'e}`, by
pylatexenc) so that classic BibTeX sorts and case-changes them correctly; characters TeX has
no command for (CJK, emoji) stay UTF-8, which biber and BibTeX with `inputenc` accept.

A formula is kept only when it is safe to hand to LaTeX: braces balanced and every command a
math command latex2mathml knows. Anything else (`$\\input{/etc/passwd}$`) is escaped as text,
so a hostile entry cannot make a reader's LaTeX run do more than print it.
"""

from __future__ import annotations

import functools
import re

import latex2mathml.commands
from latex2mathml.symbols_parser import convert_symbol
from pylatexenc.latexencode import UnicodeToLatexEncoder

from generator.model.escaping import BIBTEX_SPECIALS
from generator.model.text import segments

_ESCAPES = {
    **BIBTEX_SPECIALS,
    "|": r"\textbar{}",
    "`": r"\textasciigrave{}",
}
_LIGATURE_STARTS = frozenset("-',")
"""Doubled, these are TeX ligatures (en dash, closing quote, low quote): kept apart."""
_MATH_TOKEN_RE = re.compile(r"\\(?:[A-Za-z]+|.)|[{}]", re.DOTALL)
_UNSAFE_IN_MATH_RE = re.compile(r"(?<!\\)[%#&]")
_FORBIDDEN_MATH = frozenset({r"\def", r"\DeclareMathOperator", r"\begin", r"\end", r"\color"})

_UNICODE = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


@functools.cache
def _math_commands() -> frozenset[str]:
    names = {
        value
        for value in vars(latex2mathml.commands).values()
        if isinstance(value, str) and value.startswith("\\")
    }
    return frozenset(names - _FORBIDDEN_MATH)


def _is_safe_math(tex: str) -> bool:
    depth = 0
    for token in _MATH_TOKEN_RE.finditer(tex):
        text = token.group(0)
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
            if depth < 0:
                return False
        elif text[1:].isalpha() and text not in _math_commands() and convert_symbol(text) is None:
            return False  # a command that is not math: `\input`, `\write`, `\def`
    return depth == 0


def _escape_text(text: str) -> str:
    out = []
    for position, ch in enumerate(text):
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) > 127:
            out.append(_UNICODE.unicode_to_latex(ch))
        elif ch in _LIGATURE_STARTS and text[position + 1 : position + 2] == ch:
            out.append(ch + "{}")  # `--` would print a dash, `''` a closing quote
        else:
            out.append(ch)
    return "".join(out)


def to_tex(value: str) -> str:
    """Entry text as TeX: formulas kept, every other special character escaped."""
    out = []
    # `segments` reads the text as the site shows it (`\%` is a percent sign, `\eg` is
    # "e.g."), so escaping what it returns writes the same text back as TeX.
    for segment in segments(value):
        if not segment.is_math:
            out.append(_escape_text(segment.text))
        elif _is_safe_math(segment.text):
            out.append("$" + _UNSAFE_IN_MATH_RE.sub(r"\\\g<0>", segment.text) + "$")
        else:
            out.append(_escape_text(f"${segment.text}$"))
    # One line: a blank line inside a field would end a paragraph in the bibliography.
    return " ".join("".join(out).split())
