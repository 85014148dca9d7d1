"""Measurements of a page as laid out in the browser."""

from __future__ import annotations

from playwright.sync_api import Page


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page scrolls sideways (0 when it fits its viewport)."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert isinstance(overflow, int)
    return overflow


def elements_past_right_edge(page: Page, limit: int = 8) -> list[str]:
    """Elements that stick out of the viewport on the right though their parent does not."""
    found = page.evaluate(
        """limit => {
            const edge = document.documentElement.clientWidth;
            const past = e => e.getBoundingClientRect().right > edge + 0.5;
            const culprits = [...document.body.querySelectorAll("*")].filter(
                e => past(e) && !past(e.parentElement));
            return culprits.slice(0, limit).map(e => {
                const classes = e.classList.length ? "." + [...e.classList].join(".") : "";
                const right = Math.round(e.getBoundingClientRect().right);
                return `<${e.tagName.toLowerCase()}${classes}> reaches x=${right}`;
            });
        }""",
        limit,
    )
    assert isinstance(found, list)
    return [str(item) for item in found]


def background_luminance(page: Page) -> float:
    """Relative luminance (0 black .. 1 white) of the page's background colour."""
    channels = page.evaluate(
        """() => getComputedStyle(document.body).backgroundColor
            .match(/[\\d.]+/g).slice(0, 3).map(Number)"""
    )
    linear = [
        c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
