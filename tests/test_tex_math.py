"""Which formulas the BibTeX exports keep as math: only harmless ones, and meaning the same.

pdflatex compiles every command of the lists (tests/test_latex_consumers.py); here any
formula made of commands, hostile or not, is either refused or kept in a form that
latex2mathml (an independent reader of TeX math) renders exactly as the original.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from latex2mathml.converter import convert

from generator.model import tex_math
from generator.model.tex_math import latex_math

COMMANDS = sorted(tex_math.COMMANDS)
HOSTILE = [
    r"\input", r"\include", r"\csname", r"\endcsname", r"\def", r"\catcode", r"\write",
    r"\immediate", r"\openin", r"\read", r"\href", r"\url", r"\style", r"\class", r"\unicode",
    r"\rule", r"\hspace", r"\smash", r"\color", r"\begin", r"\end", r"\char", r"\string",
    r"\expandafter", r"\\", r"\^", r"\~", r"\@", "~", '"', "`", "&", "#", "%", "é", "^^",
]  # fmt: skip
TOKENS = [f"\\{name}" for name in COMMANDS] + [
    "x", "y", "2", "+", "=", "(", ")", "[", "]", "|", "<", " ", "{", "}", "^", "_", "'",
    r"\{", r"\}", r"\,", r"\left", r"\right", r"\middle", r"\not", r"\limits",
]  # fmt: skip
formulas = st.lists(st.sampled_from(TOKENS + HOSTILE), min_size=1, max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(formulas)
@example(r"\frac12 \{x\} \left( \mathbb{R}^n \right) \sum\limits_{i=1}^n x'_i")
@example(r"\operatorname{tr}(A) \not\in \sqrt[3]{x} \text{for all } y")
def test_a_kept_formula_is_harmless_and_means_the_same(formula: str) -> None:
    kept = latex_math(formula)
    if kept is None:
        return
    assert kept.isascii() and "^^" not in kept and "~" not in kept and '"' not in kept
    names = set(re.findall(r"\\([A-Za-z]+)", kept))
    assert names <= tex_math.COMMANDS | {"left", "right", "middle", "not", "limits", "nolimits"}
    depth = 0
    for ch in kept:  # every brace character is one of a pair (BibTeX counts them all)
        depth += (ch == "{") - (ch == "}")
        assert depth >= 0
    assert depth == 0
    # A bare `%`, `#` or `&` in an entry's formula means the character (TeX would read a
    # comment, a parameter, an alignment): compare with the formula that says so.
    assert _mathml(kept) == _mathml(re.sub(r"(?<!\\)[%#&]", r"\\\g<0>", formula))


def _mathml(formula: str) -> str:
    """latex2mathml's rendering, with groups of one element unwrapped (`\\frac12` and
    `\\frac{1}{2}` differ only by such `<mrow>`s) and `\\lbrace` read as `\\{`, which LaTeX
    defines as it in math (latex2mathml makes one an identifier, the other an operator)."""
    braces = re.sub(
        r"\\([lr])brace(?![A-Za-z])", lambda m: "\\{" if m[1] == "l" else "\\}", formula
    )
    # latex2mathml writes a sized `<` or `>` delimiter (`\\Big<`) unescaped: escape it to parse.
    mathml = re.sub(
        r">([<>])</mo>", lambda m: f">&{'lt' if m[1] == '<' else 'gt'};</mo>", convert(braces)
    )
    root = ElementTree.fromstring(mathml)

    def unwrap(element: ElementTree.Element) -> ElementTree.Element:
        children = [unwrap(child) for child in element]
        element[:] = children
        if element.tag.endswith("mrow") and len(children) == 1 and not element.attrib:
            return children[0]
        return element

    return ElementTree.tostring(unwrap(root), encoding="unicode")


@pytest.mark.parametrize(
    "formula",
    [
        r"x^^5cinput{/etc/passwd}",  # `^^5c` is a backslash to TeX
        r"^^5c^^5c",
        r"\href{run:calc}{x}",
        r"\csname input\endcsname",
        r"\input{/etc/passwd}",
        r"\immediate\write18{rm -rf /}",
        r"\openin1=/etc/passwd",
        r"\style{color:red}{x}",
        r"\class{a}{b}",
        r"\unicode{x41}",
        r"\rule{0em}{30000em}",
        r"a\\%b",  # `\\` then a comment
        r"a~b",  # an active character
        r"\text{\alpha}",
        r"x^",
        r"a_b_c",
        r"\left( x",
        r"x \right)",
        r"\frac{a}{b",
        "é",
        "",
    ],
)
def test_what_latex_could_run_or_stop_at_is_refused(formula: str) -> None:
    assert latex_math(formula) is None


def test_what_latex_reads_as_math_is_kept() -> None:
    assert latex_math(r"\mathbb{R}^{n}") == r"\mathbb{R}^{n}"
    assert latex_math(r"\frac12") == r"\frac{1}{2}"
    assert latex_math(r"\{x\}") == r"\lbrace x\rbrace"  # no brace character BibTeX counts
    assert latex_math("50%") == r"50\%"
    assert latex_math(r"\sum\limits_{i=1}^n x_i") == r"\sum \limits_{i=1}^n x_i"


def test_each_command_has_one_arity() -> None:
    kinds = [tex_math.SYMBOLS, tex_math.ONE_ARGUMENT, tex_math.TWO_ARGUMENTS]
    kinds += [tex_math.TEXT_ARGUMENT, tex_math.SIZED_DELIMITERS]
    assert sum(len(kind) for kind in kinds) == len(tex_math.COMMANDS)
