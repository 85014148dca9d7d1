"""The package's layers: each stage's folder imports only from itself and the layers below it,
so a newcomer can read the pipeline from the bottom up and no import loop can form."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

LAYERS = (
    ("progress", "processes", "private_cache"),  # housekeeping: they import nothing of ours
    ("model",),
    ("read",),
    ("enrich",),
    ("render",),
    ("site",),
    ("pipeline",),
    ("serve",),
    ("authoring",),
    ("plugin",),
    ("cli", "__init__"),
)
"""Bottom to top. A module may import from its own layer and from every layer before it."""

LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def _layer(module: str) -> str:
    """`generator.read.entries` -> `read`; `generator.cli` -> `cli`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found += [(node.lineno, n) for n in names if n.startswith("generator.")][:1]
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "relative"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator.")]
    return found


def test_every_top_level_name_has_a_layer() -> None:
    names = {p.stem if p.parent == PACKAGE else p.relative_to(PACKAGE).parts[0] for p in _modules()}
    assert names - set(LEVEL) == set(), "add the new module or folder to LAYERS"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    relative = path.relative_to(PACKAGE).with_suffix("")
    own = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    wrong = []
    for line, target in _imports(path):
        if target == "relative":
            wrong.append(f"line {line}: a relative import; write `from generator.<stage>...`")
            continue
        if LEVEL[_layer(target)] > LEVEL[own]:
            wrong.append(f"line {line}: {own} imports {target}, a layer above it")
    assert not wrong, "\n".join(wrong)
