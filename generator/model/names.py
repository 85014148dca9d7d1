"""When two spellings of a name are the same name."""

from __future__ import annotations

import functools
import unicodedata

from generator.model.confusables import looks_like


@functools.lru_cache(maxsize=1 << 20)
def name_key(name: str) -> str:
    """What two spellings must share to be one author: NFKC, case-folded, single spaces.
    (Cached: every spelling of every entry is looked up on each `catalogue serve` rebuild.)"""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@functools.lru_cache(maxsize=1 << 18)
def lookalike_name(name: str) -> str:
    """What a name looks like: its `name_key` with letters from another script replaced by the
    ones they imitate. Two spellings with one key but different `name_key`s look the same to a
    reader but would be two authors."""
    return looks_like(name_key(name))
