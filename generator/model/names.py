"""When two spellings of a name are the same name."""

from __future__ import annotations

import functools
import unicodedata


@functools.lru_cache(maxsize=1 << 20)
def name_key(name: str) -> str:
    """What two spellings must share to be one author: NFKC, case-folded, single spaces.
    (Cached: every spelling of every entry is looked up on each `catalogue serve` rebuild.)"""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
