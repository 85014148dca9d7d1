"""Garbage collection for `catalogue serve`: what a rebuild keeps is not scanned again.

A serve session keeps a large catalogue's entries, parsed files, citations and pages in
memory (millions of objects at 10,000 papers). CPython's collector scans all of them in a full
collection, which it starts whenever a quarter more objects have survived since the last one:
in the middle of almost every rebuild after an edit, and a large part of that rebuild's time
(measured with `gc.callbacks`; figures in the benchmark results).

So after each rebuild, the objects it leaves are collected once and then frozen
(`gc.freeze`): later collections pass over them. An object frozen and later dropped is freed
by its reference count, as most are; one held only in a reference cycle (the last rebuild's
MkDocs navigation, theme environment) stays until the next full clean-up, which unfreezes and
collects everything once the frozen objects have grown by `CLEAN_UP_GROWTH` since the last.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

CLEAN_UP_GROWTH = 0.25
"""A full collection of every object when the frozen ones grew by this share: the rule
CPython applies to its oldest generation, applied between rebuilds instead of within one."""


@dataclass
class FrozenHeap:
    """Freezes what each rebuild leaves behind; now and then, collects everything."""

    _after_clean_up: int = 0
    """How many objects were frozen right after the last full clean-up."""
    full_clean_ups: int = 0

    def after_build(self) -> None:
        """Collect this rebuild's garbage (frozen objects are not scanned), then freeze the
        rest; the first time, and whenever the frozen objects have grown enough, collect all
        of them first."""
        clean_up = gc.get_freeze_count() >= self._after_clean_up * (1 + CLEAN_UP_GROWTH)
        if clean_up:
            gc.unfreeze()
            self.full_clean_ups += 1
        gc.collect()
        gc.freeze()
        if clean_up:
            self._after_clean_up = gc.get_freeze_count()
