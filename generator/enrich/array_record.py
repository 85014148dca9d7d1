"""Records of NumPy arrays that one build leaves for the next (`term_counts.TermCounts`,
`neighbours.Kept`): named arrays in one `.npz` file, sealed with the generator's version.

A record is written to a new file renamed over the old, so that a killed build leaves one or
the other, and read back only whole: every array there, of its type, of this generator's
version (`stable_digest.generator_version`, keyed with the user's secret, so a record that
came with the sources matches nothing). Each record then checks its arrays' shapes and
ranges itself.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

VERSION = "version"
"""The array that holds the generator's version."""


def save_arrays(path: Path, version: str, arrays: dict[str, np.ndarray[Any, Any]]) -> None:
    """Record `arrays` in `path` for builds of generator `version`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = path.with_name(path.name + ".new")
    with new.open("wb") as file:
        named: dict[str, Any] = {VERSION: np.frombuffer(version.encode(), np.uint8), **arrays}
        np.savez(file, **named)
    os.replace(new, path)


def load_arrays(
    path: Path,
    version: str,
    types: dict[str, type[np.generic]],
    made: Callable[[dict[str, np.ndarray[Any, Any]]], T],
) -> T | None:
    """`made` of the arrays `save_arrays` recorded in `path` for generator `version`, each of
    the type `types` names; None if there is no such record, or it is of another version or
    not whole, or `made` refuses the arrays (ValueError, UnicodeDecodeError)."""
    try:
        with path.open("rb") as file:
            saved = np.load(file, allow_pickle=False)
            if not isinstance(saved, np.lib.npyio.NpzFile):  # one array, not a record
                return None
            with saved:
                arrays = {name: saved[name] for name in (VERSION, *types)}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if any(arrays[name].dtype != dtype for name, dtype in {VERSION: np.uint8, **types}.items()):
        return None
    try:
        if arrays.pop(VERSION).tobytes().decode() != version:
            return None
        return made(arrays)
    except (ValueError, UnicodeDecodeError):
        return None
