"""One inline TeX formula as MathML that stays in its place on the page.

latex2mathml turns a formula into MathML; this module decides what of it a page may show.
Entries come from strangers, and MathML can size and move what it draws: `\\rule{0em}{30000em}`
makes a line half a million pixels tall, `\\hspace{5000em}` a page that scrolls sideways,
`\\smash`, `\\rlap` and `\\raise` draw text outside the formula's own box, over other lines of
the page. So every attribute latex2mathml writes is checked against an allow-list of values:

- fixed values (`mathvariant`, `stretchy`, `scriptlevel`, the `\\big` and `\\large` sizes) only
  as latex2mathml writes them for its own commands;
- lengths (spaces, rules, paddings) only up to a small bound, and nothing that makes a box
  smaller than what it draws (zero or negative sizes of `mpadded`, negative spaces) except
  around a phantom, which draws nothing; moves and shrinks (`voffset`, `height="-.2em"`) that
  add up, along the way from the formula to any of its parts, to at most half an em;
- one size never inside another (`\\Huge` in `\\Huge`);
- no colours, styles, classes or links.

What is left can still be tall through its structure (nested display fractions, a matrix of
many rows, `\\Huge` around a display fraction): its height is worked out from the tree,
generously, and a formula taller than `MAX_HEIGHT_EM` is shown as its TeX source instead. A
formula that defines macros is shown as source too (each use could expand to hundreds of
elements).

The stylesheet adds the last layer: a formula clips what it draws to its own box
(`docs/stylesheets/catalogue.css`), and the blocks that show entry text scroll sideways
rather than widen the page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element, tostring
from xml.sax.saxutils import unescape

from latex2mathml import commands
from latex2mathml.converter import convert_to_element

MAX_HEIGHT_EM = 6.0
"""The tallest a formula may be, in ems of its own font size (estimated from its structure,
see `_Extent`): a display fraction, a 3x3 matrix or `\\Huge` fit; stacks meant to deface do not."""

MATHML_TAGS = frozenset({
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose",
})  # fmt: skip
"""Presentation MathML only: what latex2mathml writes for inline formulas, nothing that links,
loads or scripts."""

_MACRO_DEFINITIONS = re.compile(
    r"\\(?:def|newcommand|renewcommand|DeclareMathOperator|newenvironment)(?![A-Za-z])"
)

_FLAG = frozenset({"true", "false"})
_MATHVARIANTS = frozenset({
    "normal", "bold", "italic", "bold-italic", "double-struck", "script", "fraktur",
    "sans-serif", "sans-serif-italic", "monospace",
})  # fmt: skip
_NOTATIONS = frozenset({
    "box", "updiagonalstrike", "downdiagonalstrike", "horizontalstrike",
    "updiagonalstrike downdiagonalstrike",
})  # fmt: skip
_FIXED_VALUES: dict[str, frozenset[str]] = {
    "xmlns": frozenset({"http://www.w3.org/1998/Math/MathML"}),
    "display": frozenset({"inline"}),
    "mathvariant": _MATHVARIANTS,
    "stretchy": _FLAG,
    "fence": _FLAG,
    "separator": _FLAG,
    "accent": _FLAG,
    "accentunder": _FLAG,
    "largeop": _FLAG,
    "movablelimits": _FLAG,
    "symmetric": _FLAG,
    "displaystyle": _FLAG,
    "form": frozenset({"prefix", "infix", "postfix"}),
    "scriptlevel": frozenset({"0", "1", "2"}),
    "columnalign": frozenset({"left", "center", "right"}),
    "notation": _NOTATIONS,
    "encoding": frozenset({"application/x-tex"}),
}
"""Attributes with a fixed set of harmless values, each as latex2mathml writes it."""

_MATHSIZES = {
    attributes["mathsize"]: float(attributes["mathsize"].removesuffix("em"))
    for _, attributes in commands.MSTYLE_SIZES.values()
}
"""`\\tiny` .. `\\Huge`: the only font sizes a formula may ask for (`mathsize` on `mstyle`)."""
_LARGEST_MATHSIZE = max(_MATHSIZES.values())

_EM_PER_UNIT = {"em": 1.0, "ex": 0.5, "pt": 0.1, "px": 1 / 16, "mu": 1 / 18, "": 1.0}
"""Upper bounds of each unit in ems, to compare lengths with the caps (a TeX point is a tenth of
a 10pt em; a CSS point is less)."""
_NAMED_SPACES = {
    "veryverythinmathspace": "0.0556em",
    "verythinmathspace": "0.1111em",
    "thinmathspace": "0.1667em",
    "mediummathspace": "0.2222em",
    "thickmathspace": "0.2778em",
    "verythickmathspace": "0.3333em",
    "veryverythickmathspace": "0.3889em",
}
"""MathML 3's named spaces, which browsers no longer read: written as the lengths they were."""
_LENGTH = re.compile(r"([+-]?)(\d{1,4}(?:\.\d{0,4})?|\.\d{1,4})(em|ex|pt|px|mu)?")
_SPACE_CAP_EM = 2.0
"""The widest space (`\\qquad`) and the tallest rule a formula may draw."""
_PADDING_CAP_EM = 1.0
_SHIFT_CAP_EM = 0.5
"""How far `mpadded` may move its content or change its box's height and depth (`\\raise`,
the lowered E of `\\TeX`): a fraction of a line, never out of it."""
_DELIMITER_CAP_EM = 2.5
"""Sizes of stretched delimiters: `\\Bigg` is 2.47em."""
_RULE_THICKNESS_CAP_EM = 0.2

_ENTITY = re.compile(r"&#x([0-9A-Fa-f]{1,6});|&#([0-9]{1,7});")
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
"""Controls, format characters (direction overrides among them), private use, surrogates and
unassigned code points: nothing a formula needs, reachable through `\\unicode{202E}`."""
_NOT_SIGN = "&#x029F8;"
"""What latex2mathml draws for `\\not`: a slash in a zero-width box, laid over the next symbol."""


def formula_mathml(tex: str) -> str | None:
    """The MathML of one inline formula, every attribute value allowed and the height bounded;
    None when it does not convert, defines macros, or is too tall (show its source instead).

    The result still needs an HTML sanitiser for its text (`text.math_to_html` runs nh3):
    latex2mathml writes `\\text{<b>}` as raw markup."""
    if _MACRO_DEFINITIONS.search(tex):
        return None
    try:
        math = convert_to_element(tex)
    except Exception:  # latex2mathml raises many kinds on bad input
        return None
    _join_negations(math)
    _allow(math, mathsize=1.0)
    if _extent(math, _Style(1.0, 0, display=False)).height > MAX_HEIGHT_EM:
        return None
    return unescape(tostring(math, encoding="unicode"))


# Attribute values ------------------------------------------------------------------------------


def _length(value: str, cap_em: float, signs: frozenset[str] = frozenset({""})) -> str | None:
    """`value` if it is a length of at most `cap_em` written with one of `signs` (`""` for an
    absolute length, `+`/`-` for a change); `mu` becomes `em`, which browsers read."""
    value = _NAMED_SPACES.get(value.strip(), value.strip())
    match = _LENGTH.fullmatch(value)
    if match is None or match.group(1) not in signs:
        return None
    number, unit = float(match.group(2)), match.group(3) or ""
    if number * _EM_PER_UNIT[unit] > cap_em:
        return None
    if unit == "mu":
        return f"{match.group(1)}{number / 18:.4g}em"
    if unit == "" and number != 0:
        return None  # a unitless length other than 0 means nothing to a browser
    return value


def _absolute(cap_em: float) -> Callable[[str], str | None]:
    return lambda value: _length(value, cap_em)


def _grow(cap_em: float) -> Callable[[str], str | None]:
    """A relative increase, `+0.2em`: the box gets larger than what it draws, never smaller."""
    return lambda value: _length(value, cap_em, frozenset({"+"}))


def _change(cap_em: float) -> Callable[[str], str | None]:
    """A small change either way, `-0.2em`, `+.5ex`: never a size of its own (`0px` would
    hide what the box holds from the line, as `\\smash` does)."""
    return lambda value: _length(value, cap_em, frozenset({"+", "-"}))


def _shift(cap_em: float) -> Callable[[str], str | None]:
    """A small move either way: `voffset="-.2em"`, `.3em`."""
    return lambda value: _length(value, cap_em, frozenset({"", "+", "-"}))


def _spacings(value: str) -> str | None:
    """`rowspacing`/`columnspacing`: a list of lengths, as `align` writes (`0em 2em 0em 2em`)."""
    parts = value.split()
    if not parts or any(_length(part, _SPACE_CAP_EM) is None for part in parts):
        return None
    return " ".join(parts)


_LENGTHS: dict[str, dict[str, Callable[[str], str | None]]] = {
    "mspace": {
        "width": _absolute(_SPACE_CAP_EM),
        "height": _absolute(_SPACE_CAP_EM),
        "depth": _absolute(_SPACE_CAP_EM),
    },
    "mo": {
        "lspace": _absolute(_PADDING_CAP_EM),
        "rspace": _absolute(_PADDING_CAP_EM),
        "minsize": _absolute(_DELIMITER_CAP_EM),
        "maxsize": _absolute(_DELIMITER_CAP_EM),
    },
    "mfrac": {"linethickness": _absolute(_RULE_THICKNESS_CAP_EM)},
    "mtable": {"rowspacing": _spacings, "columnspacing": _spacings},
    "mpadded": {
        # Around visible content a padded box may only grow, and move it a little.
        "width": _grow(_PADDING_CAP_EM),
        "lspace": _absolute(_PADDING_CAP_EM),
        "height": _change(_SHIFT_CAP_EM),
        "depth": _change(_SHIFT_CAP_EM),
        "voffset": _shift(_SHIFT_CAP_EM),
    },
}
"""Attributes that are lengths, by element, each with the check its value must pass."""

_PHANTOM_PADDING: dict[str, Callable[[str], str | None]] = {
    "width": _absolute(_SPACE_CAP_EM),
    "height": _absolute(_SPACE_CAP_EM),
    "depth": _absolute(_SPACE_CAP_EM),
}
"""`\\hphantom`, `\\vphantom`, `\\mathstrut`: a box of zero width or height around a phantom,
which draws nothing, so it may be smaller than its content."""

MATHML_ATTRIBUTES = frozenset(
    {*_FIXED_VALUES, "mathsize", *(name for names in _LENGTHS.values() for name in names)}
    - {"xmlns", "display", "encoding"}
)
"""Every attribute name `formula_mathml` may keep on any element (`math` adds `xmlns` and
`display`), for the HTML sanitiser's list."""


def _allow(element: Element, mathsize: float, moved: float = 0.0) -> None:
    """Keep only allowed attribute values in `element` and below; text loses hidden characters.

    `mathsize` is the product of the `\\large`-like sizes around `element`: one may enlarge a
    formula, a `\\Huge` inside a `\\Huge` may not. `moved` is how far the paddings around
    `element` already move its content or shrink its box: `\\raise` inside `\\raise` may not
    add up to more than one may do."""
    phantom = element.tag == "mpadded" and len(element) > 0
    phantom = phantom and all(child.tag == "mphantom" for child in element)
    lengths = _PHANTOM_PADDING if phantom else _LENGTHS.get(str(element.tag), {})
    kept: dict[str, str] = {}
    for name, value in element.attrib.items():
        allowed: str | None = None
        if name in lengths:
            allowed = lengths[name](value)
        elif name in _FIXED_VALUES:
            allowed = value if value in _FIXED_VALUES[name] else None
        elif (
            name == "mathsize"
            and element.tag == "mstyle"
            and mathsize * _MATHSIZES.get(value, _LARGEST_MATHSIZE + 1) <= _LARGEST_MATHSIZE
        ):
            allowed = value
            mathsize *= _MATHSIZES[value]
        if allowed is not None and element.tag == "mpadded" and not phantom:
            move = _movement(name, allowed)
            if moved + move > _SHIFT_CAP_EM:
                allowed = None
            moved += move if allowed is not None else 0.0
        if allowed is not None:
            kept[name] = allowed
    element.attrib.clear()
    element.attrib.update(kept)
    element.text = _visible(element.text)
    element.tail = _visible(element.tail)
    for child in element:
        _allow(child, mathsize, moved)


def _movement(name: str, value: str) -> float:
    """How far an `mpadded` attribute moves content from its place or shrinks its box, in ems."""
    if name == "voffset":
        return abs(_em(value))
    if name in {"height", "depth"} and value.startswith("-"):
        return -_em(value)
    return 0.0


def _visible(text: str | None) -> str | None:
    """Text without control, format (direction), private-use and unassigned characters,
    written plainly or as the character references latex2mathml writes."""
    if not text:
        return text

    def reference(match: re.Match[str]) -> str:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        hidden = code > 0x10FFFF or unicodedata.category(chr(code)) in _HIDDEN_CATEGORIES
        return "" if hidden else match.group(0)

    text = _ENTITY.sub(reference, text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in _HIDDEN_CATEGORIES)


def _join_negations(parent: Element) -> None:
    """`\\not=` as `≠`: the slash latex2mathml lays over the next symbol from a zero-width box
    (which the allow-list does not keep) becomes a combining long solidus on that symbol."""
    children = list(parent)
    for index, child in enumerate(children):
        if child.tag == "mpadded" and len(child) == 1 and child[0].text == _NOT_SIGN:
            following = children[index + 1] if index + 1 < len(children) else None
            if following is not None and following.tag in {"mo", "mi", "mn"} and following.text:
                symbol = unescape(_ENTITY.sub(_character, following.text))
                following.text = unicodedata.normalize("NFC", symbol + "\u0338")
                parent.remove(child)
        else:
            _join_negations(child)


def _character(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16) if match.group(1) else int(match.group(2)))


# Height ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    """What sizes a subtree: the product of `mathsize`s, the script level, display or inline."""

    mathsize: float
    level: int
    display: bool

    @property
    def scale(self) -> float:
        return self.mathsize * 0.71**self.level  # each script level is 71% of the one above

    def script(self, steps: int = 1) -> _Style:
        return _Style(self.mathsize, self.level + steps, display=False)


@dataclass(frozen=True)
class _Extent:
    """How far a box reaches above and below its baseline, in ems of the formula's text.

    Estimated on the generous side (glyphs as tall as brackets, scripts shifted as far as
    common math fonts shift them), so a formula that fits here fits in the browser."""

    ascent: float
    descent: float

    @property
    def height(self) -> float:
        return self.ascent + self.descent


_AXIS = 0.25
"""The math axis (where fraction bars sit) above the baseline, in ems."""
_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})


def _extent(element: Element, style: _Style) -> _Extent:
    tag = element.tag
    scale = style.scale
    children = list(element)
    if tag in _TOKENS:
        return _token(element, style)
    if tag == "mstyle":
        style = _Style(
            style.mathsize * _MATHSIZES.get(element.get("mathsize", ""), 1.0),
            int(element.get("scriptlevel", style.level)),
            element.get("displaystyle", str(style.display).lower()) == "true",
        )
        return _row(children, style)
    if tag == "mspace":
        return _Extent(
            _em(element.get("height", "0")) * scale, _em(element.get("depth", "0")) * scale
        )
    if tag == "mpadded":
        inner = _row(children, style)
        return _Extent(
            _padded(inner.ascent, element.get("height"), scale),
            _padded(inner.descent, element.get("depth"), scale),
        )
    if tag == "mfrac" and len(children) == 2:
        parts = style if style.display else style.script()
        numerator, denominator = (_extent(child, parts) for child in children)
        gap = 0.2 * scale
        return _Extent(
            _AXIS * scale + gap + numerator.height,
            max(0.0, gap + denominator.height - _AXIS * scale),
        )
    if tag in {"msub", "msup", "msubsup"} and children:
        return _scripts(tag, children, style)
    if tag in {"mover", "munder", "munderover"} and children:
        return _limits(element, children, style)
    if tag in {"msqrt", "mroot"} and children:
        inner = _row(children[:1] if tag == "mroot" else children, style)
        return _Extent(inner.ascent + 0.3 * scale, inner.descent + 0.1 * scale)
    if tag == "mtable":
        cell_style = _Style(
            style.mathsize, style.level, element.get("displaystyle", "false") == "true"
        )
        rows = [_row(list(row), cell_style).height + 0.5 * scale for row in children]
        half = sum(rows) / 2
        return _Extent(half + _AXIS * scale, max(0.0, half - _AXIS * scale))
    if tag == "mtr":
        return _row(children, style)
    inner = _row(children, style)  # math, mrow, mtd, mphantom, menclose, semantics
    if tag == "menclose":
        return _Extent(inner.ascent + 0.2 * scale, inner.descent + 0.2 * scale)
    return inner


def _token(element: Element, style: _Style) -> _Extent:
    scale = style.scale
    if element.tag == "mo" and "minsize" in element.attrib:
        # The font's next larger glyph of the bracket: up to a third taller than asked for.
        size = max(_em(element.get("minsize", "0")), 1.0) * 1.35
        return _Extent((size / 2 + _AXIS) * scale, size / 2 * scale)
    if element.tag == "mo" and style.display:
        return _Extent(1.4 * scale, 1.0 * scale)  # a display-size sum or integral
    return _Extent(0.9 * scale, 0.3 * scale)


def _row(children: list[Element], style: _Style) -> _Extent:
    """Boxes side by side on one baseline; stretchy fences grow to cover them, evenly about
    the axis."""
    ascent = descent = 0.0
    stretchy = False
    for child in children:
        if child.tag == "mo" and child.get("stretchy") == "true" and "minsize" not in child.attrib:
            stretchy = True
            continue
        extent = _extent(child, style)
        ascent, descent = max(ascent, extent.ascent), max(descent, extent.descent)
    if stretchy:
        axis = _AXIS * style.scale
        half = max(ascent - axis, descent + axis, 0.6 * style.scale)
        ascent, descent = max(ascent, axis + half), max(descent, half - axis)
    return _Extent(ascent, descent)


def _scripts(tag: str, children: list[Element], style: _Style) -> _Extent:
    base = _extent(children[0], style)
    scale = style.scale
    ascent, descent = base.ascent, base.descent
    rest = children[1:]
    if tag in {"msub", "msubsup"} and rest:
        sub = _extent(rest.pop(0), style.script())
        descent = max(descent, 0.3 * scale + sub.descent)
        ascent = max(ascent, sub.ascent - 0.3 * scale)
    if tag in {"msup", "msubsup"} and rest:
        sup = _extent(rest.pop(0), style.script())
        ascent = max(ascent, 0.5 * scale + sup.ascent)
        descent = max(descent, sup.descent - 0.5 * scale)
    return _Extent(ascent, descent)


def _limits(element: Element, children: list[Element], style: _Style) -> _Extent:
    base = _extent(children[0], style)
    scale = style.scale
    ascent, descent = base.ascent, base.descent
    rest = children[1:]
    if element.tag in {"munder", "munderover"} and rest:
        under_style = style if element.get("accentunder") == "true" else style.script()
        descent += 0.15 * scale + _extent(rest.pop(0), under_style).height
    if element.tag in {"mover", "munderover"} and rest:
        over_style = style if element.get("accent") == "true" else style.script()
        ascent += 0.15 * scale + _extent(rest.pop(0), over_style).height
    return _Extent(ascent, descent)


def _em(value: str) -> float:
    """An allowed length in ems (named spaces and units as `_length` reads them)."""
    match = _LENGTH.fullmatch(_NAMED_SPACES.get(value, value))
    if match is None:
        return 0.0
    amount = float(match.group(2)) * _EM_PER_UNIT[match.group(3) or ""]
    return -amount if match.group(1) == "-" else amount


def _padded(inner: float, value: str | None, scale: float) -> float:
    """An `mpadded` height or depth: `+x`/`-x` change the content's, `x` replaces it."""
    if value is None:
        return inner
    amount = _em(value) * scale
    if value.startswith(("+", "-")):
        return max(0.0, inner + amount)
    return amount
