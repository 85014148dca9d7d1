"""Process housekeeping: giving freed memory back to the system, and background work that
yields to the foreground and ends with the process that started it.

CPython frees an object's memory into its own allocator and the C library's; neither hands
it back to the system until a whole region is empty. After a one-off build drops its
entries, `malloc_trim` returns every free page, so the processes that follow (Pagefind's
indexer) find it free.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import signal
import threading


@functools.cache
def _libc(name: str) -> ctypes._NamedFuncPointer | None:
    """The C library's function `name`; None where there is none (not glibc: musl, macOS)."""
    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library), name) if library else None
    except (OSError, AttributeError):
        return None


def release_free_memory() -> bool:
    """Return the C library's free memory to the system; False where that is not possible."""
    trim = _libc("malloc_trim")
    if trim is None:
        return False
    trim(0)
    return True


def die_with_parent() -> None:
    """Ask the kernel to stop this process when the thread that started it ends (Linux's
    `PR_SET_PDEATHSIG`), so that background workers of `catalogue serve` never outlive it;
    elsewhere, nothing. Exits at once if that parent is already gone."""
    prctl = _libc("prctl")
    if prctl is None:
        return
    pr_set_pdeathsig = 1
    prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() == 1:
        os._exit(1)


def lower_thread_priority() -> None:
    """The lowest scheduling priority for the calling thread and every thread and process it
    starts from now on (Linux applies nice per thread, and children inherit it): background
    work of `catalogue serve` yields to the rebuild after the next edit. Elsewhere, nothing."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
