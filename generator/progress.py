"""Progress of a build by stage: a bar on a terminal, plain periodic lines elsewhere (CI).

Everything goes through MkDocs' logger, so `mkdocs build --quiet` silences it; the bar is
drawn only when INFO messages would be shown and stderr is a terminal. Small catalogues
(fewer than `SHOW_FROM` entries) log one line per stage at DEBUG level and draw no bar.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

SHOW_FROM = 300
"""Builds of at least this many entries show progress."""
LINE_EVERY = 5.0
"""Seconds between plain progress lines when stderr is not a terminal."""


@dataclass
class Stage:
    """One stage of the build as it runs: how far it is and since when."""

    name: str
    total: int | None
    log: logging.Logger
    level: int
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    _bar: Any = None
    _last_line: float = field(default_factory=time.monotonic)

    def advance(self, count: int = 1) -> None:
        """Count `count` more items done."""
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        elif self.level == logging.INFO and time.monotonic() - self._last_line >= LINE_EVERY:
            self._last_line = time.monotonic()
            of = f"/{self.total}" if self.total else ""
            self.log.info(f"{self.name}: {self.done}{of} after {self.elapsed:.1f} s")

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


class BuildProgress:
    """The stages of one build, each reported with its count and elapsed time."""

    def __init__(self, log: logging.Logger, size: int) -> None:
        self.log = log
        self.size = size
        """How many entries the catalogue has: decides whether progress is worth showing."""
        self.level = logging.INFO if size >= SHOW_FROM else logging.DEBUG
        self.timings: dict[str, float] = {}
        """Seconds per finished stage, in order (the benchmark reads them)."""

    def _use_bar(self) -> bool:
        return (
            self.level == logging.INFO
            and self.log.isEnabledFor(logging.INFO)
            and sys.stderr.isatty()
        )

    def record(self, name: str, seconds: float) -> None:
        """Report a stage timed elsewhere (MkDocs' own work between two plugin events)."""
        self.timings[name] = seconds
        self.log.log(self.level, f"catalogue: {name}: {seconds:.1f} s")

    @contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "pages") -> Iterator[Stage]:
        """Time one stage; `advance` the yielded `Stage` as items are done."""
        current = Stage(name, total, self.log, self.level)
        if self._use_bar() and total:
            current._bar = tqdm(
                total=total, desc=f"catalogue: {name}", unit=f" {unit}", leave=False,
                file=sys.stderr, mininterval=0.5,
            )  # fmt: skip
        try:
            yield current
        finally:
            if current._bar is not None:
                current._bar.close()
        self.timings[name] = current.elapsed
        count = f"{current.done} {unit} in " if current.done else ""
        self.log.log(self.level, f"catalogue: {name}: {count}{current.elapsed:.1f} s")


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a line is logged (tests and tools replace it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


_COMMAND_LOG = logging.getLogger("catalogue.command")


@contextmanager
def command_progress(name: str, total: int, unit: str) -> Iterator[Stage]:
    """Progress of a long command (asking arXiv, checking links), whatever its size: a bar on a
    terminal, a plain line every `LINE_EVERY` seconds elsewhere (a CI log), then a summary."""
    if not _COMMAND_LOG.handlers:
        handler = _CurrentStderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        _COMMAND_LOG.addHandler(handler)
        _COMMAND_LOG.setLevel(logging.INFO)
        _COMMAND_LOG.propagate = False
    with BuildProgress(_COMMAND_LOG, SHOW_FROM).stage(name, total, unit) as stage:
        yield stage
