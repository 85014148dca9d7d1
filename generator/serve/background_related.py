"""Related papers while serving: an edit shows at once, its effect on related papers follows.

Finding related papers compares every paper with every other (3.5 s at 10,000 papers), and
any edit can change them. `catalogue serve` must show an edited entry within 5 s (issue 5),
so a rebuild after an edit uses the related papers last computed (without papers that are
gone), while a thread computes them for the edited catalogue; when it is done, it touches a
file the server watches, and that rebuild renders the pages whose related papers changed.
A one-off build computes them in line (`Catalogue.related`).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import shutil
import tempfile
import threading
import weakref
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from generator.enrich.related import (
    RELATED_LIMIT,
    PaperKey,
    RelatedMap,
    TagWeights,
    find_related,
    paper_key,
    paper_text,
    related_of,
    tag_weights,
)
from generator.model.paper import Paper, same_papers
from generator.model.vocabulary import Vocabulary
from generator.processes import die_with_parent, lower_thread_priority

log = logging.getLogger("mkdocs.plugins.catalogue")


class BackgroundRelated:
    """The related papers of each catalogue a `catalogue serve` session builds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: tuple[tuple[Paper, ...], RelatedMap] | None = None
        """The last finished result and the papers it was computed from."""
        self._running: tuple[Paper, ...] | None = None
        """The papers a thread is computing for, if any."""
        self._weights: TagWeights = {}
        """The tag weights (from the vocabulary's kinds) the last result was computed with."""
        self._running_weights: TagWeights = {}
        folder = tempfile.mkdtemp(prefix="catalogue-related-")
        weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
        self.trigger = Path(folder) / "ready"
        """Touched when a computation finishes: the server watches it and rebuilds."""
        self.trigger.touch()
        self._pending = False
        """A computation waits for `start` (the rebuild that asked for it has finished)."""
        self._worker: BaseProcess | None = None
        """The process of the latest computation."""

    def related(self, papers: Sequence[Paper], vocabulary: Vocabulary) -> RelatedMap:
        """The related papers to render `papers` with, now."""
        # Serve keeps the `Paper` of each unchanged entry: the same objects, the same input.
        given = tuple(papers)
        weights = tag_weights(vocabulary)
        with self._lock:
            done = self._done
            if done is not None and same_papers(done[0], given) and self._weights == weights:
                return done[1]
            if done is None:  # the session's first build: nothing to show meanwhile
                found = find_related(papers, vocabulary)
                self._done, self._weights = (given, found), weights
                return found
            if (
                self._running is None
                or not same_papers(self._running, given)
                or self._running_weights != weights
            ):
                self._running, self._running_weights = given, weights
                self._pending = True
                if self._worker is not None and self._worker.is_alive():
                    # Its result would be stale: free the processor and its memory now.
                    self._worker.terminate()
            present = {p.slug for p in papers}
            return {
                p.slug: tuple(r for r in done[1].get(p.slug, ()) if r.slug in present)
                for p in papers
            }

    def start(self) -> None:
        """Start the computation the last rebuild asked for. Called once that rebuild is
        done, so that it does not compete with that rebuild for the processor."""
        with self._lock:
            if not self._pending or self._running is None:
                return
            self._pending = False
            running, weights = self._running, self._running_weights
        threading.Thread(target=self._compute, args=(running, weights), daemon=True).start()

    def _compute(self, papers: tuple[Paper, ...], weights: TagWeights) -> None:
        # In a process of its own: in a thread, it would hold this interpreter's lock for
        # seconds, and the next rebuild, when the contributor saves again, would wait for it.
        lower_thread_priority()  # and the worker's: the next rebuild comes first
        texts, keys = [paper_text(p) for p in papers], [paper_key(p) for p in papers]
        # Spawned, not forked (the server's threads are running). It sends back the related
        # papers themselves: building them here would hold this interpreter's lock for most
        # of a second at 10,000 papers.
        context = multiprocessing.get_context("spawn")
        with self._lock:
            if self._running is not papers:
                return  # the entries changed again before it began
            receiver, sender = context.Pipe(duplex=False)
            worker = context.Process(
                target=_related_in_worker, args=(sender, texts, keys, dict(weights)), daemon=True
            )
            try:
                worker.start()
            except OSError as exc:  # no process to be had: the next edit tries again
                log.warning(f"catalogue: related papers not updated: {exc}")
                self._running = None
                receiver.close()
                sender.close()
                return
            self._worker = worker
        sender.close()
        found: RelatedMap | None = None
        with contextlib.suppress(EOFError, OSError):  # the worker failed, or was stopped
            found = receiver.recv()
        receiver.close()
        worker.join()
        with self._lock:
            if self._running is not papers:
                return  # the entries changed again: a newer computation is under way
            self._running = None
            if found is None:  # a broken worker: say so; the next edit tries again
                log.warning(
                    f"catalogue: related papers not updated (the worker ended with exit code "
                    f"{worker.exitcode})"
                )
                return
            self._done, self._weights = (papers, found), weights
        self.trigger.write_text(str(len(papers)), encoding="utf-8")


def _related_in_worker(
    sender: Connection, texts: list[str], keys: list[PaperKey], weights: dict[str, float]
) -> None:
    """The worker process: ends with the thread that started it if the server stops."""
    die_with_parent()
    sender.send(related_of(texts, keys, weights, RELATED_LIMIT))
    sender.close()
