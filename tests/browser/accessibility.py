"""axe-core accessibility checks of a loaded page, through axe-playwright-python.

The package bundles axe-core's `axe.min.js` (4.12.1 in 0.1.8) and injects it into the page, so
nothing is downloaded. A test fails on every serious or critical violation, except the known
ones in Material's own templates listed here, each matched to the one element it is about.
"""

from __future__ import annotations

from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = frozenset({"serious", "critical"})

MATERIAL_KNOWN: dict[tuple[str, str], str] = {}
"""(axe rule id, axe target selector) -> why it is tolerated."""

_AXE = Axe()


@dataclass(frozen=True)
class Violation:
    """One failed axe rule on one element."""

    rule: str
    impact: str
    target: str
    html: str
    summary: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) at {self.target}: {self.summary}\n    {self.html}"


def blocking_violations(page: Page) -> list[Violation]:
    """Serious and critical axe violations on the page, known Material ones left out."""
    results = _AXE.run(page)
    found = []
    for rule in results.response["violations"]:
        if rule["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in rule["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            if (rule["id"], target) in MATERIAL_KNOWN:
                continue
            found.append(
                Violation(
                    rule=rule["id"],
                    impact=rule["impact"],
                    target=target,
                    html=" ".join(node["html"].split())[:200],
                    summary=" ".join(node.get("failureSummary", "").split())[:300],
                )
            )
    return found
