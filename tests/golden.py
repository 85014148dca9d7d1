"""Golden pages: the fixture catalogue's generated Markdown, committed as expected output.

`make golden` (python -m tests.golden regenerate) rewrites tests/golden/ from the current
generator; review the diff like any other change to what readers see.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from generator import CatalogueSources, RenderSettings, generate_pages

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "catalogue"
GOLDEN = HERE / "golden"
SETTINGS = RenderSettings(edit_url_base="https://github.com/example/fixture/edit/main/")


def fixture_pages() -> dict[str, str]:
    """The generated pages of the fixture catalogue, by path."""
    return generate_pages(CatalogueSources(FIXTURE), SETTINGS)


def regenerate() -> None:
    """Replace tests/golden/ with the pages generated now."""
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for uri, content in fixture_pages().items():
        target = GOLDEN / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")
    print(f"golden pages written to {GOLDEN}")


if __name__ == "__main__":
    if sys.argv[1:] != ["regenerate"]:
        sys.exit("usage: python -m tests.golden regenerate")
    regenerate()
