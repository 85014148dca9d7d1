"""Copy buttons are visible without hovering (a phone cannot hover): the icon stands out from
the code block behind it by at least 3:1, WCAG's contrast for controls, in both colour schemes.
"""

from __future__ import annotations

import re
from typing import Literal

import pytest
from playwright.sync_api import expect

from tests.browser.chromium import PHONE
from tests.browser.conftest import OpenPage

SLUG = "h2o-heavy-hitter-oracle-for-efficient-generative-inference-of-large-language"
Colour = tuple[float, float, float, float]


def parse(css: str) -> Colour:
    """`rgb(...)` or `rgba(...)` as computed by the browser: red, green, blue 0-255, alpha."""
    match = re.fullmatch(r"rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)", css)
    assert match, css
    red, green, blue, alpha = match.groups()
    return float(red), float(green), float(blue), float(alpha or 1)


def over(top: Colour, below: Colour) -> Colour:
    """`top` drawn over the opaque colour `below`."""
    alpha = top[3]
    red, green, blue = (
        alpha * t + (1 - alpha) * b for t, b in zip(top[:3], below[:3], strict=True)
    )
    return red, green, blue, 1.0


def luminance(colour: Colour) -> float:
    """WCAG's relative luminance of an opaque colour."""
    linear = [
        c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in colour[:3]
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: Colour, other: Colour) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_arithmetic_matches_wcag() -> None:
    assert contrast((0, 0, 0, 1), (255, 255, 255, 1)) == pytest.approx(21)
    assert contrast(over((0, 0, 0, 0.07), (245, 245, 245, 1)), (245, 245, 245, 1)) < 1.3


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_copy_buttons_stand_out_from_their_code_block_without_hover(
    open_page: OpenPage, site_url: str, scheme: Literal["light", "dark"]
) -> None:
    page = open_page(viewport=PHONE, color_scheme=scheme)
    page.goto(f"{site_url}papers/{SLUG}/")
    block = page.locator(".catalogue-cite[data-format='bibtex'] pre")
    block.scroll_into_view_if_needed()  # Material adds the button to code blocks in view
    button = block.get_by_role("button", name="Copy to clipboard")
    expect(button).to_be_visible()
    page.mouse.move(0, 0)  # nothing hovered, as on a phone
    # The icon's colour, then the backgrounds under it from the nearest: the button bar, the
    # code, the block and its ancestors.
    colours = button.evaluate(
        """button => {
            const code = button.closest("pre").querySelector("code");
            const layers = [button.parentElement, code];
            for (let e = button.closest("pre"); e; e = e.parentElement) layers.push(e);
            return [getComputedStyle(button).color,
                    ...layers.map(e => getComputedStyle(e).backgroundColor)];
        }"""
    )
    icon, *layers = (parse(c) for c in colours)
    below: Colour = (255, 255, 255, 1)  # the canvas
    for layer in reversed(layers):
        below = over(layer, below)
    ratio = contrast(over(icon, below), below)
    assert ratio >= 3, f"{scheme}: copy icon {colours[0]} over {colours[1:4]}: {ratio:.2f}:1"
