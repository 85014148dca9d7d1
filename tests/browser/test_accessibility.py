"""axe-core finds no serious or critical accessibility problem on the main kinds of page."""

from typing import Literal

import pytest

from tests.browser import seed_pages
from tests.browser.accessibility import blocking_violations
from tests.browser.conftest import OpenPage


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        seed_pages.HOME,
        seed_pages.paper(seed_pages.MATH_TITLE_SLUG),
        seed_pages.tag(seed_pages.SMALL_TAG),
        seed_pages.MAP,
    ],
    ids=seed_pages.label,
)
def test_no_serious_accessibility_violations(
    open_page: OpenPage, site_url: str, path: str, scheme: Literal["light", "dark"]
) -> None:
    page = open_page(color_scheme=scheme)
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    violations = blocking_violations(page)
    assert violations == [], "\n".join(str(v) for v in violations)
