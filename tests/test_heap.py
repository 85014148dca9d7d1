"""`catalogue serve` freezes what each rebuild keeps, and still frees reference cycles
(generator/serve/heap.py)."""

from __future__ import annotations

import gc
import weakref

from generator.serve.heap import CLEAN_UP_GROWTH, FrozenHeap


class Node:
    next: Node


def test_rebuilds_freeze_what_they_keep_and_cycles_are_freed_once_the_heap_grew() -> None:
    heap = FrozenHeap()
    try:
        heap.after_build()  # the first build: everything is collected, then frozen
        assert heap.full_clean_ups == 1
        frozen = gc.get_freeze_count()
        assert frozen > 0

        # A reference cycle kept by one rebuild and dropped after it, as MkDocs' navigation.
        cycle = [Node() for _ in range(10)]
        for node, following in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            node.next = following
        dropped = weakref.ref(cycle[0])
        heap.after_build()
        assert heap.full_clean_ups == 1
        del cycle, node, following
        gc.collect()
        assert dropped() is not None  # frozen: collections pass over it

        # Rebuilds keep more objects; once the frozen ones grew by the share, all is collected.
        kept = [[] for _ in range(int(frozen * (CLEAN_UP_GROWTH + 0.05)))]
        heap.after_build()  # freezes `kept`
        assert heap.full_clean_ups == 1 and dropped() is not None
        heap.after_build()
        assert heap.full_clean_ups == 2
        assert dropped() is None
        assert len(kept) > 0
    finally:
        gc.unfreeze()
