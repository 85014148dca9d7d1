"""Freed memory goes back to the system where the C library allows it (glibc's malloc_trim)."""

from __future__ import annotations

import platform

from generator.memory import release_free_memory


def test_free_memory_is_released_on_glibc() -> None:
    assert release_free_memory() == (platform.libc_ver()[0] == "glibc")
