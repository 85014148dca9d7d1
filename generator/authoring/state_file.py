"""The JSON files upkeep keeps between runs (enrich's arXiv answers, check-links' results):
one format version and one collection under a key, read leniently and written in one step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.authoring.entry_edit import write_atomically


def read_state(path: Path, version: int, key: str) -> Any:
    """What `path` keeps under `key`, or None when there is no file yet, a broken one or one
    of another version: the caller then asks again, as if nothing had been kept."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        return None
    return data.get(key)


def write_state(path: Path, version: int, key: str, value: Any) -> None:
    """Keep `value` under `key` in `path`, written whole (an interruption leaves the old file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": version, key: value}, indent=1, sort_keys=True)
    write_atomically(path, text + "\n")
