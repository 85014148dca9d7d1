"""A formula's MathML draws only in its own place: bounded sizes, nothing moved out of its box.

Every command latex2mathml knows is tried with hostile arguments, and what comes out is
checked against rules written here independently of the allow-list in
`generator/model/mathml.py`: no length beyond a few ems, no box made smaller than what it
draws (except around a phantom), no size multiplied by another, no colour, style or link.
The browser side (what chromium draws) is `tests/browser/test_hostile_math.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element, fromstring

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from latex2mathml import commands
from latex2mathml.converter import convert

from generator.model.mathml import MATHML_ATTRIBUTES, MATHML_TAGS, MAX_HEIGHT_EM, formula_mathml
from generator.model.text import to_html

NS = "{http://www.w3.org/1998/Math/MathML}"
LENGTH = re.compile(r"([+-]?)(\d*\.?\d+)(em|ex|pt|px|mu)?")
EMS = {"em": 1.0, "ex": 0.5, "pt": 0.1, "px": 1 / 16, "mu": 1 / 18, None: 1.0}
LARGEST_LENGTH_EM = 2.5
"""No length in a formula may exceed this: `\\qquad` is 2em, `\\Bigg` 2.47em."""


def _all_commands() -> list[str]:
    """Every command name latex2mathml's `commands` module lists, one way or another."""
    names: set[str] = set()
    for value in vars(commands).values():
        items = value if isinstance(value, tuple | list | dict | set) else [value]
        for item in items:
            if isinstance(item, str) and item.startswith("\\") and len(item) > 1:
                names.add(item)
    return sorted(names)


COMMANDS = _all_commands()
HOSTILE_ARGUMENTS = [
    "{30000em}{30000em}{\\text{NOTICE}}",
    "30000em{\\text{NOTICE}}",
    "{-30000em}{\\text{NOTICE}}",
    "{\\text{NOTICE}}{\\text{NOTICE}}",
    "[b]{\\text{NOTICE}}",
    "{red}{red}{NOTICE}",
    "{x}",
]


def _ems(value: str) -> float:
    length = LENGTH.fullmatch(value)
    return float(length.group(2)) * EMS[length.group(3)] if length else float("inf")


def _parse(mathml: str) -> Element:
    # Text such as `\text{<b>}` is raw markup until nh3 runs: read the tags only.
    skeleton = re.sub(r">[^<]*<", "><", mathml)
    return fromstring(skeleton.replace("&", "&amp;"))


def _problems(mathml: str) -> Iterator[str]:
    """What in `mathml` could draw outside the formula's place or beyond a few ems."""
    root = _parse(mathml)

    def walk(element: Element, mathsize: float, moved: float) -> Iterator[str]:
        tag = element.tag.removeprefix(NS)
        if tag not in MATHML_TAGS:
            yield f"element <{tag}>"
        phantom = tag == "mpadded" and len(element) > 0
        phantom = phantom and all(child.tag.removeprefix(NS) == "mphantom" for child in element)
        for name, value in element.attrib.items():
            if name not in MATHML_ATTRIBUTES | {"xmlns", "display"}:
                yield f"attribute {name}={value!r} on <{tag}>"
            for part in value.split() if name.endswith("spacing") else [value]:
                length = LENGTH.fullmatch(part)
                if length and float(length.group(2)) * EMS[length.group(3)] > LARGEST_LENGTH_EM:
                    yield f"{name}={value!r} on <{tag}> is longer than {LARGEST_LENGTH_EM}em"
            plain = LENGTH.fullmatch(value)
            if name in {"width", "height", "depth", "lspace", "rspace", "voffset"} and not plain:
                yield f"{name}={value!r} on <{tag}> is not a plain length"
            if tag == "mspace" and value.startswith("-"):
                yield f"negative space {name}={value!r}"
            if tag == "mpadded" and not phantom:
                if name == "width" and not value.startswith("+"):
                    yield f"width={value!r} makes a box narrower than what it draws"
                if name in {"height", "depth"} and not value.startswith(("+", "-")):
                    yield f"{name}={value!r} sets a box's size whatever it draws"
                if name == "lspace" and value.startswith("-"):
                    yield f"lspace={value!r} moves content left out of its box"
                if name == "voffset" or (name in {"height", "depth"} and value[0] == "-"):
                    moved += _ems(value)
                    if moved > 0.5:
                        yield f"{name}={value!r} moves content {moved}em out of its box"
        if "mathsize" in element.attrib:
            mathsize *= float(element.attrib["mathsize"].removesuffix("em"))
            if mathsize > 2.5:
                yield f"sizes multiply to {mathsize:.2f}"
        for child in element:
            yield from walk(child, mathsize, moved)

    assert root.get("display") == "inline"
    yield from walk(root, 1.0, 0.0)


def _hostile_formulas() -> Iterator[str]:
    for command in COMMANDS:
        for arguments in HOSTILE_ARGUMENTS:
            yield command + arguments
        name = command[1:]
        if name.isalpha():
            yield f"\\begin{{{name}}}a\\\\b\\end{{{name}}}"


HOSTILE = list(_hostile_formulas())


def test_every_command_of_latex2mathml_is_tried() -> None:
    assert len(COMMANDS) > 300
    assert {"\\rule", "\\hspace", "\\smash", "\\raise", "\\rlap", "\\mathclap"} <= set(COMMANDS)
    converted = [tex for tex in HOSTILE if formula_mathml(tex) is not None]
    assert len(converted) > 1000  # most of them convert: the rules below see real MathML


def test_no_command_draws_outside_its_place() -> None:
    found = {tex: list(_problems(mathml)) for tex in HOSTILE if (mathml := formula_mathml(tex))}
    assert {tex: problems for tex, problems in found.items() if problems} == {}


def test_the_rules_above_catch_what_latex2mathml_writes_unchecked() -> None:
    """latex2mathml's own output breaks them: the test above could fail."""
    caught = {tex for tex in HOSTILE if _convert(tex) and list(_problems(_convert(tex) or ""))}
    for attack in ["\\rule{30000em}{30000em}", "\\hspace{30000em}", "\\smash{\\text{NOTICE}}"]:
        assert any(tex.startswith(attack.split("{")[0]) for tex in caught), attack
    assert len(caught) > 50


def _convert(tex: str) -> str | None:
    try:
        return str(convert(tex))
    except Exception:
        return None


@pytest.mark.parametrize(
    ("tex", "absent"),
    [
        ("\\rule{0em}{30000em}", 'height="30000em"'),
        ("\\hspace{5000em}x", 'width="5000em"'),
        ("\\kern-3em x", 'width="-3em"'),
        ("\\smash{\\text{RETRACTED}}", 'height="0px"'),
        ("\\rlap{RETRACTED}", 'width="0px"'),
        ("\\llap{RETRACTED}", "lspace"),
        ("\\mathclap{\\text{RETRACTED}}", "width"),
        ("\\raise{40em}{x}", "voffset"),
        ("\\lower{30000em}{x}", "voffset"),
        ("\\moveleft{3em}{x}", "lspace"),
        ("a \\above 30000em b", "linethickness"),
        ("\\colorbox{red}{RETRACTED}", "mathbackground"),
        ("\\textcolor{red}{x}", "mathcolor"),
        ("\\style{position:fixed}{x}", "style"),
        ("\\class{md-banner}{x}", "class"),
        ("\\href{https://evil.example/}{x}", "href"),
        ("\\unicode{202E}x", "&#x202E;"),
        ("\\text{\u202e}x", "\u202e"),
    ],
)
def test_attacks_lose_what_would_move_or_size_them(tex: str, absent: str) -> None:
    mathml = formula_mathml(tex)
    assert mathml is not None and mathml.startswith("<math")
    assert absent not in mathml
    assert absent in (_convert(tex) or "") or absent.startswith(("&", "\u202e"))


def test_a_size_inside_a_size_is_not_multiplied() -> None:
    mathml = formula_mathml("{\\Huge{\\Huge{\\Huge W}}}")
    assert mathml is not None and mathml.count('mathsize="2.49em"') == 1
    shrunk = formula_mathml("{\\tiny{\\Huge x}}")  # 0.5 x 2.49: no larger than one \Huge
    assert shrunk is not None and 'mathsize="2.49em"' in shrunk


@pytest.mark.parametrize(
    "tex",
    [
        "\\begin{matrix}" + "a\\\\" * 60 + "a\\end{matrix}",
        "\\dfrac{" * 10 + "x" + "}{y}" * 10,
        "\\cfrac{1}{1+\\cfrac{1}{1+\\cfrac{1}{1+\\cfrac{1}{x}}}}",
        "x^{\\displaystyle " * 15 + "x" + "}" * 15,
        "\\overline{" * 25 + "x" + "}" * 25,
        "\\substack{a\\\\a\\\\a\\\\a\\\\a\\\\a}",
        "\\Huge\\dfrac{\\dfrac{a}{b}}{c}",
        "\\def\\a{WWWWWWWWWW}\\a\\a\\a",
        "\\newcommand{\\b}{x}\\b",
    ],
)
def test_formulas_too_tall_or_defining_macros_are_shown_as_source(tex: str) -> None:
    assert formula_mathml(tex) is None
    assert str(to_html(f"${tex}$")).startswith("$")


LEGITIMATE = [
    "\\frac{a}{b}",
    "O(n^2)",
    "3\\times",
    "\\mathcal{O}(n \\log n)",
    "\\tilde{O}(\\sqrt{n})",
    "e^{-\\frac{x^2}{2\\sigma^2}}",
    "\\dfrac{\\sum_{i=1}^n x_i}{n}",
    "\\int_0^1 f(x)\\,dx",
    "\\begin{pmatrix}a&b&c\\\\c&d&e\\\\f&g&h\\end{pmatrix}",
    "\\begin{cases}a & x>0\\\\b & x\\le 0\\end{cases}",
    "\\binom{n}{k}",
    "\\sqrt{\\frac{a}{b}}",
    "\\Huge x",
    "\\Bigg(",
    "x_{i,j}^{(k)}",
    "\\hat{\\theta}",
    "\\underbrace{a+b}_{n}",
    "\\overset{!}{=}",
    "\\mathbb{R}^{d\\times d}",
    "\\lim_{n\\to\\infty}",
    "\\xrightarrow[a]{b}",
    "\\dfrac{\\dfrac{a}{b}}{c}",
    "\\displaystyle\\sum_{i=1}^n\\frac{1}{i}",
    "\\mathstrut\\vphantom{\\dfrac{a}{b}}\\hphantom{x}",
    "a\\,b\\;c\\quad d\\qquad e",
    "\\raise{0.2em}{x}",
]


@pytest.mark.parametrize("tex", LEGITIMATE)
def test_legitimate_formulas_render_as_latex2mathml_writes_them(tex: str) -> None:
    """The allow-list takes nothing away from them: the same elements, the same attributes."""
    ours = formula_mathml(tex)
    assert ours is not None
    mine, original = _parse(ours), _parse(convert(tex))
    assert [(e.tag, e.attrib) for e in mine.iter()] == [(e.tag, e.attrib) for e in original.iter()]


def test_negation_is_one_symbol_and_named_spaces_are_lengths() -> None:
    assert ">≠<" in (formula_mathml("a\\not= b") or "")
    assert ">≮<" in (formula_mathml("a\\not< b") or "")
    assert 'width="0.1667em"' in (formula_mathml("a\\thinspace b") or "")
    assert 'width="1em"' in (formula_mathml("a\\mkern18mu b") or "")
    assert "width" not in (formula_mathml("a\\! b") or "width")


tokens = st.sampled_from(
    [
        "\\rule", "\\hspace", "\\kern", "\\smash", "\\raise", "\\lower", "\\rlap", "\\llap",
        "\\mathclap", "\\phantom", "\\vphantom", "\\hphantom", "\\Huge", "\\tiny", "\\dfrac",
        "\\frac", "\\sqrt", "\\overset", "\\underset", "\\stackrel", "\\begin{matrix}",
        "\\end{matrix}", "\\\\", "&", "\\mspace", "\\mkern", "\\moveleft", "\\moveright",
        "\\colorbox", "\\style", "\\LaTeX", "\\raise{0.4em}", "\\lower{.3em}", "\\not",
        "\\big(", "\\Bigg)", "\\displaystyle",
        "\\text", "{", "}", "[", "]", "^", "_", "x", "W", "30000em", "-9em", "0.3em", "5mu",
        "1pt", "0", " ",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(tex=st.lists(tokens, max_size=25).map("".join))
@example(tex="\\smash{\\raise{40em}{\\text{RETRACTED}}}")
@example(tex="\\Huge{\\Huge{\\Huge{\\phantom{\\rule{1em}{30000em}}}}}")
def test_any_mix_of_sizing_commands_stays_bounded(tex: str) -> None:
    mathml = formula_mathml(tex)
    if mathml is not None:
        assert list(_problems(mathml)) == []


def test_the_height_bound_is_a_few_lines() -> None:
    assert 5 <= MAX_HEIGHT_EM <= 8
