"""Titles and abstracts are plain text with inline TeX, shown as their authors meant them."""

from __future__ import annotations

import pytest

from generator.model.text import teaser, to_html, to_plain


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("a special <EASY> token", "a special &lt;EASY&gt; token"),
        ("K << V and <300M parameters", "K &lt;&lt; V and &lt;300M parameters"),
        ("Diff-Instruct* (DI*)", "Diff-Instruct* (DI*)"),
        ("**Roads to Rome (R2R)**", "**Roads to Rome (R2R)**"),
        ("Heavy Hitters (H_2)", "Heavy Hitters (H_2)"),
        ("by 34.7\\% and", "by 34.7% and"),
        ("\\$184M estimated", "$184M estimated"),
        ("contexts (\\eg text prompts)", "contexts (e.g. text prompts)"),
        ("\\unknownmacro stays", "\\unknownmacro stays"),
        ("quotes \" and ' and &", "quotes &quot; and &#x27; and &amp;"),
    ],
)
def test_text_is_escaped_and_tex_escapes_resolved(source: str, html: str) -> None:
    assert to_html(source) == html


def test_math_becomes_mathml() -> None:
    html = to_html("$x_2$ and $\\frac{a}{b}$")
    assert html.startswith("<math ")
    assert "<msub><mi>x</mi><mn>2</mn></msub>" in html
    assert "<mfrac>" in html
    assert html.count("<math") == 2


def test_a_script_of_digits_alone_is_a_text_script_of_its_word() -> None:
    """`H$_2$O` is set as H<sub>2</sub>O, in the text's font: as MathML, the 2 sat after an
    empty base in the math font, followed by the space MathML adds after scripts ("H₂ O")."""
    assert to_html("H$_2$O and MoE$^2$") == (
        'H<sub class="catalogue-script">2</sub>O and MoE<sup class="catalogue-script">2</sup>'
    )
    assert to_html("cm$^{-1}$, x$^{10}$") == (
        'cm<sup class="catalogue-script">\u22121</sup>, x<sup class="catalogue-script">10</sup>'
    )
    assert "<msup>" in to_html("$^{th}$")  # letters are italic in TeX: still MathML


def test_script_inside_math_is_only_symbols() -> None:
    html = to_html("$<script>alert(1)</script>$")
    assert "<script" not in html
    assert html.startswith("<math")


def test_math_that_does_not_convert_is_shown_as_source() -> None:
    assert to_html("$\\frac{1}{$") == "$\\frac{1}{$"


def test_plain_text_for_titles_and_feeds() -> None:
    assert to_plain("H$_2$O: Heavy") == "H₂O: Heavy"
    assert to_plain("MoE$^2$ at 34.7\\%") == "MoE² at 34.7%"
    assert to_plain("$x^{ab}$") == "x^{ab}"


def test_teaser_cuts_at_a_word() -> None:
    text = "word " * 100
    short = teaser(text, 30)
    assert short.endswith("…") and len(short) <= 31 and "  " not in short
