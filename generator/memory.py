"""Process housekeeping: giving freed memory back to the system, and background processes
that end with the one that started them.

CPython frees an object's memory into its own allocator and the C library's; neither hands
it back to the system until a whole region is empty. After a one-off build drops its
entries, `malloc_trim` returns every free page, so the processes that follow (Pagefind's
indexer) find it free.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import signal


@functools.cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to call
        return None


def release_free_memory() -> bool:
    """Return the C library's free memory to the system; False where that is not possible."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def die_with_parent() -> None:
    """Ask the kernel to stop this process when the thread that started it ends (Linux's
    `PR_SET_PDEATHSIG`), so that background workers of `catalogue serve` never outlive it;
    elsewhere, nothing. Exits at once if that parent is already gone."""
    name = ctypes.util.find_library("c")
    try:
        prctl = ctypes.CDLL(name).prctl if name else None
    except (OSError, AttributeError):
        prctl = None
    if prctl is None:
        return
    pr_set_pdeathsig = 1
    prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() == 1:
        os._exit(1)
